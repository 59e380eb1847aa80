//! The filters of `employees`: every `*Filter` input, the deprecated arguments they replace, `updatedAt` and the
//! `customFieldValues` criteria, compiled once per request into clauses that all must hold (AND).
//!
//! Meanings, where the document leaves them open:
//! - `anyValue: true` keeps employees that have a value, `noValue: true` those that have none; `false` adds no
//!   condition. The value list keeps employees whose value is in it (a `null` element matches "no value"); an empty
//!   list keeps no one. Several keys of one filter all apply.
//! - A deprecated argument means what the same key of its `*Filter` means (`departmentIds: [1]` is
//!   `departmentFilter: {departmentIds: [1]}`); given with its `*Filter`, both apply.
//! - `DateFilter`: `after` and `before` exclusive, `on` exact; an employee without the date never matches a bound.
//!   `DateTimeFilter` (`updatedAt`): exclusive too.
//! - Emails and country codes compare without regard to case; titles exactly.
//! - `customFieldValues`: each criterion names a custom field; with no values it keeps employees that have a value
//!   for it; `textValues` (text-like, multiple_choice and multiple_select fields: any selected option matches),
//!   `idValues` (team and employee fields) and `dateValue` (date fields) narrow that. A criterion of the wrong kind
//!   for its field, or an unknown field, is refused.

use chrono::{DateTime, NaiveDate, Utc};
use runtime::{FieldError, FieldResult, MaybeAbsent};
use serde_json::Value;

use super::schema::{
    CustomFieldTypes, CustomFieldValuesInput, DateFilter, DateTimeFilter, EmploymentStatus,
    QueryEmployeesArgs,
};
use super::store::{EmployeeRecord, Store};
use super::values::parse_date;
use crate::faults::{Fault, Faults};

/// An employee field that filters test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    DateOfBirth,
    Department,
    Email,
    EmploymentStatus,
    HrManager,
    Location,
    Manager,
    PersonalEmail,
    StartDate,
    Title,
    WorkCountryCode,
}

impl Field {
    fn is_set(self, e: &EmployeeRecord) -> bool {
        match self {
            Field::DateOfBirth | Field::StartDate => self.date(e).is_some(),
            Field::Department | Field::HrManager | Field::Location | Field::Manager => {
                self.id(e).is_some()
            }
            Field::EmploymentStatus => e.data.employment_status.is_some(),
            Field::Email | Field::PersonalEmail | Field::Title | Field::WorkCountryCode => {
                self.text(e).is_some()
            }
        }
    }

    fn id(self, e: &EmployeeRecord) -> Option<u32> {
        match self {
            Field::Department => e.department,
            Field::HrManager => e.hr_manager,
            Field::Location => e.location,
            Field::Manager => e.manager,
            _ => None,
        }
    }

    fn text(self, e: &EmployeeRecord) -> Option<&str> {
        match self {
            Field::Email => e.data.email.as_deref(),
            Field::PersonalEmail => e.data.personal_email.as_deref(),
            Field::Title => e.data.title.as_deref(),
            Field::WorkCountryCode => e.data.work_country_code.as_deref(),
            _ => None,
        }
    }

    fn date(self, e: &EmployeeRecord) -> Option<NaiveDate> {
        match self {
            Field::DateOfBirth => e.data.date_of_birth,
            Field::StartDate => e.data.start_date,
            _ => None,
        }
    }

    fn case_insensitive(self) -> bool {
        matches!(
            self,
            Field::Email | Field::PersonalEmail | Field::WorkCountryCode
        )
    }
}

/// A `DateFilter`: `after` and `before` exclusive, `on` exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateRange {
    pub after: Option<NaiveDate>,
    pub before: Option<NaiveDate>,
    pub on: Option<NaiveDate>,
    /// FAULT(date-filter-inclusive): the bounds include their dates.
    pub inclusive: bool,
}

impl DateRange {
    pub fn new(filter: &DateFilter, faults: &Faults) -> Self {
        DateRange {
            after: filter.after.value().copied(),
            before: filter.before.value().copied(),
            on: filter.on.value().copied(),
            inclusive: faults.is_active(Fault::DateFilterInclusive),
        }
    }

