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
mod tests {
    use super::*;
    use crate::greenhouse::fixtures;
    use crate::greenhouse::store::date;

    fn range(
        after: Option<NaiveDate>,
        before: Option<NaiveDate>,
        on: Option<NaiveDate>,
    ) -> DateRange {
        DateRange {
            after,
            before,
            on,
            inclusive: false,
        }
    }

    #[test]
    fn date_bounds_are_exclusive_and_on_is_exact() {
        let (a, b) = (date(2017, 3, 25), date(2018, 3, 25));
        let r = range(Some(a), Some(b), None);
        assert!(!r.matches(Some(a)));
        assert!(r.matches(Some(date(2017, 3, 26))));
        assert!(r.matches(Some(date(2018, 3, 24))));
        assert!(!r.matches(Some(b)));
        assert!(!r.matches(None));
        let on = range(None, None, Some(a));
        assert!(on.matches(Some(a)) && !on.matches(Some(b)));
        assert!(range(None, None, None).matches(None));
        let inclusive = DateRange {
            inclusive: true,
            ..r
        };
        assert!(inclusive.matches(Some(a)) && inclusive.matches(Some(b)));
    }

    fn run(store: &Store, args: Value) -> FieldResult<Vec<u32>> {
        let args: QueryEmployeesArgs = serde_json::from_value(args).unwrap();
        let filter = EmployeeFilter::new(&args, store, &Faults::none())?;
        Ok(store
            .employees
            .values()
            .filter(|e| filter.matches(e))
            .map(|e| e.id)
            .collect())
    }

    fn ids(store: &Store, keep: impl Fn(&EmployeeRecord) -> bool) -> Vec<u32> {
        store
            .employees
            .values()
            .filter(|e| keep(e))
            .map(|e| e.id)
            .collect()
    }

