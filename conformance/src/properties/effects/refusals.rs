//! Refused effects, each read back to show it changed nothing (against the world as discovered): O1 (another
//! account's target, or a caller lacking the field's role: the authorization error), E7 (an id naming no live
//! entity: the validation error keyed by the id's input path), O2 (a broken precondition: its `@invariant`'s error
//! keyed by the condition's path) and O3 (a TRANSITION from a status outside `from`: the validation error keyed by
//! the id path). Every case checks every effect that the discovered world lets the property exercise, each with a
//! random caller, target and input (like A2 checks every role rule). On the embedded Worksome (seed 1): O1
//! exercises 54 of the 57 owned effects with a target id (the other three act on types no lookup or list reads
//! back) and every effect with `@requiresRole` and a readable target with a caller lacking the role, E7 all 65
//! effects with a target id, O2 10 of the 13 preconditions (the others cannot be broken with the fixtures) and O3 8
//! of the 11 TRANSITIONs with sources (no target of the others is outside `from`).

use proptest::prelude::*;
use proptest::sample::Index;
use runtime::rules::EffectKind;
use serde_json::Value;

use super::call::{Spec, acted_type, build};
use super::conditions::{First, first_failing};
use super::predict::created;
use super::read::{self, readable};
use super::scenarios::{
    Expect, Scenario, allowed, e7_scenarios, o1_scenarios, o2_scenarios, o3_scenarios,
};
use super::world::{Record, World};
use crate::ensure;
use crate::graphql::{Reply, error_code};
use crate::properties::errors::entries::{check_codes, check_entries};
use crate::properties::made_up::{MADE_UP_ID, minimal_operation};
use crate::property::{Case, CaseError, CaseResult, Check, Context, Group, Property, check};

pub static O1: Property = Property {
    id: "O1",
    name: "foreign-target-refused",
    statement: "Every effect with owners and a target id, called by a credential of an owner role whose account does not own the target, is refused with the API's authorization error (the one a role refusal gets), and the target reads back unchanged; so is every effect with @requiresRole and a target id called by a credential lacking its roles; each case checks every such effect.",
    group: Group::Auth,
    writes: true,
    max_cases: Some(2),
    run: run_o1,
};

pub static E7: Property = Property {
    id: "E7",
    name: "unknown-target-invalid",
    statement: "Every effect with a target id, given an id that names no live entity, gets the validation error keyed by that input path (errors[].extensions.validation) with a documented code, and the id still names nothing; each case checks every such effect.",
    group: Group::Errors,
    writes: true,
    max_cases: Some(2),
    run: run_e7,
};

pub static O2: Property = Property {
    id: "O2",
    name: "preconditions-enforced",
    statement: "Every effect precondition (`requires`) that the discovered entities can break, broken by an otherwise valid call of an owner, gets its @invariant's error (its code, keyed by the condition's path), and the target reads back unchanged.",
    group: Group::Stateful,
    writes: true,
    max_cases: Some(2),
    run: run_o2,
};

pub static O3: Property = Property {
    id: "O3",
    name: "transition-sources-enforced",
    statement: "Every TRANSITION called by an owner on a target whose status is outside `from` gets the validation error keyed by its id path, and the target reads back unchanged.",
    group: Group::Stateful,
    writes: true,
    max_cases: Some(2),
    run: run_o3,
};

/// The authorization error as a role refusal shows it (code, message): what an ownership refusal must look like.
fn learn_forbidden(
    case: &Case<'_, '_>,
    world: &World,
) -> Result<Option<(Option<String>, String)>, CaseError> {
    let cx = case.cx;
    for f in cx.rules.fields.iter().filter(|f| !f.roles.is_empty()) {
        let Some(lacking) = world.actors.iter().find(|a| !allowed(f, a)) else {
            continue;
        };
        let Some(operation) = minimal_operation(cx, &f.type_name, &f.field_name, MADE_UP_ID) else {
            continue;
        };
        let reply = case.graphql(Some(&lacking.credential), &operation, None)?;
        if let Some(e) = reply.errors().first() {
            let message = e.get("message").and_then(Value::as_str).unwrap_or_default();
            return Ok(Some((error_code(e, cx.rules), message.to_owned())));
        }
    }
    Ok(None)
}

#[derive(Clone, Copy)]
enum Which {
    O1,
    E7,
    O2,
    O3,
}

