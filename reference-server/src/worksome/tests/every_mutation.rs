//! Every mutation of the rules table can be called by a caller of an allowed role without an authorization
//! refusal: data-driven from the table (roles, effects) and the schema (input types), with ids drawn from the
//! fixtures, so no mutation is listed by hand.

use std::collections::BTreeMap;

use runtime::apollo_compiler::Schema;
use runtime::apollo_compiler::ast::Type;
use runtime::apollo_compiler::schema::ExtendedType;
use runtime::rules::{ConditionRead, Effect, EffectKind, FieldRules, WriteSource};
use serde_json::{Map, Value, json};

use super::{FORBIDDEN, harness};
use crate::worksome::{TOKENS, Token};

const FIXTURES: &str = include_str!("../fixtures.json");

/// The fixtures by type.
fn fixtures() -> BTreeMap<String, Vec<Map<String, Value>>> {
    let all: BTreeMap<String, Vec<Value>> = serde_json::from_str(FIXTURES).expect("fixtures");
    all.into_iter()
        .map(|(t, items)| {
            let items = items
                .into_iter()
                .filter_map(|v| v.as_object().cloned())
                .collect();
            (t, items)
        })
        .collect()
}

/// What one mutation's input is built from.
struct Builder<'a> {
    schema: &'a Schema,
    effect: &'a Effect,
    fixtures: &'a BTreeMap<String, Vec<Map<String, Value>>>,
    /// The entity type each id path names.
    id_types: BTreeMap<String, String>,
    caller: &'a Token,
    /// The id the target path gets.
    target: Option<String>,
}

impl Builder<'_> {
    /// Fixture entities of a type (or of the entity types an interface or union covers).
    fn candidates(&self, type_name: &str) -> Vec<&Map<String, Value>> {
        self.fixtures
            .iter()
            .filter(|(t, _)| *t == type_name || self.schema.is_subtype(type_name, t))
            .flat_map(|(_, items)| items.iter())
            .collect()
    }

    /// An id for a path: the target's, else the caller's own entity, else one related to the caller, else any.
    fn id(&self, path: &str, field_type: Option<&str>) -> Value {
        let targeted =
            self.effect.id.as_deref() == Some(path) || self.effect.copy.as_deref() == Some(path);
        if targeted && let Some(target) = &self.target {
            return json!(target);
        }
        let Some(of_type) = self.id_types.get(path).map(String::as_str).or(field_type) else {
            return json!(self.caller.account);
        };
        let candidates = self.candidates(of_type);
        let mine = |record: &&Map<String, Value>| {
            record.values().any(|v| {
                v == &json!(self.caller.account)
                    || v == &json!(self.caller.user)
                    || v.as_array()
                        .is_some_and(|a| a.contains(&json!(self.caller.user)))
            }) || record["id"] == json!(self.caller.account)
                || record["id"] == json!(self.caller.user)
        };
        let own = candidates
            .iter()
            .find(|r| r["id"] == json!(self.caller.account) || r["id"] == json!(self.caller.user))
            .or_else(|| candidates.iter().find(|r| mine(r)))
            .or(candidates.first());
        own.map_or(json!(self.caller.account), |r| r["id"].clone())
    }

    fn value(&self, ty: &Type, path: &str) -> Value {
        let named = ty.inner_named_type().as_str();
        let one = match self.schema.types.get(named) {
            Some(ExtendedType::InputObject(object)) => {
                let mut map = Map::new();
                for (name, field) in &object.fields {
                    let field_path = format!("{path}.{name}");
                    let named_by_effect =
                        self.id_types.contains_key(&field_path) || self.reads(&field_path);
                    let required = field.ty.is_non_null() && field.default_value.is_none();
                    // A REPLACE clears what its input leaves out, and refuses a required entity field left out.
                    let replaced = self.effect.kind == EffectKind::Replace;
                    if required || named_by_effect || replaced {
                        map.insert(name.to_string(), self.value(&field.ty, &field_path));
                    }
                }
                Value::Object(map)
            }
            // The first value a condition on this input allows (`oneOf`), else the first of the enum.
            Some(ExtendedType::Enum(e)) => {
                let allowed = self.effect.requires.iter().find_map(|c| match &c.read {
                    ConditionRead::Input(p) if p == path => c.one_of.as_ref()?.first().cloned(),
                    _ => None,
                });
                match allowed {
                    Some(value) => json!(value),
                    None => json!(e.values.keys().next().map(|v| v.as_str())),
                }
            }
            _ => match named {
                "ID" => {
                    let entity = self.effect.entity.as_deref().unwrap_or_default();
                    let field = path.rsplit('.').next().unwrap_or_default();
                    let field_type = self
                        .schema
                        .get_object(entity)
                        .and_then(|o| o.fields.get(field))
                        .map(|f| f.ty.inner_named_type().as_str());
                    self.id(path, field_type)
                }
                "Int" => json!(1),
                "Float" | "Decimal" | "DecimalTwo" | "DecimalFour" | "Percentage"
                | "StrictPercentage" => json!(1.5),
                "Boolean" => json!(true),
                "Date" => json!("2026-12-01"),
                "DateTime" => json!("2026-12-01 10:00:00"),
                "Time" => json!("10:00:00"),
                "Email" => json!("someone@example.com"),
                "URL" => json!("https://example.com/"),
                "E164PhoneNumber" => json!("+4520304050"),
                _ => json!("text"),
            },
        };
        if ty.is_list() { json!([one]) } else { one }
    }

    /// Whether the effect reads this input path (a write or a condition).
    fn reads(&self, path: &str) -> bool {
        let e = self.effect;
        e.fields
            .iter()
            .any(|f| matches!(&f.source, WriteSource::Input { path: p, .. } if p == path))
            || e.requires.iter().any(|c| {
                matches!(&c.read, ConditionRead::Input(p) if p == path)
                    || c.equals.as_deref() == Some(path)
            })
            || [&e.id, &e.members, &e.copy, &e.each]
                .iter()
                .any(|p| p.as_deref() == Some(path))
    }
}

