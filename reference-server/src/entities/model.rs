//! What the store needs to know of a schema: its types (from the validated SDL) and its rules table, with the
//! questions the store and the executor ask of them (is a type stored, which entities an abstract type covers,
//! which fields hold references, what a field holds when nothing was written).

use std::collections::HashMap;

use runtime::apollo_compiler::schema::{ExtendedType, FieldDefinition};
use runtime::apollo_compiler::validation::Valid;
use runtime::apollo_compiler::{Node, Schema};
use runtime::response::JsonValue;
use runtime::rules::{ApiRules, Entity};

/// A schema and its rules, as the store reads them.
#[derive(Debug)]
pub struct Model {
    pub schema: Valid<Schema>,
    pub rules: &'static ApiRules,
    /// The entity types each `@entity(list:)` field lists.
    lists: HashMap<String, Vec<String>>,
    /// Per object type, the fields its generated struct holds (with `Config::dynamic_backend`): those without
    /// arguments that do not hold entities. What the store answers for an object must give each a value.
    data_fields: HashMap<String, Vec<Node<FieldDefinition>>>,
}

impl Model {
    pub fn new(schema: Valid<Schema>, rules: &'static ApiRules) -> Self {
        let mut lists: HashMap<String, Vec<String>> = HashMap::new();
        for entity in rules.entities.iter() {
            if let Some(list) = &entity.list {
                lists
                    .entry(list.to_string())
                    .or_default()
                    .push(entity.type_name.to_string());
            }
        }
        let resolved = runtime::dynamic::resolved_fields(&schema, rules);
        let data_fields = schema
            .types
            .iter()
            .filter_map(|(name, ty)| match ty {
                ExtendedType::Object(object) => Some((name, object)),
                _ => None,
            })
            .map(|(name, object)| {
                let fields = object
                    .fields
                    .values()
                    .filter(|f| {
                        f.arguments.is_empty() && !resolved.contains(&format!("{name}.{}", f.name))
                    })
                    .map(Node::clone)
                    .collect();
                (name.to_string(), fields)
            })
            .collect();
        Model {
            schema,
            rules,
            lists,
            data_fields,
        }
    }

    /// The fields of an object type that its generated struct holds.
    pub fn data_fields(&self, type_name: &str) -> &[Node<FieldDefinition>] {
        self.data_fields.get(type_name).map_or(&[], Vec::as_slice)
    }

    /// A field of an object or interface type.
    pub fn field(&self, type_name: &str, field: &str) -> Option<&Node<FieldDefinition>> {
        match self.schema.types.get(type_name)? {
            ExtendedType::Object(o) => o.fields.get(field),
            ExtendedType::Interface(i) => i.fields.get(field),
            _ => None,
        }
    }

    pub fn entity(&self, type_name: &str) -> Option<&Entity> {
        self.rules.entity(type_name)
    }

    /// The entity types a type covers: itself when it is one, else the entity members of an interface or union.
    pub fn entity_types(&self, type_name: &str) -> Vec<&str> {
        if self.entity(type_name).is_some() {
            return vec![self.rules.entity(type_name).map_or("", |e| &*e.type_name)];
        }
        self.rules
            .entities
            .iter()
            .map(|e| &*e.type_name)
            .filter(|t| self.schema.is_subtype(type_name, t))
            .collect()
    }

    /// Whether a field of this named type holds references to entities (ids in the store).
    pub fn is_reference(&self, type_name: &str) -> bool {
        !self.entity_types(type_name).is_empty()
    }

    /// The entity types a Query field lists, if it is an `@entity(list:)`.
    pub fn listed(&self, field: &str) -> Option<&[String]> {
        self.lists.get(field).map(Vec::as_slice)
    }

    /// Whether a type is a Lighthouse paginator page (`data` and `paginatorInfo`).
    pub fn is_paginator(&self, type_name: &str) -> bool {
        self.field(type_name, "data").is_some() && self.field(type_name, "paginatorInfo").is_some()
    }

    /// A concrete object type of a composite type: itself, or its first member or implementer.
    pub fn concrete<'a>(&'a self, type_name: &'a str) -> &'a str {
        match self.schema.types.get(type_name) {
            Some(ExtendedType::Union(u)) => {
                u.members.iter().next().map_or(type_name, |m| m.as_str())
            }
            Some(ExtendedType::Interface(_)) => self
                .schema
                .types
                .iter()
                .find(|(name, ty)| ty.is_object() && self.schema.is_subtype(type_name, name))
                .map_or(type_name, |(name, _)| name.as_str()),
            _ => type_name,
        }
    }

    /// Whether a named type is a leaf (scalar or enum).
    pub fn is_leaf(&self, type_name: &str) -> bool {
        matches!(
            self.schema.types.get(type_name),
            Some(ExtendedType::Scalar(_) | ExtendedType::Enum(_)) | None
        )
    }

    /// What a non-null leaf field holds when nothing was written: false, 0, an empty string, the first value of an
    /// enum, a fixed instant for times (the harness does not predict these).
    pub fn neutral_leaf(&self, type_name: &str) -> JsonValue {
        if let Some(ExtendedType::Enum(e)) = self.schema.types.get(type_name) {
            return e
                .values
                .keys()
                .next()
                .map_or(JsonValue::Null, |v| JsonValue::from(v.as_str()));
        }
        match type_name {
            "Boolean" => JsonValue::from(false),
            "Int" => JsonValue::from(0),
            "Float" => JsonValue::from(0.0),
            "Date" => JsonValue::from("2024-01-01"),
            "DateTime" => JsonValue::from("2024-01-01T00:00:00.000000Z"),
            "Time" => JsonValue::from("00:00:00"),
            // A URL that parses: an empty string is no URL.
            "URL" => JsonValue::from("https://example.com/"),
            "JSON" | "Dictionary" => JsonValue::Object(Default::default()),
            _ => JsonValue::from(""),
        }
    }
}
