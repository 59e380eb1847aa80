//! Field arguments coerced to JSON the way apollo-compiler's executor coerces them (`CoerceArgumentValues()`):
//! defaults applied (nested input object defaults too), single values wrapped in lists, variables substituted, input
//! objects in definition order. Only the successful coercions are reproduced: wherever apollo-compiler would raise an
//! execution error, this returns [`Unsupported`] and the request runs through the reference executor instead, which
//! reports it exactly.

use apollo_compiler::ast::{Type, Value};
use apollo_compiler::executable::Argument;
use apollo_compiler::schema::{ExtendedType, FieldDefinition};
use apollo_compiler::validation::Valid;
use apollo_compiler::{Node, Schema};

use crate::response::{JsonMap, JsonValue};

/// A coercion the fast path does not reproduce (apollo-compiler reports an execution error for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unsupported;

type Coerced<T> = Result<T, Unsupported>;

/// Whether a literal mentions a variable anywhere (then it is coerced per request, else once per plan).
pub(crate) fn mentions_variables(value: &Value) -> bool {
    match value {
        Value::Variable(_) => true,
        Value::List(items) => items.iter().any(|item| mentions_variables(item)),
        Value::Object(fields) => fields.iter().any(|(_, value)| mentions_variables(value)),
        _ => false,
    }
}

/// The arguments of one field: `definition` is the field of the concrete object type, `arguments` those written on
/// the first selection of the field, `variables` the request's coerced variables.
pub(crate) fn coerce_arguments(
    schema: &Valid<Schema>,
    definition: &FieldDefinition,
    arguments: &[Node<Argument>],
    variables: &JsonMap,
) -> Coerced<JsonMap> {
    let mut coerced = JsonMap::new();
    for argument_def in &definition.arguments {
        let name = &argument_def.name;
        if let Some(argument) = arguments.iter().find(|a| a.name == *name) {
            if let Value::Variable(variable) = argument.value.as_ref() {
                if let Some(value) = variables.get(variable.as_str()) {
                    if value.is_null() && argument_def.ty.is_non_null() {
                        return Err(Unsupported);
                    }
                    coerced.insert(name.as_str(), value.clone());
                    continue;
                }
                // A variable without a value: as if the argument were not given.
            } else if argument.value.is_null() && argument_def.ty.is_non_null() {
                return Err(Unsupported);
            } else {
                let value = argument_value(schema, &argument_def.ty, &argument.value, variables)?;
                coerced.insert(name.as_str(), value);
                continue;
            }
        }
        if let Some(default) = &argument_def.default_value {
            coerced.insert(
                name.as_str(),
                default_value(schema, &argument_def.ty, default)?,
            );
        } else if argument_def.ty.is_non_null() {
            return Err(Unsupported);
        }
    }
    Ok(coerced)
}

/// A literal (possibly holding variables) of type `ty`.
fn argument_value(
    schema: &Valid<Schema>,
    ty: &Type,
    value: &Node<Value>,
    variables: &JsonMap,
) -> Coerced<JsonValue> {
    if value.is_null() {
        return if ty.is_non_null() {
            Err(Unsupported)
        } else {
            Ok(JsonValue::Null)
        };
    }
    if let Some(variable) = value.as_variable() {
        return match variables.get(variable.as_str()) {
            Some(value) if value.is_null() && ty.is_non_null() => Err(Unsupported),
            Some(value) => Ok(value.clone()),
            None if ty.is_non_null() => Err(Unsupported),
            None => Ok(JsonValue::Null),
        };
    }
    let name = match ty {
        Type::List(item) | Type::NonNullList(item) => {
            // A single value where a list is expected is a list of one.
            return value
                .as_list()
                .unwrap_or(std::slice::from_ref(value))
                .iter()
                .map(|item_value| argument_value(schema, item, item_value, variables))
                .collect();
        }
        Type::Named(name) | Type::NonNullNamed(name) => name,
    };
    match schema.types.get(name) {
        Some(ExtendedType::InputObject(def)) => {
            let Some(fields) = value.as_object() else {
                return Err(Unsupported);
            };
            if def.is_one_of() || fields.iter().any(|(key, _)| !def.fields.contains_key(key)) {
                return Err(Unsupported);
            }
            let mut coerced = JsonMap::new();
            for (field_name, field_def) in &def.fields {
                // A field whose value is a variable without a value is as if it were not given.
                let provided = fields
                    .iter()
                    .find(|(key, _)| key == field_name)
                    .map(|(_, value)| value)
                    .filter(|value| {
                        value
                            .as_variable()
                            .is_none_or(|v| variables.contains_key(v.as_str()))
                    });
                if let Some(field_value) = provided {
                    let value = argument_value(schema, &field_def.ty, field_value, variables)?;
                    coerced.insert(field_name.as_str(), value);
                } else if let Some(default) = &field_def.default_value {
                    coerced.insert(
                        field_name.as_str(),
                        default_value(schema, &field_def.ty, default)?,
                    );
                } else if field_def.ty.is_non_null() {
                    return Err(Unsupported);
                }
            }
            Ok(coerced.into())
        }
        Some(_) => literal(value, Some(variables)),
        None => Err(Unsupported),
    }
}

