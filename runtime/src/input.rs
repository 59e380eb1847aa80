//! Input values: the three states of a nullable input (absent, null, value) and GraphQL's `ID`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A nullable input field or argument, keeping "not given" apart from "given as null", so that "only the fields you
/// provide will be updated" can be implemented. In a struct, mark the field
/// `#[serde(default, skip_serializing_if = "MaybeAbsent::is_absent")]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum MaybeAbsent<T> {
    /// The client did not mention it.
    #[default]
    Absent,
    /// The client gave `null`.
    Null,
    /// The client gave a value.
    Value(T),
}

impl<T> MaybeAbsent<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, MaybeAbsent::Absent)
    }

    /// The value, if one was given (absent and null both give `None`).
    pub fn value(&self) -> Option<&T> {
        match self {
            MaybeAbsent::Value(v) => Some(v),
            _ => None,
        }
    }

    /// `None` when absent; `Some(None)` for null; `Some(Some(v))` for a value: the shape of an update.
    pub fn into_update(self) -> Option<Option<T>> {
        match self {
            MaybeAbsent::Absent => None,
            MaybeAbsent::Null => Some(None),
            MaybeAbsent::Value(v) => Some(Some(v)),
        }
    }

    pub fn as_ref(&self) -> MaybeAbsent<&T> {
        match self {
            MaybeAbsent::Absent => MaybeAbsent::Absent,
            MaybeAbsent::Null => MaybeAbsent::Null,
            MaybeAbsent::Value(v) => MaybeAbsent::Value(v),
        }
    }
}

impl<T> From<Option<T>> for MaybeAbsent<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(MaybeAbsent::Null, MaybeAbsent::Value)
    }
}

impl<T: Serialize> Serialize for MaybeAbsent<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            MaybeAbsent::Value(v) => v.serialize(serializer),
            // Absent is skipped by the struct attribute; if it gets here it can only be written as null.
            MaybeAbsent::Absent | MaybeAbsent::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for MaybeAbsent<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Only called when the key is present (absence is `#[serde(default)]`), so `None` here means null.
        Option::<T>::deserialize(deserializer).map(MaybeAbsent::from)
    }
}

/// GraphQL's `ID`: written as a string; read from a string or an integer (the spec's input coercion).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Id(pub String);

impl Id {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Id {
    fn from(value: String) -> Self {
        Id(value)
    }
}

impl From<&str> for Id {
    fn from(value: &str) -> Self {
        Id(value.to_owned())
    }
}

impl From<i64> for Id {
    fn from(value: i64) -> Self {
        Id(value.to_string())
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl Visitor<'_> for IdVisitor {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an integer")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                Ok(Id(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Id, E> {
                Ok(Id(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
        }
        deserializer.deserialize_any(IdVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct Input {
        #[serde(default, skip_serializing_if = "MaybeAbsent::is_absent")]
        a: MaybeAbsent<i32>,
    }

    #[test]
    fn absent_null_and_value_round_trip() {
        for (json, expected) in [
            ("{}", MaybeAbsent::Absent),
            (r#"{"a":null}"#, MaybeAbsent::Null),
            (r#"{"a":3}"#, MaybeAbsent::Value(3)),
        ] {
            let input: Input = serde_json::from_str(json).unwrap();
            assert_eq!(input.a, expected, "{json}");
            assert_eq!(serde_json::to_string(&input).unwrap(), json);
        }
    }

    #[test]
    fn id_reads_strings_and_integers_and_writes_strings() {
        let ids: Vec<Id> = serde_json::from_str(r#"["VXNlci0xMA==", 4]"#).unwrap();
        assert_eq!(ids, [Id::from("VXNlci0xMA=="), Id::from("4")]);
        assert_eq!(
            serde_json::to_string(&ids).unwrap(),
            r#"["VXNlci0xMA==","4"]"#
        );
        assert!(serde_json::from_str::<Id>("1.5").is_err());
        assert!(serde_json::from_str::<Id>("true").is_err());
    }
}
