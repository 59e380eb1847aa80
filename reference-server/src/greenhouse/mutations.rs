//! The mutations, over the store: each validates the whole request first and changes the store only when all of it
//! is valid (a failing custom field value changes nothing), and runs under the caller's write lock, so concurrent
//! mutations apply one after the other and lose nothing.
//!
//! Only the fields a request provides change: an absent field keeps its value, `null` clears it (required fields,
//! such as an employee's `firstName`, cannot be cleared).
//!
//! Deleting a department or a location that employees or pending hires belong to is allowed: they are left without
//! one (`department: null`), and their `updatedAt` moves for the change. Ids are never reused, so old cursors and
//! references keep their meaning.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use runtime::{FieldError, FieldResult, Id, MaybeAbsent};

use super::schema::{self, EmploymentStatus};
use super::store::{
    CustomValues, DepartmentRecord, EmployeeRecord, FileRecord, LocationRecord, PendingHireRecord,
    Store, StoredValue, not_found, parse_id,
};
use super::values::{self, ValueContext};
use crate::faults::{Fault, Faults};

/// `Absent` → no change; `Null` → clear; a value → set. With `clear_absent`, absent clears too.
fn update<T: Clone>(field: &MaybeAbsent<T>, clear_absent: bool) -> Option<Option<T>> {
    match field {
        MaybeAbsent::Absent if clear_absent => Some(None),
        other => other.clone().into_update(),
    }
}

fn blank_error(mutation: &str, field: &str) -> FieldError {
    FieldError::bad_input(format!("{mutation}: `{field}` can't be blank."))
}

/// A required text: a value that is not blank.
fn required_text(mutation: &str, field: &str, value: Option<&str>) -> FieldResult<String> {
    match value.map(str::trim) {
        Some(text) if !text.is_empty() => Ok(text.to_owned()),
        _ => Err(blank_error(mutation, field)),
    }
}

/// An email address: something@something, without spaces.
fn check_email(mutation: &str, field: &str, value: Option<&str>) -> FieldResult<()> {
    let Some(email) = value else { return Ok(()) };
    let valid = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
    }) && !email.chars().any(char::is_whitespace)
        && email.matches('@').count() == 1;
    if valid {
        Ok(())
    } else {
        Err(FieldError::bad_input(format!(
            "{mutation}: `{field}` is not a valid email address: {email:?}."
        )))
    }
}

/// The id of an existing record of `type_name`, or the documented not-found error.
fn existing(id: &Id, type_name: &str, exists: impl Fn(u32) -> bool) -> FieldResult<u32> {
    parse_id(id)
        .filter(|id| exists(*id))
        .ok_or_else(|| not_found(type_name, id))
}

/// A reference update: absent → no change, null → clear, an id → that record, which must exist.
fn reference(
    field: &MaybeAbsent<Id>,
    clear_absent: bool,
    type_name: &str,
    exists: impl Fn(u32) -> bool,
) -> FieldResult<Option<Option<u32>>> {
    match update(field, clear_absent) {
        None => Ok(None),
        Some(None) => Ok(Some(None)),
        Some(Some(id)) => existing(&id, type_name, exists).map(|id| Some(Some(id))),
    }
}

fn set<T>(target: &mut T, change: Option<T>) {
    if let Some(value) = change {
        *target = value;
    }
}

/// The checked name and lead of a new department or location (its email must be valid too).
fn new_unit(
    store: &Store,
    mutation: &str,
    name: &MaybeAbsent<String>,
    email: &MaybeAbsent<String>,
    lead: &MaybeAbsent<Id>,
) -> FieldResult<(String, Option<u32>)> {
    let name = required_text(mutation, "name", name.value().map(String::as_str))?;
    check_email(mutation, "email", email.value().map(String::as_str))?;
    let lead = reference(lead, false, "Employee", |id| {
        store.employees.contains_key(&id)
    })?;
    Ok((name, lead.flatten()))
}

