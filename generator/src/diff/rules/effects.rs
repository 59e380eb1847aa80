//! Changes of mutation semantics: what a mutation does to the store (`@effect`: its kind, target, writes, source
//! statuses, owners, preconditions, result) and the declarations it relies on (`@entity`, `@relation`, `@account`).
//!
//! A client of a mutation relies on what it writes and where it reads the result back; a change that stores less,
//! acts on something else or refuses more requests breaks it, one that stores more or admits more is dangerous
//! (clients keep working, but the data or the callers change). Owners and source statuses are alternatives (any
//! owner path, any listed status), an empty list meaning "any": widening them admits more, narrowing refuses more.

use std::collections::BTreeMap;

use runtime::rules::{
    ApiRules as Rules, EffectCondition, EffectContext, EffectField, EffectOwner, FieldRules, Text,
    WriteSource,
};

use super::{everyone, sdl, show, tagged};
use crate::diff::change::{Criticality, Found};

use Criticality::{Breaking, Dangerous, Safe};

/// Every change of the `@effect` of one field (`a` before, `b` after).
pub(super) fn changes(out: &mut Found, coordinate: &str, a: &FieldRules, b: &FieldRules) {
    let affects = if b.roles.is_empty() {
        everyone()
    } else {
        tagged("role", b.roles.iter())
    };
    let mut push = |kind, criticality, message: String, reason: &str| {
        out.push_for(
            kind,
            criticality,
            coordinate,
            message,
            reason,
            affects.clone(),
        );
    };
    let (x, y) = match (&a.effect, &b.effect) {
        (None, None) => return,
        (None, Some(y)) => {
            return push(
                "EFFECT_ADDED",
                Safe,
                format!("`{coordinate}` now declares its effect: {}", sdl(y.kind)),
                "What the mutation does is now a promise that implementations are checked against.",
            );
        }
        (Some(x), None) => {
            return push(
                "EFFECT_REMOVED",
                Dangerous,
                format!(
                    "`{coordinate}` no longer declares its effect ({})",
                    sdl(x.kind)
                ),
                "Clients lose the promise of what the mutation stores and where it reads back.",
            );
        }
        (Some(x), Some(y)) => (x, y),
    };
    if x.kind != y.kind {
        push(
            "EFFECT_KIND_CHANGED",
            Breaking,
            format!(
                "`{coordinate}` now does {} instead of {}",
                sdl(y.kind),
                sdl(x.kind)
            ),
            "The store changes differently: what clients read back after calling it is not what they read before.",
        );
    }
    if x.entity != y.entity {
        push(
            "EFFECT_ENTITY_CHANGED",
            Breaking,
            format!(
                "`{coordinate}` now acts on {} instead of {}",
                show(y.entity.as_ref()),
                show(x.entity.as_ref())
            ),
            "Requests act on another type of entity than before.",
        );
    }
    for (part, before, after) in [
        ("target id", &x.id, &y.id),
        ("list applied to each", &x.each, &y.each),
        ("members", &x.members, &y.members),
        ("copy source", &x.copy, &y.copy),
    ] {
        if before != after {
            push(
                "EFFECT_INPUT_CHANGED",
                Breaking,
                format!(
                    "`{coordinate}` reads its {part} from {} instead of {}",
                    show(after.as_ref()),
                    show(before.as_ref())
                ),
                "Requests written for the old input act on other entities, or on none.",
            );
        }
    }
    for (part, before, after) in [
        ("status field", &x.status_field, &y.status_field),
        ("new status", &x.to, &y.to),
        ("relation", &x.relation, &y.relation),
    ] {
        if before != after {
            push(
                "EFFECT_TARGET_CHANGED",
                Breaking,
                format!(
                    "`{coordinate}` now changes {part} {} instead of {}",
                    show(after.as_ref()),
                    show(before.as_ref())
                ),
                "The entity ends in another state than clients expect after the call.",
            );
        }
    }
    if (&x.result, &x.result_field) != (&y.result, &y.result_field) {
        push(
            "EFFECT_RESULT_CHANGED",
            Breaking,
            format!(
                "`{coordinate}` shows its entity at {} instead of {}",
                result(&y.result, &y.result_field),
                result(&x.result, &x.result_field)
            ),
            "Clients read the entity from where the result no longer holds it.",
        );
    }
    writes(&mut push, coordinate, &x.fields, &y.fields);
    let statuses = |list: &[Text]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    alternatives(
        &mut push,
        coordinate,
        (
            "EFFECT_SOURCE_STATUS_NARROWED",
            "EFFECT_SOURCE_STATUS_WIDENED",
        ),
        "source status",
        &statuses(&x.from),
        &statuses(&y.from),
    );
    let owners = |list: &[EffectOwner]| list.iter().map(owner).collect::<Vec<_>>();
    alternatives(
        &mut push,
        coordinate,
        ("OWNERSHIP_NARROWED", "OWNERSHIP_WIDENED"),
        "owner",
        &owners(&x.owners),
        &owners(&y.owners),
    );
    preconditions(&mut push, coordinate, &x.requires, &y.requires);
    if (&x.beyond, &x.beyond_fields) != (&y.beyond, &y.beyond_fields) {
        push(
            "EFFECT_BEYOND_CHANGED",
            Dangerous,
            format!(
                "`{coordinate}` changed what it does beyond the vocabulary: {}",
                show(y.beyond.as_ref())
            ),
            "Hand-written behaviour changed: read what it now does before merging.",
        );
    }
}

