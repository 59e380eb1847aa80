//! A mutation call built from its `@effect` and the world: the document (arguments as variables, the result's
//! entity id selected) and valid variables. Required input fields get values of their types; ids get live entities
//! of the type the declarations give the path (the target, a reference written, a condition's `at`), preferring
//! ones that satisfy the conditions reading them and, for a CREATE, that make the new entity the caller's; input
//! conditions are met (`oneOf`, `equals`). Fixed paths (a target, a made-up id, a violation) are taken as given.

use std::collections::BTreeMap;

use apollo_compiler::schema::{ExtendedType, Type};
use runtime::rules::{ConditionRead, Effect, EffectKind, FieldRules, WriteSource};
use serde_json::{Map, Value, json};

use super::conditions::{Outcome, holds, input_at, parse_literal, set_input, test};
use super::predict::{InputWrite, input_writes};
use super::read::id_selection;
use super::world::{Actor, Record, World, entity_types, id_of, member_type};
use crate::schema::SchemaInfo;

/// What to do with an input field an effect writes, where the input may leave it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Absent,
    Null,
    Value,
}

/// What a call is built from.
#[derive(Debug, Clone)]
pub struct Spec<'w> {
    pub field: &'static FieldRules,
    pub effect: &'static Effect,
    pub actor: &'w Actor,
    /// Values given by input path (the target's id, a made-up id, a violating value).
    pub fixed: BTreeMap<String, Value>,
    /// Chooses absent, null or a value for each optional write, when given; else declared writes get values and
    /// implicit ones are left out.
    pub writes: Option<u64>,
    /// Varies the values and the entities picked.
    pub seed: u64,
    /// An optional input path left out whatever `writes` draws (an UPDATE must keep what its input leaves out).
    pub left_out: Option<String>,
}

/// A built call.
#[derive(Debug, Clone)]
pub struct Call {
    pub document: String,
    /// The arguments, as the variables of the document.
    pub args: Value,
}

/// The entity type each id path of an effect names (on an entity of `type_name`).
fn id_types(s: &SchemaInfo, field: &FieldRules, type_name: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(effect) = &field.effect else {
        return out;
    };
    for path in [&effect.id, &effect.copy].into_iter().flatten() {
        out.insert(path.to_string(), type_name.to_owned());
    }
    if let (Some(relation), Some(members)) = (&effect.relation, &effect.members)
        && let Some(f) = s.field(type_name, relation)
    {
        out.insert(members.to_string(), member_type(s, f.ty.inner_named_type()));
    }
    for w in input_writes(s, field, type_name) {
        let named = match &w.via {
            Some((entity, _)) => entity.clone(),
            None => match s.field(type_name, &w.field) {
                Some(f) => member_type(s, f.ty.inner_named_type()),
                None => continue,
            },
        };
        // An ID or String field that holds an id without referencing an entity is filled as an untyped id.
        if !entity_types(s, &named).is_empty() {
            out.entry(w.path).or_insert(named);
        }
    }
    for c in effect.requires.iter() {
        if let ConditionRead::At { at, entity, .. } = &c.read {
            out.insert(at.to_string(), entity.to_string());
        }
    }
    out
}

/// The input paths the declarations name (ids, lists, copies, reads of conditions), without the writes.
fn declared_paths(effect: &Effect) -> Vec<String> {
    let mut out: Vec<String> = [&effect.id, &effect.each, &effect.members, &effect.copy]
        .into_iter()
        .flatten()
        .map(|p| p.to_string())
        .collect();
    for c in effect.requires.iter() {
        match &c.read {
            ConditionRead::Input(p) => out.push(p.to_string()),
            ConditionRead::At { at, .. } => out.push(at.to_string()),
            ConditionRead::Target { .. } => {}
        }
        out.extend(c.equals.iter().map(|p| p.to_string()));
    }
    out
}

/// The concrete type the effect acts on for a target (or, for a CREATE, the one it creates).
pub fn acted_type(s: &SchemaInfo, effect: &Effect, target: Option<&str>) -> Option<String> {
    let entity = effect.entity.as_deref()?;
    target
        .map(str::to_owned)
        .or_else(|| entity_types(s, entity).into_iter().next())
}

