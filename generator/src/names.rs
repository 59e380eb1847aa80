//! GraphQL names to Rust identifiers: case conventions, keywords, and collisions resolved deterministically.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Words that cannot be identifiers; all but the last four can be written raw (`r#type`).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "try", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof",
    "unsized", "virtual", "yield", "self", "Self", "super", "crate",
];
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// Allocates identifiers in one Rust namespace, so that two GraphQL names that convert to the same Rust name (or a
/// name the generator reserves) get distinct identifiers: the later one gains a trailing `_` until it is free.
#[derive(Debug, Default)]
pub(crate) struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    pub(crate) fn with_reserved(reserved: &[&str]) -> Self {
        Namespace {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// A free identifier for `wanted` (already in the right case).
    pub(crate) fn allocate(&mut self, wanted: &str) -> Ident {
        let mut name = if wanted.is_empty() {
            "_unnamed".to_owned()
        } else {
            wanted.to_owned()
        };
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            name.insert(0, '_');
        }
        // `self`, `Self`, `super` and `crate` cannot be raw: they are written with a `_`, which must be free too.
        if NOT_RAW.contains(&name.as_str()) {
            name.push('_');
        }
        while self.taken.contains(&name) || name == "_" {
            name.push('_');
        }
        self.taken.insert(name.clone());
        ident(&name)
    }
}

/// An identifier, written raw when it is a keyword; `self`-like keywords (which cannot be raw) gain a `_`.
pub(crate) fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// `customFieldValues` → `custom_field_values`; leading underscores kept (`_id` → `_id`).
pub(crate) fn snake(name: &str) -> String {
    let underscores = name.len() - name.trim_start_matches('_').len();
    format!("{}{}", "_".repeat(underscores), name.to_snake_case())
}

/// `no_access` → `NoAccess`, `FULL_TIME` → `FullTime`, `employee` → `Employee`.
pub(crate) fn camel(name: &str) -> String {
    let camel = name.to_upper_camel_case();
    if camel.is_empty() {
        "Unnamed".to_owned()
    } else {
        camel
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_raw_or_suffixed() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("Self").to_string(), "Self_");
        assert_eq!(ident("email").to_string(), "email");
    }

    #[test]
    fn collisions_gain_underscores_in_allocation_order() {
        let mut ns = Namespace::with_reserved(&["Resolvers"]);
        assert_eq!(ns.allocate(&camel("Resolvers")).to_string(), "Resolvers_");
        assert_eq!(ns.allocate(&snake("fooBar")).to_string(), "foo_bar");
        assert_eq!(ns.allocate(&snake("foo_bar")).to_string(), "foo_bar_");
        assert_eq!(ns.allocate("_").to_string(), "__");
        assert_eq!(ns.allocate("1st").to_string(), "_1st");
        assert_eq!(ns.allocate("Self").to_string(), "Self_");
        assert_eq!(ns.allocate("Self_").to_string(), "Self__");
        assert_eq!(ns.allocate("Self").to_string(), "Self___");
    }

    #[test]
    fn cases() {
        assert_eq!(snake("customFieldValues"), "custom_field_values");
        assert_eq!(snake("hris_role"), "hris_role");
        assert_eq!(snake("_id"), "_id");
        assert_eq!(camel("no_access"), "NoAccess");
        assert_eq!(camel("FULL_TIME"), "FullTime");
        assert_eq!(camel("WAITING_FOR_SIGNATURE"), "WaitingForSignature");
    }
}
