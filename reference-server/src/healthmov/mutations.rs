//! The writes: companies, departments, employees and dependents, each created or updated by its key (a company by
//! `externalId`, else its name; an employee by company and employee number; a dependent by parent and email). Every
//! write checks all of its input before it changes anything, under the store's lock, so a refused write changes
//! nothing.

use runtime::{FieldError, FieldResult, Id, MaybeAbsent};

use super::access::Window;
use super::schema::{
    self, InputDependentObject, MutationAddOrUpdateDependentArgs, MutationCreateCompanyArgs,
    MutationCreateDepartmentArgs, MutationCreateOrUpdateCompanyArgs,
    MutationCreateOrUpdateEmployeeArgs, MutationSetOffboardingDateArgs,
};
use super::store::{
    CompanyRecord, Data, DepartmentRecord, EmployeeRecord, Store, does_not_exist, effective_window,
    id, parse,
};
use crate::faults::Fault;
use chrono::NaiveDate;

const DATES_OUT_OF_ORDER: &str = "The offboarding date cannot be before the onboarding date.";

impl Store {
    pub fn create_company(
        &self,
        client: &str,
        args: MutationCreateCompanyArgs,
    ) -> FieldResult<schema::Company> {
        let mut data = self.lock();
        let external_id = args.external_id.value().cloned();
        if let Some(ext) = &external_id
            && self.company_by_external_id(&data, client, ext).is_some()
        {
            return Err(FieldError::bad_input(format!(
                "A company with the external id {ext:?} already exists."
            )));
        }
        let company = schema::Company {
            id: id(data.next_id()),
            name: args.company_name,
            logo_url: args.logo_url,
            external_id,
            country_alpha3_code: args.country_alpha3_code.value().cloned(),
            account_manager: args.account_manager.value().cloned(),
            ..schema::Company::default()
        };
        insert_company(&mut data, client, company.clone());
        Ok(company)
    }

    pub fn create_or_update_company(
        &self,
        client: &str,
        args: MutationCreateOrUpdateCompanyArgs,
    ) -> FieldResult<schema::Company> {
        let mut data = self.lock();
        let existing = match args.external_id.value() {
            Some(ext) => self.company_by_external_id(&data, client, ext),
            None => data
                .companies
                .values()
                .find(|c| {
                    self.owns(client, &c.client)
                        && c.data.external_id.is_none()
                        && c.data.name == args.company_name
                })
                .and_then(|c| parse(&c.data.id)),
        };
        let mut company = match existing {
            Some(key) => data.companies[&key].data.clone(),
            None => schema::Company {
                id: id(data.next_id()),
                ..schema::Company::default()
            },
        };
        company.name = args.company_name;
        company.logo_url = args.logo_url;
        update(&mut company.external_id, args.external_id);
        update(&mut company.date_of_onboarding, args.date_of_onboarding);
        update(&mut company.date_of_offboarding, args.date_of_offboarding);
        update(&mut company.country_alpha3_code, args.country_alpha3_code);
        update(&mut company.account_manager, args.account_manager);
        let window = Window {
            onboarding: company.date_of_onboarding,
            offboarding: company.date_of_offboarding,
        };
        if !window.is_ordered() {
            return Err(FieldError::bad_input(DATES_OUT_OF_ORDER));
        }
        match existing {
            Some(key) => {
                if let Some(record) = data.companies.get_mut(&key) {
                    record.data = company.clone();
                }
            }
            None => insert_company(&mut data, client, company.clone()),
        }
        Ok(company)
    }

    pub fn create_department(
        &self,
        client: &str,
        args: MutationCreateDepartmentArgs,
    ) -> FieldResult<schema::Department> {
        let mut data = self.lock();
        let company = self.own_company(&data, client, &args.company_id)?;
        let external_id = args.external_id.value().cloned();
        if let Some(ext) = &external_id
            && data.departments.values().any(|d| {
                d.data.external_id.as_deref() == Some(ext)
                    && self.company_visible(&data, client, d.company)
            })
        {
            return Err(FieldError::bad_input(format!(
                "A department with the external id {ext:?} already exists."
            )));
        }
        let department = schema::Department {
            id: id(data.next_id()),
            name: args.department_name,
            external_id,
        };
        let key = parse(&department.id).unwrap_or_default();
        data.departments.insert(
            key,
            DepartmentRecord {
                company,
                data: department.clone(),
            },
        );
        Ok(department)
    }

