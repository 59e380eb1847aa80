//! The entities of one API: JSON objects by type and id, in a snapshot that readers share and a write replaces
//! whole (copy, change, swap), so a refused write changes nothing and a reader never sees half of one.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};

use runtime::response::{JsonMap, JsonValue};

/// The mark of an entity deleted but left in lists.
const HIDDEN: &str = "\u{1}hidden";

/// One entity: its fields as stored (a reference is the referenced entity's id).
pub type Record = Arc<JsonMap>;

/// A snapshot of every entity.
#[derive(Debug, Clone, Default)]
pub struct Data {
    /// Type → id → entity, ids in creation order (they are numbers).
    entities: HashMap<String, BTreeMap<u64, Record>>,
    /// The next fresh id (ids are unique across types).
    next_id: u64,
}

/// Why fixtures could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("fixtures are no JSON object of entity lists by type: {0}")]
    Json(String),
    #[error("fixture `{type_name}` #{index} has no numeric `id`")]
    Id { type_name: String, index: usize },
    #[error("`{0}` is no @entity type of the schema")]
    NotAnEntity(String),
}

impl Data {
    /// Entities from JSON: `{"Type": [{"id": "1", ...}, ...], ...}`; `is_entity` vets each type name.
    pub fn from_json(json: &str, is_entity: impl Fn(&str) -> bool) -> Result<Self, StoreError> {
        let value: JsonValue =
            serde_json::from_str(json).map_err(|e| StoreError::Json(e.to_string()))?;
        let JsonValue::Object(types) = value else {
            return Err(StoreError::Json("not an object".into()));
        };
        let mut data = Data::default();
        for (type_name, list) in types {
            let type_name = type_name.as_str().to_owned();
            if !is_entity(&type_name) {
                return Err(StoreError::NotAnEntity(type_name));
            }
            let JsonValue::Array(items) = list else {
                return Err(StoreError::Json(format!("`{type_name}` is not a list")));
            };
            for (index, item) in items.into_iter().enumerate() {
                let id = match &item {
                    JsonValue::Object(map) => map
                        .get("id")
                        .and_then(JsonValue::as_str)
                        .and_then(|id| id.parse::<u64>().ok()),
                    _ => None,
                };
                let (Some(id), JsonValue::Object(map)) = (id, item) else {
                    return Err(StoreError::Id { type_name, index });
                };
                data.next_id = data.next_id.max(id + 1);
                data.insert(&type_name, id, map);
            }
        }
        Ok(data)
    }

    /// A fresh id.
    pub fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id - 1
    }

    pub fn insert(&mut self, type_name: &str, id: u64, record: JsonMap) {
        self.entities
            .entry(type_name.to_owned())
            .or_default()
            .insert(id, Arc::new(record));
    }

    pub fn remove(&mut self, type_name: &str, id: u64) {
        if let Some(of_type) = self.entities.get_mut(type_name) {
            of_type.remove(&id);
        }
    }

    /// Marks an entity deleted without removing it: lookups miss it, lists keep it (a fault's behaviour).
    pub fn hide(&mut self, type_name: &str, id: u64) {
        if let Some(record) = self
            .entities
            .get_mut(type_name)
            .and_then(|t| t.get_mut(&id))
        {
            Arc::make_mut(record).insert(HIDDEN, JsonValue::from(true));
        }
    }

    /// The live entity of one of `types` with this id, and its type.
    pub fn find<'a>(&'a self, types: &[&'a str], id: &str) -> Option<(&'a str, &'a Record)> {
        let id = id.parse::<u64>().ok()?;
        types.iter().find_map(|t| {
            self.entities
                .get(*t)
                .and_then(|of_type| of_type.get(&id))
                .filter(|r| !r.contains_key(HIDDEN))
                .map(|r| (*t, r))
        })
    }

    /// Every live entity of a type, in creation order.
    pub fn all<'a>(&'a self, type_name: &str) -> impl Iterator<Item = &'a Record> + 'a {
        self.entities
            .get(type_name)
            .into_iter()
            .flat_map(|of_type| of_type.values())
    }
}

/// The current snapshot, and the lock that makes writes one at a time.
#[derive(Debug, Default)]
pub struct Store {
    current: RwLock<Arc<Data>>,
    writing: Mutex<()>,
}

impl Store {
    pub fn new(data: Data) -> Self {
        Store {
            current: RwLock::new(Arc::new(data)),
            writing: Mutex::new(()),
        }
    }

    /// The snapshot readers use.
    pub fn snapshot(&self) -> Arc<Data> {
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Applies `change` to a copy of the current snapshot and installs the copy only if it succeeds.
    pub fn write<T, E>(
        &self,
        change: impl FnOnce(&mut Data) -> Result<T, E>,
    ) -> Result<(T, Arc<Data>), E> {
        let _one_writer = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        let mut next = Data::clone(&self.snapshot());
        let out = change(&mut next)?;
        let next = Arc::new(next);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::clone(&next);
        Ok((out, next))
    }
}