    pub fn matches(&self, date: Option<NaiveDate>) -> bool {
        if self.after.is_none() && self.before.is_none() && self.on.is_none() {
            return true;
        }
        let Some(date) = date else { return false };
        let after = self
            .after
            .is_none_or(|a| if self.inclusive { date >= a } else { date > a });
        let before = self
            .before
            .is_none_or(|b| if self.inclusive { date <= b } else { date < b });
        after && before && self.on.is_none_or(|on| date == on)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Clause {
    Present(Field, bool),
    Ids(Field, Vec<Option<i64>>),
    Texts(Field, Vec<Option<String>>),
    Statuses(Vec<Option<EmploymentStatus>>),
    Dates(Field, DateRange),
    UpdatedAt {
        after: Option<DateTime<Utc>>,
        before: Option<DateTime<Utc>>,
    },
    Custom {
        field: String,
        texts: Option<Vec<Option<String>>>,
        ids: Option<Vec<Option<i64>>>,
        dates: Option<DateRange>,
    },
}

impl Clause {
    fn matches(&self, e: &EmployeeRecord) -> bool {
        match self {
            Clause::Present(field, present) => field.is_set(e) == *present,
            Clause::Ids(field, ids) => {
                let value = field.id(e).map(i64::from);
                ids.contains(&value)
            }
            Clause::Texts(field, texts) => {
                let value = field.text(e);
                texts.iter().any(|t| match (t, value) {
                    (None, None) => true,
                    (Some(t), Some(v)) if field.case_insensitive() => t.eq_ignore_ascii_case(v),
                    (Some(t), Some(v)) => t == v,
                    _ => false,
                })
            }
            Clause::Statuses(statuses) => statuses.contains(&e.data.employment_status),
            Clause::Dates(field, range) => range.matches(field.date(e)),
            Clause::UpdatedAt { after, before } => {
                let Some(updated) = e.data.updated_at else {
                    return false;
                };
                after.is_none_or(|a| updated > a) && before.is_none_or(|b| updated < b)
            }
            Clause::Custom {
                field,
                texts,
                ids,
                dates,
            } => {
                let Some(stored) = e.custom_values.get(field) else {
                    return false;
                };
                let value = &stored.value;
                let text_ok = texts.as_ref().is_none_or(|texts| {
                    let chosen: Vec<&str> = match value {
                        Value::String(s) => vec![s.as_str()],
                        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                        _ => Vec::new(),
                    };
                    texts.iter().flatten().any(|t| chosen.contains(&t.as_str()))
                });
                let id_ok = ids.as_ref().is_none_or(|ids| ids.contains(&value.as_i64()));
                let date_ok = dates
                    .as_ref()
                    .is_none_or(|range| range.matches(value.as_str().and_then(parse_date)));
                text_ok && id_ok && date_ok
            }
        }
    }
}

/// The conditions of one `employees` request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EmployeeFilter {
    clauses: Vec<Clause>,
}

fn ints(list: &[Option<i32>]) -> Vec<Option<i64>> {
    list.iter().map(|i| i.map(i64::from)).collect()
}

fn strings(list: &[Option<String>]) -> Vec<Option<String>> {
    list.to_vec()
}

impl EmployeeFilter {
    /// Compiles the arguments; refuses `customFieldValues` criteria that name no custom field or do not fit it.
    #[allow(deprecated)]
    pub fn new(args: &QueryEmployeesArgs, store: &Store, faults: &Faults) -> FieldResult<Self> {
        let mut f = EmployeeFilter::default();
        let presence = |f: &mut EmployeeFilter,
                        field: Field,
                        any: &MaybeAbsent<bool>,
                        none: &MaybeAbsent<bool>| {
            if any.value() == Some(&true) {
                f.clauses.push(Clause::Present(field, true));
            }
            if none.value() == Some(&true) {
                f.clauses.push(Clause::Present(field, false));
            }
        };
        if let Some(filter) = args.date_of_birth_filter.value() {
            presence(
                &mut f,
                Field::DateOfBirth,
                &filter.any_value,
                &filter.no_value,
            );
            if let Some(dates) = filter.date_filter.value() {
                f.clauses.push(Clause::Dates(
                    Field::DateOfBirth,
                    DateRange::new(dates, faults),
                ));
            }
        }
        if let Some(dates) = args.date_of_birth.value() {
            f.clauses.push(Clause::Dates(
                Field::DateOfBirth,
                DateRange::new(dates, faults),
            ));
        }
        if let Some(filter) = args.start_date_filter.value() {
            presence(
                &mut f,
                Field::StartDate,
                &filter.any_value,
                &filter.no_value,
            );
            if let Some(dates) = filter.date_filter.value() {
                f.clauses.push(Clause::Dates(
                    Field::StartDate,
                    DateRange::new(dates, faults),
                ));
            }
        }
        if let Some(dates) = args.start_date.value() {
            f.clauses.push(Clause::Dates(
                Field::StartDate,
                DateRange::new(dates, faults),
            ));
        }
        let id_lists = [
            (
                Field::Department,
                args.department_filter
                    .value()
                    .map(|x| (&x.any_value, &x.no_value, &x.department_ids)),
                &args.department_ids,
            ),
            (
                Field::HrManager,
                args.hr_manager_filter
                    .value()
                    .map(|x| (&x.any_value, &x.no_value, &x.hr_manager_ids)),
                &args.hr_manager_ids,
            ),
            (
                Field::Location,
                args.location_filter
                    .value()
                    .map(|x| (&x.any_value, &x.no_value, &x.location_ids)),
                &args.location_ids,
            ),
            (
                Field::Manager,
                args.manager_filter
                    .value()
                    .map(|x| (&x.any_value, &x.no_value, &x.manager_ids)),
                &args.manager_ids,
            ),
        ];
        for (field, filter, deprecated) in id_lists {
            if let Some((any, none, ids)) = filter {
                presence(&mut f, field, any, none);
                if let Some(ids) = ids.value() {
                    f.clauses.push(Clause::Ids(field, ints(ids)));
                }
            }
            if let Some(ids) = deprecated.value() {
                f.clauses.push(Clause::Ids(field, ints(ids)));
            }
        }
        let text_lists = [
            (
                Field::Email,
                args.email_filter
                    .value()
                    .map(|x| (&x.any_value, &x.no_value, &x.emails)),
                &args.emails,
            ),
            (
                Field::PersonalEmail,
                args.personal_email_filter
                    .value()
                    .map(|x| (&x.any_value, &x.no_value, &x.personal_emails)),
                &args.personal_emails,
            ),
            (
                Field::Title,
                args.title_filter
                    .value()
                    .map(|x| (&x.any_value, &x.no_value, &x.titles)),
                &args.titles,
            ),
            (
                Field::WorkCountryCode,
                args.work_country_code_filter
                    .value()
                    .map(|x| (&x.any_value, &x.no_value, &x.work_country_codes)),
                &args.work_country_codes,
            ),
        ];
        for (field, filter, deprecated) in text_lists {
            if let Some((any, none, texts)) = filter {
                presence(&mut f, field, any, none);
                if let Some(texts) = texts.value() {
                    f.clauses.push(Clause::Texts(field, strings(texts)));
                }
            }
            if let Some(texts) = deprecated.value() {
                f.clauses.push(Clause::Texts(field, strings(texts)));
            }
        }
        if let Some(filter) = args.employment_status_filter.value() {
            presence(
                &mut f,
                Field::EmploymentStatus,
                &filter.any_value,
                &filter.no_value,
            );
            if let Some(statuses) = filter.employment_statuses.value() {
                f.clauses.push(Clause::Statuses(statuses.clone()));
            }
        }
        if let Some(statuses) = args.employment_statuses.value() {
            f.clauses.push(Clause::Statuses(statuses.clone()));
        }
        if let Some(DateTimeFilter { after, before }) = args.updated_at.value() {
            f.clauses.push(Clause::UpdatedAt {
                after: after.value().copied(),
                before: before.value().copied(),
            });
        }
        for criterion in args
            .custom_field_values
            .value()
            .into_iter()
            .flatten()
            .flatten()
        {
            f.clauses.push(custom_clause(criterion, store, faults)?);
        }
        Ok(f)
    }

