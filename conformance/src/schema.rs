//! The API's public SDL, parsed once, with what the properties ask of it: the paginated fields with their node
//! types, the leaf fields of a type, the root fields that can be called without invented arguments.

use apollo_compiler::Schema;
use apollo_compiler::schema::{ExtendedType, FieldDefinition};
use apollo_compiler::validation::Valid;
use runtime::rules::{ApiRules, Pagination};

/// A schema and its rules.
#[derive(Debug)]
pub struct SchemaInfo {
    pub schema: Valid<Schema>,
    pub rules: &'static ApiRules,
}

/// Why the SDL the harness was built with cannot be used (a bug in this build, not in the target).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    #[error("the public SDL of `{api}` does not validate: {message}")]
    Invalid { api: String, message: String },
}

/// A paginated field of the query root, with what a walk needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// The query field, e.g. `employees`.
    pub field: String,
    pub pagination: Pagination,
    /// The node type, e.g. `Employee`.
    pub node_type: String,
    /// The node field that identifies a node (`id`), if it has one.
    pub key: Option<String>,
    /// Whether the connection type has `totalCount` (Healthmov's): the number of nodes in all pages.
    pub total_count: bool,
}

impl SchemaInfo {
    pub fn new(rules: &'static ApiRules, public_sdl: &str) -> Result<Self, SchemaError> {
        let schema = Schema::parse_and_validate(public_sdl, format!("{}.graphql", rules.name))
            .map_err(|e| SchemaError::Invalid {
                api: rules.name.to_string(),
                message: e.errors.to_string(),
            })?;
        Ok(SchemaInfo { schema, rules })
    }

    /// The name of the query root type.
    pub fn query_type(&self) -> &str {
        self.schema
            .schema_definition
            .query
            .as_ref()
            .map_or("Query", |n| n.as_str())
    }

    /// The name of the mutation root type, if any.
    pub fn mutation_type(&self) -> Option<&str> {
        self.schema
            .schema_definition
            .mutation
            .as_ref()
            .map(|n| n.as_str())
    }

    /// The fields of an object or interface type.
    pub fn fields(&self, type_name: &str) -> Vec<&FieldDefinition> {
        match self.schema.types.get(type_name) {
            Some(ExtendedType::Object(o)) => o.fields.values().map(|f| &**f).collect(),
            Some(ExtendedType::Interface(i)) => i.fields.values().map(|f| &**f).collect(),
            _ => Vec::new(),
        }
    }

    /// Whether a named type is a scalar or an enum.
    pub fn is_leaf(&self, type_name: &str) -> bool {
        self.schema
            .types
            .get(type_name)
            .is_some_and(|t| t.is_leaf())
    }

    /// The leaf fields (scalars, enums, lists of them) of a type that take no required argument.
    pub fn leaf_fields(&self, type_name: &str) -> Vec<String> {
        self.fields(type_name)
            .into_iter()
            .filter(|f| self.is_leaf(f.ty.inner_named_type()) && !has_required_arguments(f))
            .map(|f| f.name.to_string())
            .collect()
    }

    /// Every paginated query field, of any style, in schema order.
    pub fn connections(&self) -> Vec<Connection> {
        let query = self.query_type().to_owned();
        self.fields(&query)
            .into_iter()
            .filter_map(|f| {
                let pagination = self.rules.field(&query, &f.name)?.pagination?;
                let node_type = self.relay_node_type(f.ty.inner_named_type())?;
                let key = self.leaf_fields(&node_type).into_iter().find(|n| n == "id");
                let total_count = self.field(f.ty.inner_named_type(), "totalCount").is_some();
                Some(Connection {
                    field: f.name.to_string(),
                    pagination,
                    node_type,
                    key,
                    total_count,
                })
            })
            .collect()
    }

    /// `Connection` → `edges` → `node`: the node type of a Relay connection type.
    pub fn relay_node_type(&self, connection_type: &str) -> Option<String> {
        let edges = self
            .fields(connection_type)
            .into_iter()
            .find(|f| f.name == "edges")?;
        let node = self
            .fields(edges.ty.inner_named_type())
            .into_iter()
            .find(|f| f.name == "node")?;
        Some(node.ty.inner_named_type().to_string())
    }

    /// The field definition of `type_name.field`.
    pub fn field(&self, type_name: &str, field: &str) -> Option<&FieldDefinition> {
        self.fields(type_name).into_iter().find(|f| f.name == field)
    }
}

/// Whether a field has an argument that must be given (non-null without a default).
pub fn has_required_arguments(field: &FieldDefinition) -> bool {
    field
        .arguments
        .iter()
        .any(|a| a.ty.is_non_null() && a.default_value.is_none())
}