struct Builder<'a> {
    s: &'a SchemaInfo,
    world: &'a World,
    spec: &'a Spec<'a>,
    type_name: String,
    ids: BTreeMap<String, String>,
    writes: Vec<InputWrite>,
    declared: Vec<String>,
    rng: u64,
}

/// Builds the call; `Err` names an id path no known entity can fill.
pub fn build(
    s: &SchemaInfo,
    world: &World,
    spec: &Spec<'_>,
    target_type: Option<&str>,
) -> Result<Call, String> {
    let effect = spec.effect;
    let type_name = acted_type(s, effect, target_type).unwrap_or_default();
    let mut b = Builder {
        s,
        world,
        spec,
        ids: id_types(s, spec.field, &type_name),
        writes: input_writes(s, spec.field, &type_name),
        declared: declared_paths(effect),
        type_name,
        rng: spec.seed ^ 0x9e37_79b9_7f4a_7c15,
    };
    let def = s
        .field(&spec.field.type_name, &spec.field.field_name)
        .ok_or("the mutation is not in the SDL")?;
    let mut args = Map::new();
    // Each argument sent: its variable's declaration, and how the field receives it.
    let mut declared_vars = Vec::new();
    let mut passed = Vec::new();
    for a in &def.arguments {
        let name = a.name.as_str();
        let required = a.ty.is_non_null() && a.default_value.is_none();
        if !required && b.left_out(name) {
            continue;
        }
        if required || b.touched(name) || b.named(name) || b.write(name).is_some() {
            args.insert(name.to_owned(), b.value(&a.ty, name, 0)?);
            declared_vars.push(format!("${name}: {}", a.ty));
            passed.push(format!("{name}: ${name}"));
        }
    }
    let mut args = Value::Object(args);
    // Input conditions met, unless the path is given.
    for c in effect.requires.iter() {
        let ConditionRead::Input(path) = &c.read else {
            continue;
        };
        if spec.fixed.contains_key(&**path) || input_at(&args, path).is_none() {
            continue;
        }
        if let Some(q) = &c.equals
            && let Some(v) = input_at(&args, q)
        {
            set_input(&mut args, path, &v);
        }
        if let Some(allowed) = c.one_of.as_ref().filter(|a| !a.is_empty()) {
            let pick = b.next() as usize % allowed.len();
            set_input(&mut args, path, &parse_literal(&allowed[pick]));
        }
    }
    let selection = result_selection(s, effect, def.ty.inner_named_type());
    let document = if passed.is_empty() {
        format!("mutation {{ {}{selection} }}", spec.field.field_name)
    } else {
        format!(
            "mutation Effect({}) {{ {}({}){selection} }}",
            declared_vars.join(", "),
            spec.field.field_name,
            passed.join(", ")
        )
    };
    Ok(Call { document, args })
}

