//! Executes one mutation's `@effect` on a copy of the data, in the order `schemas/rules.graphql` gives: target,
//! references, ownership, preconditions and the source status, then the writes, for every element of `each`. Any
//! refusal leaves the copy unused, so nothing changes.

use runtime::response::{JsonMap, JsonValue};
use runtime::rules::{ConditionRead, Effect, EffectContext, EffectKind, FieldRules};

use super::model::Model;
use super::paging::PagingDefects;
use super::paths::{self, Element};
use super::store::{Data, Record};
use super::writes::{Request, Write, parse_literal, writes};

/// Who calls: the role and the ids of the caller's account and user entities.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caller {
    pub role: Option<String>,
    pub account: Option<String>,
    pub user: Option<String>,
}

impl Caller {
    fn is(&self, id: &str) -> bool {
        self.account.as_deref() == Some(id) || self.user.as_deref() == Some(id)
    }
}

/// Defects a server can be started with to prove a harness catches them (see `faults.rs`); all off by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Defects {
    pub paging: PagingDefects,
    /// Ownership (`owners`) is not checked.
    pub ownership_ignored: bool,
    /// An UPDATE clears the fields its input leaves out, as a REPLACE would.
    pub absent_clears: bool,
    /// A DELETE hides the entity from its lookup but leaves it in lists.
    pub deleted_listed: bool,
    /// A DETACH succeeds but leaves the members in the relation.
    pub detach_kept: bool,
    /// A TRANSITION moves from any status.
    pub any_source_status: bool,
    /// Preconditions (`requires`) are not checked.
    pub preconditions_ignored: bool,
}

/// Why an effect was refused; nothing changed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// The input at `path` is wrong: an id naming no live entity, a null for a required field, a status outside
    /// the transition's sources.
    #[error("{message} ({path})")]
    Validation { path: String, message: String },
    /// The caller owns no target (or acts for no account).
    #[error("not authorized")]
    Unauthorized,
    /// A precondition failed: the `@invariant`'s statement, keyed by `path` when there is one.
    #[error("{statement}")]
    Invariant {
        name: String,
        statement: String,
        path: Option<String>,
        code: Option<String>,
    },
}

impl Refusal {
    pub fn invalid(path: &str) -> Self {
        Refusal::Validation {
            path: path.to_owned(),
            message: format!("The selected {path} is invalid."),
        }
    }
}

/// What an effect did: the type acted on, and each element's entity (as it is now, or as it was when deleted).
#[derive(Debug, Clone)]
pub struct Applied {
    pub type_name: Option<String>,
    pub records: Vec<Record>,
}

/// Applies the effect of a mutation (`rules` must carry one) to `data`.
pub fn apply(
    model: &Model,
    data: &mut Data,
    rules: &FieldRules,
    args: &JsonMap,
    caller: &Caller,
    now: &str,
    defects: Defects,
) -> Result<Applied, Refusal> {
    let Some(effect) = &rules.effect else {
        return Ok(Applied {
            type_name: None,
            records: Vec::new(),
        });
    };
    let elements: Vec<Option<JsonValue>> = match &effect.each {
        Some(each) => match paths::input(args, each, None) {
            Some(JsonValue::Array(items)) => items.into_iter().map(Some).collect(),
            _ => Vec::new(),
        },
        None => vec![None],
    };
    let mut applied = Applied {
        type_name: effect.entity.as_ref().map(|e| e.to_string()),
        records: Vec::new(),
    };
    for element in &elements {
        let element = element.as_ref().map(|value| Element {
            path: effect.each.as_deref().unwrap_or_default(),
            value,
        });
        let snapshot = data.clone();
        let request = Request {
            model,
            data: &snapshot,
            mutation: &rules.field_name,
            args,
            element,
            caller,
            now,
        };
        if let Some((type_name, record)) = apply_one(&request, effect, rules, data, defects)? {
            applied.type_name = Some(type_name);
            applied.records.push(record);
        }
    }
    Ok(applied)
}