    pub fn matches(&self, employee: &EmployeeRecord) -> bool {
        self.clauses.iter().all(|c| c.matches(employee))
    }
}

fn custom_clause(
    criterion: &CustomFieldValuesInput,
    store: &Store,
    faults: &Faults,
) -> FieldResult<Clause> {
    let id = &criterion.id;
    let field = store.custom_field(id).ok_or_else(|| {
        FieldError::bad_input(format!(
            "customFieldValues: there is no custom field with id {id:?} (see the `customFields` query)."
        ))
    })?;
    let field_type = field.field_type;
    let refuse = |argument: &str, takes: &str| {
        FieldError::bad_input(format!(
            "customFieldValues: `{argument}` applies to {takes} custom fields; {id:?} is a {} field.",
            field_type.as_str().to_lowercase()
        ))
    };
    use CustomFieldTypes as T;
    let texts = criterion.text_values.value().map(|t| t.to_vec());
    if texts.is_some()
        && !matches!(
            field_type,
            T::Text | T::LongText | T::Confirmable | T::MultipleChoice | T::MultipleSelect
        )
    {
        return Err(refuse(
            "textValues",
            "text, long_text, confirmable, multiple_choice and multiple_select",
        ));
    }
    let ids = criterion.id_values.value().map(|ids| ints(ids));
    if ids.is_some() && !matches!(field_type, T::Team | T::Employee) {
        return Err(refuse("idValues", "team and employee"));
    }
    let dates = criterion
        .date_value
        .value()
        .map(|d| DateRange::new(d, faults));
    if dates.is_some() && field_type != T::Date {
        return Err(refuse("dateValue", "date"));
    }
    Ok(Clause::Custom {
        field: id.clone(),
        texts,
        ids,
        dates,
    })
}

#[cfg(test)]
mod tests;