impl Builder<'_> {
    fn next(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut x = self.rng;
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    }

    fn covers(paths: impl IntoIterator<Item = impl AsRef<str>>, path: &str) -> bool {
        let prefix = format!("{path}.");
        paths
            .into_iter()
            .any(|p| p.as_ref() == path || p.as_ref().starts_with(&prefix))
    }

    /// Whether a given value lies at or below the path.
    fn touched(&self, path: &str) -> bool {
        Self::covers(self.spec.fixed.keys(), path)
    }

    /// Whether a declaration other than a write names the path or something below it.
    fn named(&self, path: &str) -> bool {
        Self::covers(&self.declared, path)
    }

    /// The write from this path, or the first below it.
    fn write(&self, path: &str) -> Option<&InputWrite> {
        let prefix = format!("{path}.");
        self.writes
            .iter()
            .find(|w| w.path == path || w.path.starts_with(&prefix))
    }

    /// Whether the spec leaves the path out (a given or declared path is sent all the same).
    fn left_out(&self, path: &str) -> bool {
        self.spec.left_out.as_deref() == Some(path) && !self.touched(path) && !self.named(path)
    }

    /// Whether an optional input field is sent, as null or a value.
    fn presence(&mut self, path: &str) -> Presence {
        if self.left_out(path) {
            return Presence::Absent;
        }
        if self.touched(path) || self.named(path) {
            return Presence::Value;
        }
        let Some(write) = self.write(path).cloned() else {
            return Presence::Absent;
        };
        let Some(seed) = self.spec.writes else {
            // Declared writes get values; implicit ones stay out.
            let declared = self.spec.effect.fields.iter().any(|f| {
                matches!(&f.source, WriteSource::Input { path: p, .. } if Self::covers([p], path))
            });
            return if declared {
                Presence::Value
            } else {
                Presence::Absent
            };
        };
        let nullable = write.path == path
            && write.via.is_none()
            && self
                .s
                .field(&self.type_name, &write.field)
                .is_some_and(|f| !f.ty.is_non_null());
        // A REPLACE clears what is absent: a non-null field must be given.
        if self.spec.effect.kind == EffectKind::Replace && !nullable {
            return Presence::Value;
        }
        let hash = path.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        match hash % 3 {
            0 => Presence::Absent,
            1 if nullable => Presence::Null,
            _ => Presence::Value,
        }
    }

    fn value(&mut self, ty: &Type, path: &str, depth: u32) -> Result<Value, String> {
        if let Some(v) = self.spec.fixed.get(path) {
            return Ok(match v {
                Value::Array(_) => v.clone(),
                one if ty.is_list() => json!([one]),
                one => one.clone(),
            });
        }
        if depth > 6 {
            return Err(format!("{path} nests too deep"));
        }
        if ty.is_list() {
            return Ok(json!([self.value(ty.item_type(), path, depth + 1)?]));
        }
        let named = ty.inner_named_type().as_str();
        let s = self.s;
        match s.schema.types.get(named) {
            Some(ExtendedType::InputObject(object)) => {
                let mut map = Map::new();
                for (name, f) in &object.fields {
                    let fpath = format!("{path}.{name}");
                    let required = f.ty.is_non_null() && f.default_value.is_none();
                    let presence = if required {
                        Presence::Value
                    } else {
                        self.presence(&fpath)
                    };
                    match presence {
                        Presence::Absent => {}
                        Presence::Null => {
                            map.insert(name.to_string(), Value::Null);
                        }
                        Presence::Value => {
                            map.insert(name.to_string(), self.value(&f.ty, &fpath, depth + 1)?);
                        }
                    }
                }
                Ok(Value::Object(map))
            }
            Some(ExtendedType::Enum(e)) => {
                let values: Vec<&str> = e.values.keys().map(|v| v.as_str()).collect();
                let pick = self.next() as usize % values.len().max(1);
                Ok(values.get(pick).map_or(Value::Null, |v| json!(v)))
            }
            _ if named == "ID" => self.id(path),
            _ => Ok(self.scalar(named)),
        }
    }

    /// A value of a scalar, varied by the seed.
    fn scalar(&mut self, named: &str) -> Value {
        let n = self.next() % 1000;
        match named {
            "Int" => json!(1 + n % 90),
            "Float" | "Decimal" | "DecimalTwo" | "DecimalFour" | "Percentage"
            | "StrictPercentage" => {
                json!(1.5 + (n % 90) as f64)
            }
            "Boolean" => json!(n.is_multiple_of(2)),
            "Date" => json!(format!("2026-12-{:02}", 1 + n % 28)),
            "DateTime" => json!(format!("2026-12-{:02}T10:00:00.000000Z", 1 + n % 28)),
            "Time" => json!(format!("10:{:02}:00", n % 60)),
            "Email" => json!(format!("conformance{n}@example.com")),
            "URL" => json!(format!("https://example.com/conformance/{n}")),
            "E164PhoneNumber" => json!(format!("+45203{n:05}")),
            _ => json!(format!("conformance-{n}")),
        }
    }

    /// A live entity for an id path, of the type the declarations give it.
    fn id(&mut self, path: &str) -> Result<Value, String> {
        let Some(of_type) = self.ids.get(path).cloned() else {
            // An id no declaration types: the caller's account stands for it.
            return Ok(json!(self.spec.actor.account.clone().unwrap_or_default()));
        };
        let (s, world, actor, effect) = (self.s, self.world, self.spec.actor, self.spec.effect);
        let candidates = world.all(&entity_types(s, &of_type));
        let writes: Vec<InputWrite> = self
            .writes
            .iter()
            .filter(|w| w.path == path)
            .cloned()
            .collect();
        let score = |(t, r): &(&str, &Record)| -> u32 {
            let mut score = 0;
            for c in effect.requires.iter() {
                if let ConditionRead::At { at, field, .. } = &c.read
                    && at == path
                    && test(c, &world.path(s, t, r, field), &Value::Null, actor)
                {
                    score += 4;
                }
            }
            for w in &writes {
                for owner in effect.owners.iter() {
                    if owner
                        .role
                        .as_deref()
                        .is_some_and(|role| !actor.has_role(role))
                    {
                        continue;
                    }
                    let rest = if *owner.field == *w.field {
                        ""
                    } else if let Some(rest) = owner.field.strip_prefix(&format!("{}.", w.field)) {
                        rest
                    } else {
                        continue;
                    };
                    let through: Vec<&str> = w
                        .via
                        .as_ref()
                        .map(|(_, f)| f.as_str())
                        .into_iter()
                        .chain((!rest.is_empty()).then_some(rest))
                        .collect();
                    let value = if through.is_empty() {
                        json!(id_of(r))
                    } else {
                        world.path(s, t, r, &through.join("."))
                    };
                    if actor.in_value(&value) {
                        score += 2;
                    }
                }
            }
            if actor.is(&id_of(r)) || r.values().any(|v| actor.in_value(v)) {
                score += 1;
            }
            score
        };
        let best = candidates.iter().map(score).max();
        let top: Vec<&(&str, &Record)> = candidates
            .iter()
            .filter(|c| Some(score(c)) == best)
            .collect();
        if top.is_empty() {
            return Err(format!("no live {of_type} for `{path}`"));
        }
        let pick = self.next() as usize % top.len();
        Ok(json!(id_of(top[pick].1)))
    }
}

