//! The fields of records that are resolved: relations to other records, custom field values and signed file URLs.

use runtime::{FieldError, FieldResult};

use crate::greenhouse::bindings;
use crate::greenhouse::schema::{self, SignatureRequestStatus};
use crate::greenhouse::store::{SignatureRequestRecord, StateRecord};

use super::{Resolvers, custom_field_values, some_list};

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