/// One element: checks, then changes `data`; the entity acted on, if any.
fn apply_one(
    request: &Request<'_>,
    effect: &Effect,
    rules: &FieldRules,
    data: &mut Data,
    defects: Defects,
) -> Result<Option<(String, Record)>, Refusal> {
    let model = request.model;
    let Some(entity) = effect.entity.as_deref() else {
        if !defects.preconditions_ignored {
            check_conditions(request, effect, rules, None)?;
        }
        return Ok(None);
    };
    let types = model.entity_types(entity);
    // 2. The target.
    let target: Option<(String, Record)> = match (effect.kind, &effect.id) {
        (EffectKind::Create, _) => None,
        (_, Some(path)) if request.input(path).is_some() => {
            let value = request.input(path).unwrap_or(JsonValue::Null);
            let id = paths::ids(&value).into_iter().next().unwrap_or_default();
            let (found, record) = request
                .data
                .find(&types, &id)
                .ok_or_else(|| Refusal::invalid(path))?;
            Some((found.to_owned(), record.clone()))
        }
        (_, path) => {
            // No own entity: the id left out was needed (keyed by its path); without an id path, the caller may not
            // act on this type at all.
            let own = request
                .caller
                .account
                .iter()
                .chain(request.caller.user.iter())
                .find_map(|id| request.data.find(&types, id))
                .ok_or_else(|| {
                    path.as_deref()
                        .map_or(Refusal::Unauthorized, Refusal::invalid)
                })?;
            Some((own.0.to_owned(), own.1.clone()))
        }
    };
    let type_name = target
        .as_ref()
        .map_or_else(|| model.concrete(entity).to_owned(), |(t, _)| t.clone());
    // 3. References.
    let writes = writes(request, effect, &type_name)?;
    for write in &writes {
        check_reference(request, &type_name, write)?;
    }
    for (path, of_type) in [
        (
            effect.members.as_deref(),
            relation_member_type(model, &type_name, effect),
        ),
        (effect.copy.as_deref(), Some(type_name.clone())),
    ] {
        if let (Some(path), Some(of_type)) = (path, of_type) {
            let types = model.entity_types(&of_type);
            for id in request
                .input(path)
                .as_ref()
                .map(paths::ids)
                .unwrap_or_default()
            {
                if request.data.find(&types, &id).is_none() {
                    return Err(Refusal::invalid(path));
                }
            }
        }
    }
    // The entity as it will be: a CREATE's from its copy and writes, checked for ownership before it exists.
    let mut next: JsonMap = match (&target, effect.kind) {
        (Some((_, record)), _) => JsonMap::clone(record),
        (None, _) => match effect.copy.as_deref().and_then(|p| request.input(p)) {
            Some(id) => {
                let id = paths::ids(&id).into_iter().next().unwrap_or_default();
                request
                    .data
                    .find(&[type_name.as_str()], &id)
                    .map(|(_, r)| JsonMap::clone(r))
                    .unwrap_or_default()
            }
            None => JsonMap::new(),
        },
    };
    if effect.kind == EffectKind::Create {
        write_all(model, &type_name, &mut next, &writes, effect.kind)?;
    }
    // 4. Ownership.
    if !effect.owners.is_empty() && !defects.ownership_ignored {
        let owned_by = |record: &Record| {
            effect.owners.iter().any(|owner| {
                let role_ok = owner
                    .role
                    .as_deref()
                    .is_none_or(|r| request.caller.role.as_deref() == Some(r));
                let value = if owner.field == "id" {
                    record.get("id").cloned().unwrap_or(JsonValue::Null)
                } else {
                    paths::entity_path(model, request.data, &type_name, record, &owner.field)
                };
                role_ok && paths::ids(&value).iter().any(|id| request.caller.is(id))
            })
        };
        let subject = match &target {
            Some((_, record)) if effect.kind != EffectKind::Create => record.clone(),
            _ => Record::new(next.clone()),
        };
        if !owned_by(&subject) {
            return Err(Refusal::Unauthorized);
        }
    }
    // 5. Preconditions, then the source status.
    if !defects.preconditions_ignored {
        check_conditions(
            request,
            effect,
            rules,
            target.as_ref().map(|(t, r)| (t.as_str(), r)),
        )?;
    }
    if effect.kind == EffectKind::Transition
        && !defects.any_source_status
        && let (Some(status), Some((_, record))) = (&effect.status_field, &target)
    {
        let current = record.get(status.as_ref()).and_then(JsonValue::as_str);
        if !effect.from.is_empty() && !effect.from.iter().any(|f| Some(&**f) == current) {
            let path = effect.id.as_deref().unwrap_or_default();
            return Err(Refusal::Validation {
                path: path.to_owned(),
                message: format!(
                    "The {path} cannot move from {} to {}.",
                    current.unwrap_or("no status"),
                    effect.to.as_deref().unwrap_or_default()
                ),
            });
        }
    }
    // 6. The effect.
    let id = match (&target, next.get("id").and_then(JsonValue::as_str)) {
        (Some((_, record)), _) => record
            .get("id")
            .and_then(JsonValue::as_str)
            .and_then(|id| id.parse::<u64>().ok())
            .unwrap_or_default(),
        (None, _) => {
            let id = data.fresh_id();
            next.insert("id", JsonValue::from(id.to_string()));
            id
        }
    };
    match effect.kind {
        EffectKind::Create => {}
        // FAULT(update-clears-unmentioned): an UPDATE writes like a REPLACE.
        EffectKind::Update if defects.absent_clears => {
            write_all(model, &type_name, &mut next, &writes, EffectKind::Replace)?
        }
        EffectKind::Update | EffectKind::Replace => {
            write_all(model, &type_name, &mut next, &writes, effect.kind)?
        }
        EffectKind::Transition => {
            write_all(model, &type_name, &mut next, &writes, EffectKind::Update)?;
            if let (Some(status), Some(to)) = (&effect.status_field, &effect.to) {
                next.insert(status.to_string(), JsonValue::from(to.as_ref()));
            }
        }
        EffectKind::Delete => {
            if defects.deleted_listed {
                data.hide(&type_name, id);
            } else {
                data.remove(&type_name, id);
            }
            return Ok(Some((type_name, Record::new(next))));
        }
        EffectKind::Attach | EffectKind::Detach => {
            // FAULT(detach-leaves-members): a DETACH answers as if done and changes nothing.
            if !(effect.kind == EffectKind::Detach && defects.detach_kept) {
                relate(request, effect, &type_name, &mut next, data)?;
            }
        }
        EffectKind::Action => {
            return Ok(Some((type_name, Record::new(next))));
        }
    }
    data.insert(&type_name, id, next.clone());
    Ok(Some((type_name, Record::new(next))))
}

