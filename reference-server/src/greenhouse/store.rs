//! The in-memory store: every record of the company, keyed by id, behind one lock.
//!
//! Records are immutable once shared (`Arc`): a write replaces the record it changes (`Arc::make_mut`), so a reader
//! holding a record keeps a consistent snapshot of it, and resolvers hand records to the execution glue without
//! copying them. Every mutation runs whole under the write lock: it validates everything first and changes the store
//! only when all of it is valid, so concurrent writes never lose one another and a failed write changes nothing.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::{DateTime, NaiveDate, Utc};
use runtime::{FieldError, Id};
use serde_json::Value;

use super::schema::{self, CustomFieldTypes};

/// A stored file: what `File` is made of when it is resolved (its URL expires, so it is signed at that time).
#[derive(Debug, Clone, PartialEq)]
pub struct FileRecord {
    pub file_name: String,
    pub file_size: Option<i32>,
    /// Path of the file under the file host.
    pub path: String,
}

/// One custom field value of an employee or a pending hire, in its stored (output) form.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredValue {
    pub value: Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub value_updated_at: DateTime<Utc>,
}

/// Custom field values by custom field id (so in the custom fields' order).
pub type CustomValues = BTreeMap<String, StoredValue>;

#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRecord {
    pub data: schema::Document,
    pub file: Option<FileRecord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SignatureRequestRecord {
    pub data: schema::SignatureRequest,
    pub template: u32,
    /// Overrides the template's counter-signer when set.
    pub counter_signer: Option<u32>,
    /// Only completed requests have a signed file.
    pub file: Option<FileRecord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EmployeeRecord {
    pub data: schema::Employee,
    pub id: u32,
    pub manager: Option<u32>,
    pub hr_manager: Option<u32>,
    pub department: Option<u32>,
    pub location: Option<u32>,
    pub other_criteria: Vec<u32>,
    pub profile_image: Option<FileRecord>,
    pub documents: Vec<DocumentRecord>,
    pub signature_requests: Vec<SignatureRequestRecord>,
    pub custom_values: CustomValues,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PendingHireRecord {
    pub data: schema::PendingHire,
    pub id: u32,
    /// Accepted by `addPendingHire` though `PendingHire` does not show them.
    pub middle_name: Option<String>,
    pub suffix: Option<String>,
    pub manager: Option<u32>,
    pub hr_manager: Option<u32>,
    pub department: Option<u32>,
    pub location: Option<u32>,
    pub custom_values: CustomValues,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentRecord {
    pub data: schema::Department,
    pub id: u32,
    pub lead: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LocationRecord {
    pub data: schema::Location,
    pub id: u32,
    pub lead: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TeamRecord {
    pub data: schema::Team,
    pub id: u32,
    pub category: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CustomFieldRecord {
    pub data: schema::CustomField,
    pub field_type: CustomFieldTypes,
    pub group: Option<u32>,
    /// Only for team fields: the category every chosen team must belong to.
    pub team_category: Option<u32>,
    /// The options of multiple_choice and multiple_select fields.
    pub options: Vec<String>,
}

impl CustomFieldRecord {
    pub fn id(&self) -> &str {
        self.data.id.as_deref().unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TemplateRecord {
    pub data: schema::SignatureRequestTemplate,
    pub id: u32,
    pub counter_signer: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CountryRecord {
    pub code: &'static str,
    pub name: &'static str,
    /// (state code, name)
    pub states: &'static [(&'static str, &'static str)],
}

impl CountryRecord {
    pub fn to_graphql(&self) -> schema::Country {
        schema::Country {
            country_code: Some(self.code.to_owned()),
            name: Some(self.name.to_owned()),
        }
    }

    pub fn has_state(&self, code: &str) -> bool {
        self.states.iter().any(|(c, _)| *c == code)
    }
}

/// A state as resolved: it knows its country.
#[derive(Debug, Clone, PartialEq)]
pub struct StateRecord {
    pub data: schema::State,
    pub country_code: &'static str,
}

/// A custom field value as resolved: it knows its custom field.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomFieldValueRecord {
    pub data: schema::CustomFieldValue,
    pub field: String,
}

impl CustomFieldValueRecord {
    pub fn new(field: &str, stored: &StoredValue) -> Self {
        CustomFieldValueRecord {
            data: schema::CustomFieldValue {
                created_at: Some(stored.created_at),
                updated_at: Some(stored.updated_at),
                value: Some(stored.value.clone()),
                value_updated_at: Some(stored.value_updated_at),
            },
            field: field.to_owned(),
        }
    }
}

/// Every record of the company.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Store {
    pub employees: BTreeMap<u32, Arc<EmployeeRecord>>,
    pub pending_hires: BTreeMap<u32, Arc<PendingHireRecord>>,
    pub departments: BTreeMap<u32, Arc<DepartmentRecord>>,
    pub locations: BTreeMap<u32, Arc<LocationRecord>>,
    pub teams: BTreeMap<u32, Arc<TeamRecord>>,
    pub team_categories: BTreeMap<u32, Arc<schema::TeamCategory>>,
    pub other_criteria: BTreeMap<u32, Arc<schema::OtherCriterion>>,
    pub custom_field_groups: BTreeMap<u32, schema::CustomFieldGroup>,
    /// By id (the slug), which is also the order of `customFields` and of an employee's values.
    pub custom_fields: BTreeMap<String, Arc<CustomFieldRecord>>,
    pub templates: BTreeMap<u32, Arc<TemplateRecord>>,
    pub countries: Vec<CountryRecord>,
    /// The next ids to hand out. Ids are never reused, so a cursor (an id) keeps its place after a delete.
    pub next_department_id: u32,
    pub next_location_id: u32,
    pub next_pending_hire_id: u32,
}

impl Store {
    pub fn country(&self, code: &str) -> Option<&CountryRecord> {
        self.countries.iter().find(|c| c.code == code)
    }

    pub fn employee(&self, id: u32) -> Option<&Arc<EmployeeRecord>> {
        self.employees.get(&id)
    }

    pub fn custom_field(&self, id: &str) -> Option<&Arc<CustomFieldRecord>> {
        self.custom_fields.get(id)
    }

    /// The resolved values of `values`, limited to `only` (custom field ids) when given, in custom field order.
    pub fn custom_field_values(
        &self,
        values: &CustomValues,
        only: Option<&[Option<Id>]>,
    ) -> Vec<Option<CustomFieldValueRecord>> {
        values
            .iter()
            .filter(|(field, _)| {
                only.is_none_or(|ids| ids.iter().flatten().any(|id| id.as_str() == *field))
            })
            .map(|(field, stored)| Some(CustomFieldValueRecord::new(field, stored)))
            .collect()
    }
}

/// The store behind its lock. A poisoned lock is recovered: every write validates before it changes anything, so a
/// panicking writer cannot leave half a change behind.
#[derive(Debug)]
pub struct SharedStore(RwLock<Store>);

impl SharedStore {
    pub fn new(store: Store) -> Self {
        SharedStore(RwLock::new(store))
    }

    pub fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.0.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// An id argument that names a record by its integer id (`ID` inputs arrive as strings).
pub fn parse_id(id: &Id) -> Option<u32> {
    id.as_str().trim().parse().ok()
}

/// The documented not-found error: `Unable to find Employee with id 100000000`.
pub fn not_found(type_name: &str, id: impl std::fmt::Display) -> FieldError {
    FieldError::not_found(format!("Unable to find {type_name} with id {id}"))
}

/// A date from fixtures that is known to be valid.
pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}
