//! Support for differential tests of generated glue (feature `testing`): random operations, valid by construction
//! against a schema (random fields, arguments from fixtures or literals, aliases, fragments, `@skip`/`@include`,
//! variables), for running through both executors and comparing their responses byte for byte.

use std::collections::HashMap;
use std::fmt::Write as _;

use apollo_compiler::Schema;
use apollo_compiler::ast::{FieldDefinition, Type};
use apollo_compiler::schema::ExtendedType;
use serde_json::Value;

use crate::response::Response;

/// What random operations may contain.
#[derive(Debug, Clone)]
pub struct Options {
    /// Nesting of selection sets below the root.
    pub max_depth: usize,
    /// Selections per selection set, at most.
    pub max_selections: usize,
    /// Whether some operations are mutations.
    pub mutations: bool,
    /// Candidate values of particular arguments, by `Type.field.argument` (JSON, as a variable would carry them);
    /// input fields by `Type.field.argument.field`.
    pub arguments: HashMap<String, Vec<Value>>,
    /// Candidate values of arguments and input fields by their name alone, where `arguments` has none.
    pub by_name: HashMap<String, Vec<Value>>,
    /// Candidate values of custom scalars, by scalar name; others get strings and numbers.
    pub scalars: HashMap<String, Vec<Value>>,
    /// Fields never selected, by `Type.field` (e.g. ones whose values change between two runs).
    pub excluded: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_depth: 4,
            max_selections: 4,
            mutations: false,
            arguments: HashMap::new(),
            by_name: HashMap::new(),
            scalars: HashMap::new(),
            excluded: Vec::new(),
        }
    }
}

/// A random operation: its text and its variables.
#[derive(Debug, Clone)]
pub struct Operation {
    pub text: String,
    pub variables: serde_json::Map<String, Value>,
    pub is_mutation: bool,
}

/// A random operation of `schema` from `seed`.
pub fn random_operation(schema: &Schema, seed: u64, options: &Options) -> Operation {
    let mut generator = Generator {
        schema,
        options,
        rng: Rng(seed ^ 0x9e37_79b9_7f4a_7c15),
        keys: HashMap::new(),
        fragments: Vec::new(),
        variables: Vec::new(),
        values: serde_json::Map::new(),
        next_alias: 0,
    };
    generator.operation()
}

/// Whether two responses are the same, byte for byte once serialized; `Err` shows both.
pub fn compare(fast: &Response, reference: &Response) -> Result<(), String> {
    let a = serde_json::to_string(fast).unwrap_or_default();
    let b = serde_json::to_string(reference).unwrap_or_default();
    if a == b && fast == reference {
        Ok(())
    } else {
        Err(format!("fast:      {a}\nreference: {b}"))
    }
}

/// A small deterministic generator (splitmix64): tests must not depend on a random crate's versions.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// True with probability `percent`%.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            Some(&items[self.below(items.len())])
        }
    }
}

struct Generator<'a> {
    schema: &'a Schema,
    options: &'a Options,
    rng: Rng,
    /// Response key → (field, arguments, type): a key is reused only for the very same field, so fields merge.
    keys: HashMap<String, (String, String, String)>,
    /// Named fragments: (name, type condition, body).
    fragments: Vec<(String, String, String)>,
    /// Declared variables: `$name: Type` (with default).
    variables: Vec<String>,
    values: serde_json::Map<String, Value>,
    next_alias: usize,
}

/// An input value, rendered both as a GraphQL literal and as JSON.
#[derive(Debug, Clone)]
enum Input {
    Null,
    Enum(String),
    Json(Value),
    List(Vec<Input>),
    Object(Vec<(String, Input)>),
}

impl Input {
    fn literal(&self, out: &mut String) {
        match self {
            Input::Null => out.push_str("null"),
            Input::Enum(name) => out.push_str(name),
            Input::Json(value) => json_literal(value, out),
            Input::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.literal(out);
                }
                out.push(']');
            }
            Input::Object(fields) => {
                out.push('{');
                for (i, (name, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(name);
                    out.push_str(": ");
                    value.literal(out);
                }
                out.push('}');
            }
        }
    }

    fn json(&self) -> Value {
        match self {
            Input::Null => Value::Null,
            Input::Enum(name) => Value::String(name.clone()),
            Input::Json(value) => value.clone(),
            Input::List(items) => Value::Array(items.iter().map(Input::json).collect()),
            Input::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(name, value)| (name.clone(), value.json()))
                    .collect(),
            ),
        }
    }
}

