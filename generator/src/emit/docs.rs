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
    let mut tokens = TokenStream::new();
    for line in text.lines() {
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
        let escaped = escape(trimmed);
        if escaped.is_empty() {
            tokens.extend(quote!(#[doc = ""]));
            continue;
        }
        for (i, piece) in wrap(&escaped, DOC_WIDTH.saturating_sub(continuation)).enumerate() {
            let indent = if i == 0 { indent } else { continuation };
            let line = format!(" {}{piece}", " ".repeat(indent));
            let line = line.trim_end();
            tokens.extend(quote!(#[doc = #line]));
        }
    }
    tokens
}

/// The widest doc text on a line: with `    /// ` before it, a doc line stays within 100 columns.
const DOC_WIDTH: usize = 88;

/// A line in pieces no wider than `width`, cut at spaces (a word wider than `width` stays whole).
fn wrap(line: &str, width: usize) -> impl Iterator<Item = &str> {
    let mut rest = line;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if rest.chars().count() <= width {
            return Some(std::mem::take(&mut rest));
        }
        let cut = rest
            .char_indices()
            .take(width + 1)
            .filter(|&(_, c)| c == ' ')
            .map(|(i, _)| i)
            .last()
            .or_else(|| rest.find(' '))
            .unwrap_or(rest.len());
        let (piece, tail) = rest.split_at(cut);
        rest = tail.trim_start();
        Some(piece)
    })
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
    fn long_lines_are_wrapped_at_spaces() {
        let long = "word ".repeat(40);
        let text = description(Some(&format!("- {long}"))).to_string();
        let lines: Vec<&str> = text.split("# [doc = ").skip(1).collect();
        assert!(lines.len() > 2, "{text}");
        assert!(lines.iter().all(|l| l.len() <= DOC_WIDTH + 8), "{text}");
        assert!(
            lines[1].starts_with("\"   word"),
            "continuation under the item: {text}"
        );
        let url = format!("see https://example.com/{}", "x".repeat(120));
        let text = description(Some(&url)).to_string();
        assert!(
            text.contains(&"x".repeat(120)),
            "a word wider than a line stays whole: {text}"
        );
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
