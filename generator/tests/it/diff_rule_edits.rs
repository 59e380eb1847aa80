//! Rule edits for the `diff` corpus: one change to the rule directives an API schema applies (on `schema` or on a
//! field): a directive removed, an Int argument halved or doubled, a list argument shortened, an enum or string
//! argument changed, a cost added.

use apollo_compiler::ast::{Argument, Directive, Value};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::{Name, Node, Schema};
use proptest::prelude::RngExt;
use proptest::test_runner::TestRng;

/// Where a rule directive is applied: on `schema` (its index), or on a field (type, field, index).
enum Place {
    Schema(usize),
    Field(Name, Name, usize),
}

fn is_rule(directive: &Directive, vocabulary: &Schema) -> bool {
    vocabulary
        .directive_definitions
        .contains_key(&directive.name)
        && !matches!(directive.name.as_str(), "source" | "api")
}

/// One rule edit, described; `None` when the drawn edit does not apply.
pub fn mutate_rules(schema: &mut Schema, vocabulary: &Schema, rng: &mut TestRng) -> Option<String> {
    let mut places = Vec::new();
    for (i, d) in schema.schema_definition.directives.iter().enumerate() {
        if is_rule(d, vocabulary) {
            places.push(Place::Schema(i));
        }
    }
    let mut fields = Vec::new();
    for (type_name, ty) in &schema.types {
        let ExtendedType::Object(object) = ty else {
            continue;
        };
        if vocabulary.types.contains_key(type_name) {
            continue;
        }
        for (field_name, field) in &object.fields {
            fields.push((type_name.clone(), field_name.clone()));
            for (i, d) in field.directives.iter().enumerate() {
                if is_rule(d, vocabulary) {
                    places.push(Place::Field(type_name.clone(), field_name.clone(), i));
                }
            }
        }
    }
    if rng.random_range(0..8) == 0 {
        let (type_name, field_name) = fields
            .get(rng.random_range(0..fields.len().max(1)))?
            .clone();
        let field = field_mut(schema, &type_name, &field_name)?;
        if field.directives.get("cost").is_some() {
            return None;
        }
        let mut cost = Directive::new(Name::new("cost").ok()?);
        cost.arguments.push(Node::new(Argument {
            name: Name::new("weight").ok()?,
            value: Node::new(Value::Int(3.into())),
        }));
        field.directives.push(Node::new(cost));
        return Some(format!("add @cost to {type_name}.{field_name}"));
    }
    let place = places.get(rng.random_range(0..places.len().max(1)))?;
    let remove = rng.random_range(0..4) == 0;
    match place {
        Place::Schema(i) => {
            let list = &mut schema.schema_definition.make_mut().directives;
            if remove {
                let name = list.0.remove(*i).name.clone();
                return Some(format!("remove @{name} from schema"));
            }
            edit(list.0[*i].make_mut(), rng).map(|what| format!("schema: {what}"))
        }
        Place::Field(type_name, field_name, i) => {
            let field = field_mut(schema, type_name, field_name)?;
            if remove {
                let name = field.directives.0.remove(*i).name.clone();
                return Some(format!("remove @{name} from {type_name}.{field_name}"));
            }
            edit(field.directives.0[*i].make_mut(), rng)
                .map(|what| format!("{type_name}.{field_name}: {what}"))
        }
    }
}

fn field_mut<'a>(
    schema: &'a mut Schema,
    type_name: &Name,
    field_name: &Name,
) -> Option<&'a mut apollo_compiler::ast::FieldDefinition> {
    match schema.types.get_mut(type_name)? {
        ExtendedType::Object(object) => {
            Some(object.make_mut().fields.get_mut(field_name)?.make_mut())
        }
        _ => None,
    }
}

/// Changes one argument of a directive: an Int halved or doubled, a list shortened, an enum swapped for another
/// value of the vocabulary's enum, a string extended.
fn edit(directive: &mut Directive, rng: &mut TestRng) -> Option<String> {
    let name = directive.name.clone();
    let count = directive.arguments.len();
    let argument = directive
        .arguments
        .get_mut(rng.random_range(0..count.max(1)))?
        .make_mut();
    let value = argument.value.make_mut();
    let what = match value {
        Value::Int(i) => {
            let old = i.try_to_i32().ok()?;
            let new = if rng.random_range(0..2) == 0 {
                (old / 2).max(1)
            } else {
                old * 2
            };
            if new == old {
                return None;
            }
            *value = Value::Int(new.into());
            format!("@{name}({}:) {old} → {new}", argument.name)
        }
        Value::List(items) if items.len() > 1 => {
            items.pop();
            format!("@{name}({}:) lost its last item", argument.name)
        }
        Value::Enum(e) => {
            let swapped = match e.as_str() {
                "CLAMP" => "REJECT",
                "REJECT" => "CLAMP",
                "GET" => "POST",
                "PUT" => "PATCH",
                "HEADERS" => "NONE",
                "QUOTA_FIELD" => "NONE",
                "HTTP_429" => "GRAPHQL_ERROR",
                "GRAPHQL_ERROR" => "HTTP_429",
                "BEARER_TOKEN" => "BEARER_SESSION",
                "HTTP_BASIC" => "BEARER_TOKEN",
                "EXTENSIONS_CODE" => "MESSAGE_ONLY",
                "ERROR_CODE_FIELD" => "EXTENSIONS_CODE",
                "HTTP_STATUS" => "EXTENSIONS_CODE",
                _ => return None,
            };
            let old = e.clone();
            *value = Value::Enum(Name::new(swapped).ok()?);
            format!("@{name}({}:) {old} → {swapped}", argument.name)
        }
        Value::Boolean(b) => {
            *b = !*b;
            format!("@{name}({}:) toggled", argument.name)
        }
        Value::String(s) if argument.name != "path" => {
            s.push_str(" (reworded)");
            format!("@{name}({}:) reworded", argument.name)
        }
        _ => return None,
    };
    Some(what)
}
