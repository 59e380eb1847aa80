//! The refused calls O1, E7, O2 and O3 make, found in the discovered world: for each effect, every (caller,
//! target, input) that the declarations say must be refused for the property's reason, and for no earlier one.

use std::collections::BTreeMap;

use runtime::rules::{ConditionRead, Effect, EffectKind, FieldRules};
use serde_json::{Value, json};

use super::call::{target_conditions_hold, targeted};
use super::conditions::{Outcome, holds};
use super::read::readable;
use super::world::{Actor, Record, World, entity_types, id_of};
use crate::property::Context;

/// The refusal a scenario must get.
#[derive(Debug, Clone)]
pub enum Expect {
    /// The authorization error.
    Forbidden,
    /// The validation error keyed by this input path.
    Invalid(String),
    /// The first precondition that fails, as computed on the built call.
    Precondition,
}

/// One refused call to make.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub field: &'static FieldRules,
    pub effect: &'static Effect,
    pub actor: usize,
    /// The entity acted on (type, id), read back before and after.
    pub target: Option<(String, String)>,
    pub fixed: BTreeMap<String, Value>,
    pub expect: Expect,
}

/// The effects of the API, with their field.
pub fn effects(cx: &Context<'_>) -> Vec<(&'static FieldRules, &'static Effect)> {
    cx.rules.effects().collect()
}

/// Whether an actor passes the field's `@requiresRole`.
pub fn allowed(field: &FieldRules, actor: &Actor) -> bool {
    field.roles.is_empty() || field.roles.iter().any(|r| actor.has_role(r))
}

/// The target's id fixed at the effect's id path.
pub fn at_target(effect: &Effect, id: &str) -> BTreeMap<String, Value> {
    effect
        .id
        .iter()
        .map(|p| (p.to_string(), json!(id)))
        .collect()
}

/// O1: per owned effect with a target id, each caller of an owner role with each target it does not own (one
/// another account of the same role owns, where there is such a target); and, in a group of their own, per effect
/// with `@requiresRole` and a target id, each caller lacking the role with a target that reads back (what A2 sends
/// with made-up arguments, sent here with a real target to show the refusal changed nothing).
pub fn o1_scenarios(cx: &Context<'_>, world: &World) -> Vec<Vec<Scenario>> {
    let s = cx.schema;
    let mut groups = Vec::new();
    for (field, effect) in effects(cx) {
        if field.roles.is_empty() || !targeted(effect) {
            continue;
        }
        let types = entity_types(s, effect.entity.as_deref().unwrap_or_default());
        let targets: Vec<(&str, &Record)> = world
            .all(&types)
            .into_iter()
            .filter(|(t, r)| readable(s, world, t, &id_of(r)))
            .collect();
        let group: Vec<Scenario> = (world.actors.iter().enumerate())
            .filter(|(_, actor)| !allowed(field, actor))
            .flat_map(|(i, _)| {
                targets.iter().map(move |(t, r)| Scenario {
                    field,
                    effect,
                    actor: i,
                    target: Some((t.to_string(), id_of(r))),
                    fixed: at_target(effect, &id_of(r)),
                    expect: Expect::Forbidden,
                })
            })
            .collect();
        groups.push(group);
    }
    for (field, effect) in effects(cx) {
        if effect.owners.is_empty() || !targeted(effect) {
            continue;
        }
        let types = entity_types(s, effect.entity.as_deref().unwrap_or_default());
        let mut group = Vec::new();
        for (i, actor) in world.actors.iter().enumerate() {
            let of_owner_role = effect
                .owners
                .iter()
                .any(|o| o.role.as_deref().is_none_or(|r| actor.has_role(r)));
            if !allowed(field, actor) || !of_owner_role {
                continue;
            }
            let foreign: Vec<(&str, &Record)> = world
                .all(&types)
                .into_iter()
                .filter(|(t, r)| {
                    !world.owns(s, effect, t, r, actor) && readable(s, world, t, &id_of(r))
                })
                .collect();
            // Prefer targets another account of the same role owns: the foreign entity ownership is about.
            let peers = |(t, r): &&(&str, &Record)| {
                world.actors.iter().any(|other| {
                    other != actor
                        && other.credential.roles == actor.credential.roles
                        && world.owns(s, effect, t, r, other)
                })
            };
            let owned_by_peer: Vec<&(&str, &Record)> = foreign.iter().filter(peers).collect();
            let chosen: Vec<&(&str, &Record)> = if owned_by_peer.is_empty() {
                foreign.iter().collect()
            } else {
                owned_by_peer
            };
            for (t, r) in chosen {
                group.push(Scenario {
                    field,
                    effect,
                    actor: i,
                    target: Some((t.to_string(), id_of(r))),
                    fixed: at_target(effect, &id_of(r)),
                    expect: Expect::Forbidden,
                });
            }
        }
        groups.push(group);
    }
    groups
}

