//! The type graph's cycles: the fields that must be boxed so that a generated type does not hold itself (input
//! objects, and objects through their plain fields).

use std::collections::{BTreeMap, BTreeSet};

use apollo_compiler::Schema;
use apollo_compiler::schema::ExtendedType;

use super::Model;

/// Input fields that must be boxed: a non-list field of input type `U` in `T` where `U` leads back to `T`.
pub(super) fn recursive_input_fields(schema: &Schema) -> BTreeSet<(String, String)> {
    let mut edges: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (name, ty) in &schema.types {
        if let ExtendedType::InputObject(def) = ty {
            for field in def.fields.values() {
                if !field.ty.is_list()
                    && matches!(
                        schema.types.get(field.ty.inner_named_type()),
                        Some(ExtendedType::InputObject(_))
                    )
                {
                    edges
                        .entry(name.as_str())
                        .or_default()
                        .push((field.name.as_str(), field.ty.inner_named_type().as_str()));
                }
            }
        }
    }
    fields_in_cycles(&edges)
}

/// The plain fields of object type that an object holds inside itself through a chain of plain fields (outside
/// lists): each must be boxed. A union or interface holds each of its members.
pub(super) fn recursive_output_fields(model: &Model) -> BTreeSet<(String, String)> {
    let mut edges: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for object in model.objects.iter().filter(|o| !o.is_root) {
        for field in &object.data_fields {
            if !field.ty.is_list() && !model.is_leaf(field.ty.inner_named_type()) {
                edges
                    .entry(object.name.as_str())
                    .or_default()
                    .push((field.name.as_str(), field.ty.inner_named_type().as_str()));
            }
        }
    }
    for a in &model.abstracts {
        for member in &a.members {
            edges
                .entry(a.name.as_str())
                .or_default()
                .push(("", member.as_str()));
        }
    }
    fields_in_cycles(&edges)
}

/// The edges `(owner, field)` of a type graph that lie on a cycle.
fn fields_in_cycles(edges: &BTreeMap<&str, Vec<(&str, &str)>>) -> BTreeSet<(String, String)> {
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(at) = stack.pop() {
            if at == to {
                return true;
            }
            if seen.insert(at) {
                stack.extend(
                    edges
                        .get(at)
                        .into_iter()
                        .flatten()
                        .map(|(_, target)| *target),
                );
            }
        }
        false
    };
    let mut boxed = BTreeSet::new();
    for (owner, fields) in edges {
        for (field, target) in fields {
            if reaches(target, owner) {
                boxed.insert((owner.to_string(), field.to_string()));
            }
        }
    }
    boxed
}
