//! The world the effect properties act on, as [`super::read`] discovers it: entities by type, each with its leaf
//! fields and the ids of its references, and the credentials with the account and user each acts for. Field paths
//! (`approval.company`) and ownership are resolved here as `schemas/rules.graphql` says a store resolves them.

use std::collections::BTreeMap;

use runtime::rules::Effect;
use serde_json::{Map, Value};

use crate::credentials::Credential;
use crate::schema::SchemaInfo;

/// An entity as read: leaf values, and the id (or ids) of each reference.
pub type Record = Map<String, Value>;

/// A credential with the ids it acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub credential: Credential,
    /// Its account entity (`@account`), from the credentials.
    pub account: Option<String>,
    /// Its user entity, read through the lookup without arguments.
    pub user: Option<String>,
}

impl Actor {
    pub fn has_role(&self, role: &str) -> bool {
        self.credential.roles.iter().any(|r| r == role)
    }

    /// Whether an id is this actor's account or user.
    pub fn is(&self, id: &str) -> bool {
        self.account.as_deref() == Some(id) || self.user.as_deref() == Some(id)
    }

    /// Whether a value holds (or lists) this actor's account or user.
    pub fn in_value(&self, value: &Value) -> bool {
        ids(value).iter().any(|id| self.is(id))
    }

    pub fn name(&self) -> &str {
        &self.credential.name
    }
}

/// Every entity found, by concrete type, and the actors.
#[derive(Debug, Clone, Default)]
pub struct World {
    pub entities: BTreeMap<String, Vec<Record>>,
    pub actors: Vec<Actor>,
}

/// The ids a value holds: an id, or a list of them (nested lists flattened).
pub fn ids(value: &Value) -> Vec<String> {
    match value {
        Value::String(id) => vec![id.clone()],
        Value::Number(n) => vec![n.to_string()],
        Value::Array(items) => items.iter().flat_map(ids).collect(),
        _ => Vec::new(),
    }
}

/// The id of a record.
pub fn id_of(record: &Record) -> String {
    record.get("id").map(ids).unwrap_or_default().join(",")
}

impl World {
    /// The entity of one of `types` with this id.
    pub fn find(&self, types: &[String], id: &str) -> Option<(&str, &Record)> {
        types.iter().find_map(|t| {
            let (name, list) = self.entities.get_key_value(t)?;
            list.iter()
                .find(|r| id_of(r) == id)
                .map(|r| (name.as_str(), r))
        })
    }

    /// Every entity of these types, with its type.
    pub fn all(&self, types: &[String]) -> Vec<(&str, &Record)> {
        self.entities
            .iter()
            .filter(|(t, _)| types.contains(t))
            .flat_map(|(t, list)| list.iter().map(move |r| (t.as_str(), r)))
            .collect()
    }

    /// Adds or replaces an entity.
    pub fn put(&mut self, type_name: &str, record: Record) {
        let id = id_of(&record);
        let list = self.entities.entry(type_name.to_owned()).or_default();
        match list.iter_mut().find(|r| id_of(r) == id) {
            Some(slot) => *slot = record,
            None => list.push(record),
        }
    }

    /// Removes an entity.
    pub fn remove(&mut self, type_name: &str, id: &str) {
        if let Some(list) = self.entities.get_mut(type_name) {
            list.retain(|r| id_of(r) != id);
        }
    }

    /// The value at a field path of an entity, through references (a list at any step gives a list); `id` reads
    /// the entity's own id.
    pub fn path(&self, s: &SchemaInfo, type_name: &str, record: &Record, path: &str) -> Value {
        let mut at: Vec<(String, &Record)> = vec![(type_name.to_owned(), record)];
        let segments: Vec<&str> = path.split('.').collect();
        let mut listed = false;
        for (i, segment) in segments.iter().enumerate() {
            let values: Vec<(&str, Value)> = at
                .iter()
                .map(|(t, r)| (t.as_str(), r.get(*segment).cloned().unwrap_or(Value::Null)))
                .collect();
            if i + 1 == segments.len() {
                let mut out = Vec::new();
                for (_, value) in values {
                    match value {
                        Value::Array(items) => {
                            listed = true;
                            out.extend(items);
                        }
                        other => out.push(other),
                    }
                }
                return if listed || out.len() != 1 {
                    Value::Array(out)
                } else {
                    out.pop().unwrap_or(Value::Null)
                };
            }
            let mut next = Vec::new();
            for (t, value) in values {
                listed |= value.is_array();
                let named = s
                    .field(t, segment)
                    .map(|f| member_type(s, f.ty.inner_named_type()))
                    .unwrap_or_default();
                let types = entity_types(s, &named);
                for id in ids(&value) {
                    if let Some((found, record)) = self.find(&types, &id) {
                        next.push((found.to_owned(), record));
                    }
                }
            }
            at = next;
        }
        Value::Null
    }