/// The entity type a relation of the target lists.
fn relation_member_type(model: &Model, type_name: &str, effect: &Effect) -> Option<String> {
    let relation = effect.relation.as_deref()?;
    let field = model.field(type_name, relation)?;
    Some(paths::member_type(model, field.ty.inner_named_type()))
}

/// Every id written into a reference field names a live entity of its type.
fn check_reference(request: &Request<'_>, type_name: &str, write: &Write) -> Result<(), Refusal> {
    let (Some(path), Some(value)) = (&write.path, &write.value) else {
        return Ok(());
    };
    let Some(field) = request.model.field(type_name, &write.field) else {
        return Ok(());
    };
    let named = paths::member_type(request.model, field.ty.inner_named_type());
    if !request.model.is_reference(&named) {
        return Ok(());
    }
    let types = request.model.entity_types(&named);
    for id in paths::ids(value) {
        if request.data.find(&types, &id).is_none() {
            return Err(Refusal::invalid(path));
        }
    }
    Ok(())
}

/// Writes each value: an UPDATE leaves what is absent, a REPLACE clears it, a CREATE writes nothing for it; null
/// into a non-null field is refused.
fn write_all(
    model: &Model,
    type_name: &str,
    next: &mut JsonMap,
    writes: &[Write],
    kind: EffectKind,
) -> Result<(), Refusal> {
    for write in writes {
        let value = match (&write.value, kind) {
            (None, EffectKind::Replace) => JsonValue::Null,
            (None, _) => continue,
            (Some(value), _) => value.clone(),
        };
        let required = model
            .field(type_name, &write.field)
            .is_some_and(|f| f.ty.is_non_null());
        if value.is_null() && required {
            let path = write.path.clone().unwrap_or_else(|| write.field.clone());
            return Err(Refusal::Validation {
                message: format!("The {path} field is required."),
                path,
            });
        }
        next.insert(write.field.clone(), value);
    }
    Ok(())
}

