//! Checks of the read-back declarations (`@entity`, `@relation`, `@account`), and the whole check of a schema.

use std::collections::BTreeSet;

use apollo_compiler::Schema;
use apollo_compiler::ast::Value;
use apollo_compiler::schema::ExtendedType;

use super::declarations::effects;
use super::types::Checker;

impl Checker<'_> {
    pub(super) fn check_entities(&mut self) {
        let query = self
            .schema
            .schema_definition
            .query
            .as_ref()
            .map(|q| q.to_string());
        for (name, ty) in &self.schema.types {
            let ExtendedType::Object(object) = ty else {
                continue;
            };
            let Some(entity) = object.directives.get("entity") else {
                continue;
            };
            let arg = |a: &str| entity.specified_argument_by_name(a);
            let mut problems = Vec::new();
            let query_field = |field: &str| match &query {
                Some(q) => self.field(q, field),
                None => Err("no Query type".into()),
            };
            if let Some(lookup) = arg("lookup").and_then(|v| v.as_str()) {
                match query_field(lookup) {
                    Ok(f) => {
                        let by_id = f.arguments.len() == 1
                            && f.arguments[0].name == "id"
                            && f.arguments[0].ty.to_string() == "ID!";
                        if !(by_id || f.arguments.is_empty()) || f.ty.is_list() {
                            problems.push(format!(
                                "lookup `{lookup}` takes {} arguments, not `id: ID!`",
                                f.arguments.len()
                            ));
                        }
                        if !self.reaches(f.ty.inner_named_type(), name) {
                            problems.push(format!("lookup `{lookup}` returns {}", f.ty));
                        }
                    }
                    Err(p) => problems.push(p),
                }
            }
            if let Some(list) = arg("list").and_then(|v| v.as_str()) {
                match query_field(list) {
                    Ok(f) => {
                        let lighthouse = f
                            .directives
                            .get("paginated")
                            .and_then(|p| p.specified_argument_by_name("style"));
                        if !matches!(lighthouse.map(|v| &**v), Some(Value::Enum(s)) if s == "LIGHTHOUSE")
                        {
                            problems.push(format!("list `{list}` is no Lighthouse paginator"));
                        }
                        match self.output(query.as_deref().unwrap_or_default(), list) {
                            Ok(at) if self.reaches(&at.named, name) => {}
                            Ok(at) => problems.push(format!("list `{list}` lists {}", at.named)),
                            Err(p) => problems.push(p),
                        }
                        if let Some(Value::Object(filter)) = arg("listFilter").map(|v| &**v) {
                            let get = |k: &str| {
                                filter
                                    .iter()
                                    .find(|(n, _)| n == k)
                                    .and_then(|(_, v)| v.as_str())
                            };
                            let (argument, read) = (
                                get("argument").unwrap_or_default(),
                                get("field").unwrap_or_default(),
                            );
                            if f.argument_by_name(argument).is_none() {
                                problems
                                    .push(format!("list `{list}` has no argument `{argument}`"));
                            }
                            if let Err(p) = self.output(name, read) {
                                problems.push(format!("listFilter: {p}"));
                            }
                        }
                    }
                    Err(p) => problems.push(p),
                }
            } else if arg("listFilter").is_some() {
                problems.push("listFilter without list".into());
            }
            self.problems.extend(
                problems
                    .into_iter()
                    .map(|p| format!("@entity on {name}: {p}")),
            );
        }
    }

    /// Each `@relation` lists @entity values, and its `inverse` references the type that holds the relation.
    pub(super) fn check_relations(&mut self) {
        let mut problems = Vec::new();
        for (name, ty) in &self.schema.types {
            let ExtendedType::Object(object) = ty else {
                continue;
            };
            for (field_name, field) in &object.fields {
                let Some(relation) = field.directives.get("relation") else {
                    continue;
                };
                let at = match self.output(name, field_name) {
                    Ok(at) => at,
                    Err(p) => {
                        problems.push(p);
                        continue;
                    }
                };
                if !at.list || !self.is_entity(&at.named) {
                    problems.push(format!(
                        "@relation {name}.{field_name} does not list @entity values"
                    ));
                }
                if let Some(inverse) = relation
                    .specified_argument_by_name("inverse")
                    .and_then(|v| v.as_str())
                {
                    match self.output(&at.named, inverse) {
                        Ok(back) if self.reaches(&back.named, name) && !back.list => {}
                        Ok(back) => problems.push(format!(
                            "@relation {name}.{field_name}: `{inverse}` is {}",
                            back.named
                        )),
                        Err(p) => problems.push(format!("@relation {name}.{field_name}: {p}")),
                    }
                }
            }
        }
        self.problems.extend(problems);
    }
}

/// Every problem of a schema's mutation semantics, and how many fields declare an effect.
pub fn check(schema: &Schema) -> (Vec<String>, usize) {
    let on_schema = &schema.schema_definition.directives;
    let roles: BTreeSet<String> = on_schema
        .get("auth")
        .and_then(|a| a.specified_argument_by_name("roles"))
        .and_then(|v| v.as_list())
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let accounts: Vec<(String, String)> = on_schema
        .get_all("account")
        .map(|d| {
            let arg = |a: &str| {
                d.specified_argument_by_name(a)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            (arg("role"), arg("type"))
        })
        .collect();
    let query = schema.schema_definition.query.as_ref();
    let user_type = schema.types.values().find_map(|ty| {
        let ExtendedType::Object(o) = ty else {
            return None;
        };
        let lookup = o
            .directives
            .get("entity")?
            .specified_argument_by_name("lookup")?
            .as_str()?;
        let field = schema.get_object(query?.as_str())?.fields.get(lookup)?;
        field.arguments.is_empty().then(|| o.name.to_string())
    });
    let mut checker = Checker {
        schema,
        problems: Vec::new(),
        accounts,
        user_type,
    };
    for (role, ty) in checker.accounts.clone() {
        if !roles.contains(&role) {
            checker.problems.push(format!(
                "@account role `{role}` is not one of @auth(roles:)"
            ));
        }
        if !checker.is_entity(&ty) {
            checker
                .problems
                .push(format!("@account type `{ty}` is no @entity"));
        }
    }
    checker.check_entities();
    checker.check_relations();
    let mut declared = 0;
    if let Some(mutation) = schema
        .schema_definition
        .mutation
        .as_ref()
        .and_then(|m| schema.get_object(m.as_str()))
    {
        for (name, field) in &mutation.fields {
            for effect in effects(&field.directives) {
                declared += 1;
                checker.check_mutation(name, field, &effect);
            }
        }
    }
    (checker.problems, declared)
}
