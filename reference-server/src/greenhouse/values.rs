//! Custom field values: the `Value` rules of the document, per field type, turning a client's input into the value
//! stored (and later returned).
//!
//! Input is a String or an Int (the `Value` scalar accepts both). What is stored, and returned as `value`:
//! text, long_text, confirmable, multiple_choice and date values as Strings; multiple_select values as a JSON
//! array of Strings; team and employee values as the Int id; address and contact values as a JSON object of Strings
//! ("some types have the data stored as a nested object").

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::countries::CONTACT_RELATIONSHIPS;
use super::schema::CustomFieldTypes;
use super::store::{CustomFieldRecord, Store};

/// Text values must be shorter than this many characters.
pub const MAX_TEXT_CHARS: usize = 3000;

/// What a value is checked against besides its field.
#[derive(Debug, Clone, Copy)]
pub struct ValueContext<'a> {
    pub store: &'a Store,
    /// The `workCountryCode` of the employee or pending hire the value is for (after the same request's changes).
    pub work_country_code: Option<&'a str>,
}

/// Checks `input` against the rules of `field`'s type; returns the value to store, or why it is refused (a
/// sentence that names the field).
pub fn validate(
    field: &CustomFieldRecord,
    input: &Value,
    context: ValueContext<'_>,
) -> Result<Value, String> {
    let id = field.id();
    let refuse = |why: String| format!("Invalid value for custom field `{id}`: {why}");
    let field_type = field.field_type;
    match field_type {
        CustomFieldTypes::Text | CustomFieldTypes::LongText | CustomFieldTypes::Confirmable => {
            let text = string(input, field_type).map_err(refuse)?;
            if text.chars().count() >= MAX_TEXT_CHARS {
                return Err(refuse(format!(
                    "a {} value must be shorter than {MAX_TEXT_CHARS} characters; this one has {}.",
                    type_name(field_type),
                    text.chars().count()
                )));
            }
            Ok(Value::String(text.to_owned()))
        }
        CustomFieldTypes::MultipleChoice => {
            let text = string(input, field_type).map_err(refuse)?;
            if !field.options.iter().any(|o| o == text) {
                return Err(refuse(format!(
                    "{text:?} is not one of its options ({}).",
                    options(field)
                )));
            }
            Ok(Value::String(text.to_owned()))
        }
        CustomFieldTypes::MultipleSelect => {
            let text = string(input, field_type).map_err(refuse)?;
            let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
                return Err(refuse(
                    "a multiple_select value must be a String holding a JSON array of options, such as \"[\\\"Standing Desk\\\"]\"."
                        .to_owned(),
                ));
            };
            let mut chosen = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(option) if field.options.contains(&option) => {
                        chosen.push(Value::String(option));
                    }
                    other => {
                        return Err(refuse(format!(
                            "{other} is not one of its options ({}).",
                            options(field)
                        )));
                    }
                }
            }
            Ok(Value::Array(chosen))
        }
        CustomFieldTypes::Team => {
            let team_id = integer_id(input, "Team").map_err(refuse)?;
            let team = context
                .store
                .teams
                .get(&team_id)
                .ok_or_else(|| refuse(format!("there is no Team with id {team_id}.")))?;
            if Some(team.category) != field.team_category {
                let name = |category: Option<u32>| {
                    category
                        .and_then(|c| context.store.team_categories.get(&c))
                        .and_then(|c| c.name.clone())
                        .unwrap_or_default()
                };
                return Err(refuse(format!(
                    "Team {team_id} belongs to the team category {:?}, but this field takes teams of {:?}.",
                    name(Some(team.category)),
                    name(field.team_category)
                )));
            }
            Ok(Value::from(team_id))
        }
        CustomFieldTypes::Employee => {
            let employee_id = integer_id(input, "Employee").map_err(refuse)?;
            if context.store.employee(employee_id).is_none() {
                return Err(refuse(format!(
                    "there is no Employee with id {employee_id}."
                )));
            }
            Ok(Value::from(employee_id))
        }
        CustomFieldTypes::Address => address(input, context).map_err(refuse),
        CustomFieldTypes::Contact => contact(input).map_err(refuse),
        CustomFieldTypes::Date => {
            let text = string(input, field_type).map_err(refuse)?;
            parse_date(text).ok_or_else(|| {
                refuse(format!(
                    "a date value must be a String formatted YYYY-MM-DD; got {text:?}."
                ))
            })?;
            Ok(Value::String(text.to_owned()))
        }
    }
}