/// A name, email and lead change of a department or location ([`update`]'s shape), checked.
type UnitChanges = (Option<String>, Option<Option<String>>, Option<Option<u32>>);

fn unit_changes(
    store: &Store,
    mutation: &str,
    name: &MaybeAbsent<String>,
    email: &MaybeAbsent<String>,
    lead: &MaybeAbsent<Id>,
) -> FieldResult<UnitChanges> {
    let name = match update(name, false) {
        None => None,
        Some(name) => Some(required_text(mutation, "name", name.as_deref())?),
    };
    let email = update(email, false);
    check_email(mutation, "email", email.as_ref().and_then(|e| e.as_deref()))?;
    let lead = reference(lead, false, "Employee", |id| {
        store.employees.contains_key(&id)
    })?;
    Ok((name, email, lead))
}

pub fn add_department(
    store: &mut Store,
    input: &schema::AddDepartmentInput,
    now: DateTime<Utc>,
) -> FieldResult<Arc<DepartmentRecord>> {
    let (name, lead) = new_unit(
        store,
        "addDepartment",
        &input.name,
        &input.email,
        &input.department_lead,
    )?;
    let id = store.next_department_id;
    let record = Arc::new(DepartmentRecord {
        data: schema::Department {
            created_at: Some(now),
            description: input.description.value().cloned(),
            email: input.email.value().cloned(),
            id: Some(Id::from(i64::from(id))),
            name: Some(name),
            updated_at: Some(now),
        },
        id,
        lead,
    });
    store.next_department_id += 1;
    store.departments.insert(id, Arc::clone(&record));
    Ok(record)
}

pub fn update_department(
    store: &mut Store,
    input: &schema::UpdateDepartmentInput,
    now: DateTime<Utc>,
) -> FieldResult<Arc<DepartmentRecord>> {
    let id = existing(&input.id, "Department", |id| {
        store.departments.contains_key(&id)
    })?;
    let (name, email, lead) = unit_changes(
        store,
        "updateDepartment",
        &input.name,
        &input.email,
        &input.department_lead,
    )?;
    let Some(department) = store.departments.get_mut(&id) else {
        return Err(not_found("Department", id));
    };
    let record = Arc::make_mut(department);
    set(&mut record.data.name, name.map(Some));
    set(&mut record.data.email, email);
    set(
        &mut record.data.description,
        update(&input.description, false),
    );
    set(&mut record.lead, lead);
    record.data.updated_at = Some(now);
    Ok(Arc::clone(department))
}

pub fn delete_department(store: &mut Store, id: &Id, now: DateTime<Utc>) -> FieldResult<u32> {
    let id = existing(id, "Department", |id| store.departments.contains_key(&id))?;
    store.departments.remove(&id);
    for employee in store.employees.values_mut() {
        if employee.department == Some(id) {
            let record = Arc::make_mut(employee);
            record.department = None;
            record.data.updated_at = Some(now);
        }
    }
    for hire in store.pending_hires.values_mut() {
        if hire.department == Some(id) {
            let record = Arc::make_mut(hire);
            record.department = None;
            record.data.updated_at = Some(now);
        }
    }
    Ok(id)
}

pub fn add_location(
    store: &mut Store,
    input: &schema::AddLocationInput,
    now: DateTime<Utc>,
) -> FieldResult<Arc<LocationRecord>> {
    let (name, lead) = new_unit(
        store,
        "addLocation",
        &input.name,
        &input.email,
        &input.location_lead,
    )?;
    let id = store.next_location_id;
    let record = Arc::new(LocationRecord {
        data: schema::Location {
            address: input.address.value().cloned(),
            created_at: Some(now),
            description: input.description.value().cloned(),
            email: input.email.value().cloned(),
            id: Some(Id::from(i64::from(id))),
            name: Some(name),
            updated_at: Some(now),
        },
        id,
        lead,
    });
    store.next_location_id += 1;
    store.locations.insert(id, Arc::clone(&record));
    Ok(record)
}