fn run_o1(cx: &Context<'_>) -> Check {
    run(cx, Which::O1)
}
fn run_e7(cx: &Context<'_>) -> Check {
    run(cx, Which::E7)
}
fn run_o2(cx: &Context<'_>) -> Check {
    run(cx, Which::O2)
}
fn run_o3(cx: &Context<'_>) -> Check {
    run(cx, Which::O3)
}

fn run(cx: &Context<'_>, which: Which) -> Check {
    if cx.rules.effects().next().is_none() {
        return Check::not_applicable("the API declares no @effect");
    }
    let setup = Case::new(cx);
    let world = match read::discover(&setup) {
        Ok(w) => w,
        Err(e) => return crate::property::setup_failure(cx, &setup, e),
    };
    let forbidden = match which {
        Which::O1 => match learn_forbidden(&setup, &world) {
            Ok(f) => f,
            Err(e) => return crate::property::setup_failure(cx, &setup, e),
        },
        _ => None,
    };
    let groups: Vec<Vec<Scenario>> = match which {
        Which::O1 => o1_scenarios(cx, &world),
        Which::E7 => e7_scenarios(cx, &world),
        Which::O2 => o2_scenarios(cx, &world),
        Which::O3 => o3_scenarios(cx, &world),
    }
    .into_iter()
    .map(|g| {
        // Only what builds: every id the call needs names a live entity.
        g.into_iter()
            .filter(|sc| build(cx.schema, &world, &spec(sc, &world, 0), target_type(sc)).is_ok())
            .collect::<Vec<_>>()
    })
    .filter(|g| !g.is_empty())
    .collect();
    if groups.is_empty() {
        return Check::not_applicable(
            "no effect of this kind can be exercised with the entities and credentials found",
        );
    }
    let strategy = (
        proptest::collection::vec(any::<Index>(), groups.len()),
        any::<u64>(),
    );
    check(cx, strategy, |case, (picks, seed)| {
        for (group, pick) in groups.iter().zip(&picks) {
            exercise(case, &world, pick.get(group), seed, forbidden.as_ref())?;
        }
        Ok(())
    })
}

fn target_type(sc: &Scenario) -> Option<&str> {
    sc.target.as_ref().map(|(t, _)| t.as_str())
}

fn spec<'w>(sc: &Scenario, world: &'w World, seed: u64) -> Spec<'w> {
    Spec {
        field: sc.field,
        effect: sc.effect,
        actor: &world.actors[sc.actor],
        fixed: sc.fixed.clone(),
        writes: None,
        seed,
        left_out: None,
    }
}

/// One refused call: the target read before, the call and its refusal, the target read after.
fn exercise(
    case: &Case<'_, '_>,
    world: &World,
    sc: &Scenario,
    seed: u64,
    forbidden: Option<&(Option<String>, String)>,
) -> CaseResult {
    let cx = case.cx;
    let s = cx.schema;
    let actor = &world.actors[sc.actor];
    let call = build(s, world, &spec(sc, world, seed), target_type(sc))
        .or_else(|_| build(s, world, &spec(sc, world, 0), target_type(sc)))
        .map_err(CaseError::Reject)?;
    let target_record = sc
        .target
        .as_ref()
        .and_then(|(t, id)| world.find(std::slice::from_ref(t), id));
    let expect = match &sc.expect {
        Expect::Precondition => {
            // Ownership comes before preconditions: a CREATE must make the caller's entity.
            if sc.effect.kind == EffectKind::Create && !sc.effect.owners.is_empty() {
                let type_name = acted_type(s, sc.effect, None).unwrap_or_default();
                let owned = created(s, world, sc.field, &type_name, &call.args, actor)
                    .is_some_and(|r| world.owns(s, sc.effect, &type_name, &r, actor));
                if !owned {
                    return Ok(());
                }
            }
            match first_failing(s, world, sc.effect, &call.args, target_record, actor) {
                First::Fails(c) => Some(c),
                First::AllHold | First::Unknown => return Ok(()),
            }
        }
        _ => None,
    };
    // The entity as the world read it (refusals change nothing, so it still is; an id naming nothing is in no
    // world), and read back after, where the API offers a way to read it.
    let target = sc
        .target
        .as_ref()
        .filter(|(t, id)| readable(s, world, t, id));
    let before = target_record.map(|(t, r)| (t.to_owned(), r.clone()));
    let reply = case.graphql(Some(&actor.credential), &call.document, Some(&call.args))?;
    let what = format!(
        "`{}` by `{}`{} with {}",
        sc.field.field_name,
        actor.name(),
        sc.target
            .as_ref()
            .map(|(t, id)| format!(" on {t} {id}"))
            .unwrap_or_default(),
        call.args
    );
    let refusal = refused_as(case, &reply, sc, &what, expect, forbidden);
    let after = match target {
        Some((t, id)) => Some(read::read(case, world, t, id)?),
        None => None,
    };
    if let (Err(CaseError::Fail(message)), Some(after)) = (&refusal, &after)
        && *after != before
    {
        // A shrunk case replays on a store that an accepted call has changed: say so.
        return Err(CaseError::fail(format!(
            "{message} (the target no longer reads as discovered, {}: a call of an earlier case was accepted)",
            show(after)
        )));
    }
    refusal?;
    if let (Some((t, id)), Some(after)) = (target, after) {
        ensure!(
            after == before,
            "{what} was refused, but {t} {id} changed: it read {} before and {} after",
            show(&before),
            show(&after)
        );
    }
    Ok(())
}

