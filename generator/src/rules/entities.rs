//! Checks of the mutation semantics against the types that validation cannot make: `@account`, `@entity` and
//! `@relation` here, each `@effect` in `mutations`. Each problem is reported at its directive.

use apollo_compiler::ast::{Directive, Value};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::{Node, Schema};
use runtime::rules::{ApiRules, Entity};

use super::paths::Checker;

/// Every problem of a schema's mutation semantics, with the directive each is reported at.
pub(super) fn check(schema: &Schema, rules: &ApiRules) -> Vec<(Node<Directive>, String)> {
    let query = schema.schema_definition.query.as_ref();
    let user_type = rules.entities.iter().find_map(|entity| {
        let field = schema
            .get_object(query?.as_str())?
            .fields
            .get(entity.lookup.as_deref()?)?;
        field
            .arguments
            .is_empty()
            .then(|| entity.type_name.to_string())
    });
    let mut checker = Checker {
        schema,
        problems: Vec::new(),
        accounts: rules
            .accounts
            .iter()
            .map(|a| (a.role.to_string(), a.type_name.to_string()))
            .collect(),
        user_type,
    };
    let declared_roles = rules.auth.as_ref().map(|a| &a.roles[..]).unwrap_or(&[]);
    let on_schema = schema.schema_definition.directives.get_all("account");
    for (account, d) in rules.accounts.iter().zip(on_schema) {
        if !declared_roles.contains(&account.role) {
            checker.problems.push((
                d.clone(),
                format!(
                    "@account role `{}` is not one of @auth(roles:)",
                    account.role
                ),
            ));
        }
        if !checker.is_entity(&account.type_name) {
            checker.problems.push((
                d.clone(),
                format!("@account type `{}` is no @entity", account.type_name),
            ));
        }
    }
    for entity in rules.entities.iter() {
        checker.check_entity(entity);
    }
    checker.check_relations();
    if let Some(mutation) = schema
        .schema_definition
        .mutation
        .as_ref()
        .and_then(|m| schema.get_object(m.as_str()))
    {
        for (name, field) in &mutation.fields {
            let (Some(effect), Some(d)) = (
                rules
                    .field(mutation.name.as_str(), name)
                    .and_then(|f| f.effect.as_ref()),
                field.directives.get("effect"),
            ) else {
                continue;
            };
            checker.check_mutation(d, field, effect);
        }
    }
    checker.problems
}

impl Checker<'_> {
    /// An `@entity`'s lookup takes `id: ID!` (or nothing) and returns it; its list is a Lighthouse paginator of it,
    /// and its filter names an argument of the list and a field path of the entity.
    fn check_entity(&mut self, entity: &Entity) {
        let name = &*entity.type_name;
        let Some(d) = self
            .schema
            .get_object(name)
            .and_then(|o| o.directives.get("entity"))
            .cloned()
        else {
            return;
        };
        let query = self
            .schema
            .schema_definition
            .query
            .as_ref()
            .map(|q| q.to_string())
            .unwrap_or_default();
        let mut problems = Vec::new();
        if let Some(lookup) = entity.lookup.as_deref() {
            match self.field(&query, lookup) {
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
        match (entity.list.as_deref(), &entity.list_filter) {
            (Some(list), filter) => match self.field(&query, list) {
                Ok(f) => {
                    let style = f
                        .directives
                        .get("paginated")
                        .and_then(|p| p.specified_argument_by_name("style"));
                    if !matches!(style.map(|v| &**v), Some(Value::Enum(s)) if s == "LIGHTHOUSE") {
                        problems.push(format!("list `{list}` is no Lighthouse paginator"));
                    }
                    match self.output(&query, list) {
                        Ok(at) if self.reaches(&at.named, name) => {}
                        Ok(at) => problems.push(format!("list `{list}` lists {}", at.named)),
                        Err(p) => problems.push(p),
                    }
                    if let Some(filter) = filter {
                        if f.argument_by_name(&filter.argument).is_none() {
                            problems.push(format!(
                                "list `{list}` has no argument `{}`",
                                filter.argument
                            ));
                        }
                        if let Err(p) = self.output(name, &filter.field) {
                            problems.push(format!("listFilter: {p}"));
                        }
                    }
                }
                Err(p) => problems.push(p),
            },
            (None, Some(_)) => problems.push("listFilter without list".into()),
            (None, None) => {}
        }
        self.problems.extend(
            problems
                .into_iter()
                .map(|p| (d.clone(), format!("@entity on {name}: {p}"))),
        );
    }

    /// Each `@relation` lists @entity values, and its `inverse` references the type that holds the relation.
    fn check_relations(&mut self) {
        let mut problems = Vec::new();
        for (name, ty) in &self.schema.types {
            let ExtendedType::Object(object) = ty else {
                continue;
            };
            for (field_name, field) in &object.fields {
                let Some(relation) = field.directives.get("relation") else {
                    continue;
                };
                let mut problem = |p: String| problems.push((relation.clone(), p));
                let at = match self.output(name, field_name) {
                    Ok(at) => at,
                    Err(p) => {
                        problem(p);
                        continue;
                    }
                };
                if !at.list || !self.is_entity(&at.named) {
                    problem(format!(
                        "@relation {name}.{field_name} does not list @entity values"
                    ));
                }
                if let Some(inverse) = relation
                    .specified_argument_by_name("inverse")
                    .and_then(|v| v.as_str())
                {
                    match self.output(&at.named, inverse) {
                        Ok(back) if self.reaches(&back.named, name) && !back.list => {}
                        Ok(back) => problem(format!(
                            "@relation {name}.{field_name}: `{inverse}` is {}",
                            back.named
                        )),
                        Err(p) => problem(format!("@relation {name}.{field_name}: {p}")),
                    }
                }
            }
        }
        self.problems.extend(problems);
    }
}
