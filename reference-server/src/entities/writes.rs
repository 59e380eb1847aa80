//! What an effect writes: the implicit writes (input fields named and typed like entity fields) and the declared
//! `fields`, each as absent, null or a value, resolved against the request (references as ids, constants parsed,
//! the caller and the time filled in).

use std::sync::atomic::{AtomicU64, Ordering};

use runtime::apollo_compiler::ast::Type;
use runtime::apollo_compiler::schema::ExtendedType;
use runtime::response::{JsonMap, JsonValue};
use runtime::rules::{Effect, EffectContext, WriteSource};

use super::effects::{Caller, Refusal};
use super::model::Model;
use super::paths::{self, Element};
use super::store::Data;

/// Makes each generated value differ from every earlier one.
static GENERATED: AtomicU64 = AtomicU64::new(1);

/// One write: the entity field, the input path it comes from (for errors; `None` for constants and context) and
/// the value, `None` when absent from the request.
#[derive(Debug, Clone)]
pub struct Write {
    pub field: String,
    pub path: Option<String>,
    pub value: Option<JsonValue>,
}

/// The request a write reads from.
pub struct Request<'a> {
    pub model: &'a Model,
    pub data: &'a Data,
    pub mutation: &'a str,
    pub args: &'a JsonMap,
    pub element: Option<Element<'a>>,
    pub caller: &'a Caller,
    /// The time of the request: `YYYY-MM-DDTHH:MM:SS.ffffffZ` (a Date reads its first ten characters).
    pub now: &'a str,
}

impl Request<'_> {
    pub fn input(&self, path: &str) -> Option<JsonValue> {
        paths::input(self.args, path, self.element)
    }

    /// The declared type of an input path (the `each` list read as its element).
    pub fn input_type(&self, path: &str) -> Option<Type> {
        let mutation = self.model.schema.schema_definition.mutation.as_ref()?;
        let field = self.model.field(mutation.as_str(), self.mutation)?;
        let mut segments = path.split('.');
        let first = segments.next()?;
        let mut ty = (*field.argument_by_name(first)?.ty).clone();
        let mut prefix = first.to_owned();
        for segment in segments {
            if self.element.is_some_and(|e| e.path == prefix) {
                ty = ty.item_type().clone();
            }
            let Some(ExtendedType::InputObject(object)) =
                self.model.schema.types.get(ty.inner_named_type())
            else {
                return None;
            };
            ty = (*object.fields.get(segment)?.ty).clone();
            prefix = format!("{prefix}.{segment}");
        }
        if self.element.is_some_and(|e| e.path == prefix) {
            ty = ty.item_type().clone();
        }
        Some(ty)
    }
}

/// Every write of an effect on an entity of `entity_type`, implicit ones first.
pub fn writes(
    request: &Request<'_>,
    effect: &Effect,
    entity_type: &str,
) -> Result<Vec<Write>, Refusal> {
    let mut out = implicit(request, effect, entity_type);
    for declared in effect.fields.iter() {
        let field = declared.field.to_string();
        out.retain(|w| w.field != field);
        let write = match &declared.source {
            WriteSource::Input { path, via: None } => Write {
                field,
                path: Some(path.to_string()),
                value: request.input(path),
            },
            WriteSource::Input {
                path,
                via: Some(via),
            } => {
                let value = match request.input(path) {
                    None => None,
                    Some(id) => {
                        let types = request.model.entity_types(&via.entity);
                        let id = paths::ids(&id).into_iter().next().unwrap_or_default();
                        let (found, record) = request
                            .data
                            .find(&types, &id)
                            .ok_or_else(|| Refusal::invalid(path))?;
                        Some(paths::entity_path(
                            request.model,
                            request.data,
                            found,
                            record,
                            &via.field,
                        ))
                    }
                };
                Write {
                    field,
                    path: Some(path.to_string()),
                    value,
                }
            }
            WriteSource::Value(literal) => Write {
                field,
                path: None,
                value: Some(parse_literal(literal)),
            },
            WriteSource::Context(context) => {
                let value = match context {
                    EffectContext::CallerAccount => {
                        request.caller.account.clone().map(JsonValue::from)
                    }
                    EffectContext::CallerUser => request.caller.user.clone().map(JsonValue::from),
                    EffectContext::Now => {
                        let is_date = request
                            .model
                            .field(entity_type, &field)
                            .is_some_and(|f| f.ty.inner_named_type() == "Date");
                        Some(JsonValue::from(if is_date {
                            &request.now[..10]
                        } else {
                            request.now
                        }))
                    }
                    EffectContext::Generated => {
                        let n = GENERATED.fetch_add(1, Ordering::Relaxed);
                        Some(JsonValue::from(format!("{field}-{n:08x}")))
                    }
                };
                Write {
                    field,
                    path: None,
                    value: Some(value.unwrap_or(JsonValue::Null)),
                }
            }
        };
        out.push(write);
    }
    Ok(out)
}

/// Input fields named like a field of the entity, with its named type and list shape (an `ID` into a reference
/// field), that no other part of the effect consumes. Input objects are never written implicitly.
fn implicit(request: &Request<'_>, effect: &Effect, entity_type: &str) -> Vec<Write> {
    let model = request.model;
    // The current element when it is an object; else the object holding the list (a list of ids under `each`).
    let root = match request.element {
        Some(element) if element.value.is_object() => element.path.to_owned(),
        Some(element) => match element.path.rsplit_once('.') {
            Some((parent, _)) => parent.to_owned(),
            None => return Vec::new(),
        },
        None => match request.args.iter().find(|(_, v)| v.is_object()) {
            Some((name, _)) => name.as_str().to_owned(),
            None => return Vec::new(),
        },
    };
    let Some(root_type) = request.input_type(&root) else {
        return Vec::new();
    };
    let Some(ExtendedType::InputObject(object)) =
        model.schema.types.get(root_type.inner_named_type())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, input_field) in &object.fields {
        let path = format!("{root}.{name}");
        if effect.consumes(&path) {
            continue;
        }
        let Some(entity_field) = model.field(entity_type, name) else {
            continue;
        };
        if !entity_field.arguments.is_empty() {
            continue;
        }
        let (from, to) = (&input_field.ty, &entity_field.ty);
        let (a, b) = (
            from.inner_named_type().as_str(),
            to.inner_named_type().as_str(),
        );
        let same = a == b && model.is_leaf(a);
        let reference = a == "ID" && model.is_reference(b);
        if (same || reference) && from.is_list() == to.is_list() {
            out.push(Write {
                field: name.to_string(),
                value: request.input(&path),
                path: Some(path),
            });
        }
    }
    out
}

/// A constant of the vocabulary, in GraphQL literal syntax: `null`, `true`, a number, a `"string"`, or an enum
/// value (kept as its name, as JSON carries enums).
pub fn parse_literal(literal: &str) -> JsonValue {
    match literal {
        "null" => JsonValue::Null,
        "true" => JsonValue::from(true),
        "false" => JsonValue::from(false),
        _ => {
            if let Ok(n) = literal.parse::<i64>() {
                JsonValue::from(n)
            } else if let Ok(f) = literal.parse::<f64>() {
                JsonValue::from(f)
            } else if let Some(text) = literal.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
                JsonValue::from(text)
            } else {
                JsonValue::from(literal)
            }
        }
    }
}
