//! The Rust types that back GraphQL object types (`Config::bind` in `build.rs`): the pages of connections, and the
//! payloads of mutations, which carry the record they return.

use super::pagination::Connection;
use super::schema;
use crate::greenhouse::pagination::Edge;

pub type CompanyEdge = Edge<schema::CompanyEdge, schema::Company>;
pub type CompanyConnection = Connection<schema::CompanyConnection, CompanyEdge>;
pub type DepartmentEdge = Edge<schema::DepartmentEdge, schema::Department>;
pub type DepartmentConnection = Connection<schema::DepartmentConnection, DepartmentEdge>;
pub type EmployeeEdge = Edge<schema::EmployeeEdge, schema::Employee>;
pub type EmployeeConnection = Connection<schema::EmployeeConnection, EmployeeEdge>;
pub type DependentInfoEdge = Edge<schema::DependentInfoEdge, schema::DependentInfo>;
pub type DependentInfoConnection = Connection<schema::DependentInfoConnection, DependentInfoEdge>;

/// A mutation's payload: the record the mutation wrote.
#[derive(Debug, Clone)]
pub struct Payload<T>(pub T);

pub type CreateCompanyPayload = Payload<schema::Company>;
pub type CreateOrUpdateCompanyPayload = Payload<schema::Company>;
pub type CreateDepartmentPayload = Payload<schema::Department>;
pub type CreateOrUpdateEmployeePayload = Payload<schema::Employee>;
pub type AddOrUpdateDependentPayload = Payload<schema::Employee>;
pub type SetOffboardingDatePayload = Payload<schema::Employee>;
