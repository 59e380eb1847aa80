//! The generated resolver traits, implemented over the store for one request: lookups, connections, relations and
//! mutations. Each resolver takes the lock only for what it reads or writes, and never across an await.

use std::sync::Arc;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use runtime::{FieldError, FieldResult, Id, MaybeAbsent};

use super::bindings;
use super::countries::CONTACT_RELATIONSHIPS;
use super::filters::EmployeeFilter;
use super::mutations;
use super::pagination::{self, Cursors, PageArgs, PageRequest};
use super::schema::{self, SignatureRequestStatus};
use super::service::GreenhouseApi;
use super::store::{
    CustomValues, FileRecord, SignatureRequestRecord, StateRecord, Store, not_found,
};
use crate::api::{Principal, RequestMeta};
use crate::faults::{Fault, Faults};

/// Where signed file URLs point.
const FILE_HOST: &str = "https://files.onboarding.example.com";

/// How long a signed file URL stays valid.
const FILE_URL_LIFETIME_MINUTES: i64 = 60;

/// The resolvers of one request.
#[derive(Debug)]
pub struct Resolvers {
    api: Arc<GreenhouseApi>,
    /// Who is calling. Keys are all-powerful in this API: nothing depends on which key it is.
    #[allow(dead_code)]
    principal: Principal,
    meta: RequestMeta,
    cursors: Cursors,
    /// When the request started: file URLs are signed from it.
    started: DateTime<Utc>,
}

impl Resolvers {
    pub fn new(
        api: Arc<GreenhouseApi>,
        principal: Principal,
        meta: RequestMeta,
        number: u64,
    ) -> Self {
        let cursors = Cursors::new(&api.faults, number);
        Resolvers {
            api,
            principal,
            meta,
            cursors,
            started: Utc::now().trunc_subsecs(0),
        }
    }

    fn store(&self) -> std::sync::RwLockReadGuard<'_, Store> {
        self.api.store.read()
    }

    fn faults(&self) -> &Faults {
        &self.api.faults
    }

    /// A record named by an `Int` id argument: null plus a NotFound error when there is none.
    fn lookup<T>(
        &self,
        type_name: &str,
        id: &MaybeAbsent<i32>,
        get: impl FnOnce(&Store, u32) -> Option<T>,
    ) -> FieldResult<Option<T>> {
        let Some(&id) = id.value() else {
            return Err(FieldError::bad_input(format!(
                "`id` is required to look up a {type_name}."
            )));
        };
        let found = u32::try_from(id).ok().and_then(|id| get(&self.store(), id));
        found.map(Some).ok_or_else(|| not_found(type_name, id))
    }

    fn page_request<K: pagination::CursorKey>(
        &self,
        field: &str,
        args: PageArgs<'_>,
    ) -> FieldResult<PageRequest<K>> {
        PageRequest::new(field, args, &self.cursors, self.faults())
    }

    /// A file as served: with a URL signed for the next hour.
    fn file(&self, file: &FileRecord) -> schema::File {
        let expires = self.started + Duration::minutes(FILE_URL_LIFETIME_MINUTES);
        let timestamp = expires.timestamp();
        schema::File {
            expires_at: Some(expires),
            file_name: Some(file.file_name.clone()),
            file_size: file.file_size,
            file_url: Some(format!(
                "{FILE_HOST}/{}?expires={timestamp}&signature={:016x}",
                file.path,
                signature(&file.path, timestamp)
            )),
        }
    }

    fn employee(&self, id: Option<u32>) -> Option<bindings::Employee> {
        id.and_then(|id| self.store().employees.get(&id).cloned())
    }

    fn department(&self, id: Option<u32>) -> Option<bindings::Department> {
        id.and_then(|id| self.store().departments.get(&id).cloned())
    }

    fn location(&self, id: Option<u32>) -> Option<bindings::Location> {
        id.and_then(|id| self.store().locations.get(&id).cloned())
    }
}

