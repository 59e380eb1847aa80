//! What an effect writes, predicted from the declarations ("Writing the input" in `schemas/rules.graphql`): each
//! implicit and declared write as absent, null or a value (a `via` read on the world, constants parsed, the
//! caller's account and user), the values no one can predict (the time, generated values, `beyondFields`) marked
//! as such; and whether an entity as a CREATE would make it is the caller's.

use std::collections::BTreeMap;

use runtime::rules::{EffectContext, EffectKind, FieldRules, WriteSource};
use serde_json::Value;

use super::call::input_writes;
use super::conditions::{input_at, parse_literal};
use super::world::{Actor, Record, World, entity_types, ids};
use crate::schema::SchemaInfo;

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
                    world.path(s, t, r, path)
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