    /// Whether `actor` owns an entity through one of the effect's owners (see `EffectOwner`).
    pub fn owns(
        &self,
        s: &SchemaInfo,
        effect: &Effect,
        type_name: &str,
        record: &Record,
        actor: &Actor,
    ) -> bool {
        effect.owners.iter().any(|owner| {
            owner.role.as_deref().is_none_or(|r| actor.has_role(r))
                && actor.in_value(&self.path(s, type_name, record, &owner.field))
        })
    }

    /// The actor whose account or user an id is.
    pub fn actor_of(&self, id: &str) -> Option<&Actor> {
        self.actors.iter().find(|a| a.is(id))
    }
}

/// The entity types a type covers: itself when it is one, else the entity members of an interface or union.
pub fn entity_types(s: &SchemaInfo, named: &str) -> Vec<String> {
    if s.rules.entity(named).is_some() {
        return vec![named.to_owned()];
    }
    s.rules
        .entities
        .iter()
        .filter(|e| s.schema.is_subtype(named, &e.type_name))
        .map(|e| e.type_name.to_string())
        .collect()
}

/// Whether a type is a Lighthouse page (`data` and `paginatorInfo`).
pub fn is_paginator(s: &SchemaInfo, named: &str) -> bool {
    s.field(named, "data").is_some() && s.field(named, "paginatorInfo").is_some()
}

/// The type a field lists: the `data` items of a paginator, else itself.
pub fn member_type(s: &SchemaInfo, named: &str) -> String {
    if is_paginator(s, named) {
        return s
            .field(named, "data")
            .map_or_else(String::new, |f| f.ty.inner_named_type().to_string());
    }
    named.to_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn record(v: Value) -> Record {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn paths_follow_references_to_the_owner() {
        // Any schema with references will do; the contract's Worksome has them.
        let s = SchemaInfo::new(&generated::worksome::RULES, generated::worksome::PUBLIC_SDL)
            .expect("the SDL validates");
        let mut world = World::default();
        let (parent, child) = s
            .rules
            .effects()
            .find_map(|(_, e)| {
                let owner = e.owners.iter().find(|o| o.field.contains('.'))?;
                let (first, rest) = owner.field.split_once('.')?;
                let entity = e.entity.as_deref()?;
                let named = member_type(&s, s.field(entity, first)?.ty.inner_named_type());
                (!rest.contains('.') && s.rules.entity(&named).is_some()).then(|| {
                    (
                        (named, rest.to_owned()),
                        (entity.to_owned(), first.to_owned()),
                    )
                })
            })
            .expect("an owner path through one reference");
        world.put(&parent.0, record(json!({"id": "10", &parent.1: "1"})));
        let target = record(json!({"id": "20", &child.1: "10"}));
        let path = format!("{}.{}", child.1, parent.1);
        assert_eq!(world.path(&s, &child.0, &target, &path), json!("1"));
        assert_eq!(world.path(&s, &child.0, &target, "id"), json!("20"));
        let actor = |account: &str| Actor {
            credential: Credential::header("c", String::new()),
            account: Some(account.to_owned()),
            user: None,
        };
        assert!(actor("1").in_value(&world.path(&s, &child.0, &target, &path)));
        assert!(!actor("2").in_value(&world.path(&s, &child.0, &target, &path)));
        assert_eq!(ids(&json!(["1", ["2", 3]])), vec!["1", "2", "3"]);
    }
}