    #[test]
    fn any_value_no_value_and_lists_select_what_they_say() {
        let s = fixtures::store(11);
        let all = ids(&s, |_| true);
        let with = ids(&s, |e| e.department.is_some());
        let without = ids(&s, |e| e.department.is_none());
        assert!(!with.is_empty() && !without.is_empty());
        assert_eq!(
            run(
                &s,
                serde_json::json!({"departmentFilter": {"anyValue": true}})
            )
            .unwrap(),
            with
        );
        assert_eq!(
            run(
                &s,
                serde_json::json!({"departmentFilter": {"noValue": true}})
            )
            .unwrap(),
            without
        );
        assert_eq!(
            run(
                &s,
                serde_json::json!({"departmentFilter": {"anyValue": false}})
            )
            .unwrap(),
            all
        );
        assert_eq!(
            run(
                &s,
                serde_json::json!({"departmentFilter": {"anyValue": true, "noValue": true}})
            )
            .unwrap(),
            Vec::<u32>::new()
        );
        let in_1_2 = ids(&s, |e| matches!(e.department, Some(1 | 2)));
        assert_eq!(
            run(
                &s,
                serde_json::json!({"departmentFilter": {"departmentIds": [1, 2]}})
            )
            .unwrap(),
            in_1_2
        );
        assert_eq!(
            run(&s, serde_json::json!({"departmentIds": [1, 2]})).unwrap(),
            in_1_2,
            "deprecated"
        );
        let in_1_or_none = ids(&s, |e| matches!(e.department, Some(1) | None));
        assert_eq!(
            run(
                &s,
                serde_json::json!({"departmentFilter": {"departmentIds": [1, null]}})
            )
            .unwrap(),
            in_1_or_none
        );
        assert_eq!(
            run(
                &s,
                serde_json::json!({"departmentFilter": {"departmentIds": []}})
            )
            .unwrap(),
            Vec::<u32>::new()
        );
        let managers = ids(&s, |e| e.manager == Some(1));
        assert_eq!(
            run(
                &s,
                serde_json::json!({"managerFilter": {"managerIds": [1]}})
            )
            .unwrap(),
            managers
        );
        assert_eq!(
            run(&s, serde_json::json!({"managerIds": [1]})).unwrap(),
            managers
        );
        let no_manager = ids(&s, |e| e.manager.is_none());
        assert!(no_manager.contains(&1));
        assert_eq!(
            run(&s, serde_json::json!({"managerFilter": {"noValue": true}})).unwrap(),
            no_manager
        );
        let hr = ids(&s, |e| e.hr_manager == Some(10));
        assert_eq!(
            run(
                &s,
                serde_json::json!({"hrManagerFilter": {"hrManagerIds": [10]}})
            )
            .unwrap(),
            hr
        );
        assert_eq!(
            run(&s, serde_json::json!({"hrManagerIds": [10]})).unwrap(),
            hr
        );
        let located = ids(&s, |e| e.location == Some(5));
        assert_eq!(
            run(
                &s,
                serde_json::json!({"locationFilter": {"locationIds": [5]}})
            )
            .unwrap(),
            located
        );
        assert_eq!(
            run(&s, serde_json::json!({"locationIds": [5]})).unwrap(),
            located
        );
        let account_managers = ids(&s, |e| e.data.title.as_deref() == Some("Account Manager"));
        assert!(!account_managers.is_empty());
        assert_eq!(
            run(
                &s,
                serde_json::json!({"titleFilter": {"titles": ["Account Manager"]}})
            )
            .unwrap(),
            account_managers
        );
        assert_eq!(
            run(&s, serde_json::json!({"titles": ["Account Manager"]})).unwrap(),
            account_managers
        );
        assert_eq!(
            run(
                &s,
                serde_json::json!({"titleFilter": {"titles": ["account manager"]}})
            )
            .unwrap(),
            Vec::<u32>::new()
        );
        assert_eq!(
            run(
                &s,
                serde_json::json!({"emailFilter": {"emails": ["EMPLOYEE_25_email@example.com"]}})
            )
            .unwrap(),
            vec![25]
        );
        assert_eq!(
            run(
                &s,
                serde_json::json!({"emails": ["employee_25_email@example.com"]})
            )
            .unwrap(),
            vec![25]
        );
        let personal = s.employees[&30].data.personal_email.clone();
        if let Some(personal) = personal {
            let got = run(
                &s,
                serde_json::json!({"personalEmailFilter": {"personalEmails": [personal]}}),
            )
            .unwrap();
            assert!(got.contains(&30));
            assert_eq!(
                run(&s, serde_json::json!({"personalEmails": [personal]})).unwrap(),
                got
            );
        }
        let no_personal = ids(&s, |e| e.data.personal_email.is_none());
        assert_eq!(
            run(
                &s,
                serde_json::json!({"personalEmailFilter": {"noValue": true}})
            )
            .unwrap(),
            no_personal
        );
        let terminated = ids(&s, |e| {
            e.data.employment_status == Some(EmploymentStatus::Terminated)
        });
        assert_eq!(run(&s, serde_json::json!({"employmentStatusFilter": {"employmentStatuses": ["TERMINATED"]}})).unwrap(), terminated);
        assert_eq!(
            run(
                &s,
                serde_json::json!({"employmentStatuses": ["TERMINATED"]})
            )
            .unwrap(),
            terminated
        );
        let canadians = ids(&s, |e| e.data.work_country_code.as_deref() == Some("CAN"));
        assert_eq!(
            run(
                &s,
                serde_json::json!({"workCountryCodeFilter": {"workCountryCodes": ["can"]}})
            )
            .unwrap(),
            canadians
        );
        assert_eq!(
            run(&s, serde_json::json!({"workCountryCodes": ["CAN"]})).unwrap(),
            canadians
        );
        let no_country = ids(&s, |e| e.data.work_country_code.is_none());
        assert!(!no_country.is_empty());
        assert_eq!(
            run(
                &s,
                serde_json::json!({"workCountryCodeFilter": {"noValue": true}})
            )
            .unwrap(),
            no_country
        );
        // Several filters: all apply.
        let both = ids(&s, |e| {
            e.department == Some(1) && e.data.work_country_code.as_deref() == Some("USA")
        });
        assert_eq!(run(&s, serde_json::json!({"departmentIds": [1], "workCountryCodeFilter": {"workCountryCodes": ["USA"]}})).unwrap(), both);
    }

    #[test]
    fn date_filters_and_updated_at_are_exclusive() {
        let s = fixtures::store(5);
        let (a, b) = (date(2017, 3, 25), date(2018, 3, 25));
        let started = ids(&s, |e| e.data.start_date.is_some_and(|d| d > a && d < b));
        assert!(!started.is_empty());
        let filter = serde_json::json!({"after": "2017-03-25", "before": "2018-03-25"});
        assert_eq!(
            run(
                &s,
                serde_json::json!({"startDateFilter": {"dateFilter": filter}})
            )
            .unwrap(),
            started
        );
        assert_eq!(
            run(&s, serde_json::json!({"startDate": filter})).unwrap(),
            started
        );
        // Boundaries: pick an employee's own start date as `after` and `on`.
        let day = s.employees[&50].data.start_date.unwrap();
        let on = run(
            &s,
            serde_json::json!({"startDateFilter": {"dateFilter": {"on": day.to_string()}}}),
        )
        .unwrap();
        assert!(on.contains(&50));
        assert_eq!(on, ids(&s, |e| e.data.start_date == Some(day)));
        let after = run(
            &s,
            serde_json::json!({"startDateFilter": {"dateFilter": {"after": day.to_string()}}}),
        )
        .unwrap();
        assert!(!after.contains(&50));
        let no_start = ids(&s, |e| e.data.start_date.is_none());
        assert_eq!(
            run(
                &s,
                serde_json::json!({"startDateFilter": {"noValue": true}})
            )
            .unwrap(),
            no_start
        );
        let born = s
            .employees
            .values()
            .find_map(|e| e.data.date_of_birth)
            .unwrap();
        let dob = run(
            &s,
            serde_json::json!({"dateOfBirthFilter": {"dateFilter": {"on": born.to_string()}}}),
        )
        .unwrap();
        assert_eq!(dob, ids(&s, |e| e.data.date_of_birth == Some(born)));
        assert_eq!(
            run(
                &s,
                serde_json::json!({"dateOfBirth": {"on": born.to_string()}})
            )
            .unwrap(),
            dob
        );
        assert_eq!(
            run(
                &s,
                serde_json::json!({"dateOfBirthFilter": {"anyValue": true}})
            )
            .unwrap(),
            ids(&s, |e| e.data.date_of_birth.is_some())
        );
        let updated = s.employees[&60].data.updated_at.unwrap();
        let text = updated.to_rfc3339();
        let later = run(&s, serde_json::json!({"updatedAt": {"after": text}})).unwrap();
        assert!(!later.contains(&60));
        assert_eq!(later, ids(&s, |e| e.data.updated_at.unwrap() > updated));
        let earlier = run(&s, serde_json::json!({"updatedAt": {"before": text}})).unwrap();
        assert!(!earlier.contains(&60));
        assert_eq!(
            earlier.len() + later.len() + ids(&s, |e| e.data.updated_at == Some(updated)).len(),
            s.employees.len()
        );
    }

