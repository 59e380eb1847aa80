//! Resolving the paths of the mutation-semantics declarations against a schema's types, and what may be written
//! where: what the checks of `entities` and `mutations` are made of.

use apollo_compiler::ast::{Directive, FieldDefinition, Type};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::{Node, Schema};
use runtime::rules::EffectContext;

/// Where an input path leads: its type, and the prefixes it passes through that are lists.
pub(super) struct InputAt {
    pub(super) ty: Type,
    pub(super) lists: Vec<String>,
}

/// Where an output field path leads: the named type and whether any step was a list (or a paginator).
#[derive(Debug, PartialEq)]
pub(super) struct OutputAt {
    pub(super) named: String,
    pub(super) list: bool,
    pub(super) nullable: bool,
}

const NUMBERS: &[&str] = &[
    "Int",
    "Float",
    "Decimal",
    "DecimalTwo",
    "DecimalFour",
    "Percentage",
    "StrictPercentage",
];

/// The declarations of one schema, with what checking them needs.
pub(super) struct Checker<'a> {
    pub(super) schema: &'a Schema,
    /// Each problem with the directive it is reported at.
    pub(super) problems: Vec<(Node<Directive>, String)>,
    /// `@account` types by role.
    pub(super) accounts: Vec<(String, String)>,
    /// The type of the lookup without arguments (`viewer`): the caller's user.
    pub(super) user_type: Option<String>,
}