pub fn update_location(
    store: &mut Store,
    input: &schema::UpdateLocationInput,
    now: DateTime<Utc>,
) -> FieldResult<Arc<LocationRecord>> {
    let id = existing(&input.id, "Location", |id| {
        store.locations.contains_key(&id)
    })?;
    let (name, email, lead) = unit_changes(
        store,
        "updateLocation",
        &input.name,
        &input.email,
        &input.location_lead,
    )?;
    let Some(location) = store.locations.get_mut(&id) else {
        return Err(not_found("Location", id));
    };
    let record = Arc::make_mut(location);
    set(&mut record.data.name, name.map(Some));
    set(&mut record.data.email, email);
    set(
        &mut record.data.description,
        update(&input.description, false),
    );
    set(&mut record.data.address, update(&input.address, false));
    set(&mut record.lead, lead);
    record.data.updated_at = Some(now);
    Ok(Arc::clone(location))
}

pub fn delete_location(store: &mut Store, id: &Id, now: DateTime<Utc>) -> FieldResult<u32> {
    let id = existing(id, "Location", |id| store.locations.contains_key(&id))?;
    store.locations.remove(&id);
    for employee in store.employees.values_mut() {
        if employee.location == Some(id) {
            let record = Arc::make_mut(employee);
            record.location = None;
            record.data.updated_at = Some(now);
        }
    }
    for hire in store.pending_hires.values_mut() {
        if hire.location == Some(id) {
            let record = Arc::make_mut(hire);
            record.location = None;
            record.data.updated_at = Some(now);
        }
    }
    Ok(id)
}

fn check_country(store: &Store, mutation: &str, code: Option<&str>) -> FieldResult<()> {
    match code {
        Some(code) if store.country(code).is_none() => Err(FieldError::bad_input(format!(
            "{mutation}: `workCountryCode` {code:?} is not a valid country code (see the `countries` query)."
        ))),
        _ => Ok(()),
    }
}

/// Applies `changes` to `values` after validating every one of them; on any error `values` is untouched.
fn apply_custom_values(
    store: &Store,
    values: &mut CustomValues,
    changes: &[Option<schema::UpdateCustomFieldValue>],
    work_country_code: Option<&str>,
    now: DateTime<Utc>,
) -> FieldResult<()> {
    let context = ValueContext {
        store,
        work_country_code,
    };
    let mut validated = Vec::with_capacity(changes.len());
    for change in changes.iter().flatten() {
        let id = change.custom_field_id.as_str();
        let field = store
            .custom_field(id)
            .ok_or_else(|| not_found("CustomField", id))?;
        let value = match change.value.value() {
            None => None,
            Some(input) => {
                Some(values::validate(field, input, context).map_err(FieldError::bad_input)?)
            }
        };
        validated.push((field.id().to_owned(), value));
    }
    for (field, value) in validated {
        match value {
            None => {
                values.remove(&field);
            }
            Some(value) => {
                let created_at = values.get(&field).map_or(now, |v| v.created_at);
                values.insert(
                    field,
                    StoredValue {
                        value,
                        created_at,
                        updated_at: now,
                        value_updated_at: now,
                    },
                );
            }
        }
    }
    Ok(())
}

