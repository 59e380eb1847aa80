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
    deprecations,
    descriptions,
    enums,
    inputs,
    keywords,
    lists,
    no_mutation,
);
