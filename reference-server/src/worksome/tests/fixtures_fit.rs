//! Every fixture entity fits Worksome's generated types: each entity is looked up (or listed) selecting every field
//! without arguments, and each field's value is read into its generated Rust type before it is served (an object
//! whole, into its struct), so a value outside its enum or of the wrong JSON type is an error here.

use serde_json::{Value, json};

use runtime::apollo_compiler::Schema;
use runtime::apollo_compiler::schema::ExtendedType;

use super::{ACME, harness};

/// Every field of `type_name` without arguments: a leaf by name, an object by its `__typename`.
fn selection(schema: &Schema, type_name: &str) -> String {
    let Some(ExtendedType::Object(object)) = schema.types.get(type_name) else {
        return "__typename".to_owned();
    };
    let fields: Vec<String> = object
        .fields
        .values()
        .filter(|f| f.arguments.is_empty())
        .map(|f| match schema.types.get(f.ty.inner_named_type()) {
            Some(ExtendedType::Scalar(_) | ExtendedType::Enum(_)) => f.name.to_string(),
            _ => format!("{} {{ __typename }}", f.name),
        })
        .collect();
    // Through a fragment, since a lookup or list may return an interface the entity implements.
    format!("... on {type_name} {{ {} }}", fields.join(" "))
}

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
        let fields = selection(&schema, type_name);
        // One request per type (the quota is 60 a minute): each entity looked up under an alias, else the list.
        let query = match (&entity.lookup, &entity.list) {
            (Some(lookup), _) if takes_id(lookup) => {
                let aliased: Vec<String> = ids
                    .iter()
                    .enumerate()
                    .map(|(i, id)| format!(r#"e{i}: {lookup}(id: "{id}") {{ {fields} }}"#))
                    .collect();
                format!("{{ {} }}", aliased.join(" "))
            }
            (_, Some(list)) => format!("{{ {list}(first: 100) {{ data {{ {fields} }} }} }}"),
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
