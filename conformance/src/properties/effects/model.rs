//! M3: random sequences (proptest-state-machine) of the CREATE, UPDATE, REPLACE, DELETE, TRANSITION, ATTACH and
//! DETACH effects on entities that can be read back, each predicted from the declarations and read back through the
//! lookup and the list ("Reading back" in `schemas/rules.graphql`): what was written reads back exactly, what an
//! UPDATE left out is unchanged, a TRANSITION's status is its `to`, a created entity is in its list once, a deleted
//! one reads null and is in no list, members attached are in the target's `@relation` field once and members
//! detached are not, the others staying ([`super::relations`]), and a member's `inverse` reference reads the target.
//! An effect with `each` is sent with one element, and predicted as that element sees the input.
//!
//! A step is abstract (a kind, an effect, a caller and target, a seed): it is resolved against the world as the
//! case has it, among the calls the declarations say succeed (an allowed role, an owned target, preconditions and
//! source status met), so every step is a write the target must accept. Each case ends with an UPDATE that leaves
//! out a field its target holds, so every case checks that what an UPDATE leaves out stays. The world is discovered afresh for each
//! case; the model follows each step, and re-reads before relying on it what a step may have changed elsewhere: what
//! `beyond` does, relations whose member's `inverse` reference moved, entities referring to a deleted one.

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest_state_machine::ReferenceStateMachine;
use runtime::rules::{Effect, EffectKind, FieldRules};
use serde_json::Value;

use super::call::{Spec, build, result_ids, target_conditions_hold};
use super::conditions::{First, element, first_failing, input_at};
use super::predict::{Written, created, held, same, writes};
use super::read::{self, id_lookup, readable, self_lookup};
use super::relations::{self, Related, pick_members, relinked};
use super::scenarios::allowed;
use super::world::{Actor, Record, World, entity_types, id_of, ids};
use crate::ensure;
use crate::property::{Case, CaseError, CaseResult, Check, Context, Group, Property, check};

pub static M3: Property = Property {
    id: "M3",
    name: "effects-model",
    statement: "Under random sequences of the declared CREATE, UPDATE (each write absent, null or a value), REPLACE, DELETE, TRANSITION, ATTACH and DETACH effects by their owners (under `each`, one element), every call succeeds and reads back as the declarations predict: written values exactly, fields an UPDATE leaves out unchanged, a TRANSITION's status its `to`, a created entity in its list once, a deleted one null and in no list, members attached in the target's relation once and members detached gone, the other members staying, a member's inverse reference the target.",
    group: Group::Stateful,
    writes: true,
    // Each case discovers the world and runs up to ten steps of about three requests (seven kinds: ten keeps about
    // as many steps of each kind as eight did for five), then the last UPDATE.
    max_cases: Some(8),
    run: run_m3,
};

const KINDS: [EffectKind; 7] = [
    EffectKind::Create,
    EffectKind::Update,
    EffectKind::Replace,
    EffectKind::Delete,
    EffectKind::Transition,
    EffectKind::Attach,
    EffectKind::Detach,
];

/// One step, resolved when it runs: which kind, which effect of it, which (caller, target), and the seed of the
/// input's values.
#[derive(Debug, Clone)]
pub struct Step {
    kind: Index,
    effect: Index,
    pair: Index,
    seed: u64,
    /// Leaves out an optional write whose field the target holds (only targets holding one are picked).
    leave_held: bool,
}

/// The reference machine: the steps are abstract, so the model lives in the case.
#[derive(Debug)]
pub struct Effects;

impl ReferenceStateMachine for Effects {
    type State = ();
    type Transition = Step;

    fn init_state() -> BoxedStrategy<()> {
        Just(()).boxed()
    }

    fn transitions(_: &()) -> BoxedStrategy<Step> {
        (any::<Index>(), any::<Index>(), any::<Index>(), any::<u64>())
            .prop_map(|(kind, effect, pair, seed)| Step {
                kind,
                effect,
                pair,
                seed,
                leave_held: false,
            })
            .boxed()
    }

    fn apply(state: (), _: &Step) {
        state
    }
}

