//! The generated code of each construct case compiles without warnings (it is only compiled: `blog` executes).

macro_rules! compiled {
    ($($case:ident),* $(,)?) => {
        $(
            #[deny(warnings)]
            #[allow(dead_code)]
            pub(crate) mod $case {
                include!(concat!("generated/", stringify!($case), ".rs"));
            }
        )*
    };
}

compiled!(
    abstract_types,
    collisions,
    data_first,
    deprecations,
    descriptions,
    dynamic_backend,
    enums,
    inputs,
    keywords,
    lists,
    no_mutation,
    required_resolvers,
);

/// Keywords as names keep their wire names through serde: raw identifiers unraw, suffixed ones renamed.
#[test]
fn keyword_names_round_trip() {
    use keywords::{Async, Self_, Where};
    use runtime::MaybeAbsent;

    let value = Self_ {
        r#loop: 1,
        super_: Some("s".to_owned()),
    };
    let json = serde_json::to_value(&value).unwrap();
    assert_eq!(json, serde_json::json!({"loop": 1, "super": "s"}));
    assert_eq!(serde_json::from_value::<Self_>(json).unwrap(), value);

    let input: Where =
        serde_json::from_value(serde_json::json!({"for": 2, "mod": {"for": null}})).unwrap();
    assert_eq!(input.r#for, MaybeAbsent::Value(2));
    let inner = input.r#mod.value().unwrap();
    assert_eq!(inner.r#for, MaybeAbsent::Null);
    assert!(inner.r#mod.is_absent());

    let values: Vec<&str> = Async::ALL.iter().map(|v| v.as_str()).collect();
    assert_eq!(values, ["await", "self", "Self", "type"]);
    assert_eq!(serde_json::to_value(Async::Self__).unwrap(), "Self");
    assert_eq!(
        serde_json::from_value::<Async>("self".into()).unwrap(),
        Async::Self_
    );
}

/// Enum values that collide after case conversion keep their own wire names.
#[test]
fn colliding_enum_values_keep_their_wire_names() {
    use enums::Role;
    let wire: Vec<String> = Role::ALL.iter().map(|r| r.to_string()).collect();
    assert_eq!(
        wire,
        [
            "admin",
            "simple",
            "reviewer",
            "no_access",
            "NO_ACCESS",
            "NoAccess"
        ]
    );
    for role in Role::ALL {
        let json = serde_json::to_value(role).unwrap();
        assert_eq!(json, role.as_str());
        assert_eq!(serde_json::from_value::<Role>(json).unwrap(), *role);
    }
}