type Push<'a> = dyn FnMut(&'static str, Criticality, String, &str) + 'a;

fn writes(push: &mut Push<'_>, coordinate: &str, a: &[EffectField], b: &[EffectField]) {
    let by_field = |list: &[EffectField]| -> BTreeMap<String, String> {
        list.iter()
            .map(|w| (w.field.to_string(), source(&w.source)))
            .collect()
    };
    let (before, after) = (by_field(a), by_field(b));
    for (field, from) in &before {
        match after.get(field) {
            None => push(
                "EFFECT_WRITE_REMOVED",
                Breaking,
                format!("`{coordinate}` no longer writes `{field}` (was {from})"),
                "Values clients send for it are no longer stored, or the field keeps its old value.",
            ),
            Some(to) if to != from => push(
                "EFFECT_WRITE_CHANGED",
                Breaking,
                format!("`{coordinate}` writes `{field}` from {to} instead of {from}"),
                "The stored value comes from elsewhere: clients read back something else than they sent.",
            ),
            Some(_) => {}
        }
    }
    for (field, to) in after.iter().filter(|(f, _)| !before.contains_key(*f)) {
        push(
            "EFFECT_WRITE_ADDED",
            Dangerous,
            format!("`{coordinate}` now also writes `{field}` from {to}"),
            "Calls change a field they left as it was before.",
        );
    }
}

