//! Measures of a request document taken before validation, each in time linear in the document's size: its lexical
//! tokens, and its depth and field count with fragments expanded, computed once per fragment and combined at every
//! spread (a document whose fragments each spread the next twice is measured in one pass, not expanded).

use std::collections::HashMap;

use apollo_compiler::ast::{Definition, Document, Selection};
use apollo_parser::{Lexer, TokenKind};

/// The lexical tokens of a document as the GraphQL spec counts them (punctuators, names, numbers and strings;
/// whitespace, line terminators, commas and comments are ignored tokens and do not count), counting stops past
/// `limit`. A lexical error counts as nothing: the parser reports it.
pub(crate) fn lexical_tokens(text: &str, limit: usize) -> usize {
    let mut count = 0;
    for token in Lexer::new(text).flatten() {
        match token.kind() {
            TokenKind::Whitespace | TokenKind::Comment | TokenKind::Comma | TokenKind::Eof => {}
            _ => {
                count += 1;
                if count > limit {
                    break;
                }
            }
        }
    }
    count
}

/// The shape of an operation (or fragment) with its fragments expanded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Shape {
    /// Nesting of fields, an introspection field (`__schema`, `__type`) counting as one level.
    pub depth: usize,
    /// Nesting of the deepest chain through an introspection field, every level counted; 0 when there is none.
    pub introspection_depth: usize,
    /// Fields selected, every fragment spread counted as often as it is spread (saturating).
    pub fields: usize,
    /// Nesting of fields, every level counted.
    plain: usize,
}

impl Shape {
    /// Selections side by side: the deepest of each, the fields of both.
    fn beside(self, other: Shape) -> Shape {
        Shape {
            depth: self.depth.max(other.depth),
            introspection_depth: self.introspection_depth.max(other.introspection_depth),
            fields: self.fields.saturating_add(other.fields),
            plain: self.plain.max(other.plain),
        }
    }

    /// The largest of two shapes measured apart (two operations).
    fn largest(self, other: Shape) -> Shape {
        Shape {
            fields: self.fields.max(other.fields),
            ..self.beside(other)
        }
    }

    /// A field whose selections have this shape.
    fn below(self, introspection: bool) -> Shape {
        let plain = 1 + self.plain;
        Shape {
            depth: if introspection { 1 } else { 1 + self.depth },
            introspection_depth: if introspection {
                plain
            } else if self.introspection_depth > 0 {
                1 + self.introspection_depth
            } else {
                0
            },
            fields: self.fields.saturating_add(1),
            plain,
        }
    }
}

/// What [`measure`] found: the largest shape of any operation or fragment, and the aliases and directives written.
#[derive(Debug, Default)]
pub(crate) struct Measures {
    pub shape: Shape,
    /// Aliased fields as written (a fragment's once, however often it is spread).
    pub aliases: usize,
    /// Directives applied in operations and fragments, as written.
    pub directives: usize,
}

/// Measures every operation and fragment of `document`, each fragment once. A spread of a fragment that is being
/// measured (a cycle, which validation refuses afterwards) counts as nothing.
pub(crate) fn measure(document: &Document) -> Measures {
    let fragments = document
        .definitions
        .iter()
        .filter_map(|definition| match definition {
            Definition::FragmentDefinition(fragment) => {
                Some((fragment.name.as_str(), &fragment.selection_set[..]))
            }
            _ => None,
        })
        .collect();
    let mut walker = Walker {
        fragments,
        memo: HashMap::new(),
        aliases: 0,
        directives: 0,
    };
    let mut shape = Shape::default();
    for definition in &document.definitions {
        let measured = match definition {
            Definition::OperationDefinition(operation) => {
                walker.directives += operation.directives.len();
                walker.set(&operation.selection_set)
            }
            Definition::FragmentDefinition(fragment) => {
                walker.directives += fragment.directives.len();
                // Its depth counts where it is spread (below `__schema`, or not); its fields count even unused.
                Shape {
                    fields: walker.fragment(&fragment.name).fields,
                    ..Shape::default()
                }
            }
            _ => continue,
        };
        shape = shape.largest(measured);
    }
    Measures {
        shape,
        aliases: walker.aliases,
        directives: walker.directives,
    }
}

/// A fragment's measure: known, or being measured (a spread inside it is a cycle).
#[derive(Debug, Clone, Copy)]
enum Memo {
    InProgress,
    Done(Shape),
}

struct Walker<'a> {
    fragments: HashMap<&'a str, &'a [Selection]>,
    memo: HashMap<&'a str, Memo>,
    aliases: usize,
    directives: usize,
}

impl<'a> Walker<'a> {
    /// The shape of a fragment's selections, walked the first time only (its aliases and directives with it).
    fn fragment(&mut self, name: &'a str) -> Shape {
        match self.memo.get(name) {
            Some(Memo::Done(shape)) => return *shape,
            Some(Memo::InProgress) => return Shape::default(),
            None => {}
        }
        let Some(selections) = self.fragments.get(name).copied() else {
            return Shape::default();
        };
        self.memo.insert(name, Memo::InProgress);
        let shape = self.set(selections);
        self.memo.insert(name, Memo::Done(shape));
        shape
    }

    fn set(&mut self, selections: &'a [Selection]) -> Shape {
        let mut shape = Shape::default();
        for selection in selections {
            let here = match selection {
                Selection::Field(field) => {
                    self.aliases += usize::from(field.alias.is_some());
                    self.directives += field.directives.len();
                    let below = self.set(field.selection_set.as_deref().unwrap_or(&[]));
                    below.below(field.name == "__schema" || field.name == "__type")
                }
                Selection::InlineFragment(inline) => {
                    self.directives += inline.directives.len();
                    self.set(&inline.selection_set)
                }
                Selection::FragmentSpread(spread) => {
                    self.directives += spread.directives.len();
                    self.fragment(&spread.fragment_name)
                }
            };
            shape = shape.beside(here);
        }
        shape
    }
}