    #[test]
    fn custom_field_criteria_combine_and_are_checked() {
        let s = fixtures::store(9);
        let has =
            |field: &'static str| move |e: &EmployeeRecord| e.custom_values.contains_key(field);
        let value =
            |e: &EmployeeRecord, field: &str| e.custom_values.get(field).map(|v| v.value.clone());
        assert_eq!(
            run(
                &s,
                serde_json::json!({"customFieldValues": [{"id": "favorite_food"}]})
            )
            .unwrap(),
            ids(&s, has("favorite_food"))
        );
        let hot = ids(
            &s,
            |e| matches!(value(e, "favorite_food"), Some(Value::String(f)) if f == "Hot Dogs" || f == "Chicken Nuggets"),
        );
        assert!(hot.contains(&20));
        assert_eq!(run(&s, serde_json::json!({"customFieldValues": [{"id": "favorite_food", "textValues": ["Hot Dogs", "Chicken Nuggets"]}]})).unwrap(), hot);
        let combined = ids(&s, |e| {
            has("favorite_food")(e) && value(e, "favorite_color") == Some(Value::from("Blue"))
        });
        assert!(combined.contains(&20));
        assert_eq!(run(&s, serde_json::json!({"customFieldValues": [{"id": "favorite_food"}, {"id": "favorite_color", "textValues": ["Blue"]}]})).unwrap(), combined);
        let mentored = ids(&s, |e| {
            matches!(value(e, "mentor").and_then(|v| v.as_i64()), Some(35 | 40))
        });
        assert!(!mentored.is_empty());
        assert_eq!(
            run(
                &s,
                serde_json::json!({"customFieldValues": [{"id": "mentor", "idValues": [35, 40]}]})
            )
            .unwrap(),
            mentored
        );
        let anniversary = ids(&s, |e| {
            value(e, "1_year_anniversary")
                .and_then(|v| v.as_str().and_then(parse_date))
                .is_some_and(|d| d > date(2017, 4, 13) && d < date(2018, 4, 13))
        });
        assert!(!anniversary.is_empty());
        assert_eq!(run(&s, serde_json::json!({"customFieldValues": [{"id": "1_year_anniversary", "dateValue": {"after": "2017-04-13", "before": "2018-04-13"}}]})).unwrap(), anniversary);
        let keyboard = ids(
            &s,
            |e| matches!(value(e, "required_equipment"), Some(Value::Array(a)) if a.contains(&Value::from("Standing Desk"))),
        );
        assert_eq!(run(&s, serde_json::json!({"customFieldValues": [{"id": "required_equipment", "textValues": ["Standing Desk"]}]})).unwrap(), keyboard);
        for (args, fragment) in [
            (
                serde_json::json!({"customFieldValues": [{"id": "nope"}]}),
                "no custom field with id \"nope\"",
            ),
            (
                serde_json::json!({"customFieldValues": [{"id": "favorite_food", "idValues": [1]}]}),
                "`idValues` applies to team and employee",
            ),
            (
                serde_json::json!({"customFieldValues": [{"id": "mentor", "textValues": ["x"]}]}),
                "`textValues` applies",
            ),
            (
                serde_json::json!({"customFieldValues": [{"id": "favorite_food", "dateValue": {"on": "2019-01-01"}}]}),
                "`dateValue` applies to date",
            ),
        ] {
            let error = run(&s, args).unwrap_err();
            assert_eq!(error.code, runtime::ErrorCode::BadUserInput);
            assert!(error.message.contains(fragment), "{}", error.message);
        }
    }
}