/// E7: per effect with a target id, each allowed caller with an id past every id the world holds.
pub fn e7_scenarios(cx: &Context<'_>, world: &World) -> Vec<Vec<Scenario>> {
    // A numeric id past every id the world holds names nothing.
    let missing = world
        .entities
        .values()
        .flatten()
        .filter_map(|r| id_of(r).parse::<u64>().ok())
        .max()
        .unwrap_or(0)
        + 1_000_000;
    let mut groups = Vec::new();
    for (field, effect) in effects(cx) {
        let (Some(path), Some(entity)) = (&effect.id, &effect.entity) else {
            continue;
        };
        let group: Vec<Scenario> = world
            .actors
            .iter()
            .enumerate()
            .filter(|(_, a)| allowed(field, a))
            .map(|(i, _)| Scenario {
                field,
                effect,
                actor: i,
                target: entity_types(cx.schema, entity)
                    .into_iter()
                    .next()
                    .map(|t| (t, missing.to_string())),
                fixed: [(path.to_string(), json!(missing.to_string()))].into(),
                expect: Expect::Invalid(path.to_string()),
            })
            .collect();
        groups.push(group);
    }
    groups
}

/// The targets an actor may act on for an effect (owned, where it has owners): by id, or its own entity.
pub fn own_targets<'w>(
    s: &crate::schema::SchemaInfo,
    world: &'w World,
    effect: &Effect,
    actor: &Actor,
) -> Vec<(&'w str, &'w Record)> {
    let types = entity_types(s, effect.entity.as_deref().unwrap_or_default());
    world
        .all(&types)
        .into_iter()
        .filter(|(t, r)| {
            let id = id_of(r);
            let mine = if effect.id.is_some() {
                effect.owners.is_empty() || world.owns(s, effect, t, r, actor)
            } else {
                actor.is(&id)
            };
            mine && readable(s, world, t, &id)
        })
        .collect()
}

