//! What an effect writes, predicted from the declarations ("Writing the input" in `schemas/rules.graphql`): the
//! input paths it writes from (implicit and declared), each write as absent, null or a value (a `via` read on the
//! world, constants parsed, the caller's account and user), the values no one can predict (the time, generated
//! values, `beyondFields`) marked as such; and the entity a CREATE makes, to decide whether it is the caller's.

use std::collections::BTreeMap;

use apollo_compiler::schema::{ExtendedType, Type};
use runtime::rules::{Effect, EffectContext, EffectKind, FieldRules, WriteSource};
use serde_json::Value;

use super::conditions::{input_at, parse_literal};
use super::world::{Actor, Record, World, entity_types, ids, member_type};
use crate::schema::SchemaInfo;

/// One write of the effect from an input path: the entity field and the path read on the entity the id names
/// (`via`).
#[derive(Debug, Clone)]
pub struct InputWrite {
    pub path: String,
    pub field: String,
    pub via: Option<(String, String)>,
}

/// The input paths the effect writes from: the implicit ones (named and typed like a field of the entity) and
/// the declared `fields` that read the input.
pub fn input_writes(s: &SchemaInfo, field: &FieldRules, type_name: &str) -> Vec<InputWrite> {
    let Some(effect) = &field.effect else {
        return Vec::new();
    };
    let mut out: Vec<InputWrite> = implicit_writes(s, field, effect, type_name);
    for declared in effect.fields.iter() {
        out.retain(|w| w.field != *declared.field);
        if let WriteSource::Input { path, via } = &declared.source {
            out.push(InputWrite {
                path: path.to_string(),
                field: declared.field.to_string(),
                via: via
                    .as_ref()
                    .map(|v| (v.entity.to_string(), v.field.to_string())),
            });
        }
    }
    out
}

/// The optional input paths of the effect's writes whose field the entity (of `types`, by id) holds a value in:
/// what an UPDATE can leave out to show that it stays.
pub fn held(
    s: &SchemaInfo,
    world: &World,
    field: &FieldRules,
    types: &[String],
    id: &str,
) -> Vec<String> {
    let Some((t, record)) = world.find(types, id) else {
        return Vec::new();
    };
    input_writes(s, field, t)
        .into_iter()
        .filter(|w| input_type(s, field, &w.path).is_some_and(|ty| !ty.is_non_null()))
        .filter(|w| {
            record
                .get(&w.field)
                .is_some_and(|v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
        })
        .map(|w| w.path)
        .collect()
}

/// The input type at a path of the mutation's arguments (the element type where a path ends at a list).
pub fn input_type<'s>(s: &'s SchemaInfo, field: &FieldRules, path: &str) -> Option<&'s Type> {
    let def = s.field(&field.type_name, &field.field_name)?;
    let mut segments = path.split('.');
    let mut ty: &Type = &def.argument_by_name(segments.next()?)?.ty;
    for segment in segments {
        let Some(ExtendedType::InputObject(object)) = s.schema.types.get(ty.inner_named_type())
        else {
            return None;
        };
        ty = &object.fields.get(segment)?.ty;
    }
    Some(ty)
}

/// The path implicit writes start from: the `each` element when it is an object (else the object holding the
/// list), or the first argument that is an input object.
fn implicit_root(
    s: &SchemaInfo,
    field_rules: &FieldRules,
    effect: &Effect,
) -> Option<(String, String)> {
    let object_type = |path: &str| {
        let ty = input_type(s, field_rules, path)?;
        s.schema
            .get_input_object(ty.inner_named_type())
            .map(|o| o.name.to_string())
    };
    if let Some(each) = effect.each.as_deref() {
        if let Some(t) = object_type(each) {
            return Some((each.to_owned(), t));
        }
        let (parent, _) = each.rsplit_once('.')?;
        return object_type(parent).map(|t| (parent.to_owned(), t));
    }
    let def = s.field(&field_rules.type_name, &field_rules.field_name)?;
    def.arguments.iter().find_map(|a| {
        s.schema
            .get_input_object(a.ty.inner_named_type())
            .map(|o| (a.name.to_string(), o.name.to_string()))
    })
}