    pub fn create_or_update_employee(
        &self,
        client: &str,
        args: MutationCreateOrUpdateEmployeeArgs,
        today: NaiveDate,
    ) -> FieldResult<schema::Employee> {
        let mut data = self.lock();
        let company = self.own_company(&data, client, &args.company_id)?;
        let department = parse(&args.department_id)
            .and_then(|d| data.departments.get(&d).map(|r| (d, r.company)))
            .filter(|(_, owner)| self.company_visible(&data, client, *owner))
            .ok_or_else(|| does_not_exist("Department"))?;
        // FAULT(foreign-department-accepted): a department of another company is taken as it is.
        if department.1 != company && !self.faults().is_active(Fault::ForeignDepartmentAccepted) {
            return Err(FieldError::bad_input(
                "The department does not belong to the company.",
            ));
        }
        // FAULT(employee-number-duplicates): every call creates an employee.
        let existing = data
            .employees
            .values()
            .find(|e| {
                e.parent.is_none()
                    && e.company == company
                    && e.employee_number.as_deref() == Some(args.employee_number.as_str())
            })
            .map(|e| e.id)
            .filter(|_| !self.faults().is_active(Fault::EmployeeNumberDuplicates));
        let mut record = match existing {
            Some(key) => data.employees[&key].clone(),
            None => EmployeeRecord {
                id: data.next_id(),
                company,
                ..EmployeeRecord::default()
            },
        };
        record.department = Some(department.0);
        record.employee_number = Some(args.employee_number);
        record.first_name = args.first_name;
        record.last_name = Some(args.last_name);
        record.email = Some(args.email);
        update(&mut record.phone_number, args.phone_number);
        update(&mut record.birthdate, args.birthdate);
        update(&mut record.external_id, args.external_id);
        record.own.onboarding = Some(args.date_of_onboarding);
        update(&mut record.own.offboarding, args.date_of_offboarding);
        if !record.own.is_ordered() {
            return Err(FieldError::bad_input(DATES_OUT_OF_ORDER));
        }
        self.check_external_id(&data, client, record.id, record.external_id.as_deref())?;
        let dependents: Vec<InputDependentObject> = args
            .dependents
            .value()
            .into_iter()
            .flatten()
            .flatten()
            .cloned()
            .collect();
        let mut written = vec![record.clone()];
        for input in dependents {
            let dependent = dependent_from_input(&mut data, &record, &written, input);
            self.check_external_id(
                &data,
                client,
                dependent.id,
                dependent.external_id.as_deref(),
            )?;
            written.retain(|w| w.id != dependent.id);
            written.push(dependent);
        }
        // Every dependent, written now or before, with the dates it ends up with (its own, else the employee's).
        let stored = data
            .employees
            .values()
            .filter(|e| e.parent == Some(record.id) && written.iter().all(|w| w.id != e.id));
        if !written
            .iter()
            .skip(1)
            .chain(stored)
            .all(|d| Window::inherit(d.own, record.own).is_ordered())
        {
            return Err(FieldError::bad_input(DATES_OUT_OF_ORDER));
        }
        for record in written {
            data.employees.insert(record.id, record);
        }
        let saved = &data.employees[&record.id];
        Ok(self.view(&data, saved, today))
    }

    pub fn add_or_update_dependent(
        &self,
        client: &str,
        args: MutationAddOrUpdateDependentArgs,
        today: NaiveDate,
    ) -> FieldResult<schema::Employee> {
        let mut data = self.lock();
        let parents: Vec<&EmployeeRecord> = data
            .employees
            .values()
            .filter(|e| {
                e.parent.is_none()
                    && e.email.as_deref() == Some(args.parent_email.as_str())
                    && self.company_visible(&data, client, e.company)
            })
            .collect();
        let parent = match parents.as_slice() {
            [parent] => (*parent).clone(),
            [] => return Err(does_not_exist("Employee")),
            _ => {
                return Err(FieldError::bad_input(format!(
                    "Several employees have the email {:?}; the parent is ambiguous.",
                    args.parent_email
                )));
            }
        };
        let key = DependentKey::Email(args.dependent_email.clone());
        let mut record = match find_dependent(&data, parent.id, &key) {
            Some(existing) => existing.clone(),
            None => new_dependent(&mut data, &parent),
        };
        record.first_name = args.dependent_first_name;
        record.last_name = Some(args.dependent_last_name);
        record.email = Some(args.dependent_email);
        record.birthdate = Some(args.birthdate);
        update(&mut record.phone_number, args.dependent_phone);
        update(&mut record.external_id, args.external_id);
        update(&mut record.own.onboarding, args.date_of_onboarding);
        update(&mut record.own.offboarding, args.date_of_offboarding);
        if !Window::inherit(record.own, parent.own).is_ordered() {
            return Err(FieldError::bad_input(DATES_OUT_OF_ORDER));
        }
        self.check_external_id(&data, client, record.id, record.external_id.as_deref())?;
        let key = record.id;
        data.employees.insert(key, record);
        Ok(self.view(&data, &data.employees[&key], today))
    }