/// The effects M3 runs: of a modelled kind (under `each` too), whose entity can be read back and whose CREATE
/// shows the new id.
fn modelled(cx: &Context<'_>) -> Vec<(&'static FieldRules, &'static Effect)> {
    let s = cx.schema;
    cx.rules
        .effects()
        .filter(|(_, e)| KINDS.contains(&e.kind))
        .filter(|(_, e)| {
            let types = entity_types(s, e.entity.as_deref().unwrap_or_default());
            !types.is_empty()
                && types.iter().all(|t| {
                    s.rules.entity(t).is_some_and(|entity| {
                        id_lookup(s, entity).is_some()
                            || self_lookup(s).is_some_and(|(_, own)| own == t)
                    }) && (e.relation.is_none() || Related::of(s, e, t).is_some())
                })
        })
        .filter(|(_, e)| e.kind != EffectKind::Create || e.result_field.is_none())
        .collect()
}

fn run_m3(cx: &Context<'_>) -> Check {
    let effects = modelled(cx);
    if effects.is_empty() {
        return Check::not_applicable(
            "no CREATE, UPDATE, REPLACE, DELETE, TRANSITION, ATTACH or DETACH effect on an entity with a lookup",
        );
    }
    let kinds: Vec<EffectKind> = KINDS
        .into_iter()
        .filter(|k| effects.iter().any(|(_, e)| e.kind == *k))
        .collect();
    // Each case ends with an UPDATE that leaves out a field its target holds: only such an UPDATE shows one that
    // clears what it leaves out, and the random steps (seven kinds, values drawn) meet one in too few cases.
    // Not shrunk: each simpler candidate would cost a case's requests (the steps' own shrinking stays).
    let last = Effects::transitions(&())
        .prop_map(|step| Step {
            leave_held: true,
            ..step
        })
        .no_shrink();
    check(
        cx,
        (Effects::sequential_strategy(1..=10usize), last),
        |case, ((_, steps, _), last)| {
            let mut machine = Machine {
                case,
                world: read::discover(case)?,
                stale: BTreeSet::new(),
            };
            for (n, step) in steps.iter().enumerate() {
                machine.run(&effects, *step.kind.get(&kinds), step, n + 1)?;
            }
            machine.run(&effects, EffectKind::Update, &last, steps.len() + 1)
        },
    )
}

struct Machine<'m, 'c, 'a> {
    case: &'m Case<'c, 'a>,
    world: World,
    /// Entities a `beyond` part may have changed since they were read.
    stale: BTreeSet<(String, String)>,
}

