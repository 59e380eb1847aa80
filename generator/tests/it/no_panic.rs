//! The generator never panics on bad SDL: random bytes, truncations and token shuffles of the real schemas all give
//! `Ok` or `Err(Error::Schema { .. })`.

use std::sync::LazyLock;

use generator::{Config, Error, Source};
use proptest::prelude::*;

/// The real schemas, in a fixed order.
static SCHEMAS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let dir = crate::check::crate_dir().join("../schemas");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "graphql") && !p.ends_with("rules.graphql"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
});

/// Config variations that reach more of the generator: a binding and a scalar mapping.
fn config(bind: bool) -> Config {
    let mut config = Config::new();
    if bind {
        config
            .bind("Query", "crate::Root")
            .bind("Employee", "crate::Employee")
            .bind("Member", "crate::Member")
            .scalar("Date", "::std::string::String");
    }
    config
}

fn assert_no_panic(text: &str, bind: bool) -> Result<(), TestCaseError> {
    let result = config(bind).generate(&[Source::new("mutated.graphql", text)]);
    match result {
        Ok(_) | Err(Error::Schema { .. }) => Ok(()),
        Err(other) => Err(TestCaseError::fail(format!(
            "unexpected error kind: {other}"
        ))),
    }
}

/// Splits SDL into tokens and the whitespace between them (kept, so a shuffle keeps line structure).
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in text.char_indices() {
        let space = c.is_whitespace();
        let punct = "{}()[]:!=@|&$\"".contains(c);
        if in_space != Some(space) || punct {
            if i > start {
                out.push(&text[start..i]);
            }
            start = i;
            in_space = Some(space);
            if punct {
                out.push(&text[i..i + c.len_utf8()]);
                start = i + c.len_utf8();
                in_space = None;
            }
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[derive(Debug, Clone)]
enum Edit {
    Swap(usize, usize),
    Delete(usize),
    Duplicate(usize),
    Replace(usize, &'static str),
}

const REPLACEMENTS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "!",
    ":",
    "=",
    "@",
    "|",
    "&",
    "\"",
    "\"\"\"",
    "type",
    "input",
    "enum",
    "union",
    "interface",
    "scalar",
    "schema",
    "extend",
    "implements",
    "directive",
    "on",
    "Query",
    "Int",
    "String",
    "ID",
    "null",
    "true",
    "1",
    "-1.5e9",
    "99999999999999",
    "Self",
    "self",
    "type",
    "__typename",
    "@deprecated",
    "@requiresRole(roles: [\"x\"])",
    "@paginated(style: RELAY)",
    "@rest(method: GET, path: \"/{x}\")",
    "@api(name: \"\", title: \"\", document: \"\", transport: REST, path: \"\")",
    "repeatable",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        any::<usize>().prop_map(Edit::Delete),
        any::<usize>().prop_map(Edit::Duplicate),
        (any::<usize>(), prop::sample::select(REPLACEMENTS)).prop_map(|(a, r)| Edit::Replace(a, r)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut tokens: Vec<&str> = tokens(text);
    for edit in edits {
        if tokens.is_empty() {
            break;
        }
        let n = tokens.len();
        match *edit {
            Edit::Swap(a, b) => tokens.swap(a % n, b % n),
            Edit::Delete(a) => {
                tokens.remove(a % n);
            }
            Edit::Duplicate(a) => tokens.insert(a % n, tokens[a % n]),
            Edit::Replace(a, r) => tokens[a % n] = r,
        }
    }
    tokens.concat()
}

proptest! {
    // 64 cases each by default; `PROPTEST_CASES=5000` for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512), bind in any::<bool>()) {
        assert_no_panic(&String::from_utf8_lossy(&bytes), bind)?;
    }

    #[test]
    fn random_sdl_like_text(parts in prop::collection::vec(prop::sample::select(REPLACEMENTS), 0..64), bind in any::<bool>()) {
        assert_no_panic(&parts.join(" "), bind)?;
    }

    #[test]
    fn truncations(schema in 0..4usize, at in 0.0..1.0f64, bind in any::<bool>()) {
        let text = &SCHEMAS[schema % SCHEMAS.len()];
        let mut end = (text.len() as f64 * at) as usize;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        assert_no_panic(&text[..end], bind)?;
    }

    #[test]
    fn token_edits(schema in 0..4usize, edits in prop::collection::vec(edit(), 1..8), bind in any::<bool>()) {
        let text = &SCHEMAS[schema % SCHEMAS.len()];
        assert_no_panic(&apply(text, &edits), bind)?;
    }
}

/// The cases the property tests found, kept as plain regressions.
#[test]
fn regressions() {
    for (text, bind) in [
        ("type Query { a: Int }", true),
        ("type Query { method: HttpMethod origin: [Origin!] }", false),
        (
            "input I { t: Transport } type Query { a(i: I, s: AuthScheme): Int }",
            false,
        ),
        ("schema { mutation: M } type M { a: Int }", false),
        ("type Mutation { a: Int }", false),
        ("type Query { a: Int } extend type Query { b: Int }", true),
        (
            "directive @api on SCHEMA enum Origin { A } type Query { o: Origin }",
            false,
        ),
        ("type Query { a: Int } type Subscription { s: Int }", false),
        (
            "type Query { a: Int } schema @api(name: \"\", title: \"\", document: \"\", transport: REST, path: \"\") { query: Query }",
            false,
        ),
    ] {
        assert_no_panic(text, bind).unwrap();
    }
}