    pub fn set_offboarding_date(
        &self,
        client: &str,
        args: MutationSetOffboardingDateArgs,
        today: NaiveDate,
    ) -> FieldResult<schema::Employee> {
        let mut data = self.lock();
        let key = parse(&args.employee_id)
            .filter(|k| {
                data.employees
                    .get(k)
                    .is_some_and(|e| self.company_visible(&data, client, e.company))
            })
            .ok_or_else(|| does_not_exist("Employee"))?;
        let mut record = data.employees[&key].clone();
        record.own.offboarding = Some(args.date_of_offboarding);
        let window = effective_window(&data, &record);
        // The employee's dependents inherit the new date where they have none of their own.
        let dependents_ordered = data
            .employees
            .values()
            .filter(|e| e.parent == Some(key))
            .all(|d| Window::inherit(d.own, window).is_ordered());
        if !window.is_ordered() || !dependents_ordered {
            return Err(FieldError::bad_input(DATES_OUT_OF_ORDER));
        }
        data.employees.insert(key, record);
        Ok(self.view(&data, &data.employees[&key], today))
    }

    /// The client's company `id` names.
    fn own_company(&self, data: &Data, client: &str, company: &Id) -> FieldResult<u64> {
        parse(company)
            .filter(|c| self.company_visible(data, client, *c))
            .ok_or_else(|| does_not_exist("Company"))
    }

    fn company_by_external_id(&self, data: &Data, client: &str, external_id: &str) -> Option<u64> {
        data.companies
            .values()
            .find(|c| {
                self.owns(client, &c.client) && c.data.external_id.as_deref() == Some(external_id)
            })
            .and_then(|c| parse(&c.data.id))
    }

    /// `searchEmployee` finds one record by external id, so no two of a client's records may share one.
    fn check_external_id(
        &self,
        data: &Data,
        client: &str,
        record: u64,
        external_id: Option<&str>,
    ) -> FieldResult<()> {
        let Some(ext) = external_id else {
            return Ok(());
        };
        let taken = data.employees.values().any(|e| {
            e.id != record
                && e.external_id.as_deref() == Some(ext)
                && self.company_visible(data, client, e.company)
        });
        if taken {
            return Err(FieldError::bad_input(format!(
                "An employee with the external id {ext:?} already exists."
            )));
        }
        Ok(())
    }
}

/// What identifies a dependent among its parent's: its email, else its first name and birthdate.
#[derive(Debug, Clone, PartialEq, Eq)]
enum DependentKey {
    Email(String),
    NameAndBirthdate(String, NaiveDate),
}

impl DependentKey {
    fn of(record: &EmployeeRecord) -> Option<DependentKey> {
        match (&record.email, record.birthdate) {
            (Some(email), _) => Some(DependentKey::Email(email.clone())),
            (None, Some(birthdate)) => Some(DependentKey::NameAndBirthdate(
                record.first_name.clone(),
                birthdate,
            )),
            (None, None) => None,
        }
    }
}

fn find_dependent<'a>(
    data: &'a Data,
    parent: u64,
    key: &DependentKey,
) -> Option<&'a EmployeeRecord> {
    data.employees
        .values()
        .find(|e| e.parent == Some(parent) && DependentKey::of(e).as_ref() == Some(key))
}

fn new_dependent(data: &mut Data, parent: &EmployeeRecord) -> EmployeeRecord {
    EmployeeRecord {
        id: data.next_id(),
        info_id: Some(data.next_id()),
        company: parent.company,
        parent: Some(parent.id),
        ..EmployeeRecord::default()
    }
}

/// The record an `InputDependentObject` creates or updates: the one of the same key among those this request wrote
/// already, else among the stored ones, else a new one.
fn dependent_from_input(
    data: &mut Data,
    parent: &EmployeeRecord,
    written: &[EmployeeRecord],
    input: InputDependentObject,
) -> EmployeeRecord {
    let key = match input.email.value() {
        Some(email) => DependentKey::Email(email.clone()),
        None => DependentKey::NameAndBirthdate(input.first_name.clone(), input.birthdate),
    };
    let earlier = written
        .iter()
        .find(|e| e.parent == Some(parent.id) && DependentKey::of(e).as_ref() == Some(&key))
        .cloned();
    let mut record = earlier
        .or_else(|| find_dependent(data, parent.id, &key).cloned())
        .unwrap_or_else(|| new_dependent(data, parent));
    record.first_name = input.first_name;
    record.birthdate = Some(input.birthdate);
    update(&mut record.last_name, input.last_name);
    update(&mut record.email, input.email);
    update(&mut record.external_id, input.external_id);
    update(&mut record.own.onboarding, input.date_of_onboarding);
    update(&mut record.own.offboarding, input.date_of_offboarding);
    record
}

fn insert_company(data: &mut Data, client: &str, company: schema::Company) {
    let key = parse(&company.id).unwrap_or_default();
    data.companies.insert(
        key,
        CompanyRecord {
            client: client.to_owned(),
            data: company,
        },
    );
}

/// Applies an optional argument: absent keeps the stored value, null clears it, a value sets it.
fn update<T>(slot: &mut Option<T>, value: MaybeAbsent<T>) {
    if let Some(new) = value.into_update() {
        *slot = new;
    }
}