/// The entity type each id path of an effect names.
fn id_types(schema: &Schema, effect: &Effect) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(entity) = effect.entity.as_deref() else {
        return out;
    };
    for path in [&effect.id, &effect.copy].into_iter().flatten() {
        out.insert(path.to_string(), entity.to_owned());
    }
    if let (Some(relation), Some(members)) = (&effect.relation, &effect.members)
        && let Some(field) = schema
            .get_object(entity)
            .and_then(|o| o.fields.get(relation.as_ref()))
    {
        out.insert(
            members.to_string(),
            listed(schema, field.ty.inner_named_type()),
        );
    }
    for write in effect.fields.iter() {
        match &write.source {
            WriteSource::Input {
                path,
                via: Some(via),
            } => {
                out.insert(path.to_string(), via.entity.to_string());
            }
            WriteSource::Input { path, via: None } => {
                if let Some(field) = schema
                    .get_object(entity)
                    .and_then(|o| o.fields.get(write.field.as_ref()))
                {
                    out.insert(
                        path.to_string(),
                        listed(schema, field.ty.inner_named_type()),
                    );
                }
            }
            _ => {}
        }
    }
    for condition in effect.requires.iter() {
        if let ConditionRead::At { at, entity, .. } = &condition.read {
            out.insert(at.to_string(), entity.to_string());
        }
    }
    out
}

/// The type a field lists: the `data` items of a paginator, else itself.
fn listed(schema: &Schema, named: &str) -> String {
    schema
        .get_object(named)
        .and_then(|o| o.fields.get("data"))
        .map_or(named, |d| d.ty.inner_named_type().as_str())
        .to_owned()
}

