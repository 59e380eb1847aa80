//! Descriptions as doc comments, and deprecations as `#[deprecated]`.
//!
//! Descriptions are prose written for GraphQL clients, not for rustdoc: indentation is dropped (an indented line
//! would become a doctest) and the characters rustdoc would read as links or HTML tags are escaped.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Doc;

/// `#[doc]` lines for the description, and `#[deprecated]` when deprecated.
pub(super) fn attributes(doc: &Doc) -> TokenStream {
    let mut tokens = description(doc.description.as_deref());
    if let Some(reason) = &doc.deprecated {
        tokens.extend(quote!(#[deprecated(note = #reason)]));
    }
    tokens
}

/// `#[doc]` lines for a description.
pub(super) fn description(description: Option<&str>) -> TokenStream {
    let Some(text) = description else {
        return TokenStream::new();
    };
    // The indentation of a list item's continuation lines, which markdown (and clippy's `doc_lazy_continuation`)
    // want indented under the item (a continuation line never starts a code block, whatever its indentation).
    let mut continuation = 0;
    text.lines()
        .map(|line| {
            let trimmed = line.trim();
            let indent = if trimmed.is_empty() {
                continuation = 0;
                0
            } else if let Some(width) = list_marker(trimmed) {
                continuation = width;
                0
            } else {
                continuation
            };
            let line = format!(" {}{}", " ".repeat(indent), escape(trimmed));
            let line = line.trim_end();
            quote!(#[doc = #line])
        })
        .collect()
}

/// The width of a list item's marker (`- `, `* `, `+ `, `1. `, `12) `) when `line` starts one.
fn list_marker(line: &str) -> Option<usize> {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && digits <= 3 && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then_some(digits + 2)
}

/// Escapes what rustdoc would read as an intra-doc link, an HTML tag, or the fence of a (doctest) code block.
fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 4);
    if line.starts_with("```") || line.starts_with("~~~") {
        out.push('\\');
    }
    for c in line.chars() {
        if matches!(c, '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_indentation_dropped() {
        let tokens = description(Some("Use [x] <b> `c`\n    indented \"q\" \\ back\n```rust"));
        let text = tokens.to_string();
        assert!(text.contains(r#"" Use \\[x\\] \\<b\\> `c`""#), "{text}");
        assert!(text.contains(r#"" \\```rust""#), "{text}");
        assert!(text.contains(r#"" indented \"q\" \\ back""#), "{text}");
    }

    #[test]
    fn list_item_continuations_are_indented() {
        let text =
            description(Some("Intro\n- item one\ncontinued\n10. ten\nmore\n\nafter")).to_string();
        assert!(text.contains(r#"" - item one""#), "{text}");
        assert!(text.contains(r#""   continued""#), "{text}");
        assert!(text.contains(r#""     more""#), "{text}");
        assert!(text.contains(r#"" after""#), "{text}");
    }
}