impl Machine<'_, '_, '_> {
    /// Runs a step of `kind`: from the drawn effect on, the first that has a caller and a target now.
    fn run(
        &mut self,
        effects: &[(&'static FieldRules, &'static Effect)],
        kind: EffectKind,
        step: &Step,
        n: usize,
    ) -> CaseResult {
        let of_kind: Vec<_> = effects.iter().filter(|(_, e)| e.kind == kind).collect();
        let start = step.effect.index(of_kind.len().max(1));
        for k in 0..of_kind.len() {
            let (field, effect) = *of_kind[(start + k) % of_kind.len()];
            if self.step(field, effect, step, n)? {
                break;
            }
        }
        Ok(())
    }

    /// The (caller, target) pairs for which the declarations say the effect succeeds.
    fn pairs(&self, field: &FieldRules, effect: &Effect) -> Vec<(usize, Option<(String, String)>)> {
        let s = self.case.cx.schema;
        let world = &self.world;
        let types = entity_types(s, effect.entity.as_deref().unwrap_or_default());
        let mut out = Vec::new();
        for (i, actor) in world.actors.iter().enumerate() {
            if !allowed(field, actor) {
                continue;
            }
            if effect.kind == EffectKind::Create {
                out.push((i, None));
                continue;
            }
            for (t, r) in world.all(&types) {
                let id = id_of(r);
                let reachable = match &effect.id {
                    Some(_) => effect.owners.is_empty() || world.owns(s, effect, t, r, actor),
                    None => actor.is(&id),
                };
                let source_ok = effect.kind != EffectKind::Transition
                    || effect.from.is_empty()
                    || effect.status_field.as_deref().is_some_and(|f| {
                        let status = r.get(f).and_then(Value::as_str).unwrap_or_default();
                        effect.from.iter().any(|from| *from == status)
                    });
                // A DETACH acts where there are members to detach (detaching others changes nothing).
                let detachable = effect.kind != EffectKind::Detach
                    || Related::of(s, effect, t).is_some_and(|rel| !rel.members(r).is_empty());
                if reachable
                    && source_ok
                    && detachable
                    && readable(s, world, t, &id)
                    && target_conditions_hold(s, world, effect, (t, r), actor)
                {
                    out.push((i, Some((t.to_owned(), id))));
                }
            }
        }
        out
    }

    /// Runs one step on `effect`, if it has a caller and a target whose call the model predicts succeeds: whether
    /// it ran.
    fn step(
        &mut self,
        field: &'static FieldRules,
        effect: &'static Effect,
        step: &Step,
        n: usize,
    ) -> Result<bool, CaseError> {
        let case = self.case;
        let s = case.cx.schema;
        let mut pairs = self.pairs(field, effect);
        if step.leave_held {
            pairs.retain(|(_, target)| {
                target.as_ref().is_some_and(|(t, id)| {
                    !held(s, &self.world, field, std::slice::from_ref(t), id).is_empty()
                })
            });
        }
        if pairs.is_empty() {
            return Ok(false);
        }
        let (actor, target) = step.pair.get(&pairs).clone();
        if let Some((t, id)) = &target
            && self.stale.remove(&(t.clone(), id.clone()))
        {
            // Read it again, then decide on what it is now.
            self.refresh(t, id)?;
            return self.step(field, effect, step, n);
        }
        let world = &self.world;
        let actor: Actor = world.actors[actor].clone();
        let mut fixed = std::collections::BTreeMap::new();
        if let (Some(path), Some((_, id))) = (&effect.id, &target) {
            fixed.insert(path.to_string(), Value::from(id.clone()));
        }
        let related = target.as_ref().and_then(|(t, _)| Related::of(s, effect, t));
        if let (Some(related), Some((t, id)), Some(path)) = (&related, &target, &effect.members) {
            let Some((_, record)) = world.find(std::slice::from_ref(t), id) else {
                return Ok(false);
            };
            let Some(members) = pick_members(s, world, field, effect, related, record, step.seed)
            else {
                return Ok(false);
            };
            // A member a `beyond` may have changed is read again: its unchanged fields are checked.
            let stale: Vec<(String, String)> = ids(&members)
                .into_iter()
                .filter_map(|m| world.find(&related.member_types, &m))
                .map(|(mt, r)| (mt.to_owned(), id_of(r)))
                .filter(|key| self.stale.contains(key))
                .collect();
            if !stale.is_empty() {
                for (mt, m) in stale {
                    self.stale.remove(&(mt.clone(), m.clone()));
                    self.refresh(&mt, &m)?;
                }
                return self.step(field, effect, step, n);
            }
            fixed.insert(path.to_string(), members);
        }
        let left_out = match (&target, step.leave_held) {
            (Some((t, id)), true) => {
                let held = held(s, &self.world, field, std::slice::from_ref(t), id);
                held.get(step.seed as usize % held.len().max(1)).cloned()
            }
            _ => None,
        };
        let spec = Spec {
            field,
            effect,
            actor: &actor,
            fixed,
            writes: Some(step.seed),
            seed: step.seed,
            left_out: left_out.clone(),
        };
        let Ok(call) = build(s, world, &spec, target.as_ref().map(|(t, _)| t.as_str())) else {
            return Ok(false);
        };
        // The call sends one element under `each`: predicted as that element sees the arguments.
        let Some(args) = element(effect.each.as_deref(), &call.args, 0) else {
            return Ok(false);
        };
        // A path the input must give after all (a declared one) leaves nothing out.
        if left_out.is_some_and(|path| input_at(&args, &path).is_some()) {
            return Ok(false);
        }
        let before: Option<(String, Record)> = target
            .as_ref()
            .and_then(|(t, id)| world.find(std::slice::from_ref(t), id))
            .map(|(t, r)| (t.to_owned(), r.clone()));
        let held = before.as_ref().map(|(t, r)| (t.as_str(), r));
        if !matches!(
            first_failing(s, world, effect, &args, held, &actor),
            First::AllHold
        ) {
            return Ok(false);
        }
        let type_name = match &before {
            Some((t, _)) => t.clone(),
            None => entity_types(s, effect.entity.as_deref().unwrap_or_default())
                .into_iter()
                .next()
                .unwrap_or_default(),
        };
        let predicted = if effect.kind == EffectKind::Create {
            let Some(record) = created(s, world, field, &type_name, &args, &actor) else {
                return Ok(false);
            };
            if !effect.owners.is_empty() && !world.owns(s, effect, &type_name, &record, &actor) {
                return Ok(false);
            }
            record
        } else {
            Record::new()
        };
        let Some(writes) = writes(s, world, field, &type_name, &args, &actor) else {
            return Ok(false);
        };
        // Null into a non-null field is refused (a `via` read may be null): not a call that succeeds.
        if writes.iter().any(|(name, w)| {
            *w == Written::Value(Value::Null)
                && s.field(&type_name, name)
                    .is_some_and(|f| f.ty.is_non_null())
        }) {
            return Ok(false);
        }
        let what = format!(
            "step {n}: `{}` ({}) by `{}`{} with {}",
            field.field_name,
            effect.kind.as_str(),
            actor.name(),
            target
                .as_ref()
                .map(|(t, id)| format!(" on {t} {id}"))
                .unwrap_or_default(),
            call.args
        );
        let reply = case.graphql(Some(&actor.credential), &call.document, Some(&call.args))?;
        ensure!(
            !reply.has_errors(),
            "{what}: the declarations say it succeeds (an allowed role, an owned target, preconditions and source status met); got {}",
            reply.error_digest(case.cx.rules)
        );
        if effect.beyond.is_some() {
            // What `beyond` does elsewhere is not predicted: read again before relying on it.
            for (t, list) in &self.world.entities {
                self.stale
                    .extend(list.iter().map(|r| (t.clone(), id_of(r))));
            }
        }
        let result = reply
            .field(&field.field_name)
            .cloned()
            .unwrap_or(Value::Null);
        match (effect.kind, before) {
            (EffectKind::Create, _) => {
                let ids = result_ids(effect, &result);
                ensure!(
                    ids.len() == 1,
                    "{what}: its result must show the one entity created; got {result}"
                );
                self.written(&type_name, &ids[0], &predicted, None, &what)?;
            }
            (EffectKind::Delete, Some((t, old))) => self.deleted(&t, &old, &what)?,
            (kind, Some((t, old))) => {
                let mut expected = Record::new();
                let mut unpredicted = Vec::new();
                for (name, value) in &writes {
                    match value {
                        Written::Value(v) => {
                            expected.insert(name.clone(), v.clone());
                        }
                        Written::Unpredicted => unpredicted.push(name.as_str()),
                    }
                }
                let sent = effect
                    .members
                    .as_deref()
                    .and_then(|p| input_at(&call.args, p))
                    .map(|v| ids(&v))
                    .unwrap_or_default();
                if let Some(related) = &related {
                    self.members(related, kind, (&t, &id_of(&old)), &sent, &what)?;
                    unpredicted.push(related.field.as_str());
                }
                let read = self.written(
                    &t,
                    &id_of(&old),
                    &expected,
                    Some((&old, &unpredicted)),
                    &what,
                )?;
                if let Some(related) = &related {
                    let predicted = relations::predict(kind, &related.members(&old), &sent);
                    relations::check(related, &read, &predicted, &what)?;
                }
            }
            (_, None) => {}
        }
        Ok(true)
    }

    /// Reads an entity again into the world.
    fn refresh(&mut self, type_name: &str, id: &str) -> CaseResult {
        match read::read(self.case, &self.world, type_name, id)? {
            Some((t, r)) => self.world.put(&t, r),
            None => self.world.remove(type_name, id),
        }
        Ok(())
    }

    /// The members an ATTACH or DETACH sent, where their `inverse` reference makes the relation: each reads the
    /// target as that reference once attached, and none once detached from it, everything else as it was.
    fn members(
        &mut self,
        related: &Related,
        kind: EffectKind,
        (target_type, target): (&str, &str),
        sent: &[String],
        what: &str,
    ) -> CaseResult {
        let Some(inverse) = &related.inverse else {
            return Ok(());
        };
        let s = self.case.cx.schema;
        for id in sent {
            let Some((t, old)) = self
                .world
                .find(&related.member_types, id)
                .map(|(t, r)| (t.to_owned(), r.clone()))
            else {
                continue;
            };
            let mut expected = Record::new();
            let here = old.get(inverse).map(ids).unwrap_or_default() == [target];
            if kind == EffectKind::Attach {
                expected.insert(inverse.clone(), Value::from(target));
            } else if here {
                expected.insert(inverse.clone(), Value::Null);
            }
            if readable(s, &self.world, &t, id) {
                let what = format!("{what}, member {t} {id} of {target_type} {target}");
                self.written(&t, id, &expected, Some((&old, &[])), &what)?;
            } else {
                let mut now = old.clone();
                now.extend(expected);
                self.stale.extend(relinked(s, &t, Some(&old), Some(&now)));
                self.world.put(&t, now);
            }
        }
        Ok(())
    }

    /// The entity reads back with the predicted values (and, for an UPDATE, everything else as it was), and its
    /// list holds it once, as its lookup reads it: the entity as read.
    fn written(
        &mut self,
        type_name: &str,
        id: &str,
        expected: &Record,
        unchanged: Option<(&Record, &[&str])>,
        what: &str,
    ) -> Result<Record, CaseError> {
        let case = self.case;
        let s = case.cx.schema;
        let Some((t, read)) = read::read(case, &self.world, type_name, id)? else {
            return Err(CaseError::fail(format!(
                "{what}: {type_name} {id} reads null afterwards"
            )));
        };
        for (name, value) in expected {
            if let Some(got) = read.get(name) {
                ensure!(
                    same(value, got),
                    "{what}: {t} {id} must read `{name}` = {value} (written); it reads {got}"
                );
            }
        }
        if let Some((old, unpredicted)) = unchanged {
            for (name, was) in old {
                if expected.contains_key(name) || unpredicted.contains(&name.as_str()) {
                    continue;
                }
                let now = read.get(name).unwrap_or(&Value::Null);
                ensure!(
                    same(was, now),
                    "{what}: `{name}` of {t} {id} is not written by this effect, so it must stay {was}; it reads {now}"
                );
            }
        }
        self.listed_once(&t, &read, what)?;
        // A relation listing it by its `inverse` reference changes where that reference moved.
        let before = self.world.find(std::slice::from_ref(&t), id);
        self.stale
            .extend(relinked(s, &t, before.map(|(_, r)| r), Some(&read)));
        self.stale.remove(&(t.clone(), id.to_owned()));
        self.world.put(&t, read.clone());
        Ok(read)
    }

    /// A deleted entity reads null and is in no list.
    fn deleted(&mut self, type_name: &str, old: &Record, what: &str) -> CaseResult {
        let case = self.case;
        let id = id_of(old);
        let read = read::read(case, &self.world, type_name, &id)?;
        ensure!(
            read.is_none(),
            "{what}: {type_name} {id} was deleted, so it must read null; it reads {}",
            read.map(|(_, r)| Value::Object(r).to_string())
                .unwrap_or_default()
        );
        let filter = self.filter_value(type_name, old);
        let listed = read::listed(case, type_name, filter.as_ref())?;
        let count = listed.iter().filter(|(_, r)| id_of(r) == id).count();
        ensure!(
            count == 0,
            "{what}: {type_name} {id} was deleted, so its list must leave it out; it lists it {count} time(s)"
        );
        // What refers to it may read otherwise now (a reference to nothing, a relation without it).
        self.stale
            .extend(relinked(case.cx.schema, type_name, Some(old), None));
        for (t, list) in &self.world.entities {
            for r in list {
                if r.iter().any(|(k, v)| k != "id" && ids(v).contains(&id)) {
                    self.stale.insert((t.clone(), id_of(r)));
                }
            }
        }
        self.world.remove(type_name, &id);
        Ok(())
    }

    fn filter_value(&self, type_name: &str, record: &Record) -> Option<Value> {
        read::filter_value(self.case.cx.schema, &self.world, type_name, record)
    }

    fn listed_once(&self, type_name: &str, read: &Record, what: &str) -> CaseResult {
        let case = self.case;
        let s = case.cx.schema;
        if s.rules
            .entity(type_name)
            .and_then(|e| e.list.as_deref())
            .is_none()
        {
            return Ok(());
        }
        let id = id_of(read);
        let filter = self.filter_value(type_name, read);
        let listed = read::listed(case, type_name, filter.as_ref())?;
        let found: Vec<&Record> = listed
            .iter()
            .filter(|(_, r)| id_of(r) == id)
            .map(|(_, r)| r)
            .collect();
        ensure!(
            found.len() == 1,
            "{what}: its list{} must hold {type_name} {id} once; it holds it {} time(s)",
            filter
                .map(|f| format!(" narrowed to {f}"))
                .unwrap_or_default(),
            found.len()
        );
        ensure!(
            found[0] == read,
            "{what}: {type_name} {id} reads {} in its list but {} by its lookup",
            Value::Object(found[0].clone()),
            Value::Object(read.clone())
        );
        Ok(())
    }
}
