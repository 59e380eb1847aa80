//! The mutations against fixture stores: validation before any change, partial updates, deletes and custom values.

use serde_json::json;

use super::*;
use crate::greenhouse::fixtures;

fn now() -> DateTime<Utc> {
    fixtures::as_of().and_hms_opt(12, 0, 0).unwrap().and_utc()
}

fn updates(json: serde_json::Value) -> schema::UpdateEmployee {
    serde_json::from_value(json).unwrap()
}

fn profile(
    store: &mut Store,
    id: u32,
    json: serde_json::Value,
    faults: &Faults,
) -> FieldResult<Arc<EmployeeRecord>> {
    update_employee_profile(
        store,
        &Id::from(i64::from(id)),
        &updates(json),
        now(),
        faults,
    )
}

#[test]
fn only_the_fields_provided_change_and_null_clears() {
    let mut store = fixtures::store(2);
    let before = store.employees[&25].clone();
    let after = profile(
        &mut store,
        25,
        json!({"email": "new_email_address@example.com", "dateOfBirth": "1985-04-07", "department": 1, "title": null}),
        &Faults::none(),
    )
    .unwrap();
    assert_eq!(
        after.data.email.as_deref(),
        Some("new_email_address@example.com")
    );
    assert_eq!(
        after.data.date_of_birth,
        chrono::NaiveDate::from_ymd_opt(1985, 4, 7)
    );
    assert_eq!(after.department, Some(1));
    assert_eq!(after.data.title, None);
    assert_eq!(after.data.updated_at, Some(now()));
    // Everything else is as it was.
    let mut expected = (*before).clone();
    expected.data.email = after.data.email.clone();
    expected.data.date_of_birth = after.data.date_of_birth;
    expected.department = Some(1);
    expected.data.title = None;
    expected.data.updated_at = Some(now());
    assert_eq!(*after, expected);
    assert_eq!(store.employees[&25], after);
}

#[test]
fn the_partial_update_fault_clears_unmentioned_fields() {
    let mut store = fixtures::store(2);
    let faults: Faults = [Fault::PartialUpdateClearsFields].into_iter().collect();
    let after = profile(
        &mut store,
        20,
        json!({"title": "Chief Fun Officer"}),
        &faults,
    )
    .unwrap();
    assert_eq!(after.data.title.as_deref(), Some("Chief Fun Officer"));
    assert_eq!(after.data.work_country_code, None);
    assert_eq!(after.data.email, None);
    assert_eq!(after.location, None);
    assert!(after.data.first_name.is_some(), "required names stay");
}

#[test]
fn a_failing_custom_field_value_changes_nothing() {
    let mut store = fixtures::store(4);
    let before = store.clone();
    let error = profile(
        &mut store,
        20,
        json!({
            "title": "Changed",
            "customFieldValues": [
                {"customFieldId": "favorite_food", "value": "Tacos"},
                {"customFieldId": "favorite_color", "value": "Mauve"}
            ]
        }),
        &Faults::none(),
    )
    .unwrap_err();
    assert_eq!(error.code, runtime::ErrorCode::BadUserInput);
    assert!(
        error.message.contains("favorite_color"),
        "{}",
        error.message
    );
    assert_eq!(store, before);
    let unknown = profile(
        &mut store,
        20,
        json!({"customFieldValues": [{"customFieldId": "nope", "value": "x"}]}),
        &Faults::none(),
    )
    .unwrap_err();
    assert_eq!(unknown.code, runtime::ErrorCode::NotFound);
    assert_eq!(unknown.message, "Unable to find CustomField with id nope");
    assert_eq!(store, before);
}

#[test]
fn custom_field_values_are_set_replaced_and_cleared() {
    let mut store = fixtures::store(4);
    let after = profile(
        &mut store,
        20,
        json!({"customFieldValues": [
            {"customFieldId": "favorite_food", "value": "Egg McMuffins"},
            {"customFieldId": "primary_social_club", "value": 14},
            {"customFieldId": "emergency_contact", "value": null}
        ]}),
        &Faults::none(),
    )
    .unwrap();
    assert_eq!(
        after.custom_values["favorite_food"].value,
        json!("Egg McMuffins")
    );
    assert_eq!(after.custom_values["favorite_food"].value_updated_at, now());
    assert_eq!(after.custom_values["primary_social_club"].value, json!(14));
    assert!(!after.custom_values.contains_key("emergency_contact"));
}

