//! The Rust types that back GraphQL object types (`Config::bind` in `build.rs`), one alias per bound type, named
//! like the GraphQL type: records of the store that carry what the GraphQL types hide (foreign keys, custom field
//! ids), and the pages of connections.

use std::sync::Arc;

use runtime::exec::ObjectData;

use super::pagination::{Connection, Edge};
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

pub type EmployeeEdge = Edge<schema::EmployeeEdge, Employee>;
pub type EmployeeConnection = Connection<EmployeeEdge>;
pub type DepartmentEdge = Edge<schema::DepartmentEdge, Department>;
pub type DepartmentConnection = Connection<DepartmentEdge>;
pub type LocationEdge = Edge<schema::LocationEdge, Location>;
pub type LocationConnection = Connection<LocationEdge>;
pub type TeamEdge = Edge<schema::TeamEdge, Team>;
pub type TeamConnection = Connection<TeamEdge>;
pub type TeamCategoryEdge = Edge<schema::TeamCategoryEdge, Arc<schema::TeamCategory>>;
pub type TeamCategoryConnection = Connection<TeamCategoryEdge>;
pub type OtherCriterionEdge = Edge<schema::OtherCriterionEdge, Arc<schema::OtherCriterion>>;
pub type OtherCriterionConnection = Connection<OtherCriterionEdge>;
pub type CustomFieldEdge = Edge<schema::CustomFieldEdge, CustomField>;
pub type CustomFieldConnection = Connection<CustomFieldEdge>;

/// The department a department mutation returns.
pub type AddDepartmentPayload = DepartmentPayload;
pub type UpdateDepartmentPayload = DepartmentPayload;
/// The location a location mutation returns.
pub type AddLocationPayload = LocationPayload;
pub type UpdateLocationPayload = LocationPayload;

#[derive(Debug, Clone)]
pub struct DepartmentPayload {
    pub department: Department,
}

#[derive(Debug, Clone)]
pub struct LocationPayload {
    pub location: Location,
}

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