/// A default value (a constant) of type `ty`: converted to JSON, then coerced like a variable's value.
fn default_value(schema: &Valid<Schema>, ty: &Type, default: &Node<Value>) -> Coerced<JsonValue> {
    let value = literal(default, None)?;
    variable_value(schema, ty, &value)
}

/// A JSON value of type `ty` (apollo-compiler's coercion of variable values, used for defaults).
fn variable_value(schema: &Valid<Schema>, ty: &Type, value: &JsonValue) -> Coerced<JsonValue> {
    if value.is_null() {
        return if ty.is_non_null() {
            Err(Unsupported)
        } else {
            Ok(JsonValue::Null)
        };
    }
    let name = match ty {
        Type::List(item) | Type::NonNullList(item) => {
            return value
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or(std::slice::from_ref(value))
                .iter()
                .map(|item_value| variable_value(schema, item, item_value))
                .collect();
        }
        Type::Named(name) | Type::NonNullNamed(name) => name,
    };
    const MAX_SAFE_INT: i64 = (1_i64 << 53) - 1;
    let accepted = match schema.types.get(name) {
        Some(ExtendedType::Scalar(_)) => match name.as_str() {
            "Int" => value.as_i64().is_some_and(|v| i32::try_from(v).is_ok()),
            "Float" => {
                value.is_f64()
                    || value
                        .as_f64()
                        .is_some_and(|f| f.abs() <= MAX_SAFE_INT as f64)
            }
            "String" => value.is_string(),
            "Boolean" => value.is_boolean(),
            "ID" => value.is_string() || value.is_i64(),
            _ => true,
        },
        Some(ExtendedType::Enum(def)) => value.as_str().is_some_and(|s| def.values.contains_key(s)),
        Some(ExtendedType::InputObject(def)) => {
            let Some(object) = value.as_object() else {
                return Err(Unsupported);
            };
            if def.is_one_of()
                || object
                    .keys()
                    .any(|key| !def.fields.contains_key(key.as_str()))
            {
                return Err(Unsupported);
            }
            let mut object = object.clone();
            for (field_name, field_def) in &def.fields {
                if let Some(field_value) = object.get_mut(field_name.as_str()) {
                    *field_value = variable_value(schema, &field_def.ty, field_value)?;
                } else if let Some(default) = &field_def.default_value {
                    let default = default_value(schema, &field_def.ty, default)?;
                    object.insert(field_name.as_str(), default);
                } else if field_def.ty.is_non_null() {
                    return Err(Unsupported);
                }
            }
            return Ok(object.into());
        }
        _ => false,
    };
    if accepted {
        Ok(value.clone())
    } else {
        Err(Unsupported)
    }
}