/// Alternatives where any one admits the request and none listed means any: fewer ways in is narrowed, more is
/// widened (both when some go and others come).
fn alternatives(
    push: &mut Push<'_>,
    coordinate: &str,
    (narrowed, widened): (&'static str, &'static str),
    what: &str,
    a: &[String],
    b: &[String],
) {
    let list = |items: &[&String]| {
        items
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let gone: Vec<&String> = a.iter().filter(|x| !b.contains(x)).collect();
    let come: Vec<&String> = b.iter().filter(|x| !a.contains(x)).collect();
    match (a.is_empty(), b.is_empty()) {
        (true, true) => {}
        (true, false) => push(
            narrowed,
            Breaking,
            format!(
                "`{coordinate}` now requires the {what} to be one of {}",
                list(&come)
            ),
            "Requests any caller could make before are refused unless they match.",
        ),
        (false, true) => push(
            widened,
            Dangerous,
            format!(
                "`{coordinate}` no longer restricts the {what} (was {})",
                list(&gone)
            ),
            "Requests refused before are served.",
        ),
        (false, false) => {
            if !gone.is_empty() {
                push(
                    narrowed,
                    Breaking,
                    format!("`{coordinate}` no longer admits {what} {}", list(&gone)),
                    "Requests served before are refused.",
                );
            }
            if !come.is_empty() {
                push(
                    widened,
                    Dangerous,
                    format!("`{coordinate}` now also admits {what} {}", list(&come)),
                    "Requests refused before are served.",
                );
            }
        }
    }
}

fn preconditions(
    push: &mut Push<'_>,
    coordinate: &str,
    a: &[EffectCondition],
    b: &[EffectCondition],
) {
    let by_name = |list: &[EffectCondition]| -> BTreeMap<String, String> {
        list.iter()
            .map(|c| (c.invariant.to_string(), condition(c)))
            .collect()
    };
    let (before, after) = (by_name(a), by_name(b));
    for (name, was) in &before {
        match after.get(name) {
            None => push(
                "EFFECT_PRECONDITION_REMOVED",
                Dangerous,
                format!("`{coordinate}` no longer checks `{name}` before acting"),
                "Requests it refused are now served: the store may hold what the rule kept out.",
            ),
            Some(now) if now != was => push(
                "EFFECT_PRECONDITION_CHANGED",
                Breaking,
                format!("`{coordinate}` checks `{name}` as {now} instead of {was}"),
                "Requests that met the old condition may be refused.",
            ),
            Some(_) => {}
        }
    }
    for (name, now) in after.iter().filter(|(n, _)| !before.contains_key(*n)) {
        push(
            "EFFECT_PRECONDITION_ADDED",
            Breaking,
            format!("`{coordinate}` now checks `{name}` before acting: {now}"),
            "Requests that break it, served before, are refused and change nothing.",
        );
    }
}

/// Every change of the declarations on `schema` and on types that effects rely on.
pub(super) fn declarations(out: &mut Found, old: &Rules, new: &Rules) {
    let accounts = |rules: &Rules| -> BTreeMap<String, String> {
        rules
            .accounts
            .iter()
            .map(|a| (a.role.to_string(), a.type_name.to_string()))
            .collect()
    };
    keyed(
        out,
        ("ACCOUNT_ADDED", "ACCOUNT_REMOVED", "ACCOUNT_CHANGED"),
        (Dangerous, Dangerous, Breaking),
        |role| ("schema".to_owned(), format!("the account of role `{role}`")),
        &accounts(old),
        &accounts(new),
        "Ownership is decided against another entity: callers may own what they did not, or lose what they did.",
    );
    let entities = |rules: &Rules| -> BTreeMap<String, String> {
        rules
            .entities
            .iter()
            .map(|e| {
                let mut parts = Vec::new();
                if let Some(lookup) = &e.lookup {
                    parts.push(format!("looked up by `{lookup}`"));
                }
                if let Some(list) = &e.list {
                    parts.push(format!("listed by `{list}`"));
                }
                if let Some(f) = &e.list_filter {
                    parts.push(format!("narrowed by `{}` to `{}`", f.argument, f.field));
                }
                let text = if parts.is_empty() {
                    "read back from results only".to_owned()
                } else {
                    parts.join(", ")
                };
                (e.type_name.to_string(), text)
            })
            .collect()
    };
    keyed(
        out,
        ("ENTITY_ADDED", "ENTITY_REMOVED", "ENTITY_READBACK_CHANGED"),
        (Safe, Dangerous, Dangerous),
        |name| (name.to_owned(), format!("entity `{name}`")),
        &entities(old),
        &entities(new),
        "Where clients and the harness read written entities back has moved.",
    );
    let relations = |rules: &Rules| -> BTreeMap<String, String> {
        rules
            .relations
            .iter()
            .map(|r| {
                let inverse = r.inverse.as_ref().map(|i| format!("inverse of `{i}`"));
                (
                    format!("{}.{}", r.type_name, r.field_name),
                    inverse.unwrap_or_else(|| "stored".to_owned()),
                )
            })
            .collect()
    };
    keyed(
        out,
        ("RELATION_ADDED", "RELATION_REMOVED", "RELATION_CHANGED"),
        (Safe, Dangerous, Breaking),
        |coordinate| (coordinate.to_owned(), format!("relation `{coordinate}`")),
        &relations(old),
        &relations(new),
        "Its members now come from elsewhere: the same writes list other entities.",
    );
}

/// Declarations keyed by name: added, removed, or changed (the changed one's reason given).
fn keyed(
    out: &mut Found,
    (added, removed, changed): (&'static str, &'static str, &'static str),
    (on_add, on_remove, on_change): (Criticality, Criticality, Criticality),
    place: impl Fn(&str) -> (String, String),
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
    changed_reason: &str,
) {
    for (key, was) in before {
        let (coordinate, what) = place(key);
        match after.get(key) {
            None => out.push_for(
                removed,
                on_remove,
                coordinate,
                format!("{what} is no longer declared (was {was})"),
                "Effects that relied on it are no longer executed or predicted the same way.",
                everyone(),
            ),
            Some(now) if now != was => out.push_for(
                changed,
                on_change,
                coordinate,
                format!("{what} is now {now} instead of {was}"),
                changed_reason,
                everyone(),
            ),
            Some(_) => {}
        }
    }
    for (key, now) in after.iter().filter(|(k, _)| !before.contains_key(*k)) {
        let (coordinate, what) = place(key);
        out.push_for(
            added,
            on_add,
            coordinate,
            format!("{what} is declared: {now}"),
            "A new declaration: effects may now store, own or read back through it.",
            everyone(),
        );
    }
}

fn result(result: &Option<Text>, field: &Option<Text>) -> String {
    let at = result.as_ref().map_or_else(
        || "the result itself".to_owned(),
        |path| format!("`{path}`"),
    );
    match field {
        Some(field) => format!("{at} (its `{field}`)"),
        None => at,
    }
}

fn owner(owner: &EffectOwner) -> String {
    match &owner.role {
        Some(role) => format!("{} ({role})", owner.field),
        None => owner.field.to_string(),
    }
}

fn source(source: &WriteSource) -> String {
    match source {
        WriteSource::Input { path, via: None } => format!("input `{path}`"),
        WriteSource::Input {
            path,
            via: Some(via),
        } => {
            format!("`{}` of the {} at input `{path}`", via.field, via.entity)
        }
        WriteSource::Value(value) => format!("the constant `{value}`"),
        WriteSource::Context(context) => context_name(*context).to_owned(),
    }
}

fn context_name(context: EffectContext) -> &'static str {
    match context {
        EffectContext::CallerAccount => "the caller's account",
        EffectContext::CallerUser => "the caller's user",
        EffectContext::Now => "the time of the request",
        EffectContext::Generated => "a generated value",
    }
}

fn condition(c: &EffectCondition) -> String {
    use runtime::rules::ConditionRead;
    let read = match &c.read {
        ConditionRead::Input(path) => format!("input `{path}`"),
        ConditionRead::Target { field } => format!("the target's `{field}`"),
        ConditionRead::At { at, entity, field } => {
            format!("`{field}` of the {entity} at input `{at}`")
        }
    };
    let mut test = Vec::new();
    if let Some(values) = &c.one_of {
        test.push(format!("one of {}", values.join(", ")));
    }
    if let Some(path) = &c.equals {
        test.push(format!("equal to input `{path}`"));
    }
    if let Some(context) = c.is {
        test.push(format!("is {}", context_name(context)));
    }
    if let Some(path) = &c.path {
        test.push(format!("errors keyed by `{path}`"));
    }
    format!("{read} {}", test.join(", "))
}