impl Checker<'_> {
    /// The type at an input path; under `each`, the `each` list stands for its current element.
    pub(super) fn input(
        &self,
        field: &FieldDefinition,
        path: &str,
        each: Option<&str>,
    ) -> Result<InputAt, String> {
        let mut segments = path.split('.');
        let first = segments.next().unwrap_or_default();
        let argument = field
            .arguments
            .iter()
            .find(|a| a.name == first)
            .ok_or_else(|| format!("input path `{path}`: no argument `{first}`"))?;
        let mut at = InputAt {
            ty: (*argument.ty).clone(),
            lists: Vec::new(),
        };
        let mut prefix = first.to_string();
        let element = |prefix: &str, at: &mut InputAt| {
            if each == Some(prefix) {
                at.ty = at.ty.item_type().clone();
            }
        };
        element(&prefix, &mut at);
        for segment in segments {
            if at.ty.is_list() {
                at.lists.push(prefix.clone());
            }
            let named = at.ty.inner_named_type();
            let next = self
                .schema
                .get_input_object(named)
                .and_then(|o| o.fields.get(segment))
                .ok_or_else(|| {
                    format!("input path `{path}`: `{prefix}` ({named}) has no `{segment}`")
                })?;
            at.ty = (*next.ty).clone();
            prefix = format!("{prefix}.{segment}");
            element(&prefix, &mut at);
        }
        Ok(at)
    }

    /// A field of a type; on a union, the field every member has, with the same type.
    pub(super) fn field(
        &self,
        type_name: &str,
        name: &str,
    ) -> Result<Node<FieldDefinition>, String> {
        let found = match self.schema.types.get(type_name) {
            Some(ExtendedType::Object(o)) => o.fields.get(name).cloned(),
            Some(ExtendedType::Interface(i)) => i.fields.get(name).cloned(),
            Some(ExtendedType::Union(u)) => {
                let mut each = u.members.iter().map(|m| self.field(m, name));
                let first = each.next().transpose()?;
                for other in each {
                    if other?.ty != first.as_ref().expect("a member").ty {
                        return Err(format!("`{type_name}.{name}` differs between members"));
                    }
                }
                first
            }
            _ => None,
        };
        found.ok_or_else(|| format!("`{type_name}` has no field `{name}`"))
    }

    pub(super) fn output(&self, type_name: &str, path: &str) -> Result<OutputAt, String> {
        let mut at = OutputAt {
            named: type_name.to_string(),
            list: false,
            nullable: false,
        };
        for segment in path.split('.') {
            let field = self.field(&at.named, segment)?;
            let mut ty = field.ty.clone();
            if field.directives.get("paginated").is_some() {
                ty = self.field(ty.inner_named_type(), "data")?.ty.clone();
            }
            at = OutputAt {
                named: ty.inner_named_type().to_string(),
                list: at.list || ty.is_list(),
                nullable: !ty.is_non_null(),
            };
        }
        Ok(at)
    }

    /// Whether `found` is `wanted`, or one of them is an interface or union that includes the other.
    pub(super) fn reaches(&self, found: &str, wanted: &str) -> bool {
        found == wanted
            || self.schema.is_subtype(found, wanted)
            || self.schema.is_subtype(wanted, found)
    }

    pub(super) fn is_account(&self, named: &str) -> bool {
        self.accounts.iter().any(|(_, ty)| self.reaches(named, ty))
    }

    pub(super) fn is_entity(&self, named: &str) -> bool {
        match self.schema.types.get(named) {
            Some(ExtendedType::Object(o)) => o.directives.get("entity").is_some(),
            Some(ExtendedType::Union(_) | ExtendedType::Interface(_)) => self
                .schema
                .types
                .keys()
                .any(|t| self.schema.is_subtype(named, t) && self.is_entity(t)),
            _ => false,
        }
    }

    /// Whether a literal (GraphQL syntax) is a value of a type.
    pub(super) fn literal_fits(&self, named: &str, nullable: bool, literal: &str) -> bool {
        if literal == "null" {
            return nullable;
        }
        match self.schema.types.get(named) {
            Some(ExtendedType::Enum(e)) => e.values.contains_key(literal),
            _ if named == "Boolean" => matches!(literal, "true" | "false"),
            _ if named == "Int" => literal.parse::<i64>().is_ok(),
            _ if NUMBERS.contains(&named) => literal.parse::<f64>().is_ok(),
            _ => literal.len() >= 2 && literal.starts_with('"') && literal.ends_with('"'),
        }
    }

    pub(super) fn context_fits(&self, context: EffectContext, named: &str) -> bool {
        match context {
            EffectContext::CallerAccount => self.is_account(named),
            EffectContext::CallerUser => self.user_type.as_deref() == Some(named),
            EffectContext::Now => matches!(named, "Date" | "DateTime"),
            EffectContext::Generated => matches!(named, "String" | "ID" | "URL"),
        }
    }

    /// Whether an input value of type `from` may be written to an entity field of type `to`.
    pub(super) fn writable(&self, from: &Type, to: &OutputAt) -> bool {
        let (a, b) = (from.inner_named_type().as_str(), to.named.as_str());
        from.is_list() == to.list
            && (a == b
                || (a == "ID" && (self.is_entity(b) || b == "String"))
                || (NUMBERS.contains(&a) && NUMBERS.contains(&b)))
    }

    /// An entity field that a write may target: no arguments, or a `@relation` the store keeps.
    pub(super) fn written_field(&self, entity: &str, name: &str) -> Result<OutputAt, String> {
        let field = self.field(entity, name)?;
        let kept = field
            .directives
            .get("relation")
            .is_some_and(|r| r.specified_argument_by_name("inverse").is_none());
        if !field.arguments.is_empty() && !kept {
            return Err(format!(
                "`{entity}.{name}` takes arguments and is no stored @relation"
            ));
        }
        self.output(entity, name)
    }

    /// An input path of an id; `many` allows a list of them.
    pub(super) fn id_path(
        &self,
        field: &FieldDefinition,
        path: &str,
        each: Option<&str>,
        many: bool,
    ) -> Result<(), String> {
        let at = self.input(field, path, each)?;
        if at.ty.inner_named_type() != "ID" {
            return Err(format!("`{path}` is {}, not an id", at.ty));
        }
        if !many && (at.ty.is_list() || !at.lists.is_empty()) {
            return Err(format!("`{path}` names several ids where one is expected"));
        }
        Ok(())
    }
}