/// ATTACH and DETACH: members kept with the target, or, for a relation with `inverse`, the members' reference.
fn relate(
    request: &Request<'_>,
    effect: &Effect,
    type_name: &str,
    next: &mut JsonMap,
    data: &mut Data,
) -> Result<(), Refusal> {
    let (Some(relation), Some(members)) = (effect.relation.as_deref(), effect.members.as_deref())
    else {
        return Ok(());
    };
    let ids = request
        .input(members)
        .as_ref()
        .map(paths::ids)
        .unwrap_or_default();
    let attach = effect.kind == EffectKind::Attach;
    let target_id = next.get("id").cloned().unwrap_or(JsonValue::Null);
    match request
        .model
        .rules
        .relation(type_name, relation)
        .and_then(|r| r.inverse.clone())
    {
        Some(inverse) => {
            let member_type =
                relation_member_type(request.model, type_name, effect).unwrap_or_default();
            let types = request.model.entity_types(&member_type);
            for id in ids {
                let Some((found, record)) = request.data.find(&types, &id) else {
                    return Err(Refusal::invalid(members));
                };
                let mut member = JsonMap::clone(record);
                let points_here = member.get(inverse.as_ref()) == Some(&target_id);
                if attach {
                    member.insert(inverse.to_string(), target_id.clone());
                } else if points_here {
                    member.insert(inverse.to_string(), JsonValue::Null);
                }
                let member_id = id.parse::<u64>().unwrap_or_default();
                data.insert(found, member_id, member);
            }
        }
        None => {
            let mut kept = next.get(relation).map(paths::ids).unwrap_or_default();
            for id in ids {
                let present = kept.contains(&id);
                if attach && !present {
                    kept.push(id);
                } else if !attach {
                    kept.retain(|k| k != &id);
                }
            }
            next.insert(
                relation.to_owned(),
                JsonValue::Array(kept.into_iter().map(JsonValue::from).collect()),
            );
        }
    }
    Ok(())
}

/// The `requires` conditions, in order.
fn check_conditions(
    request: &Request<'_>,
    effect: &Effect,
    rules: &FieldRules,
    target: Option<(&str, &Record)>,
) -> Result<(), Refusal> {
    let model = request.model;
    for condition in effect.requires.iter() {
        let value = match &condition.read {
            ConditionRead::Input(path) => match request.input(path) {
                Some(value) => value,
                None => continue,
            },
            ConditionRead::Target { field } => match target {
                Some((type_name, record)) => {
                    paths::entity_path(model, request.data, type_name, record, field)
                }
                None => JsonValue::Null,
            },
            ConditionRead::At { at, entity, field } => {
                // Through a list, every element's id is read; elements without one, like an absent path, hold
                // vacuously.
                let ids = request
                    .input(at)
                    .map(|v| paths::ids(&v))
                    .unwrap_or_default();
                if ids.is_empty() {
                    continue;
                }
                let types = model.entity_types(entity);
                let mut read = Vec::with_capacity(ids.len());
                for id in &ids {
                    let (found, record) = request
                        .data
                        .find(&types, id)
                        .ok_or_else(|| Refusal::invalid(at))?;
                    read.push(paths::entity_path(
                        model,
                        request.data,
                        found,
                        record,
                        field,
                    ));
                }
                match <[JsonValue; 1]>::try_from(read) {
                    Ok([one]) => one,
                    Err(many) => JsonValue::Array(many),
                }
            }
        };
        let values: Vec<JsonValue> = match &value {
            JsonValue::Array(items) => items.clone(),
            other => vec![other.clone()],
        };
        let mut holds = true;
        if let Some(allowed) = &condition.one_of {
            let allowed: Vec<JsonValue> = allowed.iter().map(|l| parse_literal(l)).collect();
            holds &= match &value {
                JsonValue::Array(items) => items.iter().all(|v| allowed.contains(v)),
                one => allowed.contains(one),
            };
        }
        if let Some(path) = &condition.equals {
            let wanted = request
                .input(path)
                .as_ref()
                .map(paths::ids)
                .unwrap_or_default();
            holds &= wanted
                .iter()
                .all(|w| values.iter().flat_map(paths::ids).any(|v| &v == w));
        }
        if let Some(context) = condition.is {
            let me = match context {
                EffectContext::CallerUser => request.caller.user.clone(),
                _ => request.caller.account.clone(),
            };
            holds &= me.is_some_and(|me| values.iter().flat_map(paths::ids).any(|v| v == me));
        }
        if !holds {
            let invariant = rules.invariant(&condition.invariant);
            return Err(Refusal::Invariant {
                name: condition.invariant.to_string(),
                statement: invariant.map_or_else(
                    || condition.invariant.to_string(),
                    |i| i.statement.to_string(),
                ),
                path: condition.error_path(effect).map(str::to_owned),
                code: invariant
                    .and_then(|i| i.code.as_ref())
                    .map(|c| c.to_string()),
            });
        }
    }
    Ok(())
}
