//! Input paths and preconditions as `schemas/rules.graphql` defines them: the value at an input path (absent,
//! null or a value; a path through a list reads every element), and whether an `EffectCondition` holds for a
//! request against the world the harness knows.

use runtime::rules::{ConditionRead, Effect, EffectCondition, EffectContext};
use serde_json::Value;

use super::world::{Actor, Record, World, entity_types, ids};
use crate::schema::SchemaInfo;

/// The value at an input path of the arguments: `None` when absent, `Some(Null)` when given as null; through a
/// list, the list of what its elements hold.
pub fn input_at(args: &Value, path: &str) -> Option<Value> {
    let mut current = args.clone();
    for segment in path.split('.') {
        current = step(&current, segment)?;
    }
    Some(current)
}

fn step(value: &Value, segment: &str) -> Option<Value> {
    match value {
        Value::Object(map) => map.get(segment).cloned(),
        Value::Array(items) => Some(Value::Array(
            items.iter().filter_map(|i| step(i, segment)).collect(),
        )),
        _ => None,
    }
}

/// Sets the value at an input path (in every element of a list on the way) where the path's parent exists.
pub fn set_input(args: &mut Value, path: &str, value: &Value) {
    let (parent, last) = match path.rsplit_once('.') {
        Some((p, l)) => (Some(p), l),
        None => (None, path),
    };
    fn walk<'v>(v: &'v mut Value, segments: &[&str], f: &mut dyn FnMut(&mut Value)) {
        match (v, segments.split_first()) {
            (Value::Array(items), _) => items.iter_mut().for_each(|i| walk(i, segments, f)),
            (v, None) => f(v),
            (Value::Object(map), Some((head, rest))) => {
                if let Some(next) = map.get_mut(*head) {
                    walk(next, rest, f);
                }
            }
            _ => {}
        }
    }
    let segments: Vec<&str> = parent.map(|p| p.split('.').collect()).unwrap_or_default();
    walk(args, &segments, &mut |holder| {
        if let Value::Object(map) = holder {
            map.insert(last.to_owned(), value.clone());
        }
    });
}

/// The arguments as one element of an `each` list sees them: the list replaced by that element, so the paths
/// through it read the element only (as `@effect(each:)` says). Without `each`, the arguments as they are; `None`
/// when the list has no such element.
pub fn element(each: Option<&str>, args: &Value, index: usize) -> Option<Value> {
    let Some(each) = each else {
        return Some(args.clone());
    };
    let item = match input_at(args, each)? {
        Value::Array(items) => items.get(index)?.clone(),
        _ => return None,
    };
    let mut view = args.clone();
    set_input(&mut view, each, &item);
    Some(view)
}

/// A constant of the vocabulary, in GraphQL literal syntax, as JSON carries it (an enum value as its name).
pub fn parse_literal(literal: &str) -> Value {
    match literal {
        "null" => Value::Null,
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => {
            if let Ok(n) = literal.parse::<i64>() {
                Value::from(n)
            } else if let Ok(f) = literal.parse::<f64>() {
                Value::from(f)
            } else if let Some(text) = literal.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
                Value::from(text)
            } else {
                Value::from(literal)
            }
        }
    }
}

/// What a precondition comes to for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Holds,
    Fails,
    /// An id it reads names nothing the harness knows: the request is refused for that, not for the condition.
    Unknown,
}

/// Whether `condition` holds for a request with `args` by `actor` on `target` (the entity acted on, if any).
pub fn holds(
    s: &SchemaInfo,
    world: &World,
    condition: &EffectCondition,
    args: &Value,
    target: Option<(&str, &Record)>,
    actor: &Actor,
) -> Outcome {
    let value = match &condition.read {
        ConditionRead::Input(path) => match input_at(args, path) {
            Some(v) => v,
            None => return Outcome::Holds,
        },
        ConditionRead::Target { field } => match target {
            Some((t, r)) => world.path(s, t, r, field),
            None => Value::Null,
        },
        ConditionRead::At { at, entity, field } => {
            let named = input_at(args, at).map(|v| ids(&v)).unwrap_or_default();
            if named.is_empty() {
                return Outcome::Holds;
            }
            let types = entity_types(s, entity);
            let mut read = Vec::new();
            for id in &named {
                match world.find(&types, id) {
                    Some((t, r)) => read.push(world.path(s, t, r, field)),
                    None => return Outcome::Unknown,
                }
            }
            if read.len() == 1 {
                read.pop().unwrap_or(Value::Null)
            } else {
                Value::Array(read)
            }
        }
    };
    if test(condition, &value, args, actor) {
        Outcome::Holds
    } else {
        Outcome::Fails
    }
}