/// The selection of a mutation's result that shows the entity's id (`result` says where).
fn result_selection(s: &SchemaInfo, effect: &Effect, returned: &str) -> String {
    if s.is_leaf(returned) {
        return String::new();
    }
    let Some(path) = effect.result.as_deref() else {
        return format!(" {{ {} }}", id_selection(s, returned));
    };
    let mut ty = returned.to_owned();
    let mut open = Vec::new();
    for segment in path.split('.') {
        let Some(f) = s.field(&ty, segment) else {
            return " { __typename }".to_owned();
        };
        open.push(segment.to_owned());
        ty = f.ty.inner_named_type().to_string();
    }
    let inner = if s.is_leaf(&ty) {
        String::new()
    } else {
        format!(" {{ {} }}", id_selection(s, &ty))
    };
    let mut text = format!("{}{inner}", open.pop().unwrap_or_default());
    while let Some(segment) = open.pop() {
        text = format!("{segment} {{ {text} }}");
    }
    format!(" {{ {text} }}")
}

/// The ids of the entities a mutation's result shows.
pub fn result_ids(effect: &Effect, value: &Value) -> Vec<String> {
    let mut at = vec![value.clone()];
    if let Some(path) = effect.result.as_deref() {
        for segment in path.split('.') {
            at = at
                .into_iter()
                .flat_map(|v| match v {
                    Value::Array(items) => items,
                    other => vec![other],
                })
                .filter_map(|v| v.get(segment).cloned())
                .collect();
        }
    }
    at.into_iter()
        .flat_map(|v| match v {
            Value::Array(items) => items,
            other => vec![other],
        })
        .flat_map(|v| match v.get("id") {
            Some(id) => super::world::ids(id),
            None => super::world::ids(&v),
        })
        .collect()
}

/// Whether every precondition reading a target field holds for this target (a quick filter before building).
pub fn target_conditions_hold(
    s: &SchemaInfo,
    world: &World,
    effect: &Effect,
    target: (&str, &Record),
    actor: &Actor,
) -> bool {
    effect.requires.iter().all(|c| {
        !matches!(c.read, ConditionRead::Target { .. })
            || holds(s, world, c, &Value::Null, Some(target), actor) == Outcome::Holds
    })
}

/// Whether the effect is one the harness can act on by id: it names an entity and the input path of its id.
pub fn targeted(effect: &Effect) -> bool {
    effect.entity.is_some() && effect.id.is_some() && effect.kind != EffectKind::Create
}