/// A JSON value as a GraphQL literal (objects with their keys as names: custom scalars only).
fn json_literal(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => out.push_str(&Value::String(s.clone()).to_string()),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                json_literal(item, out);
            }
            out.push(']');
        }
        Value::Object(fields) => {
            out.push('{');
            for (i, (name, value)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(name);
                out.push_str(": ");
                json_literal(value, out);
            }
            out.push('}');
        }
    }
}

impl Generator<'_> {
    fn operation(&mut self) -> Operation {
        let definition = &self.schema.schema_definition;
        let mutation = definition
            .mutation
            .as_ref()
            .filter(|_| self.options.mutations && self.rng.chance(30))
            .map(|m| m.to_string());
        let (keyword, root) = match mutation {
            Some(root) => ("mutation", root),
            None => (
                "query",
                definition
                    .query
                    .as_ref()
                    .map_or_else(|| "Query".to_owned(), |q| q.to_string()),
            ),
        };
        let mut body = String::new();
        let depth = self.options.max_depth;
        self.selection_set(&root, depth, &mut body);
        let mut text = format!("{keyword} Random");
        if !self.variables.is_empty() {
            let _ = write!(text, "({})", self.variables.join(", "));
        }
        text.push(' ');
        text.push_str(&body);
        for (name, condition, fragment) in &self.fragments {
            let _ = write!(text, "\nfragment {name} on {condition} {fragment}");
        }
        Operation {
            text,
            variables: std::mem::take(&mut self.values),
            is_mutation: keyword == "mutation",
        }
    }

    fn selection_set(&mut self, type_name: &str, depth: usize, out: &mut String) {
        out.push_str("{ ");
        let count = 1 + self.rng.below(self.options.max_selections);
        let mut written = 0;
        for _ in 0..count * 2 {
            if written == count {
                break;
            }
            if self.selection(type_name, depth, out) {
                out.push(' ');
                written += 1;
            }
        }
        if written == 0 {
            out.push_str("__typename ");
        }
        out.push('}');
    }

    /// One selection on `type_name`; false when nothing fitting was found.
    fn selection(&mut self, type_name: &str, depth: usize, out: &mut String) -> bool {
        let roll = self.rng.below(100);
        let is_union = matches!(
            self.schema.types.get(type_name),
            Some(ExtendedType::Union(_))
        );
        if roll < 12 || (is_union && roll < 80) {
            return self.inline_fragment(type_name, depth, out);
        }
        if roll < 22 {
            return self.fragment_spread(type_name, depth, out);
        }
        self.field(type_name, depth, out)
    }

    fn possible_types(&self, type_name: &str) -> Vec<String> {
        match self.schema.types.get(type_name) {
            Some(ExtendedType::Object(_)) => vec![type_name.to_owned()],
            Some(ExtendedType::Interface(_)) => self
                .schema
                .types
                .iter()
                .filter(|(_, ty)| match ty {
                    ExtendedType::Object(def) => def.implements_interfaces.contains(type_name),
                    _ => false,
                })
                .map(|(name, _)| name.to_string())
                .collect(),
            Some(ExtendedType::Union(def)) => def.members.iter().map(|m| m.to_string()).collect(),
            _ => Vec::new(),
        }
    }

    fn inline_fragment(&mut self, type_name: &str, depth: usize, out: &mut String) -> bool {
        let mut conditions = self.possible_types(type_name);
        conditions.push(type_name.to_owned());
        let Some(condition) = self.rng.pick(&conditions).cloned() else {
            return false;
        };
        out.push_str("... on ");
        out.push_str(&condition);
        self.directives(out);
        out.push(' ');
        self.selection_set(&condition, depth, out);
        true
    }

    fn fragment_spread(&mut self, type_name: &str, depth: usize, out: &mut String) -> bool {
        let existing: Vec<String> = self
            .fragments
            .iter()
            .filter(|(_, condition, _)| condition == type_name)
            .map(|(name, _, _)| name.clone())
            .collect();
        let name = match self.rng.pick(&existing) {
            Some(name) if self.rng.chance(50) => name.clone(),
            _ => {
                let mut body = String::new();
                self.selection_set(type_name, depth, &mut body);
                let name = format!("F{}", self.fragments.len());
                self.fragments
                    .push((name.clone(), type_name.to_owned(), body));
                name
            }
        };
        out.push_str("...");
        out.push_str(&name);
        self.directives(out);
        true
    }

    fn field(&mut self, type_name: &str, depth: usize, out: &mut String) -> bool {
        let fields: Vec<&FieldDefinition> = match self.schema.types.get(type_name) {
            Some(ExtendedType::Object(def)) => def.fields.values().map(|f| &**f).collect(),
            Some(ExtendedType::Interface(def)) => def.fields.values().map(|f| &**f).collect(),
            _ => Vec::new(),
        };
        let usable: Vec<&FieldDefinition> = fields
            .into_iter()
            .filter(|f| {
                !self
                    .options
                    .excluded
                    .contains(&format!("{type_name}.{}", f.name))
            })
            .filter(|f| depth > 0 || self.is_leaf(f.ty.inner_named_type()))
            .collect();
        if usable.is_empty() || self.rng.chance(5) {
            out.push_str("__typename");
            return true;
        }
        let is_query = self
            .schema
            .schema_definition
            .query
            .as_ref()
            .is_some_and(|q| q.as_str() == type_name);
        if is_query && self.rng.chance(1) {
            // Introspection, now and then (the fast executor leaves it to the reference one).
            let alias = format!("i{}", self.next_alias);
            self.next_alias += 1;
            if self.rng.chance(50) {
                let _ = write!(
                    out,
                    "{alias}: __schema {{ queryType {{ name }} types {{ name }} }}"
                );
            } else {
                let names: Vec<String> = self.schema.types.keys().map(|k| k.to_string()).collect();
                let name = self.rng.pick(&names).cloned().unwrap_or_default();
                let _ = write!(
                    out,
                    "{alias}: __type(name: \"{name}\") {{ name kind fields {{ name }} }}"
                );
            }
            return true;
        }
        let Some(field) = self.rng.pick(&usable).copied() else {
            return false;
        };
        let mut arguments = String::new();
        for argument in &field.arguments {
            let given = argument.ty.is_non_null() && argument.default_value.is_none()
                || self.rng.chance(50);
            if !given {
                continue;
            }
            let path = format!("{type_name}.{}.{}", field.name, argument.name);
            let value = self.argument_value(&path, &argument.ty);
            if !arguments.is_empty() {
                arguments.push_str(", ");
            }
            arguments.push_str(&argument.name);
            arguments.push_str(": ");
            arguments.push_str(&value);
        }
        let shape = field.ty.to_string();
        let mut key = field.name.to_string();
        let wanted = (field.name.to_string(), arguments.clone(), shape);
        let aliased = self.rng.chance(20);
        if aliased || self.keys.get(&key).is_some_and(|k| *k != wanted) {
            key = format!("a{}", self.next_alias);
            self.next_alias += 1;
        }
        self.keys.insert(key.clone(), wanted);
        if key != field.name.as_str() {
            out.push_str(&key);
            out.push_str(": ");
        }
        out.push_str(&field.name);
        if !arguments.is_empty() {
            let _ = write!(out, "({arguments})");
        }
        self.directives(out);
        let named = field.ty.inner_named_type();
        if !self.is_leaf(named) {
            out.push(' ');
            self.selection_set(named, depth.saturating_sub(1), out);
        }
        true
    }

    fn is_leaf(&self, name: &str) -> bool {
        matches!(
            self.schema.types.get(name),
            Some(ExtendedType::Scalar(_) | ExtendedType::Enum(_))
        )
    }

    /// `@skip`/`@include`, now and then, with a literal or a variable.
    fn directives(&mut self, out: &mut String) {
        if !self.rng.chance(15) {
            return;
        }
        let name = if self.rng.chance(50) {
            "skip"
        } else {
            "include"
        };
        let value = self.rng.chance(50);
        if self.rng.chance(50) {
            let _ = write!(out, " @{name}(if: {value})");
        } else if self.rng.chance(3) {
            // A nullable variable with a default, given null: an error when the condition is evaluated.
            let variable = format!("b{}", self.variables.len());
            self.variables
                .push(format!("${variable}: Boolean = {value}"));
            self.values.insert(variable.clone(), Value::Null);
            let _ = write!(out, " @{name}(if: ${variable})");
        } else {
            let variable = format!("b{}", self.variables.len());
            self.variables.push(format!("${variable}: Boolean!"));
            self.values.insert(variable.clone(), Value::Bool(value));
            let _ = write!(out, " @{name}(if: ${variable})");
        }
    }

    /// An argument's value as written in the operation: a literal, or a variable declared with its type.
    fn argument_value(&mut self, path: &str, ty: &Type) -> String {
        let value = self.input(Some(path), ty, 0);
        if self.rng.chance(35) {
            let variable = format!("v{}", self.variables.len());
            // Absent, null or the value; sometimes through a default.
            let roll = self.rng.below(10);
            if !ty.is_non_null() && roll == 0 {
                self.variables.push(format!("${variable}: {ty}"));
            } else if roll == 1 {
                let mut default = String::new();
                value.literal(&mut default);
                self.variables
                    .push(format!("${variable}: {ty} = {default}"));
            } else {
                self.variables.push(format!("${variable}: {ty}"));
                self.values.insert(variable.clone(), value.json());
            }
            return format!("${variable}");
        }
        let mut literal = String::new();
        value.literal(&mut literal);
        literal
    }

    /// A value of `ty`; `path` names the argument or input field when the fixtures may provide it (not for list
    /// items).
    fn input(&mut self, path: Option<&str>, ty: &Type, depth: usize) -> Input {
        if !ty.is_non_null() && self.rng.chance(10) {
            return Input::Null;
        }
        let by_name = |p: &str| {
            let name = p.rsplit('.').next().unwrap_or(p);
            self.options.by_name.get(name)
        };
        if let Some(candidates) =
            path.and_then(|p| self.options.arguments.get(p).or_else(|| by_name(p)))
            && let Some(value) = self.rng.pick(candidates).cloned()
            && self.rng.chance(85)
        {
            return self.input_from_json(ty, &value);
        }
        match ty {
            Type::List(item) | Type::NonNullList(item) => {
                // A single value where a list is expected is a list of one (but null is not a list of one, and a
                // list would be read as the outer list).
                if !item.is_list() && self.rng.chance(15) {
                    let single = self.input(None, item, depth + 1);
                    if !matches!(single, Input::Null) {
                        return single;
                    }
                }
                let count = self.rng.below(3);
                Input::List(
                    (0..count)
                        .map(|_| self.input(None, item, depth + 1))
                        .collect(),
                )
            }
            Type::Named(name) | Type::NonNullNamed(name) => {
                self.named_input(path.unwrap_or(""), name, depth)
            }
        }
    }

    fn named_input(&mut self, path: &str, name: &str, depth: usize) -> Input {
        match self.schema.types.get(name) {
            Some(ExtendedType::Enum(def)) => {
                let values: Vec<String> = def.values.keys().map(|k| k.to_string()).collect();
                Input::Enum(self.rng.pick(&values).cloned().unwrap_or_default())
            }
            Some(ExtendedType::InputObject(def)) => {
                let mut fields = Vec::new();
                for (field_name, field) in &def.fields {
                    let required = field.ty.is_non_null() && field.default_value.is_none();
                    if required || (depth < 3 && self.rng.chance(40)) {
                        let inner = format!("{path}.{field_name}");
                        let value = self.input(Some(&inner), &field.ty, depth + 1);
                        fields.push((field_name.to_string(), value));
                    }
                }
                Input::Object(fields)
            }
            _ => Input::Json(self.scalar(name)),
        }
    }

    fn scalar(&mut self, name: &str) -> Value {
        match name {
            "Int" => Value::from(self.rng.below(30) as i64 - 3),
            "Float" => Value::from(self.rng.below(100) as f64 / 4.0),
            "Boolean" => Value::Bool(self.rng.chance(50)),
            "String" | "ID" => {
                let words = ["a", "e", "1", "x y", "Ada", "", "-"];
                Value::String(self.rng.pick(&words).copied().unwrap_or("").to_owned())
            }
            _ => match self.options.scalars.get(name) {
                Some(values) if !values.is_empty() => {
                    self.rng.pick(values).cloned().unwrap_or(Value::Null)
                }
                _ => Value::String("x".to_owned()),
            },
        }
    }

    /// A fixture's JSON as an input of `ty` (enum values become enum literals).
    fn input_from_json(&mut self, ty: &Type, value: &Value) -> Input {
        match (ty, value) {
            (_, Value::Null) => Input::Null,
            (Type::List(item) | Type::NonNullList(item), Value::Array(items)) => Input::List(
                items
                    .iter()
                    .map(|v| self.input_from_json(item, v))
                    .collect(),
            ),
            (Type::List(item) | Type::NonNullList(item), _) => self.input_from_json(item, value),
            (Type::Named(name) | Type::NonNullNamed(name), _) => {
                match (self.schema.types.get(name.as_str()), value) {
                    (Some(ExtendedType::Enum(_)), Value::String(s)) => Input::Enum(s.clone()),
                    (Some(ExtendedType::InputObject(def)), Value::Object(fields)) => {
                        let mut out = Vec::new();
                        for (key, v) in fields {
                            match def.fields.get(key.as_str()) {
                                Some(field) => {
                                    out.push((key.clone(), self.input_from_json(&field.ty, v)))
                                }
                                None => out.push((key.clone(), Input::Json(v.clone()))),
                            }
                        }
                        Input::Object(out)
                    }
                    _ => Input::Json(value.clone()),
                }
            }
        }
    }
}
