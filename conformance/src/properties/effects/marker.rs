//! A write of a marker, derived from the declared effects, for properties that must show that a refused write
//! changed nothing (R7: one refused for the quota): a CREATE of one entity (no `copy` or preconditions) whose type has an `@entity(list:)` and a String field written from the input, that an actor may make and would
//! own. The marker is written to that field and looked for in the list (narrowed by its `listFilter`).

use std::collections::BTreeMap;

use runtime::rules::{EffectKind, FieldRules};
use serde_json::{Value, json};

use super::call::{Call, Spec, acted_type, build};
use super::conditions::set_input;
use super::predict::{created, input_type, input_writes};
use super::read::{filter_value, listed};
use super::scenarios::allowed;
use super::world::{Actor, World};
use crate::graphql::Reply;
use crate::property::{Case, CaseError};
use crate::schema::SchemaInfo;

/// A marker write one actor can make.
#[derive(Debug, Clone)]
pub struct MarkerWrite {
    pub field: &'static FieldRules,
    actor: Actor,
    /// The entity type created, and its field the marker is written to.
    type_name: String,
    entity_field: String,
    /// The input path the marker goes in, and the call built around it.
    path: String,
    call: Call,
    /// What the list is narrowed by, when the entity declares a `listFilter` and the new entity has a value.
    filter: Option<Value>,
}

impl MarkerWrite {
    /// The first marker write that the declarations let `actor` make in this world.
    pub fn of(s: &SchemaInfo, world: &World, actor: &Actor) -> Option<Self> {
        let string = |ty: Option<&apollo_compiler::schema::Type>| {
            ty.is_some_and(|t| !t.is_list() && t.inner_named_type() == "String")
        };
        for (field, effect) in s.rules.effects() {
            if effect.kind != EffectKind::Create
                || effect.each.is_some()
                || effect.copy.is_some()
                || !effect.requires.is_empty()
                || !allowed(field, actor)
            {
                continue;
            }
            let Some(type_name) = acted_type(s, effect, None) else {
                continue;
            };
            let Some(entity) = s.rules.entity(&type_name).filter(|e| e.list.is_some()) else {
                continue;
            };
            for write in input_writes(s, field, &type_name) {
                // A field that decides who owns the entity or which list holds it is not free to carry a marker.
                // Nor one the undeclared (`beyond`) part may change.
                let decisive = effect.owners.iter().any(|o| *o.field == write.field)
                    || effect.beyond_fields.iter().any(|f| **f == write.field)
                    || entity
                        .list_filter
                        .as_ref()
                        .is_some_and(|f| f.field.split('.').next() == Some(write.field.as_str()));
                if write.via.is_some()
                    || decisive
                    || !string(s.field(&type_name, &write.field).map(|f| &f.ty))
                    || !string(input_type(s, field, &write.path))
                {
                    continue;
                }
                let spec = Spec {
                    field,
                    effect,
                    actor,
                    fixed: BTreeMap::from([(write.path.clone(), json!("conformance-marker"))]),
                    writes: None,
                    seed: 0,
                    left_out: None,
                };
                let Ok(call) = build(s, world, &spec, Some(&type_name)) else {
                    continue;
                };
                let Some(record) = created(s, world, field, &type_name, &call.args, actor) else {
                    continue;
                };
                if !effect.owners.is_empty() && !world.owns(s, effect, &type_name, &record, actor) {
                    continue;
                }
                return Some(MarkerWrite {
                    field,
                    actor: actor.clone(),
                    filter: filter_value(s, world, &type_name, &record),
                    type_name,
                    entity_field: write.field,
                    path: write.path,
                    call,
                });
            }
        }
        None
    }

    /// Sends the write of `marker`, as the actor, to the case's endpoint.
    pub fn send(&self, case: &Case<'_, '_>, marker: &str) -> Result<Reply, CaseError> {
        let mut args = self.call.args.clone();
        set_input(&mut args, &self.path, &json!(marker));
        case.graphql(
            Some(&self.actor.credential),
            &self.call.document,
            Some(&args),
        )
    }

    /// Whether an entity holding `marker` is in the list.
    pub fn found(&self, case: &Case<'_, '_>, marker: &str) -> Result<bool, CaseError> {
        Ok(listed(case, &self.type_name, self.filter.as_ref())?
            .iter()
            .any(|(_, r)| r.get(&self.entity_field) == Some(&json!(marker))))
    }

    /// What it writes, for messages: `createX` writing `X.name`.
    pub fn describe(&self) -> String {
        format!(
            "`{}` writing `{}.{}`",
            self.field.field_name, self.type_name, self.entity_field
        )
    }
}
