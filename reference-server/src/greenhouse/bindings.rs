//! The Rust types that back GraphQL object types (`Config::bind` in `build.rs`), one alias per bound type, named
//! like the GraphQL type: records of the store that carry what the GraphQL types hide (foreign keys, custom field
//! ids).

use std::sync::Arc;

use runtime::exec::ObjectData;

use super::schema;
use super::store::{
    CustomFieldRecord, CustomFieldValueRecord, DepartmentRecord, DocumentRecord, EmployeeRecord,
    LocationRecord, PendingHireRecord, SignatureRequestRecord, StateRecord, TeamRecord,
    TemplateRecord,
};

pub type Employee = Arc<EmployeeRecord>;
pub type PendingHire = Arc<PendingHireRecord>;
pub type Department = Arc<DepartmentRecord>;
pub type Location = Arc<LocationRecord>;
pub type Team = Arc<TeamRecord>;
pub type CustomField = Arc<CustomFieldRecord>;
pub type CustomFieldValue = CustomFieldValueRecord;
pub type Document = DocumentRecord;
pub type SignatureRequest = SignatureRequestRecord;
pub type SignatureRequestTemplate = Arc<TemplateRecord>;
pub type State = StateRecord;

macro_rules! object_data {
    ($($record:ty => $data:ty;)*) => {
        $(impl ObjectData<$data> for $record {
            fn data(&self) -> &$data {
                &self.data
            }
        })*
    };
}

object_data! {
    Arc<EmployeeRecord> => schema::Employee;
    Arc<PendingHireRecord> => schema::PendingHire;
    Arc<DepartmentRecord> => schema::Department;
    Arc<LocationRecord> => schema::Location;
    Arc<TeamRecord> => schema::Team;
    Arc<CustomFieldRecord> => schema::CustomField;
    Arc<TemplateRecord> => schema::SignatureRequestTemplate;
    CustomFieldValueRecord => schema::CustomFieldValue;
    DocumentRecord => schema::Document;
    SignatureRequestRecord => schema::SignatureRequest;
    StateRecord => schema::State;
}