/// The condition's tests (`oneOf`, `equals`, `is`) on the value read.
pub fn test(condition: &EffectCondition, value: &Value, args: &Value, actor: &Actor) -> bool {
    let values: Vec<Value> = match value {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    let mut ok = true;
    if let Some(allowed) = &condition.one_of {
        let allowed: Vec<Value> = allowed.iter().map(|l| parse_literal(l)).collect();
        ok &= match value {
            Value::Array(items) => items.iter().all(|v| allowed.contains(v)),
            one => allowed.contains(one),
        };
    }
    if let Some(path) = &condition.equals {
        let wanted = input_at(args, path).map(|v| ids(&v)).unwrap_or_default();
        let have: Vec<String> = values.iter().flat_map(ids).collect();
        ok &= wanted.iter().all(|w| have.contains(w));
    }
    if let Some(context) = condition.is {
        let me = match context {
            EffectContext::CallerUser => actor.user.clone(),
            _ => actor.account.clone(),
        };
        ok &= me.is_some_and(|me| values.iter().flat_map(ids).any(|v| v == me));
    }
    ok
}

/// What the preconditions of a request come to, in order.
#[derive(Debug, Clone, Copy)]
pub enum First<'e> {
    /// Every one holds.
    AllHold,
    /// This one is the first that does not.
    Fails(&'e EffectCondition),
    /// One reads an id the harness does not know.
    Unknown,
}

/// The first of the effect's preconditions that does not hold.
pub fn first_failing<'e>(
    s: &SchemaInfo,
    world: &World,
    effect: &'e Effect,
    args: &Value,
    target: Option<(&str, &Record)>,
    actor: &Actor,
) -> First<'e> {
    for condition in effect.requires.iter() {
        match holds(s, world, condition, args, target, actor) {
            Outcome::Holds => {}
            Outcome::Fails => return First::Fails(condition),
            Outcome::Unknown => return First::Unknown,
        }
    }
    First::AllHold
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn input_paths_read_through_lists_and_tell_absent_from_null() {
        let args = json!({"input": {"id": "7", "note": null, "values": [{"x": {"id": "1"}}, {"x": {"id": "2"}}, {}]}});
        assert_eq!(input_at(&args, "input.id"), Some(json!("7")));
        assert_eq!(input_at(&args, "input.note"), Some(Value::Null));
        assert_eq!(input_at(&args, "input.missing"), None);
        assert_eq!(
            input_at(&args, "input.values.x.id"),
            Some(json!(["1", "2"]))
        );
    }

    #[test]
    fn set_input_writes_into_every_element_on_the_way() {
        let mut args = json!({"input": {"values": [{"a": 1}, {"a": 2}]}});
        set_input(&mut args, "input.values.b", &json!(true));
        assert_eq!(
            args,
            json!({"input": {"values": [{"a": 1, "b": true}, {"a": 2, "b": true}]}})
        );
        set_input(&mut args, "input.absent.c", &json!(1));
        assert!(args["input"].get("absent").is_none(), "no parent, no write");
    }

    #[test]
    fn an_element_of_each_reads_alone() {
        let args = json!({"input": {"id": "7", "items": [{"x": 1}, {"x": 2}]}});
        let view = element(Some("input.items"), &args, 1).expect("a second element");
        assert_eq!(input_at(&view, "input.items.x"), Some(json!(2)));
        assert_eq!(input_at(&view, "input.id"), Some(json!("7")));
        assert_eq!(element(Some("input.items"), &args, 2), None);
        assert_eq!(element(None, &args, 0), Some(args.clone()));
        let top = json!({"input": [{"x": 3}]});
        assert_eq!(
            element(Some("input"), &top, 0),
            Some(json!({"input": {"x": 3}}))
        );
    }

    #[test]
    fn literals_parse_as_json_carries_them() {
        assert_eq!(parse_literal("null"), Value::Null);
        assert_eq!(parse_literal("true"), json!(true));
        assert_eq!(parse_literal("1"), json!(1));
        assert_eq!(parse_literal("1.5"), json!(1.5));
        assert_eq!(parse_literal("\"text\""), json!("text"));
        assert_eq!(parse_literal("OPEN"), json!("OPEN"));
    }
}