/// A GraphQL literal as JSON. `variables` is `Some` inside an executable document, where a variable nested in a
/// custom scalar's literal is replaced by its value (null when it has none) and an object entry whose variable has no
/// value is left out; `None` for constants, which hold no variables.
fn literal(value: &Node<Value>, variables: Option<&JsonMap>) -> Coerced<JsonValue> {
    Ok(match value.as_ref() {
        Value::Null => JsonValue::Null,
        Value::Variable(name) => match variables {
            Some(variables) => variables
                .get(name.as_str())
                .cloned()
                .unwrap_or(JsonValue::Null),
            None => return Err(Unsupported),
        },
        Value::Enum(name) => name.as_str().into(),
        Value::String(text) => text.as_str().into(),
        Value::Boolean(b) => (*b).into(),
        Value::Int(i) => JsonValue::Number(i.as_str().parse().map_err(|_| Unsupported)?),
        Value::Float(f) => JsonValue::Number(f.as_str().parse().map_err(|_| Unsupported)?),
        Value::List(items) => items
            .iter()
            .map(|item| literal(item, variables))
            .collect::<Coerced<Vec<_>>>()?
            .into(),
        Value::Object(fields) => {
            let mut object = JsonMap::new();
            for (key, value) in fields {
                if let (Value::Variable(name), Some(variables)) = (value.as_ref(), variables)
                    && !variables.contains_key(name.as_str())
                {
                    continue;
                }
                object.insert(key.as_str(), literal(value, variables)?);
            }
            object.into()
        }
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use apollo_compiler::ExecutableDocument;
    use apollo_compiler::request::coerce_variable_values;
    use apollo_compiler::resolvers::{
        Execution, ExecutionError, ObjectValue, ResolveInfo, ResolvedValue,
    };

    use super::super::plan::{Arguments, ObjectTable, Plan, SchemaTable};
    use super::*;

    const SDL: &str = r#"
        type Query {
          f(
            a: Int
            b: [Int]
            c: In
            d: [In!] = [{x: 1}]
            e: E = A
            s: String = "x"
            j: JSON
            n: Int! = 7
            m: [[Int]]
          ): Int
        }
        input In { x: Int = 3, y: [String] = "one", z: In2, r: [In] }
        input In2 { w: Boolean = true, l: [E!] = B }
        enum E { A B }
        scalar JSON
    "#;

    static TABLE: SchemaTable = SchemaTable {
        objects: &[ObjectTable {
            name: "Query",
            fields: &["f"],
        }],
        has_mutation: false,
    };

    /// The arguments apollo-compiler hands the resolver.
    struct Echo(Mutex<Option<JsonMap>>);

    impl ObjectValue for Echo {
        fn type_name(&self) -> &str {
            "Query"
        }

        fn resolve_field<'a>(
            &'a self,
            info: &'a ResolveInfo<'a>,
        ) -> Result<ResolvedValue<'a>, ExecutionError> {
            *self.0.lock().unwrap() = Some(info.arguments().clone());
            Ok(ResolvedValue::null())
        }
    }

    #[track_caller]
    fn check(query: &str, variables: serde_json::Value) {
        let schema = Schema::parse_and_validate(SDL, "schema.graphql").unwrap();
        let document = ExecutableDocument::parse_and_validate(&schema, query, "q.graphql").unwrap();
        let variables: JsonMap = serde_json::from_value(variables).unwrap();
        let echo = Echo(Mutex::new(None));
        let response = Execution::new(&schema, &document)
            .raw_variable_values(&variables)
            .execute_sync(&echo)
            .unwrap();
        assert!(response.errors.is_empty(), "{query}: {:?}", response.errors);
        let expected = echo.0.lock().unwrap().take().unwrap();

        let operation = document.operations.get(None).unwrap();
        let coerced = coerce_variable_values(&schema, operation, &variables).unwrap();
        let plan = Plan::build(&schema, &document, operation, &TABLE, &coerced).unwrap();
        let dynamic = plan.coerce_dynamic(&schema, &coerced).unwrap();
        let actual = match &plan.root.fields[0].arguments {
            Arguments::Const(map) => map.clone(),
            Arguments::Dynamic(i) => dynamic[*i].clone(),
            Arguments::None => JsonMap::new(),
        };
        assert_eq!(
            serde_json::to_string(&actual).unwrap(),
            serde_json::to_string(&expected).unwrap(),
            "{query} with {variables:?}"
        );
    }

    #[test]
    fn literals_and_defaults_coerce_as_apollo_compiler_does() {
        check("{ f }", serde_json::json!({}));
        check(
            "{ f(a: 1, b: 2, c: {}, d: {x: 5}, e: B, s: null, j: {k: [1, {l: null}]}, m: 3) }",
            serde_json::json!({}),
        );
        check(
            "{ f(c: {x: null, y: [\"a\", null], z: {l: [A, B]}, r: {r: [{}]}}, m: [[1], null, 2]) }",
            serde_json::json!({}),
        );
        check("{ f(b: [], d: [], m: []) }", serde_json::json!({}));
    }

    #[test]
    fn variables_coerce_as_apollo_compiler_does() {
        let query = "query($v: Int, $w: [Int], $c: In, $e: E, $b: Boolean) {
            f(a: $v, b: $w, c: $c, e: $e, j: {k: [$v, $w], o: $b}, d: [{x: $v, z: {w: $b}}], m: [[$v]])
        }";
        check(query, serde_json::json!({}));
        check(
            query,
            serde_json::json!({"v": null, "w": null, "c": null, "e": null, "b": null}),
        );
        check(
            query,
            serde_json::json!({"v": 3, "w": 4, "c": {"x": 1, "z": {}}, "e": "B", "b": false}),
        );
        check(
            "query($n: Int! = 3, $d: [In!] = {x: 2}) { f(n: $n, d: $d) }",
            serde_json::json!({}),
        );
        check("query($n: Int) { f(n: $n) }", serde_json::json!({}));
    }
}