pub fn add_pending_hire(
    store: &mut Store,
    input: &schema::AddPendingHireInput,
    now: DateTime<Utc>,
) -> FieldResult<Arc<PendingHireRecord>> {
    const M: &str = "addPendingHire";
    let first_name = required_text(M, "firstName", Some(&input.first_name))?;
    let last_name = required_text(M, "lastName", Some(&input.last_name))?;
    let country = input.work_country_code.trim();
    check_country(store, M, Some(country))?;
    check_email(M, "email", input.email.value().map(String::as_str))?;
    check_email(
        M,
        "personalEmail",
        input.personal_email.value().map(String::as_str),
    )?;
    let employee_exists = |id: u32| store.employees.contains_key(&id);
    let manager = reference(&input.manager, false, "Employee", employee_exists)?.flatten();
    let hr_manager = reference(&input.hr_manager, false, "Employee", employee_exists)?.flatten();
    let department = reference(&input.department, false, "Department", |id| {
        store.departments.contains_key(&id)
    })?
    .flatten();
    let location = reference(&input.location, false, "Location", |id| {
        store.locations.contains_key(&id)
    })?
    .flatten();
    let mut custom_values = CustomValues::new();
    if let Some(changes) = input.custom_field_values.value() {
        apply_custom_values(store, &mut custom_values, changes, Some(country), now)?;
    }
    let id = store.next_pending_hire_id;
    let record = Arc::new(PendingHireRecord {
        data: schema::PendingHire {
            about: input.about.value().cloned(),
            created_at: Some(now),
            date_of_birth: input.date_of_birth.value().copied(),
            email: input.email.value().cloned(),
            employment_status: input.employment_status.value().copied(),
            first_name: Some(first_name),
            id: Some(Id::from(i64::from(id))),
            last_name: Some(last_name),
            personal_email: input.personal_email.value().cloned(),
            phone_number: input.phone_number.value().cloned(),
            preferred_first_name: input.preferred_first_name.value().cloned(),
            preferred_last_name: input.preferred_last_name.value().cloned(),
            start_date: input.start_date.value().copied(),
            title: input.title.value().cloned(),
            updated_at: Some(now),
            work_country_code: Some(country.to_owned()),
        },
        id,
        middle_name: input.middle_name.value().cloned(),
        suffix: input.suffix.value().cloned(),
        manager,
        hr_manager,
        department,
        location,
        custom_values,
    });
    store.next_pending_hire_id += 1;
    store.pending_hires.insert(id, Arc::clone(&record));
    Ok(record)
}

/// A profile image from its URL: the file is named after the URL's last path segment.
fn profile_image(employee: u32, url: &runtime::url::Url) -> FileRecord {
    let file_name = url
        .path_segments()
        .and_then(|mut segments| segments.next_back())
        .filter(|name| !name.is_empty())
        .unwrap_or("profile_image")
        .to_owned();
    FileRecord {
        path: format!("profile_images/{employee}/{file_name}"),
        file_name,
        file_size: None,
    }
}

/// Whether making `manager` the manager of `employee` would close a loop in the reporting line.
fn reports_to(store: &Store, manager: u32, employee: u32) -> bool {
    let mut seen = BTreeSet::new();
    let mut current = Some(manager);
    while let Some(id) = current {
        if id == employee {
            return true;
        }
        if !seen.insert(id) {
            return false;
        }
        current = store.employees.get(&id).and_then(|e| e.manager);
    }
    false
}