#[test]
fn references_must_exist_and_make_sense() {
    let mut store = fixtures::store(4);
    let cases = [
        (
            json!({"department": 999}),
            "Unable to find Department with id 999",
        ),
        (
            json!({"location": "x"}),
            "Unable to find Location with id x",
        ),
        (
            json!({"manager": 100000}),
            "Unable to find Employee with id 100000",
        ),
        (
            json!({"otherCriteria": [1, 77]}),
            "Unable to find OtherCriterion with id 77",
        ),
        (json!({"manager": 30}), "own manager"),
        (json!({"hrManager": 30}), "own HR manager"),
        (json!({"firstName": null}), "`firstName` can't be blank"),
        (json!({"lastName": "  "}), "`lastName` can't be blank"),
        (json!({"email": "nope"}), "not a valid email"),
        (
            json!({"email": "employee_25_email@example.com"}),
            "another employee",
        ),
        (
            json!({"workCountryCode": "ZZZ"}),
            "not a valid country code",
        ),
    ];
    let before = store.clone();
    for (json, message) in cases {
        let error = profile(&mut store, 30, json.clone(), &Faults::none()).unwrap_err();
        assert!(error.message.contains(message), "{json}: {}", error.message);
    }
    assert_eq!(store, before);
    // A manager loop: 30's manager reports (indirectly) to 1, so 1 cannot report to 30.
    let error = profile(&mut store, 1, json!({"manager": 30}), &Faults::none()).unwrap_err();
    assert!(error.message.contains("reports to"), "{}", error.message);
    let missing = update_employee_profile(
        &mut store,
        &Id::from("100000000"),
        &updates(json!({})),
        now(),
        &Faults::none(),
    )
    .unwrap_err();
    assert_eq!(missing.message, "Unable to find Employee with id 100000000");
}

#[test]
fn departments_and_locations_are_added_updated_and_deleted() {
    let mut store = fixtures::store(6);
    let input: schema::AddDepartmentInput = serde_json::from_value(
        json!({"name": "Research", "departmentLead": 3, "email": "research@example.com"}),
    )
    .unwrap();
    let added = add_department(&mut store, &input, now()).unwrap();
    assert_eq!(added.id, 16);
    assert_eq!(added.lead, Some(3));
    let blank: schema::AddDepartmentInput =
        serde_json::from_value(json!({"description": "no name"})).unwrap();
    assert!(
        add_department(&mut store, &blank, now())
            .unwrap_err()
            .message
            .contains("`name` can't be blank")
    );
    let change: schema::UpdateDepartmentInput =
        serde_json::from_value(json!({"id": "16", "description": "R&D", "departmentLead": null}))
            .unwrap();
    let updated = update_department(&mut store, &change, now()).unwrap();
    assert_eq!(updated.data.name.as_deref(), Some("Research"));
    assert_eq!(updated.data.description.as_deref(), Some("R&D"));
    assert_eq!(updated.lead, None);
    // Deleting a department in use leaves its employees without one.
    let members: Vec<u32> = store
        .employees
        .values()
        .filter(|e| e.department == Some(2))
        .map(|e| e.id)
        .collect();
    assert!(!members.is_empty());
    assert_eq!(
        delete_department(&mut store, &Id::from("2"), now()).unwrap(),
        2
    );
    for id in &members {
        assert_eq!(store.employees[id].department, None);
        assert_eq!(store.employees[id].data.updated_at, Some(now()));
    }
    assert_eq!(
        delete_department(&mut store, &Id::from("2"), now())
            .unwrap_err()
            .message,
        "Unable to find Department with id 2"
    );
    // Ids are not reused.
    assert_eq!(add_department(&mut store, &input, now()).unwrap().id, 17);
    let location: schema::AddLocationInput =
        serde_json::from_value(json!({"name": "Lisbon", "address": "Praça do Comércio"})).unwrap();
    let added = add_location(&mut store, &location, now()).unwrap();
    assert_eq!(added.id, 11);
    let change: schema::UpdateLocationInput =
        serde_json::from_value(json!({"id": 11, "name": null})).unwrap();
    assert!(
        update_location(&mut store, &change, now())
            .unwrap_err()
            .message
            .contains("`name` can't be blank")
    );
    let change: schema::UpdateLocationInput =
        serde_json::from_value(json!({"id": 11, "address": null, "locationLead": 12})).unwrap();
    let updated = update_location(&mut store, &change, now()).unwrap();
    assert_eq!(
        (updated.data.address.clone(), updated.lead),
        (None, Some(12))
    );
    let members: Vec<u32> = store
        .employees
        .values()
        .filter(|e| e.location == Some(1))
        .map(|e| e.id)
        .collect();
    assert_eq!(
        delete_location(&mut store, &Id::from("1"), now()).unwrap(),
        1
    );
    assert!(
        members
            .iter()
            .all(|id| store.employees[id].location.is_none())
    );
}

#[test]
fn pending_hires_are_validated_against_their_work_country() {
    let mut store = fixtures::store(6);
    let input: schema::AddPendingHireInput = serde_json::from_value(json!({
        "firstName": "Joe", "lastName": "Schmoe", "email": "joe123@example.com", "workCountryCode": "USA",
        "customFieldValues": [{"customFieldId": "address", "value": "{\"address_line_1\":\"1 A St\",\"city\":\"Pawnee\",\"state\":\"IN\",\"country\":\"USA\"}"}]
    }))
    .unwrap();
    let hire = add_pending_hire(&mut store, &input, now()).unwrap();
    assert_eq!(hire.id, 1);
    assert_eq!(hire.custom_values["address"].value["state"], json!("IN"));
    let mut canadian = input.clone();
    canadian.work_country_code = "CAN".to_owned();
    let error = add_pending_hire(&mut store, &canadian, now()).unwrap_err();
    assert!(error.message.contains("must match"), "{}", error.message);
    assert_eq!(store.pending_hires.len(), 1);
    let mut nowhere = input;
    nowhere.work_country_code = "Atlantis".to_owned();
    assert!(
        add_pending_hire(&mut store, &nowhere, now())
            .unwrap_err()
            .message
            .contains("not a valid country code")
    );
}
