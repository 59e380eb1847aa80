//! The root types: Query's lookups and connections, and the mutations, each writing under the store's lock.

use runtime::{FieldError, FieldResult, Id};

use crate::greenhouse::bindings;
use crate::greenhouse::countries::CONTACT_RELATIONSHIPS;
use crate::greenhouse::filters::EmployeeFilter;
use crate::greenhouse::mutations;
use crate::greenhouse::pagination::{self, PageArgs};
use crate::greenhouse::schema;
use crate::greenhouse::store::not_found;

use super::{Resolvers, listing, now, saturating_i32, some_list};

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
        self.records_connection("otherCriteria", page_args!(args), |s| &s.other_criteria)
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
        self.records_connection("teamCategories", page_args!(args), |s| &s.team_categories)
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