/// A stand-in URL signature (FNV-1a of the path and the expiry): stable for the same file and expiry.
fn signature(path: &str, expires: i64) -> u64 {
    path.bytes()
        .chain(expires.to_le_bytes())
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// The time a mutation happens, to the millisecond.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

fn saturating_i32(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn some_list<T>(items: impl IntoIterator<Item = T>) -> Option<Vec<Option<T>>> {
    Some(items.into_iter().map(Some).collect())
}

/// The values of an employee or pending hire, limited to `customFieldIds` when given, in custom field order.
fn custom_field_values(
    values: &CustomValues,
    only: &MaybeAbsent<Vec<Option<Id>>>,
) -> Option<Vec<Option<bindings::CustomFieldValue>>> {
    let only = only.value();
    some_list(
        values
            .iter()
            .filter(|(field, _)| {
                only.is_none_or(|ids| ids.iter().flatten().any(|id| id.as_str() == *field))
            })
            .map(|(field, stored)| bindings::CustomFieldValue::new(field, stored)),
    )
}

macro_rules! page_args {
    ($args:expr) => {
        PageArgs {
            first: &$args.first,
            last: &$args.last,
            after: &$args.after,
            before: &$args.before,
        }
    };
}

impl schema::QueryResolvers for Resolvers {
    async fn complexity_info(&self) -> FieldResult<Option<schema::ComplexityInfo>> {
        Ok(self.meta.complexity.map(|c| schema::ComplexityInfo {
            maximum: Some(saturating_i32(u64::from(c.maximum))),
            score: Some(saturating_i32(c.score)),
        }))
    }

    async fn contact_relationships(&self) -> FieldResult<Option<Vec<Option<String>>>> {
        Ok(some_list(
            CONTACT_RELATIONSHIPS.iter().map(|r| (*r).to_owned()),
        ))
    }

    async fn countries(
        &self,
        args: schema::QueryCountriesArgs,
    ) -> FieldResult<Option<Vec<Option<schema::Country>>>> {
        let codes = args.country_codes.value();
        let store = self.store();
        Ok(some_list(
            store
                .countries
                .iter()
                .filter(|country| {
                    codes.is_none_or(|codes| {
                        codes
                            .iter()
                            .flatten()
                            .any(|code| code.trim().eq_ignore_ascii_case(country.code))
                    })
                })
                .map(|country| country.to_graphql()),
        ))
    }

    async fn custom_field(
        &self,
        args: schema::QueryCustomFieldArgs,
    ) -> FieldResult<Option<bindings::CustomField>> {
        let Some(id) = args.id.value() else {
            return Err(FieldError::bad_input(
                "`id` is required to look up a CustomField.",
            ));
        };
        self.store()
            .custom_field(id.as_str())
            .cloned()
            .map(Some)
            .ok_or_else(|| not_found("CustomField", id))
    }

    async fn custom_fields(
        &self,
        args: schema::QueryCustomFieldsArgs,
    ) -> FieldResult<Option<schema::CustomFieldConnection>> {
        let request = self.page_request::<String>("customFields", page_args!(args))?;
        let types = args.field_types.value();
        let ids = args.ids.value();
        let store = self.store();
        let entries: Vec<(String, &bindings::CustomField)> = store
            .custom_fields
            .iter()
            .filter(|(_, field)| types.is_none_or(|types| types.contains(&Some(field.field_type))))
            .filter(|(key, _)| {
                ids.is_none_or(|ids| ids.iter().flatten().any(|id| id.as_str() == key.as_str()))
            })
            .map(|(key, field)| (key.clone(), field))
            .collect();
        Ok(Some(pagination::connection(
            &entries,
            &request,
            &self.cursors,
            self.faults(),
        )))
    }

    async fn department(
        &self,
        args: schema::QueryDepartmentArgs,
    ) -> FieldResult<Option<bindings::Department>> {
        self.lookup("Department", &args.id, |store, id| {
            store.departments.get(&id).cloned()
        })
    }

    async fn departments(
        &self,
        args: schema::QueryDepartmentsArgs,
    ) -> FieldResult<Option<schema::DepartmentConnection>> {
        let request = self.page_request::<u32>("departments", page_args!(args))?;
        let store = self.store();
        let entries = listing(
            store.departments.iter().map(|(k, v)| (*k, v)),
            self.faults(),
        );
        Ok(Some(pagination::connection(
            &entries,
            &request,
            &self.cursors,
            self.faults(),
        )))
    }

    async fn employee(
        &self,
        args: schema::QueryEmployeeArgs,
    ) -> FieldResult<Option<bindings::Employee>> {
        self.lookup("Employee", &args.id, |store, id| {
            store.employees.get(&id).cloned()
        })
    }

    async fn employees(
        &self,
        args: schema::QueryEmployeesArgs,
    ) -> FieldResult<Option<schema::EmployeeConnection>> {
        let request = self.page_request::<u32>("employees", page_args!(args))?;
        let store = self.store();
        let filter = EmployeeFilter::new(&args, &store, self.faults())?;
        let entries: Vec<_> = store
            .employees
            .iter()
            .filter(|(_, employee)| filter.matches(employee))
            .map(|(k, v)| (*k, v))
            .collect();
        Ok(Some(pagination::connection(
            &entries,
            &request,
            &self.cursors,
            self.faults(),
        )))
    }

    async fn location(
        &self,
        args: schema::QueryLocationArgs,
    ) -> FieldResult<Option<bindings::Location>> {
        self.lookup("Location", &args.id, |store, id| {
            store.locations.get(&id).cloned()
        })
    }

    async fn locations(
        &self,
        args: schema::QueryLocationsArgs,
    ) -> FieldResult<Option<schema::LocationConnection>> {
        let request = self.page_request::<u32>("locations", page_args!(args))?;
        let store = self.store();
        let entries = listing(store.locations.iter().map(|(k, v)| (*k, v)), self.faults());
        Ok(Some(pagination::connection(
            &entries,
            &request,
            &self.cursors,
            self.faults(),
        )))
    }

    async fn other_criteria(
        &self,
        args: schema::QueryOtherCriteriaArgs,
    ) -> FieldResult<Option<schema::OtherCriterionConnection>> {
        let request = self.page_request::<u32>("otherCriteria", page_args!(args))?;
        let store = self.store();
        let entries: Vec<_> = store
            .other_criteria
            .iter()
            .map(|(k, v)| (*k, &**v))
            .collect();
        Ok(Some(pagination::connection(
            &entries,
            &request,
            &self.cursors,
            self.faults(),
        )))
    }

    async fn other_criterion(
        &self,
        args: schema::QueryOtherCriterionArgs,
    ) -> FieldResult<Option<schema::OtherCriterion>> {
        self.lookup("OtherCriterion", &args.id, |store, id| {
            store.other_criteria.get(&id).map(|c| (**c).clone())
        })
    }

    async fn rate_limit(&self) -> FieldResult<Option<schema::RateLimit>> {
        Ok(self.meta.rate_limit.map(|r| schema::RateLimit {
            cost: Some(saturating_i32(u64::from(r.cost))),
            limit: Some(saturating_i32(u64::from(r.limit))),
            remaining: Some(saturating_i32(u64::from(r.remaining))),
            reset_at: Some(r.reset_at),
        }))
    }

    async fn team(&self, args: schema::QueryTeamArgs) -> FieldResult<Option<bindings::Team>> {
        self.lookup("Team", &args.id, |store, id| store.teams.get(&id).cloned())
    }

    async fn team_categories(
        &self,
        args: schema::QueryTeamCategoriesArgs,
    ) -> FieldResult<Option<schema::TeamCategoryConnection>> {
        let request = self.page_request::<u32>("teamCategories", page_args!(args))?;
        let store = self.store();
        let entries: Vec<_> = store
            .team_categories
            .iter()
            .map(|(k, v)| (*k, &**v))
            .collect();
        Ok(Some(pagination::connection(
            &entries,
            &request,
            &self.cursors,
            self.faults(),
        )))
    }

    async fn team_category(
        &self,
        args: schema::QueryTeamCategoryArgs,
    ) -> FieldResult<Option<schema::TeamCategory>> {
        self.lookup("TeamCategory", &args.id, |store, id| {
            store.team_categories.get(&id).map(|c| (**c).clone())
        })
    }

    async fn teams(
        &self,
        args: schema::QueryTeamsArgs,
    ) -> FieldResult<Option<schema::TeamConnection>> {
        let request = self.page_request::<u32>("teams", page_args!(args))?;
        let store = self.store();
        let entries: Vec<_> = store.teams.iter().map(|(k, v)| (*k, v)).collect();
        Ok(Some(pagination::connection(
            &entries,
            &request,
            &self.cursors,
            self.faults(),
        )))
    }
}

impl schema::MutationResolvers for Resolvers {
    async fn add_department(
        &self,
        args: schema::MutationAddDepartmentArgs,
    ) -> FieldResult<Option<schema::AddDepartmentPayload>> {
        let mut store = self.api.store.write();
        let department = mutations::add_department(&mut store, &args.add_department_input, now())?;
        Ok(Some(schema::AddDepartmentPayload {
            department: Some(department),
        }))
    }

    async fn add_location(
        &self,
        args: schema::MutationAddLocationArgs,
    ) -> FieldResult<Option<schema::AddLocationPayload>> {
        let mut store = self.api.store.write();
        let location = mutations::add_location(&mut store, &args.add_location_input, now())?;
        Ok(Some(schema::AddLocationPayload {
            location: Some(location),
        }))
    }

    async fn add_pending_hire(
        &self,
        args: schema::MutationAddPendingHireArgs,
    ) -> FieldResult<Option<bindings::PendingHire>> {
        let mut store = self.api.store.write();
        mutations::add_pending_hire(&mut store, &args.pending_hire_info, now()).map(Some)
    }

    async fn delete_department(
        &self,
        args: schema::MutationDeleteDepartmentArgs,
    ) -> FieldResult<Option<schema::DeleteDepartmentPayload>> {
        let mut store = self.api.store.write();
        let id = mutations::delete_department(&mut store, &args.delete_department_input.id, now())?;
        Ok(Some(schema::DeleteDepartmentPayload {
            deleted_department_id: Some(Id::from(i64::from(id))),
        }))
    }

    async fn delete_location(
        &self,
        args: schema::MutationDeleteLocationArgs,
    ) -> FieldResult<Option<schema::DeleteLocationPayload>> {
        let mut store = self.api.store.write();
        let id = mutations::delete_location(&mut store, &args.delete_location_input.id, now())?;
        Ok(Some(schema::DeleteLocationPayload {
            deleted_location_id: Some(Id::from(i64::from(id))),
        }))
    }

    async fn update_department(
        &self,
        args: schema::MutationUpdateDepartmentArgs,
    ) -> FieldResult<Option<schema::UpdateDepartmentPayload>> {
        let mut store = self.api.store.write();
        let department =
            mutations::update_department(&mut store, &args.update_department_input, now())?;
        Ok(Some(schema::UpdateDepartmentPayload {
            department: Some(department),
        }))
    }

    async fn update_employee_profile(
        &self,
        args: schema::MutationUpdateEmployeeProfileArgs,
    ) -> FieldResult<Option<bindings::Employee>> {
        let mut store = self.api.store.write();
        mutations::update_employee_profile(
            &mut store,
            &args.id,
            &args.employee_updates,
            now(),
            &self.api.faults,
        )
        .map(Some)
    }

    async fn update_location(
        &self,
        args: schema::MutationUpdateLocationArgs,
    ) -> FieldResult<Option<schema::UpdateLocationPayload>> {
        let mut store = self.api.store.write();
        let location = mutations::update_location(&mut store, &args.update_location_input, now())?;
        Ok(Some(schema::UpdateLocationPayload {
            location: Some(location),
        }))
    }
}

impl schema::EmployeeResolvers for Resolvers {
    async fn custom_field_values(
        &self,
        parent: &bindings::Employee,
        args: schema::EmployeeCustomFieldValuesArgs,
    ) -> FieldResult<Option<Vec<Option<bindings::CustomFieldValue>>>> {
        Ok(custom_field_values(
            &parent.custom_values,
            &args.custom_field_ids,
        ))
    }

    async fn department(
        &self,
        parent: &bindings::Employee,
    ) -> FieldResult<Option<bindings::Department>> {
        Ok(Resolvers::department(self, parent.department))
    }

    async fn documents(
        &self,
        parent: &bindings::Employee,
    ) -> FieldResult<Option<Vec<Option<bindings::Document>>>> {
        Ok(some_list(parent.documents.iter().cloned()))
    }

    async fn hr_manager(
        &self,
        parent: &bindings::Employee,
    ) -> FieldResult<Option<bindings::Employee>> {
        Ok(self.employee(parent.hr_manager))
    }

    async fn location(
        &self,
        parent: &bindings::Employee,
    ) -> FieldResult<Option<bindings::Location>> {
        Ok(Resolvers::location(self, parent.location))
    }

    async fn manager(
        &self,
        parent: &bindings::Employee,
    ) -> FieldResult<Option<bindings::Employee>> {
        Ok(self.employee(parent.manager))
    }

    async fn other_criteria(
        &self,
        parent: &bindings::Employee,
    ) -> FieldResult<Option<Vec<Option<schema::OtherCriterion>>>> {
        let store = self.store();
        Ok(some_list(
            parent
                .other_criteria
                .iter()
                .filter_map(|id| store.other_criteria.get(id))
                .map(|c| (**c).clone()),
        ))
    }

    async fn profile_image(
        &self,
        parent: &bindings::Employee,
    ) -> FieldResult<Option<schema::File>> {
        Ok(parent.profile_image.as_ref().map(|f| self.file(f)))
    }

    async fn signature_requests(
        &self,
        parent: &bindings::Employee,
        args: schema::EmployeeSignatureRequestsArgs,
    ) -> FieldResult<Option<Vec<Option<bindings::SignatureRequest>>>> {
        let statuses: Option<&Vec<Option<SignatureRequestStatus>>> = args.statuses.value();
        Ok(some_list(
            parent
                .signature_requests
                .iter()
                .filter(|r| {
                    statuses.is_none_or(|s| s.iter().flatten().any(|s| Some(*s) == r.data.status))
                })
                .cloned(),
        ))
    }
}

impl schema::PendingHireResolvers for Resolvers {
    async fn custom_field_values(
        &self,
        parent: &bindings::PendingHire,
        args: schema::PendingHireCustomFieldValuesArgs,
    ) -> FieldResult<Option<Vec<Option<bindings::CustomFieldValue>>>> {
        Ok(custom_field_values(
            &parent.custom_values,
            &args.custom_field_ids,
        ))
    }

    async fn department(
        &self,
        parent: &bindings::PendingHire,
    ) -> FieldResult<Option<bindings::Department>> {
        Ok(Resolvers::department(self, parent.department))
    }

    async fn hr_manager(
        &self,
        parent: &bindings::PendingHire,
    ) -> FieldResult<Option<bindings::Employee>> {
        Ok(self.employee(parent.hr_manager))
    }

    async fn location(
        &self,
        parent: &bindings::PendingHire,
    ) -> FieldResult<Option<bindings::Location>> {
        Ok(Resolvers::location(self, parent.location))
    }

    async fn manager(
        &self,
        parent: &bindings::PendingHire,
    ) -> FieldResult<Option<bindings::Employee>> {
        Ok(self.employee(parent.manager))
    }
}

impl schema::DepartmentResolvers for Resolvers {
    async fn department_lead(
        &self,
        parent: &bindings::Department,
    ) -> FieldResult<Option<bindings::Employee>> {
        Ok(self.employee(parent.lead))
    }
}

impl schema::LocationResolvers for Resolvers {
    async fn location_lead(
        &self,
        parent: &bindings::Location,
    ) -> FieldResult<Option<bindings::Employee>> {
        Ok(self.employee(parent.lead))
    }
}

impl schema::DocumentResolvers for Resolvers {
    async fn file(&self, parent: &bindings::Document) -> FieldResult<Option<schema::File>> {
        Ok(parent.file.as_ref().map(|f| Resolvers::file(self, f)))
    }
}

impl schema::SignatureRequestResolvers for Resolvers {
    async fn counter_signer(
        &self,
        parent: &SignatureRequestRecord,
    ) -> FieldResult<Option<bindings::Employee>> {
        let default = || {
            self.store()
                .templates
                .get(&parent.template)
                .and_then(|t| t.counter_signer)
        };
        Ok(self.employee(parent.counter_signer.or_else(default)))
    }

    async fn file(&self, parent: &SignatureRequestRecord) -> FieldResult<Option<schema::File>> {
        Ok(parent.file.as_ref().map(|f| Resolvers::file(self, f)))
    }

    async fn signature_request_template(
        &self,
        parent: &SignatureRequestRecord,
    ) -> FieldResult<bindings::SignatureRequestTemplate> {
        self.store()
            .templates
            .get(&parent.template)
            .cloned()
            .ok_or_else(|| {
                FieldError::new(
                    runtime::ErrorCode::Internal,
                    "the signature request's template is missing",
                )
            })
    }
}

impl schema::SignatureRequestTemplateResolvers for Resolvers {
    async fn counter_signer(
        &self,
        parent: &bindings::SignatureRequestTemplate,
    ) -> FieldResult<Option<bindings::Employee>> {
        Ok(self.employee(parent.counter_signer))
    }
}

impl schema::CustomFieldResolvers for Resolvers {
    async fn custom_field_group(
        &self,
        parent: &bindings::CustomField,
    ) -> FieldResult<Option<schema::CustomFieldGroup>> {
        Ok(parent
            .group
            .and_then(|id| self.store().custom_field_groups.get(&id).cloned()))
    }

    async fn team_category(
        &self,
        parent: &bindings::CustomField,
    ) -> FieldResult<Option<schema::TeamCategory>> {
        Ok(parent
            .team_category
            .and_then(|id| self.store().team_categories.get(&id).map(|c| (**c).clone())))
    }
}

impl schema::CustomFieldValueResolvers for Resolvers {
    async fn custom_field(
        &self,
        parent: &bindings::CustomFieldValue,
    ) -> FieldResult<Option<bindings::CustomField>> {
        Ok(self.store().custom_field(&parent.field).cloned())
    }
}

impl schema::TeamResolvers for Resolvers {
    async fn team_category(
        &self,
        parent: &bindings::Team,
    ) -> FieldResult<Option<schema::TeamCategory>> {
        Ok(self
            .store()
            .team_categories
            .get(&parent.category)
            .map(|c| (**c).clone()))
    }
}

impl schema::CountryResolvers for Resolvers {
    async fn states(
        &self,
        parent: &schema::Country,
    ) -> FieldResult<Option<Vec<Option<bindings::State>>>> {
        let store = self.store();
        let Some(country) = parent
            .country_code
            .as_deref()
            .and_then(|c| store.country(c))
        else {
            return Ok(None);
        };
        Ok(some_list(country.states.iter().map(|(code, name)| {
            StateRecord {
                data: schema::State {
                    name: Some((*name).to_owned()),
                    state_code: Some((*code).to_owned()),
                },
                country_code: country.code,
            }
        })))
    }
}

impl schema::StateResolvers for Resolvers {
    async fn country(&self, parent: &bindings::State) -> FieldResult<Option<schema::Country>> {
        Ok(self
            .store()
            .country(parent.country_code)
            .map(|c| c.to_graphql()))
    }
}

impl schema::Resolvers for Resolvers {
    fn query(&self) -> &impl schema::QueryResolvers {
        self
    }
    fn mutation(&self) -> &impl schema::MutationResolvers {
        self
    }
    fn country(&self) -> &impl schema::CountryResolvers {
        self
    }
    fn custom_field(&self) -> &impl schema::CustomFieldResolvers {
        self
    }
    fn custom_field_value(&self) -> &impl schema::CustomFieldValueResolvers {
        self
    }
    fn department(&self) -> &impl schema::DepartmentResolvers {
        self
    }
    fn document(&self) -> &impl schema::DocumentResolvers {
        self
    }
    fn employee(&self) -> &impl schema::EmployeeResolvers {
        self
    }
    fn location(&self) -> &impl schema::LocationResolvers {
        self
    }
    fn pending_hire(&self) -> &impl schema::PendingHireResolvers {
        self
    }
    fn signature_request(&self) -> &impl schema::SignatureRequestResolvers {
        self
    }
    fn signature_request_template(&self) -> &impl schema::SignatureRequestTemplateResolvers {
        self
    }
    fn state(&self) -> &impl schema::StateResolvers {
        self
    }
    fn team(&self) -> &impl schema::TeamResolvers {
        self
    }
}

/// The records a connection of departments or locations lists, in key order.
fn listing<'s, N>(
    records: impl Iterator<Item = (u32, &'s N)>,
    faults: &Faults,
) -> Vec<(u32, &'s N)> {
    let mut entries: Vec<_> = records.collect();
    // FAULT(walk-omits-newest): the listing lags one write behind, so the newest record is missing.
    if faults.is_active(Fault::WalkOmitsNewest) {
        entries.pop();
    }
    entries
}
