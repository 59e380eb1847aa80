//! ATTACH and DETACH as M3 predicts them ("Reading back" in `schemas/rules.graphql`: members attached are in the
//! target's `@relation` field, members detached are not): which members a step sends, the relation it predicts,
//! the check of the relation as read back, and which entities a change to an `inverse` reference leaves stale.

use runtime::rules::{Effect, EffectKind, FieldRules};
use serde_json::Value;

use super::predict::input_type;
use super::world::{Record, World, entity_types, id_of, ids, member_type};
use crate::ensure;
use crate::property::CaseResult;
use crate::schema::SchemaInfo;

/// The relation an ATTACH or DETACH acts on: its field on the target, the `inverse` reference of its members (if
/// any), and the entity types of its members.
#[derive(Debug, Clone)]
pub struct Related {
    pub field: String,
    pub inverse: Option<String>,
    pub member_types: Vec<String>,
}

impl Related {
    /// The relation of an ATTACH or DETACH effect on a target of `type_name`.
    pub fn of(s: &SchemaInfo, effect: &Effect, type_name: &str) -> Option<Self> {
        if !matches!(effect.kind, EffectKind::Attach | EffectKind::Detach) {
            return None;
        }
        let field = effect.relation.as_deref()?;
        let def = s.field(type_name, field)?;
        Some(Related {
            field: field.to_owned(),
            inverse: s
                .rules
                .relation(type_name, field)
                .and_then(|r| r.inverse.as_deref().map(str::to_owned)),
            member_types: entity_types(s, &member_type(s, def.ty.inner_named_type())),
        })
    }

    /// The members of the relation as a record of the target holds them.
    pub fn members(&self, target: &Record) -> Vec<String> {
        target.get(&self.field).map(ids).unwrap_or_default()
    }
}

/// The member ids a step sends: for a DETACH, members the target has (M3 detaches only where there are some:
/// detaching others changes nothing); for an ATTACH, any live entity of the members' types, members already there included. One id, or up
/// to two where the input path takes a list. `None`: no candidate.
pub fn pick_members(
    s: &SchemaInfo,
    world: &World,
    field: &FieldRules,
    effect: &Effect,
    related: &Related,
    target: &Record,
    seed: u64,
) -> Option<Value> {
    let path = effect.members.as_deref()?;
    let current = related.members(target);
    let mut pool: Vec<String> = if effect.kind == EffectKind::Detach && !current.is_empty() {
        current
    } else {
        world
            .all(&related.member_types)
            .into_iter()
            .map(|(_, r)| id_of(r))
            .collect()
    };
    if pool.is_empty() {
        return None;
    }
    let list = input_type(s, field, path).is_some_and(|t| t.is_list());
    let count = if list {
        1 + (seed >> 8) as usize % 2
    } else {
        1
    };
    let mut picked = Vec::new();
    let mut at = seed as usize;
    while picked.len() < count && !pool.is_empty() {
        picked.push(pool.remove(at % pool.len()));
        at = at.wrapping_mul(31).wrapping_add(7);
    }
    Some(if list {
        Value::from(picked)
    } else {
        Value::from(picked.remove(0))
    })
}

/// The members the relation must list after the effect: an ATTACH appends those not there yet, a DETACH removes
/// those there; the others stay.
pub fn predict(kind: EffectKind, before: &[String], sent: &[String]) -> Vec<String> {
    let mut out = before.to_vec();
    for id in sent {
        if kind == EffectKind::Attach && !out.contains(id) {
            out.push(id.clone());
        } else if kind == EffectKind::Detach {
            out.retain(|m| m != id);
        }
    }
    out
}

/// The relation as read lists the predicted members, each once and nothing else; in the order attached where the
/// store keeps the ids (no `inverse`), in any order where the members' references make it.
pub fn check(related: &Related, read: &Record, predicted: &[String], what: &str) -> CaseResult {
    let got = related.members(read);
    let field = &related.field;
    for id in predicted {
        let count = got.iter().filter(|g| *g == id).count();
        ensure!(
            count == 1,
            "{what}: `{field}` must list {id} once; it lists it {count} time(s): {got:?}"
        );
    }
    let extra: Vec<&String> = got.iter().filter(|g| !predicted.contains(g)).collect();
    ensure!(
        extra.is_empty(),
        "{what}: `{field}` must list exactly {predicted:?}; it also lists {extra:?}"
    );
    ensure!(
        related.inverse.is_some() || got == predicted,
        "{what}: `{field}` keeps its members in the order attached, {predicted:?}; it reads {got:?}"
    );
    Ok(())
}

/// The entities whose relation with an `inverse` lists an entity of `type_name` by its reference, before or
/// after a change of it, where the reference changed: their relation read before is no longer what they hold.
pub fn relinked(
    s: &SchemaInfo,
    type_name: &str,
    before: Option<&Record>,
    after: Option<&Record>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for r in s.rules.relations.iter() {
        let Some(inverse) = r.inverse.as_deref() else {
            continue;
        };
        let Some(def) = s.field(&r.type_name, &r.field_name) else {
            continue;
        };
        if !entity_types(s, &member_type(s, def.ty.inner_named_type()))
            .iter()
            .any(|t| t == type_name)
        {
            continue;
        }
        let read = |r: Option<&Record>| r.and_then(|r| r.get(inverse)).map(ids).unwrap_or_default();
        let (was, now) = (read(before), read(after));
        if was != now {
            out.extend(
                was.into_iter()
                    .chain(now)
                    .map(|id| (r.type_name.to_string(), id)),
            );
        }
    }
    out
}
