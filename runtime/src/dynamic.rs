//! Serving a generated module from a backend that speaks JSON (`generator::Config::dynamic_backend`): a generic
//! store, a proxy, a mock. The generated code implements every resolver trait for [`Dynamic<B>`]: each field the
//! traits resolve is handed to the backend as a [`FieldCall`] (its arguments as the generated types serialize them,
//! so an absent input field stays absent and a null stays null), and the backend's JSON answer is read back into
//! the field's generated Rust type, so whatever the backend answers is checked against the schema's types before
//! it is served.
//!
//! An object type with fields of its own to resolve is bound to [`Node<T>`]: its generated struct `T` (the plain
//! fields, read from the backend's JSON) beside that JSON itself, which the backend receives back as the parent of
//! the object's resolved fields (an entity's id, a page's items, whatever the backend put there).

use std::collections::BTreeSet;
use std::fmt;
use std::future::Future;

use apollo_compiler::Schema;
use apollo_compiler::schema::ExtendedType;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::exec::ObjectData;
use crate::response::{JsonMap, JsonValue};
use crate::rules::ApiRules;
use crate::{ErrorCode, FieldError, FieldResult};

/// The generated resolver traits, implemented over a backend `B`.
#[derive(Debug, Clone)]
pub struct Dynamic<B>(pub B);

/// One field for a backend to resolve.
#[derive(Debug)]
pub struct FieldCall<'a> {
    /// The type whose field this is (`Query` and `Mutation` included).
    pub type_name: &'static str,
    pub field: &'static str,
    /// The JSON the backend answered for the parent object; `None` for a root field.
    pub parent: Option<&'a JsonMap>,
    /// The field's arguments, coerced and typed by the generated code, then written back as JSON (an absent
    /// argument or input field is left out).
    pub arguments: JsonMap,
}

/// What answers the fields of a module served through [`Dynamic`].
pub trait Backend: Send + Sync {
    /// The field's value as JSON: leaves as the schema writes them, objects as maps holding at least the plain
    /// fields of their generated struct (a member of an interface or union names itself in `__typename`), lists
    /// as arrays.
    fn resolve(&self, call: FieldCall<'_>) -> impl Future<Output = FieldResult<JsonValue>> + Send;
}

impl<B: Backend> Dynamic<B> {
    /// Hands one field to the backend and reads its answer into the field's Rust type. Called by generated code.
    #[doc(hidden)]
    pub async fn resolve<A: Serialize, R: DeserializeOwned>(
        &self,
        type_name: &'static str,
        field: &'static str,
        parent: Option<&JsonMap>,
        arguments: &A,
    ) -> FieldResult<R> {
        let arguments = match serde_json::to_value(arguments).and_then(JsonValue::deserialize) {
            Ok(JsonValue::Object(map)) => map,
            Ok(_) => JsonMap::new(),
            Err(error) => return Err(unfit(type_name, field, &error)),
        };
        let call = FieldCall {
            type_name,
            field,
            parent,
            arguments,
        };
        let value = self.0.resolve(call).await?;
        R::deserialize(value).map_err(|error| unfit(type_name, field, &error))
    }
}

/// A backend's answer that the field's type cannot hold is the server's fault: the client sees an internal error,
/// the log the reason.
fn unfit(type_name: &str, field: &str, error: &serde_json::Error) -> FieldError {
    FieldError::new(
        ErrorCode::Internal,
        format!("the backend's value of {type_name}.{field} does not fit its type: {error}"),
    )
}

/// An object of a type with resolved fields: its plain fields (`T`, the generated struct) and the backend's JSON
/// for it, handed back to the backend as the parent of each resolved field.
#[derive(Clone, PartialEq)]
pub struct Node<T> {
    data: T,
    source: JsonMap,
}

impl<T> Node<T> {
    /// The backend's JSON for this object.
    pub fn source(&self) -> &JsonMap {
        &self.source
    }
}

impl<T> ObjectData<T> for Node<T> {
    fn data(&self) -> &T {
        &self.data
    }
}

impl<T: fmt::Debug> fmt::Debug for Node<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.data.fmt(f)
    }
}

impl<T> Serialize for Node<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.source.serialize(serializer)
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Node<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The struct reads the JSON in place (borrowed), so the JSON is built once.
        let value = JsonValue::Object(JsonMap::deserialize(deserializer)?);
        let data = T::deserialize(&value).map_err(serde::de::Error::custom)?;
        match value {
            JsonValue::Object(source) => Ok(Node { data, source }),
            _ => Err(serde::de::Error::custom("an object's JSON is a map")),
        }
    }
}

/// The fields without arguments that a backend resolves rather than writes into its parent's struct, as
/// `Type.field`: every field of an `@entity` type, and every field whose type holds one (the type itself, or an
/// interface or union covering one). A store keeps entities by id and reads an entity's field when it is asked for:
/// an entity's struct is empty, and a page of entities costs what its selection reads, not what the entities hold
/// (entities also refer to each other in cycles, which a struct written ahead of time could not hold). The
/// generator and a backend both ask this, so they agree on which fields are data.
pub fn resolved_fields(schema: &Schema, rules: &ApiRules) -> BTreeSet<String> {
    let is_entity = |named: &str| rules.entities.iter().any(|e| *e.type_name == *named);
    let covers_entity = |named: &str| {
        rules
            .entities
            .iter()
            .any(|e| *e.type_name == *named || schema.is_subtype(named, &e.type_name))
    };
    let roots: Vec<&str> = [
        &schema.schema_definition.query,
        &schema.schema_definition.mutation,
    ]
    .into_iter()
    .flatten()
    .map(|n| n.as_str())
    .collect();
    let mut fields = BTreeSet::new();
    for (name, ty) in &schema.types {
        let ExtendedType::Object(object) = ty else {
            continue;
        };
        if roots.contains(&name.as_str()) || ty.is_built_in() {
            continue;
        }
        for field in object.fields.values() {
            if field.arguments.is_empty()
                && (is_entity(name) || covers_entity(field.ty.inner_named_type()))
            {
                fields.insert(format!("{name}.{}", field.name));
            }
        }
    }
    fields
}