/// O2: per precondition of an effect on one entity, each allowed caller on each target it may act on, with the
/// condition's entity, input or target chosen to break it.
pub fn o2_scenarios(cx: &Context<'_>, world: &World) -> Vec<Vec<Scenario>> {
    let s = cx.schema;
    let mut groups = Vec::new();
    for (field, effect) in effects(cx) {
        if effect.entity.is_none() || effect.each.is_some() {
            continue;
        }
        for condition in effect.requires.iter() {
            let mut group = Vec::new();
            for (i, actor) in world.actors.iter().enumerate() {
                if !allowed(field, actor) {
                    continue;
                }
                let targets: Vec<Option<(&str, &Record)>> = if effect.kind == EffectKind::Create {
                    vec![None]
                } else {
                    own_targets(s, world, effect, actor)
                        .into_iter()
                        .map(Some)
                        .collect()
                };
                for target in targets {
                    let mut fixed = target
                        .map(|(_, r)| at_target(effect, &id_of(r)))
                        .unwrap_or_default();
                    let violations: Vec<BTreeMap<String, Value>> = match &condition.read {
                        ConditionRead::Target { .. } => {
                            let broken = target.is_some_and(|t| {
                                holds(s, world, condition, &Value::Null, Some(t), actor)
                                    == Outcome::Fails
                            });
                            if broken {
                                vec![fixed.clone()]
                            } else {
                                Vec::new()
                            }
                        }
                        ConditionRead::At { at, entity, .. } => world
                            .all(&entity_types(s, entity))
                            .into_iter()
                            .filter(|(_, r)| {
                                let args = nest(at, json!(id_of(r)));
                                holds(s, world, condition, &args, None, actor) == Outcome::Fails
                            })
                            .map(|(_, r)| {
                                let mut f = fixed.clone();
                                f.insert(at.to_string(), json!(id_of(r)));
                                f
                            })
                            .collect(),
                        ConditionRead::Input(path) => {
                            match violating_input(cx, field, condition, path) {
                                Some(v) => {
                                    fixed.insert(path.to_string(), v);
                                    vec![fixed.clone()]
                                }
                                None => Vec::new(),
                            }
                        }
                    };
                    for fixed in violations {
                        group.push(Scenario {
                            field,
                            effect,
                            actor: i,
                            target: target.map(|(t, r)| (t.to_owned(), id_of(r))),
                            fixed,
                            expect: Expect::Precondition,
                        });
                    }
                }
            }
            if !group.is_empty() {
                groups.push(group);
            }
        }
    }
    groups
}

/// Arguments holding one value at a path.
pub fn nest(path: &str, value: Value) -> Value {
    path.rsplit('.')
        .fold(value, |inner, segment| json!({ segment: inner }))
}

/// A value of an input path's type that fails the condition's `oneOf` or `equals`.
pub fn violating_input(
    cx: &Context<'_>,
    field: &FieldRules,
    condition: &runtime::rules::EffectCondition,
    path: &str,
) -> Option<Value> {
    if condition.equals.is_some() {
        return Some(json!("conformance-differs-from-its-confirmation"));
    }
    let allowed: Vec<Value> = condition
        .one_of
        .as_ref()?
        .iter()
        .map(|l| super::conditions::parse_literal(l))
        .collect();
    let ty = super::predict::input_type(cx.schema, field, path)?;
    let named = ty.inner_named_type().as_str();
    let options: Vec<Value> = match cx.schema.schema.get_enum(named) {
        Some(e) => e.values.keys().map(|v| json!(v.as_str())).collect(),
        None if named == "Boolean" => vec![json!(true), json!(false)],
        None => return None,
    };
    options.into_iter().find(|v| !allowed.contains(v))
}

/// O3: per TRANSITION with sources, each allowed caller on each target it may act on whose status is outside
/// `from` (and whose other preconditions hold).
pub fn o3_scenarios(cx: &Context<'_>, world: &World) -> Vec<Vec<Scenario>> {
    let s = cx.schema;
    let mut groups = Vec::new();
    for (field, effect) in effects(cx) {
        let (EffectKind::Transition, Some(status), Some(path)) =
            (effect.kind, &effect.status_field, &effect.id)
        else {
            continue;
        };
        if effect.from.is_empty() {
            continue;
        }
        let mut group = Vec::new();
        for (i, actor) in world.actors.iter().enumerate() {
            if !allowed(field, actor) {
                continue;
            }
            for (t, r) in own_targets(s, world, effect, actor) {
                let current = r.get(&**status).and_then(Value::as_str).unwrap_or_default();
                if effect.from.iter().any(|f| *f == current)
                    || !target_conditions_hold(s, world, effect, (t, r), actor)
                {
                    continue;
                }
                group.push(Scenario {
                    field,
                    effect,
                    actor: i,
                    target: Some((t.to_owned(), id_of(r))),
                    fixed: at_target(effect, &id_of(r)),
                    expect: Expect::Invalid(path.to_string()),
                });
            }
        }
        if !group.is_empty() {
            groups.push(group);
        }
    }
    groups
}
