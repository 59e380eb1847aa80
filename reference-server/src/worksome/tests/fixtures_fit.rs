//! Every fixture entity fits Worksome's generated types: the store's answer for an entity is read whole into its
//! generated struct whatever the query selects, so looking each one up (or listing it) with `__typename` alone
//! checks each of its fields, a value outside its enum or of the wrong JSON type included.

use serde_json::{Value, json};

use super::{ACME, harness};

#[test]
fn every_fixture_entity_reads_into_its_generated_type() {
    let h = harness(&[]);
    let rules = &generated::worksome::RULES;
    let schema = h.api().engine().schema().clone();
    let fixtures: serde_json::Map<String, Value> =
        serde_json::from_str(include_str!("../fixtures.json")).expect("fixtures are JSON");
    let mut read = 0;
    let mut unfit = Vec::new();
    for (type_name, entities) in &fixtures {
        let entity = rules.entity(type_name).expect("fixtures name entity types");
        let ids: Vec<&str> = entities
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["id"].as_str())
            .collect();
        let takes_id = |field: &str| {
            schema
                .get_object("Query")
                .and_then(|q| q.fields.get(field))
                .is_some_and(|f| f.arguments.iter().any(|a| a.name == "id"))
        };
        // One request per type (the quota is 60 a minute): each entity looked up under an alias, else the list.
        let query = match (&entity.lookup, &entity.list) {
            (Some(lookup), _) if takes_id(lookup) => {
                let aliased: Vec<String> = ids
                    .iter()
                    .enumerate()
                    .map(|(i, id)| format!(r#"e{i}: {lookup}(id: "{id}") {{ __typename }}"#))
                    .collect();
                format!("{{ {} }}", aliased.join(" "))
            }
            (_, Some(list)) => format!("{{ {list}(first: 100) {{ data {{ __typename }} }} }}"),
            _ => continue,
        };
        let answer = h.send(Some(ACME), &query, json!({}));
        read += ids.len();
        if answer.get("errors").is_some() {
            unfit.push(format!("{type_name}: {}", answer["errors"][0]));
        }
    }
    assert!(
        unfit.is_empty(),
        "fixtures that do not fit their types:\n{}",
        unfit.join("\n")
    );
    // 66 of the 81 fixture entities have a lookup by id or a list; the others are reached through references.
    assert!(read >= 66, "only {read} fixture entities were read");
}