/// A strict `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
}

fn type_name(field_type: CustomFieldTypes) -> String {
    field_type.as_str().to_lowercase()
}

fn options(field: &CustomFieldRecord) -> String {
    field
        .options
        .iter()
        .map(|o| format!("{o:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn string(input: &Value, field_type: CustomFieldTypes) -> Result<&str, String> {
    input.as_str().ok_or_else(|| {
        format!(
            "a {} value must be a String; got {}.",
            type_name(field_type),
            describe(input)
        )
    })
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a Boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a String",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A String or an Int naming a record by its id.
fn integer_id(input: &Value, type_name: &str) -> Result<u32, String> {
    let parsed = match input {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    parsed.ok_or_else(|| {
        format!(
            "a {} value must be the id of a {type_name}, as a String or an Int; got {input}.",
            type_name.to_lowercase()
        )
    })
}

/// A String holding a JSON object whose values are all Strings.
fn object_of_strings(input: &Value, kind: &str) -> Result<Map<String, Value>, String> {
    let text = input.as_str().ok_or_else(|| {
        format!(
            "an {kind} value must be a String holding a JSON object; got {}.",
            describe(input)
        )
    })?;
    let Ok(Value::Object(object)) = serde_json::from_str::<Value>(text) else {
        return Err(format!(
            "an {kind} value must be a String holding a JSON object, such as \"{{\\\"city\\\":\\\"Pawnee\\\"}}\"."
        ));
    };
    if let Some((key, _)) = object.iter().find(|(_, v)| !v.is_string()) {
        return Err(format!(
            "every value of an {kind} must be a String; `{key}` is not."
        ));
    }
    Ok(object)
}

fn required<'a>(object: &'a Map<String, Value>, key: &str, kind: &str) -> Result<&'a str, String> {
    object
        .get(key)
        .and_then(Value::as_str)
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| format!("an {kind} must provide `{key}`."))
}

fn address(input: &Value, context: ValueContext<'_>) -> Result<Value, String> {
    let object = object_of_strings(input, "address")?;
    for key in ["address_line_1", "city", "state", "country"] {
        required(&object, key, "address")?;
    }
    let country_code = required(&object, "country", "address")?;
    let country = context.store.country(country_code).ok_or_else(|| {
        format!("{country_code:?} is not a valid country code (see the `countries` query).")
    })?;
    match context.work_country_code {
        Some(work) if work == country_code => {}
        Some(work) => {
            return Err(format!(
                "the address's country {country_code:?} must match the employee's workCountryCode {work:?}."
            ));
        }
        None => {
            return Err(format!(
                "the address's country {country_code:?} must match the employee's workCountryCode, which is not set."
            ));
        }
    }
    let state = required(&object, "state", "address")?;
    if !country.has_state(state) {
        return Err(format!(
            "{state:?} is not a valid state code of {country_code:?} (see `countries {{ states {{ stateCode }} }}`)."
        ));
    }
    Ok(Value::Object(object))
}

fn contact(input: &Value) -> Result<Value, String> {
    let object = object_of_strings(input, "contact")?;
    for key in ["first_name", "last_name", "relationship"] {
        required(&object, key, "contact")?;
    }
    let relationship = required(&object, "relationship", "contact")?;
    if !CONTACT_RELATIONSHIPS.contains(&relationship) {
        return Err(format!(
            "{relationship:?} is not a valid relationship; use one of {}.",
            CONTACT_RELATIONSHIPS.join(", ")
        ));
    }
    let has = |key: &str| {
        object
            .get(key)
            .and_then(Value::as_str)
            .is_some_and(|v| !v.trim().is_empty())
    };
    if !has("email") && !has("phone") {
        return Err("a contact must provide at least one of `email` and `phone`.".to_owned());
    }
    Ok(Value::Object(object))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::greenhouse::fixtures;

    fn check(
        store: &Store,
        field: &str,
        input: Value,
        country: Option<&str>,
    ) -> Result<Value, String> {
        let context = ValueContext {
            store,
            work_country_code: country,
        };
        validate(&store.custom_fields[field], &input, context)
    }

    #[test]
    fn every_rule_accepts_what_it_should_and_refuses_the_rest() {
        let store = fixtures::store(1);
        let usa = Some("USA");
        let long = "x".repeat(MAX_TEXT_CHARS);
        let just_short = "x".repeat(MAX_TEXT_CHARS - 1);
        let address = r#"{"address_line_1":"123 Test Street","address_line_2":"Apartment 1","city":"Pawnee", "state":"IN", "zipcode":"12345","country":"USA"}"#;
        let contact = r#"{"first_name": "Joe", "last_name": "Schmoe", "email":"jschmoe@aol.com", "phone": "123.456.7890", "relationship": "Other"}"#;
        let other_team = store
            .teams
            .values()
            .find(|t| {
                t.category
                    != store.custom_fields["primary_social_club"]
                        .team_category
                        .unwrap()
            })
            .unwrap()
            .id;
        // (field, input, country, expected stored value or a fragment of the error)
        type Case<'a> = (&'a str, Value, Option<&'a str>, Result<Value, &'a str>);
        let table: Vec<Case<'_>> = vec![
            (
                "favorite_food",
                json!("Egg McMuffins"),
                usa,
                Ok(json!("Egg McMuffins")),
            ),
            (
                "favorite_food",
                json!(just_short),
                usa,
                Ok(json!(just_short)),
            ),
            ("favorite_food", json!(long), usa, Err("shorter than 3000")),
            ("favorite_food", json!(12), usa, Err("must be a String")),
            ("life_story", json!(long), usa, Err("shorter than 3000")),
            (
                "life_story",
                json!("A long story."),
                usa,
                Ok(json!("A long story.")),
            ),
            (
                "bank_account_number",
                json!("0123456789"),
                usa,
                Ok(json!("0123456789")),
            ),
            (
                "bank_account_number",
                json!({"a": 1}),
                usa,
                Err("must be a String"),
            ),
            ("favorite_color", json!("Blue"), usa, Ok(json!("Blue"))),
            (
                "favorite_color",
                json!("blue"),
                usa,
                Err("not one of its options"),
            ),
            (
                "required_equipment",
                json!(r#"["Ergonomic Keyboard", "Standing Desk"]"#),
                usa,
                Ok(json!(["Ergonomic Keyboard", "Standing Desk"])),
            ),
            ("required_equipment", json!("[]"), usa, Ok(json!([]))),
            (
                "required_equipment",
                json!(r#"["Jetpack"]"#),
                usa,
                Err("not one of its options"),
            ),
            (
                "required_equipment",
                json!(r#"[1]"#),
                usa,
                Err("not one of its options"),
            ),
            (
                "required_equipment",
                json!("Standing Desk"),
                usa,
                Err("JSON array"),
            ),
            (
                "required_equipment",
                json!(["Standing Desk"]),
                usa,
                Err("must be a String"),
            ),
            ("primary_social_club", json!(14), usa, Ok(json!(14))),
            ("primary_social_club", json!("14"), usa, Ok(json!(14))),
            (
                "primary_social_club",
                json!(999),
                usa,
                Err("no Team with id 999"),
            ),
            (
                "primary_social_club",
                json!(other_team),
                usa,
                Err("team category"),
            ),
            (
                "primary_social_club",
                json!("fourteen"),
                usa,
                Err("id of a Team"),
            ),
            ("primary_social_club", json!(-1), usa, Err("id of a Team")),
            ("mentor", json!(35), usa, Ok(json!(35))),
            ("mentor", json!("40"), usa, Ok(json!(40))),
            (
                "mentor",
                json!(100_000_000),
                usa,
                Err("no Employee with id 100000000"),
            ),
            ("mentor", json!(true), usa, Err("id of a Employee")),
            (
                "address",
                json!(address),
                usa,
                Ok(serde_json::from_str(address).unwrap()),
            ),
            (
                "address",
                json!(address),
                Some("CAN"),
                Err("must match the employee's workCountryCode"),
            ),
            ("address", json!(address), None, Err("which is not set")),
            (
                "address",
                json!(address.replace("\"IN\"", "\"ZZ\"")),
                usa,
                Err("not a valid state code"),
            ),
            (
                "address",
                json!(address.replace("\"USA\"", "\"XYZ\"")),
                Some("XYZ"),
                Err("not a valid country code"),
            ),
            (
                "address",
                json!(r#"{"address_line_1":"1 A St","state":"IN","country":"USA"}"#),
                usa,
                Err("must provide `city`"),
            ),
            (
                "address",
                json!(
                    r#"{"address_line_1":"1 A St","city":"X","state":"IN","country":"USA","zipcode":12345}"#
                ),
                usa,
                Err("`zipcode` is not"),
            ),
            ("address", json!("[1]"), usa, Err("JSON object")),
            (
                "address",
                json!({"city": "Pawnee"}),
                usa,
                Err("must be a String holding"),
            ),
            (
                "emergency_contact",
                json!(contact),
                usa,
                Ok(serde_json::from_str(contact).unwrap()),
            ),
            (
                "emergency_contact",
                json!(
                    r#"{"first_name":"Jo","last_name":"Bo","relationship":"Parent","phone":"555"}"#
                ),
                usa,
                Ok(
                    json!({"first_name":"Jo","last_name":"Bo","relationship":"Parent","phone":"555"}),
                ),
            ),
            (
                "emergency_contact",
                json!(r#"{"first_name":"Jo","last_name":"Bo","relationship":"Parent"}"#),
                usa,
                Err("at least one of `email` and `phone`"),
            ),
            (
                "emergency_contact",
                json!(
                    r#"{"first_name":"Jo","last_name":"Bo","relationship":"Cousin","email":"a@b.c"}"#
                ),
                usa,
                Err("not a valid relationship"),
            ),
            (
                "emergency_contact",
                json!(r#"{"first_name":"Jo","relationship":"Parent","email":"a@b.c"}"#),
                usa,
                Err("must provide `last_name`"),
            ),
            (
                "fully_vested",
                json!("2019-12-12"),
                usa,
                Ok(json!("2019-12-12")),
            ),
            ("fully_vested", json!("2019-2-1"), usa, Err("YYYY-MM-DD")),
            ("fully_vested", json!("2019-02-30"), usa, Err("YYYY-MM-DD")),
            ("fully_vested", json!("12/12/2019"), usa, Err("YYYY-MM-DD")),
            (
                "fully_vested",
                json!(20191212),
                usa,
                Err("must be a String"),
            ),
        ];
        for (field, input, country, expected) in table {
            let got = check(&store, field, input.clone(), country);
            match (&got, expected) {
                (Ok(value), Ok(expected)) => assert_eq!(value, &expected, "{field} {input}"),
                (Err(message), Err(fragment)) => {
                    assert!(message.contains(fragment), "{field} {input}: {message}");
                    assert!(message.contains(field), "{message}");
                }
                _ => panic!("{field} {input}: got {got:?}"),
            }
        }
    }
}