pub fn update_employee_profile(
    store: &mut Store,
    id: &Id,
    updates: &schema::UpdateEmployee,
    now: DateTime<Utc>,
    faults: &Faults,
) -> FieldResult<Arc<EmployeeRecord>> {
    const M: &str = "updateEmployeeProfile";
    let employee_id = existing(id, "Employee", |id| store.employees.contains_key(&id))?;
    let Some(current) = store.employees.get(&employee_id) else {
        return Err(not_found("Employee", id));
    };
    // FAULT(partial-update-clears-fields): fields the request does not mention are cleared.
    let clear = faults.is_active(Fault::PartialUpdateClearsFields);
    let mut next: EmployeeRecord = (**current).clone();
    let u = updates;
    let d = &mut next.data;
    // Names are required: they can be changed, never cleared.
    if let Some(first) = u.first_name.clone().into_update() {
        d.first_name = Some(required_text(M, "firstName", first.as_deref())?);
    }
    if let Some(last) = u.last_name.clone().into_update() {
        d.last_name = Some(required_text(M, "lastName", last.as_deref())?);
    }
    if let Some(email) = update(&u.email, clear) {
        check_email(M, "email", email.as_deref())?;
        if let Some(email) = &email {
            let taken = store.employees.values().any(|e| {
                e.id != employee_id
                    && e.data
                        .email
                        .as_deref()
                        .is_some_and(|other| other.eq_ignore_ascii_case(email))
            });
            if taken {
                return Err(FieldError::bad_input(format!(
                    "{M}: `email` {email:?} is already the email of another employee."
                )));
            }
        }
        d.email = email;
    }
    if let Some(personal) = update(&u.personal_email, clear) {
        check_email(M, "personalEmail", personal.as_deref())?;
        d.personal_email = personal;
    }
    if let Some(code) = update(&u.work_country_code, clear) {
        let code = code.map(|c| c.trim().to_owned());
        check_country(store, M, code.as_deref())?;
        d.work_country_code = code;
    }
    set(&mut d.about, update(&u.about, clear));
    set(&mut d.date_of_birth, update(&u.date_of_birth, clear));
    set(&mut d.middle_name, update(&u.middle_name, clear));
    set(&mut d.phone_number, update(&u.phone_number, clear));
    set(
        &mut d.preferred_first_name,
        update(&u.preferred_first_name, clear),
    );
    set(
        &mut d.preferred_last_name,
        update(&u.preferred_last_name, clear),
    );
    set(&mut d.start_date, update(&u.start_date, clear));
    set(&mut d.suffix, update(&u.suffix, clear));
    set(&mut d.title, update(&u.title, clear));
    if let Some(status) = update(&u.employment_status, clear) {
        // The termination date exists only on terminated employees.
        match status {
            Some(EmploymentStatus::Terminated) => {
                if d.date_of_termination.is_none() {
                    d.date_of_termination = Some(now.date_naive());
                }
            }
            _ => d.date_of_termination = None,
        }
        d.employment_status = status;
    }
    let employee_exists = |id: u32| store.employees.contains_key(&id);
    if let Some(manager) = reference(&u.manager, clear, "Employee", employee_exists)? {
        if let Some(manager) = manager {
            if manager == employee_id {
                return Err(FieldError::bad_input(format!(
                    "{M}: an employee cannot be their own manager."
                )));
            }
            if reports_to(store, manager, employee_id) {
                return Err(FieldError::bad_input(format!(
                    "{M}: Employee {manager} reports to Employee {employee_id}, so cannot be their manager."
                )));
            }
        }
        next.manager = manager;
    }
    if let Some(hr_manager) = reference(&u.hr_manager, clear, "Employee", employee_exists)? {
        if hr_manager == Some(employee_id) {
            return Err(FieldError::bad_input(format!(
                "{M}: an employee cannot be their own HR manager."
            )));
        }
        next.hr_manager = hr_manager;
    }
    set(
        &mut next.department,
        reference(&u.department, clear, "Department", |id| {
            store.departments.contains_key(&id)
        })?,
    );
    set(
        &mut next.location,
        reference(&u.location, clear, "Location", |id| {
            store.locations.contains_key(&id)
        })?,
    );
    if let Some(criteria) = update(&u.other_criteria, clear) {
        let mut ids = Vec::new();
        for id in criteria.iter().flatten().flatten() {
            let id = existing(id, "OtherCriterion", |id| {
                store.other_criteria.contains_key(&id)
            })?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        next.other_criteria = ids;
    }
    if let Some(image) = update(&u.profile_image, clear) {
        next.profile_image = image.map(|url| profile_image(employee_id, &url));
    }
    match u.custom_field_values.as_ref() {
        MaybeAbsent::Absent => {}
        MaybeAbsent::Null => next.custom_values.clear(),
        MaybeAbsent::Value(changes) => {
            let country = next.data.work_country_code.clone();
            apply_custom_values(
                store,
                &mut next.custom_values,
                changes,
                country.as_deref(),
                now,
            )?;
        }
    }
    next.data.updated_at = Some(now);
    let record = Arc::new(next);
    store.employees.insert(employee_id, Arc::clone(&record));
    Ok(record)
}

#[cfg(test)]
mod tests;