fn show(record: &Option<(String, Record)>) -> String {
    record.as_ref().map_or("null".to_owned(), |(_, r)| {
        Value::Object(r.clone()).to_string()
    })
}

/// The keys of `extensions.validation` of an error.
fn validation_keys(error: &Value) -> Vec<String> {
    error
        .get("extensions")
        .and_then(|x| x.get("validation"))
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// The reply is the expected refusal, with no data for the field.
fn refused_as(
    case: &Case<'_, '_>,
    reply: &Reply,
    sc: &Scenario,
    what: &str,
    condition: Option<&runtime::rules::EffectCondition>,
    forbidden: Option<&(Option<String>, String)>,
) -> CaseResult {
    let cx = case.cx;
    let field = &*sc.field.field_name;
    ensure!(reply.has_errors(), "{what} was not refused: {}", reply.body);
    let leaked = reply
        .data()
        .and_then(|d| d.get(field))
        .is_some_and(|v| !v.is_null());
    ensure!(
        !leaked,
        "{what} was refused but returned data: {}",
        reply.body
    );
    check_entries(cx, reply)?;
    check_codes(cx, reply)?;
    let errors = reply.errors();
    let listed = serde_json::to_string(errors).unwrap_or_default();
    match (&sc.expect, condition) {
        (Expect::Forbidden, _) => match forbidden {
            Some((code, message)) => ensure!(
                errors.iter().any(|e| error_code(e, cx.rules) == *code
                    && e.get("message").and_then(Value::as_str) == Some(message)),
                "{what}: the caller does not own the target, so it must get the authorization error a role refusal gets ({}: {message}); got {listed}",
                code.as_deref().unwrap_or("no code")
            ),
            None => ensure!(
                errors.iter().all(|e| validation_keys(e).is_empty()),
                "{what}: the caller does not own the target, so it must get an authorization error, not a validation error; got {listed}"
            ),
        },
        (Expect::Invalid(path), _) => ensure!(
            errors
                .iter()
                .any(|e| validation_keys(e).iter().any(|k| k == path)
                    && error_code(e, cx.rules).is_some()),
            "{what} must get the validation error keyed by `{path}` (errors[].extensions.validation.{path}, with a code); got {listed}"
        ),
        (Expect::Precondition, Some(c)) => {
            let invariant = sc.field.invariant(&c.invariant);
            let code = invariant.and_then(|i| i.code.as_deref());
            let path = c.error_path(sc.effect);
            ensure!(
                errors.iter().any(|e| code
                    .is_none_or(|code| error_code(e, cx.rules).as_deref() == Some(code))
                    && path.is_none_or(|p| validation_keys(e).iter().any(|k| k == p))),
                "{what} breaks `{}` ({}), so it must get {}{}; got {listed}",
                c.invariant,
                invariant.map_or("", |i| &*i.statement),
                code.unwrap_or("an error"),
                path.map(|p| format!(" keyed by `{p}` (extensions.validation)"))
                    .unwrap_or_default()
            );
        }
        (Expect::Precondition, None) => {}
    }
    Ok(())
}
