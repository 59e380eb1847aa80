//! Random valid queries over the schema, as selection trees that render to GraphQL and score per the documented
//! complexity formula (`@complexity` in `schemas/rules.graphql`), computed here independently of the server.

use proptest::prelude::*;
use runtime::rules::ApiRules;

use crate::schema::{SchemaInfo, has_required_arguments};

/// One selected field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sel {
    pub alias: Option<String>,
    pub name: String,
    /// Arguments as rendered GraphQL literals.
    pub args: Vec<(String, String)>,
    pub children: Vec<Sel>,
}

impl Sel {
    pub fn leaf(name: &str) -> Self {
        Sel {
            alias: None,
            name: name.to_owned(),
            args: Vec::new(),
            children: Vec::new(),
        }
    }
}

/// Renders a selection set.
pub fn render(sels: &[Sel]) -> String {
    let parts: Vec<String> = sels
        .iter()
        .map(|s| {
            let mut text = String::new();
            if let Some(a) = &s.alias {
                text.push_str(a);
                text.push_str(": ");
            }
            text.push_str(&s.name);
            if !s.args.is_empty() {
                let args: Vec<String> = s.args.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                text.push_str(&format!("({})", args.join(", ")));
            }
            if !s.children.is_empty() {
                text.push_str(&format!(" {{ {} }}", render(&s.children)));
            }
            text
        })
        .collect();
    parts.join(" ")
}

/// The documented score of a selection set on `parent`: a leaf scores 1; a composite field the sum of its
/// selections; a `@paginated` field that sum times its requested `first` or `last`; a `@cost` field its weight;
/// meta-fields (`__typename`, `__schema`) nothing.
pub fn score(schema: &SchemaInfo, rules: &ApiRules, parent: &str, sels: &[Sel]) -> u64 {
    sels.iter()
        .map(|s| {
            if s.name.starts_with("__") {
                return 0;
            }
            let field_rules = rules.field(parent, &s.name);
            if let Some(weight) = field_rules.and_then(|r| r.cost) {
                return u64::from(weight);
            }
            if s.children.is_empty() {
                return 1;
            }
            let Some(def) = schema.field(parent, &s.name) else {
                return 0;
            };
            let below = score(schema, rules, def.ty.inner_named_type(), &s.children);
            match field_rules.and_then(|r| r.pagination) {
                Some(p) => {
                    let requested = s
                        .args
                        .iter()
                        .filter(|(k, _)| k == "first" || k == "last")
                        .filter_map(|(_, v)| v.parse::<u64>().ok())
                        .max()
                        .or(p.default_page_size.map(u64::from))
                        .or(p.max_page_size.map(u64::from))
                        .unwrap_or(1);
                    below.saturating_mul(requested)
                }
                None => below,
            }
        })
        .fold(0u64, u64::saturating_add)
}

/// Random selections on `type_name`, `depth` composite levels deep, at most `width` fields a level.
pub fn selections(
    schema: &SchemaInfo,
    type_name: &str,
    depth: u32,
    width: usize,
) -> BoxedStrategy<Vec<Sel>> {
    let rules = schema.rules;
    let mut candidates: Vec<BoxedStrategy<Sel>> = Vec::new();
    for f in schema.fields(type_name) {
        let name = f.name.to_string();
        let ty = f.ty.inner_named_type().to_string();
        let pagination = rules.field(type_name, &name).and_then(|r| r.pagination);
        if has_required_arguments(f) && pagination.is_none() {
            continue;
        }
        let field_rules = rules.field(type_name, &name);
        if field_rules.is_some_and(|r| r.quota_field || r.complexity_field) {
            continue;
        }
        if schema.is_leaf(&ty) {
            candidates.push(Just(Sel::leaf(&name)).boxed());
            continue;
        }
        if depth == 0 {
            continue;
        }
        if let Some(p) = pagination {
            let Some(node) = schema.relay_node_type(&ty) else {
                continue;
            };
            let max = i64::from(p.max_page_size.unwrap_or(25));
            let node_sels = selections(schema, &node, depth - 1, width);
            candidates.push(
                (node_sels, 0..=max + 5, any::<bool>())
                    .prop_map(move |(children, n, forward)| Sel {
                        alias: None,
                        name: name.clone(),
                        args: vec![(
                            if forward { "first" } else { "last" }.to_owned(),
                            n.to_string(),
                        )],
                        children: vec![Sel {
                            alias: None,
                            name: "edges".to_owned(),
                            args: Vec::new(),
                            children: vec![Sel {
                                alias: None,
                                name: "node".to_owned(),
                                args: Vec::new(),
                                children,
                            }],
                        }],
                    })
                    .boxed(),
            );
            continue;
        }
        let id_arg = f
            .arguments
            .iter()
            .find(|a| a.name == "id" && a.ty.inner_named_type() == "Int")
            .map(|a| a.name.to_string());
        let below = selections(schema, &ty, depth - 1, width);
        candidates.push(
            (below, 1..=8i64)
                .prop_map(move |(children, id)| Sel {
                    alias: None,
                    name: name.clone(),
                    args: id_arg.iter().map(|a| (a.clone(), id.to_string())).collect(),
                    children,
                })
                .boxed(),
        );
    }
    if candidates.is_empty() {
        return Just(vec![Sel::leaf("__typename")]).boxed();
    }
    let n = candidates.len();
    proptest::sample::subsequence((0..n).collect::<Vec<_>>(), 1..=width.min(n))
        .prop_flat_map(move |picked| {
            picked
                .into_iter()
                .map(|i| candidates[i].clone())
                .collect::<Vec<_>>()
        })
        .boxed()
}