fn implicit_writes(
    s: &SchemaInfo,
    field: &FieldRules,
    effect: &Effect,
    type_name: &str,
) -> Vec<InputWrite> {
    let Some((root, root_type)) = implicit_root(s, field, effect) else {
        return Vec::new();
    };
    let Some(object) = s.schema.get_input_object(&root_type) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, input_field) in &object.fields {
        let path = format!("{root}.{name}");
        // An entity's id is its identity: the store gives a created entity a fresh one, whatever the input says.
        if effect.consumes(&path) || name == "id" {
            continue;
        }
        let Some(entity_field) = s.field(type_name, name) else {
            continue;
        };
        if !entity_field.arguments.is_empty() {
            continue;
        }
        let (a, b) = (
            input_field.ty.inner_named_type().as_str(),
            entity_field.ty.inner_named_type().as_str(),
        );
        let same = a == b && s.is_leaf(a);
        let reference = a == "ID" && !entity_types(s, &member_type(s, b)).is_empty();
        if (same || reference) && input_field.ty.is_list() == entity_field.ty.is_list() {
            out.push(InputWrite {
                path,
                field: name.to_string(),
                via: None,
            });
        }
    }
    out
}

/// A predicted field value.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    Value(Value),
    /// Written, but not predictable (the time of the request, a generated value, what `beyond` does).
    Unpredicted,
}

/// The fields an effect writes on an entity of `type_name` for these arguments (an UPDATE's absent inputs left
/// out; a REPLACE's absent inputs null). `None`: a `via` names an entity the world does not hold.
pub fn writes(
    s: &SchemaInfo,
    world: &World,
    field: &FieldRules,
    type_name: &str,
    args: &Value,
    actor: &Actor,
) -> Option<BTreeMap<String, Written>> {
    let effect = field.effect.as_ref()?;
    let mut out = BTreeMap::new();
    for w in input_writes(s, field, type_name) {
        let value = match input_at(args, &w.path) {
            None if effect.kind == EffectKind::Replace => Value::Null,
            None => continue,
            Some(v) => match &w.via {
                Some((entity, path)) if !v.is_null() => {
                    let id = ids(&v).into_iter().next().unwrap_or_default();
                    let (t, r) = world.find(&entity_types(s, entity), &id)?;
                    let read = world.path(s, t, r, path);
                    // A non-null reference never written reads as the neutral empty id: it refers to nothing.
                    let reference = s.field(type_name, &w.field).is_some_and(|f| {
                        !entity_types(s, &member_type(s, f.ty.inner_named_type())).is_empty()
                    });
                    if reference && read == "" {
                        Value::Null
                    } else {
                        read
                    }
                }
                _ => v,
            },
        };
        out.insert(w.field, Written::Value(value));
    }
    for declared in effect.fields.iter() {
        let value = match &declared.source {
            WriteSource::Input { .. } => continue,
            WriteSource::Value(literal) => Written::Value(parse_literal(literal)),
            WriteSource::Context(EffectContext::CallerAccount) => {
                Written::Value(actor.account.clone().map_or(Value::Null, Value::from))
            }
            WriteSource::Context(EffectContext::CallerUser) => {
                Written::Value(actor.user.clone().map_or(Value::Null, Value::from))
            }
            WriteSource::Context(EffectContext::Now | EffectContext::Generated) => {
                Written::Unpredicted
            }
        };
        out.insert(declared.field.to_string(), value);
    }
    if let (EffectKind::Transition, Some(status), Some(to)) =
        (effect.kind, &effect.status_field, &effect.to)
    {
        out.insert(status.to_string(), Written::Value(parse_literal(to)));
    }
    for f in effect.beyond_fields.iter() {
        out.insert(f.to_string(), Written::Unpredicted);
    }
    Some(out)
}

/// The entity as a CREATE would make it, as far as it is predicted (from `copy`, then the writes).
pub fn created(
    s: &SchemaInfo,
    world: &World,
    field: &FieldRules,
    type_name: &str,
    args: &Value,
    actor: &Actor,
) -> Option<Record> {
    let effect = field.effect.as_ref()?;
    let mut record = match effect.copy.as_deref().and_then(|p| input_at(args, p)) {
        Some(id) => {
            let id = ids(&id).into_iter().next().unwrap_or_default();
            world
                .find(&[type_name.to_owned()], &id)
                .map(|(_, r)| r.clone())
                .unwrap_or_default()
        }
        None => Record::new(),
    };
    record.remove("id");
    // What a relation with `inverse` lists is computed from the other entities: a copy does not carry it.
    record.retain(|name, _| {
        s.rules
            .relation(type_name, name)
            .is_none_or(|r| r.inverse.is_none())
    });
    for (name, value) in writes(s, world, field, type_name, args, actor)? {
        match value {
            Written::Value(v) => record.insert(name, v),
            Written::Unpredicted => record.remove(&name),
        };
    }
    Some(record)
}

/// Whether a read-back value is the predicted one (numbers compared as numbers).
pub fn same(predicted: &Value, read: &Value) -> bool {
    match (predicted, read) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        _ => predicted == read,
    }
}
