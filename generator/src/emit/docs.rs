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
    text.lines()
        .map(|line| {
            let line = format!(" {}", escape(line.trim()));
            let line = line.trim_end();
            quote!(#[doc = #line])
        })
        .collect()
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
}
