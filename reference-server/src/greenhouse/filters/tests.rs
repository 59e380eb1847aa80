//! The filters of the Greenhouse queries against fixture stores, each argument alone and combined.

use super::*;
use crate::greenhouse::fixtures;
use crate::greenhouse::store::date;

fn range(after: Option<NaiveDate>, before: Option<NaiveDate>, on: Option<NaiveDate>) -> DateRange {
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
    assert_eq!(
        run(
            &s,
            serde_json::json!({"employmentStatusFilter": {"employmentStatuses": ["TERMINATED"]}})
        )
        .unwrap(),
        terminated
    );
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
    let has = |field: &'static str| move |e: &EmployeeRecord| e.custom_values.contains_key(field);
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
