//! Reads the mutation-semantics directives (`@account`, `@entity`, `@relation`, `@effect`) into the runtime's typed
//! rules; a declaration whose arguments do not combine into one meaning (a write with two sources, a condition that
//! reads nothing) is reported where it stands. What the declarations mean against the types is checked in `check`.

use apollo_compiler::Node;
use apollo_compiler::ast::{Directive, Value};
use apollo_compiler::schema::{ExtendedType, FieldDefinition};
use runtime::rules::{
    Account, ConditionRead, Effect, EffectCondition, EffectContext, EffectField, EffectKind,
    EffectOwner, Entity, List, ListFilter, Relation, Text, Via, WriteSource,
};

use super::Reader;

/// The schema's `@account`, `@entity` and `@relation` declarations, each list sorted.
pub(super) struct Declarations {
    pub(super) accounts: Vec<Account>,
    pub(super) entities: Vec<Entity>,
    pub(super) relations: Vec<Relation>,
}

impl Reader<'_> {
    pub(super) fn declarations(&mut self) -> Declarations {
        let schema = self.schema;
        let accounts = schema
            .schema_definition
            .directives
            .get_all("account")
            .map(|d| Account {
                role: self.string(d, "role").unwrap_or_default().into(),
                type_name: self.string(d, "type").unwrap_or_default().into(),
            })
            .collect();
        let mut entities = Vec::new();
        let mut relations = Vec::new();
        for (type_name, ty) in &schema.types {
            let ExtendedType::Object(object) = ty else {
                continue;
            };
            if let Some(d) = object.directives.get("entity") {
                let list_filter = match self.value(d, "listFilter") {
                    Some(Value::Object(filter)) => Some(ListFilter {
                        argument: entry(filter, "argument").unwrap_or_default().into(),
                        field: entry(filter, "field").unwrap_or_default().into(),
                    }),
                    _ => None,
                };
                entities.push(Entity {
                    type_name: type_name.to_string().into(),
                    lookup: self.string(d, "lookup").map(Text::from),
                    list: self.string(d, "list").map(Text::from),
                    list_filter,
                });
            }
            for field in object.fields.values() {
                if let Some(d) = field.directives.get("relation") {
                    relations.push(Relation {
                        type_name: type_name.to_string().into(),
                        field_name: field.name.to_string().into(),
                        inverse: self.string(d, "inverse").map(Text::from),
                    });
                }
            }
        }
        entities.sort_by(|a, b| a.type_name.cmp(&b.type_name));
        relations.sort_by(|a, b| (&a.type_name, &a.field_name).cmp(&(&b.type_name, &b.field_name)));
        Declarations {
            accounts,
            entities,
            relations,
        }
    }

    /// The one `@effect` of a field, if any (the directive is not repeatable).
    pub(super) fn effect(&mut self, field: &FieldDefinition) -> Option<Effect> {
        let d = field.directives.get("effect")?;
        let reported = self.problems.len();
        let effect = self.read_effect(d);
        for problem in &mut self.problems[reported..] {
            problem.message = format!("{}: {}", field.name, problem.message);
        }
        effect
    }

    fn read_effect(&mut self, d: &Node<Directive>) -> Option<Effect> {
        let kind = self.enum_value(d, "kind", effect_kind)?;
        let text = |reader: &Self, name: &str| reader.string(d, name).map(Text::from);
        let fields = self.objects(d, "fields", Self::effect_field);
        let owners = self.objects(d, "owners", |_, _, owner| {
            Some(EffectOwner {
                field: entry(owner, "field").unwrap_or_default().into(),
                role: entry(owner, "role").map(Text::from),
            })
        });
        let requires = self.objects(d, "requires", Self::condition);
        Some(Effect {
            kind,
            entity: text(self, "entity"),
            id: text(self, "id"),
            each: text(self, "each"),
            fields,
            copy: text(self, "copy"),
            status_field: text(self, "statusField"),
            from: self.strings(d, "from"),
            to: text(self, "to"),
            relation: text(self, "relation"),
            members: text(self, "members"),
            owners,
            requires,
            result: text(self, "result"),
            result_field: text(self, "resultField"),
            beyond: text(self, "beyond"),
            beyond_fields: self.strings(d, "beyondFields"),
        })
    }

    /// A list argument of input objects, each read by `read` (which reports what it cannot read).
    fn objects<T: Clone>(
        &mut self,
        d: &Node<Directive>,
        name: &str,
        read: fn(&mut Self, &Node<Directive>, &Fields) -> Option<T>,
    ) -> List<T> {
        let items: Vec<Fields> = match self.value(d, name) {
            Some(Value::List(items)) => items
                .iter()
                .filter_map(|item| match &**item {
                    Value::Object(fields) => Some(fields.clone()),
                    _ => None,
                })
                .collect(),
            Some(Value::Object(fields)) => vec![fields.clone()],
            _ => Vec::new(),
        };
        let read: Vec<T> = items.iter().filter_map(|f| read(self, d, f)).collect();
        read.into()
    }

    fn effect_field(&mut self, d: &Node<Directive>, w: &Fields) -> Option<EffectField> {
        let field = entry(w, "field").unwrap_or_default();
        let via = match (entry(w, "entity"), entry(w, "via")) {
            (Some(entity), Some(via)) => Some(Via {
                entity: entity.into(),
                field: via.into(),
            }),
            (None, None) => None,
            _ => {
                self.problem(
                    d,
                    format!("write `{field}`: `entity` and `via` go together"),
                );
                return None;
            }
        };
        let context = entry_enum(w, "context");
        let source = match (entry(w, "input"), entry(w, "value"), context) {
            (Some(path), None, None) => WriteSource::Input {
                path: path.into(),
                via,
            },
            (None, Some(literal), None) if via.is_none() => WriteSource::Value(literal.into()),
            (None, None, Some(context)) if via.is_none() => {
                WriteSource::Context(self.context(d, &context)?)
            }
            _ => {
                self.problem(
                    d,
                    format!(
                        "write `{field}`: exactly one of `input`, `value` and `context` (`via` only with `input`)"
                    ),
                );
                return None;
            }
        };
        Some(EffectField {
            field: field.into(),
            source,
        })
    }

    fn condition(&mut self, d: &Node<Directive>, c: &Fields) -> Option<EffectCondition> {
        let invariant = entry(c, "invariant").unwrap_or_default();
        let read = match (
            entry(c, "input"),
            entry(c, "at"),
            entry(c, "entity"),
            entry(c, "field"),
        ) {
            (Some(path), None, None, None) => ConditionRead::Input(path.into()),
            (None, Some(at), Some(entity), Some(field)) => ConditionRead::At {
                at: at.into(),
                entity: entity.into(),
                field: field.into(),
            },
            (None, None, None, Some(field)) => ConditionRead::Target {
                field: field.into(),
            },
            _ => {
                self.problem(
                    d,
                    format!(
                        "requires `{invariant}`: read either `input`, or `field` of the target or of `at` with its `entity`"
                    ),
                );
                return None;
            }
        };
        let one_of = match lookup(c, "oneOf") {
            Some(Value::List(items)) => Some(
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(|s| Text::from(s.to_owned())))
                    .collect::<Vec<_>>()
                    .into(),
            ),
            _ => None,
        };
        let is = match entry_enum(c, "is") {
            Some(context) => Some(self.context(d, &context)?),
            None => None,
        };
        let equals = entry(c, "equals").map(Text::from);
        if one_of.is_none() && equals.is_none() && is.is_none() {
            self.problem(
                d,
                format!("requires `{invariant}`: a condition without `oneOf`, `equals` or `is`"),
            );
            return None;
        }
        Some(EffectCondition {
            invariant: invariant.into(),
            read,
            one_of,
            equals,
            is,
            path: entry(c, "path").map(Text::from),
        })
    }

    fn context(&mut self, d: &Node<Directive>, value: &str) -> Option<EffectContext> {
        let context = effect_context(value);
        if context.is_none() {
            self.problem(
                d,
                format!("`{value}` of @effect has no meaning in the rules table"),
            );
        }
        context
    }
}

/// The fields of an input object literal.
type Fields = Vec<(apollo_compiler::Name, Node<Value>)>;

fn lookup<'a>(fields: &'a Fields, key: &str) -> Option<&'a Value> {
    fields
        .iter()
        .find(|(name, _)| name == key)
        .map(|(_, v)| &**v)
        .filter(|v| !matches!(v, Value::Null))
}

fn entry(fields: &Fields, key: &str) -> Option<String> {
    lookup(fields, key)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn entry_enum(fields: &Fields, key: &str) -> Option<String> {
    match lookup(fields, key) {
        Some(Value::Enum(name)) => Some(name.to_string()),
        _ => None,
    }
}

fn effect_kind(value: &str) -> Option<EffectKind> {
    EffectKind::ALL.into_iter().find(|k| k.as_str() == value)
}

fn effect_context(value: &str) -> Option<EffectContext> {
    Some(match value {
        "CALLER_ACCOUNT" => EffectContext::CallerAccount,
        "CALLER_USER" => EffectContext::CallerUser,
        "NOW" => EffectContext::Now,
        "GENERATED" => EffectContext::Generated,
        _ => return None,
    })
}