/// The operation calling a mutation with its arguments as variables, selecting `__typename` of a composite result.
fn operation(schema: &Schema, name: &str) -> String {
    let field = &schema.get_object("Mutation").expect("Mutation").fields[name];
    let composite = !matches!(
        schema.types.get(field.ty.inner_named_type()),
        Some(ExtendedType::Scalar(_) | ExtendedType::Enum(_))
    );
    let selection = if composite { " { __typename }" } else { "" };
    if field.arguments.is_empty() {
        return format!("mutation {{ {name}{selection} }}");
    }
    let declared: Vec<String> = field
        .arguments
        .iter()
        .map(|a| format!("${}: {}", a.name, a.ty))
        .collect();
    let passed: Vec<String> = field
        .arguments
        .iter()
        .map(|a| format!("{0}: ${0}", a.name))
        .collect();
    format!(
        "mutation({}) {{ {name}({}){selection} }}",
        declared.join(", "),
        passed.join(", ")
    )
}

#[test]
fn every_mutation_is_callable_by_an_allowed_role() {
    let rules = &generated::worksome::RULES;
    let fixtures = fixtures();
    let mut refused = Vec::new();
    let mut succeeded = 0;
    let mut not_outright = Vec::new();
    let mutations: Vec<(&FieldRules, &Effect)> = rules.effects().collect();
    assert_eq!(mutations.len(), 101);
    let roles_declared = rules
        .auth
        .as_ref()
        .map(|a| a.roles.to_vec())
        .unwrap_or_default();
    for (field, effect) in mutations {
        let h = harness(&[]);
        let schema = h.api().engine().schema().clone();
        let allowed = if field.roles.is_empty() {
            &roles_declared[..]
        } else {
            &field.roles[..]
        };
        let ids = id_types(&schema, effect);
        let query = operation(&schema, &field.field_name);
        let mut last = Value::Null;
        let mut authorized = false;
        'callers: for caller in TOKENS
            .iter()
            .filter(|t| allowed.iter().any(|r| r == t.role))
        {
            let targets: Vec<Option<String>> = match effect.id.as_deref().or(effect.copy.as_deref())
            {
                Some(path) => ids
                    .get(path)
                    .map(|t| {
                        let b = Builder {
                            schema: &schema,
                            effect,
                            fixtures: &fixtures,
                            id_types: ids.clone(),
                            caller,
                            target: None,
                        };
                        b.candidates(t)
                            .iter()
                            .map(|r| r["id"].as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_else(|| vec![None]),
                None => vec![None],
            };
            for target in targets {
                let builder = Builder {
                    schema: &schema,
                    effect,
                    fixtures: &fixtures,
                    id_types: ids.clone(),
                    caller,
                    target,
                };
                let mutation_field = &schema.get_object("Mutation").expect("Mutation").fields
                    [field.field_name.as_ref()];
                let variables: Map<String, Value> = mutation_field
                    .arguments
                    .iter()
                    .map(|a| (a.name.to_string(), builder.value(&a.ty, a.name.as_str())))
                    .collect();
                let answer = h.send(Some(caller.token), &query, Value::Object(variables));
                let message = answer["errors"][0]["message"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                authorized |= message != FORBIDDEN;
                let done = answer.get("errors").is_none();
                last = answer;
                if done {
                    succeeded += 1;
                    break 'callers;
                }
            }
        }
        if !authorized {
            refused.push(format!("{}: {last}", field.field_name));
        } else if last.get("errors").is_some() {
            not_outright.push(format!("{}: {}", field.field_name, last["errors"][0]));
        }
    }
    assert!(
        refused.is_empty(),
        "{} mutations refused to every allowed caller:\n{}",
        refused.len(),
        refused.join("\n")
    );
    assert!(
        not_outright.is_empty(),
        "{succeeded} of 101 mutations succeeded for some allowed caller and target; the last refusal of the \
         others:\n{}",
        not_outright.join("\n")
    );
}
