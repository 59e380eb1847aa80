//! Checks of each mutation's `@effect` against its arguments, its result and its entity's fields: every path
//! resolves on the input, every write fits its field, a TRANSITION's statuses are values of its enum, owners hold
//! accounts, every `@invariant` is checked by a condition.

use apollo_compiler::Node;
use apollo_compiler::ast::{Directive, FieldDefinition};
use apollo_compiler::schema::ExtendedType;
use runtime::rules::{
    ConditionRead, Effect, EffectCondition, EffectContext, EffectField, EffectKind, EffectOwner,
    Text, WriteSource,
};

use super::paths::Checker;

impl Checker<'_> {
    pub(super) fn check_mutation(
        &mut self,
        d: &Node<Directive>,
        field: &FieldDefinition,
        effect: &Effect,
    ) {
        let problems = self.mutation_problems(field, effect);
        let name = &field.name;
        self.problems.extend(
            problems
                .into_iter()
                .map(|p| (d.clone(), format!("{name}: {p}"))),
        );
    }

    fn mutation_problems(&self, field: &FieldDefinition, e: &Effect) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut note = |r: Result<(), String>| {
            if let Err(p) = r {
                out.push(p);
            }
        };
        let each = e.each.as_deref();
        if let Some(path) = each {
            note(match self.input(field, path, None) {
                Ok(at) if at.ty.is_list() => Ok(()),
                Ok(at) => Err(format!("each `{path}` is {}, not a list", at.ty)),
                Err(p) => Err(p),
            });
        }
        let kind = e.kind;
        let Some(entity) = e.entity.as_deref() else {
            let bare = e.id.is_none()
                && e.fields.is_empty()
                && e.owners.is_empty()
                && e.requires.is_empty();
            note(
                (kind == EffectKind::Action && bare)
                    .then_some(())
                    .ok_or("only an ACTION without target omits `entity`".into()),
            );
            return out;
        };
        if !self.is_entity(entity) {
            out.push(format!("`{entity}` is no @entity type"));
            return out;
        }
        note(self.result(field, e, entity));
        match (kind, &e.id) {
            (EffectKind::Create, Some(_)) => note(Err("a CREATE has no target `id`".into())),
            (EffectKind::Create, None) => {}
            (_, Some(path)) => note(self.id_path(field, path, each, false)),
            (_, None) => note(
                (self.is_account(entity) || self.user_type.as_deref() == Some(entity))
                    .then_some(())
                    .ok_or(format!(
                        "no `id`, and `{entity}` is neither an @account type nor the user type"
                    )),
            ),
        }
        if let Some(path) = &e.copy {
            note(
                (kind == EffectKind::Create)
                    .then_some(())
                    .ok_or("`copy` outside CREATE".into()),
            );
            note(self.id_path(field, path, each, false));
        }
        for w in e.fields.iter() {
            note(
                self.write(field, entity, w, each)
                    .map_err(|p| format!("write `{}`: {p}", w.field)),
            );
        }
        let transition = (e.status_field.as_ref(), e.to.as_ref());
        match (kind, transition) {
            (EffectKind::Transition, (Some(status), Some(to))) => {
                note(self.transition(entity, status, &e.from, to))
            }
            (EffectKind::Transition, _) => {
                note(Err("a TRANSITION needs `statusField` and `to`".into()))
            }
            (_, (None, None)) if e.from.is_empty() => {}
            _ => note(Err(
                "`statusField`, `from` and `to` belong to TRANSITION".into()
            )),
        }
        match (kind, e.relation.as_deref(), e.members.as_deref()) {
            (EffectKind::Attach | EffectKind::Detach, Some(relation), Some(members)) => {
                note(self.relation_members(field, entity, relation, members, each))
            }
            (EffectKind::Attach | EffectKind::Detach, _, _) => {
                note(Err("ATTACH and DETACH need `relation` and `members`".into()))
            }
            (_, None, None) => {}
            _ => note(Err(
                "`relation` and `members` belong to ATTACH and DETACH".into()
            )),
        }
        if !e.beyond_fields.is_empty() && e.beyond.is_none() {
            note(Err("`beyondFields` without `beyond`".into()));
        }
        for name in e.beyond_fields.iter() {
            note(
                self.field(entity, name)
                    .map(drop)
                    .map_err(|p| format!("beyondFields: {p}")),
            );
        }
        for owner in e.owners.iter() {
            note(self.owner(entity, owner));
        }
        let declared: Vec<String> = field
            .directives
            .get_all("invariant")
            .filter_map(|d| {
                d.specified_argument_by_name("name")?
                    .as_str()
                    .map(str::to_owned)
            })
            .collect();
        for c in e.requires.iter() {
            note(
                self.condition(field, entity, c, &declared, each)
                    .map_err(|p| format!("requires `{}`: {p}", c.invariant)),
            );
        }
        for name in &declared {
            if !e.requires.iter().any(|c| c.invariant == name.as_str()) {
                note(Err(format!(
                    "@invariant `{name}` is checked by no `requires` condition"
                )));
            }
        }
        out
    }

    /// The result shows the entity: as itself, through `result`, or as the scalar `resultField`.
    fn result(&self, field: &FieldDefinition, e: &Effect, entity: &str) -> Result<(), String> {
        let returned = field.ty.inner_named_type().as_str();
        if let Some(name) = &e.result_field {
            let at = self.output(entity, name)?;
            return (at.named == returned).then_some(()).ok_or(format!(
                "resultField `{name}` is {}, the result {returned}",
                at.named
            ));
        }
        let (at, list) = match &e.result {
            Some(path) => {
                let at = self.output(returned, path)?;
                if at.named == "ID" {
                    return Ok(());
                }
                (at.named, field.ty.is_list() || at.list)
            }
            None => (returned.to_string(), field.ty.is_list()),
        };
        if !self.reaches(&at, entity) {
            return Err(format!("the result shows {at}, not the entity {entity}"));
        }
        if e.result.is_none() && list != e.each.is_some() {
            return Err(format!(
                "the result {} and `each` disagree on a list",
                field.ty
            ));
        }
        Ok(())
    }

    fn write(
        &self,
        field: &FieldDefinition,
        entity: &str,
        w: &EffectField,
        each: Option<&str>,
    ) -> Result<(), String> {
        let to = self.written_field(entity, &w.field)?;
        match &w.source {
            WriteSource::Input { path, via } => {
                let from = self.input(field, path, each)?;
                match via {
                    Some(via) => {
                        let source = &*via.entity;
                        if from.ty.inner_named_type() != "ID" || !self.is_entity(source) {
                            return Err(format!("`{path}` is no id of the @entity {source}"));
                        }
                        let at = self.output(source, &via.field)?;
                        (self.reaches(&at.named, &to.named) && at.list == to.list)
                            .then_some(())
                            .ok_or(format!(
                                "{source}.{} is {}, the field {}",
                                via.field, at.named, to.named
                            ))
                    }
                    None => self
                        .writable(&from.ty, &to)
                        .then_some(())
                        .ok_or(format!("`{path}` ({}) does not fit {}", from.ty, to.named)),
                }
            }
            WriteSource::Value(literal) => self
                .literal_fits(&to.named, to.nullable, literal)
                .then_some(())
                .ok_or(format!("{literal} is no value of {}", to.named)),
            WriteSource::Context(context) => self
                .context_fits(*context, &to.named)
                .then_some(())
                .ok_or(format!("{context:?} does not fit {}", to.named)),
        }
    }

    fn transition(
        &self,
        entity: &str,
        status: &str,
        from: &[Text],
        to: &str,
    ) -> Result<(), String> {
        let at = self.output(entity, status)?;
        let Some(ExtendedType::Enum(values)) = self.schema.types.get(at.named.as_str()) else {
            return Err(format!(
                "statusField `{status}` is {}, not an enum",
                at.named
            ));
        };
        let unknown: Vec<&str> = from
            .iter()
            .map(|v| &**v)
            .chain([to])
            .filter(|v| !values.values.contains_key(*v))
            .collect();
        unknown
            .is_empty()
            .then_some(())
            .ok_or(format!("{unknown:?} are not values of {}", at.named))
    }

    fn relation_members(
        &self,
        field: &FieldDefinition,
        entity: &str,
        relation: &str,
        members: &str,
        each: Option<&str>,
    ) -> Result<(), String> {
        if self
            .field(entity, relation)?
            .directives
            .get("relation")
            .is_none()
        {
            return Err(format!("`{entity}.{relation}` is no @relation"));
        }
        self.id_path(field, members, each, true)
    }

    fn owner(&self, entity: &str, owner: &EffectOwner) -> Result<(), String> {
        let named = if owner.field == "id" {
            entity.to_string()
        } else {
            self.output(entity, &owner.field)?.named
        };
        let fits = match &owner.role {
            Some(role) => {
                let Some((_, account)) = self.accounts.iter().find(|(r, _)| r == &**role) else {
                    return Err(format!("owner role `{role}` has no @account"));
                };
                self.reaches(&named, account)
                    || (owner.field != "id" && matches!(named.as_str(), "ID" | "String"))
            }
            None => {
                self.is_account(&named)
                    || self.user_type.as_deref() == Some(named.as_str())
                    || (owner.field != "id" && matches!(named.as_str(), "ID" | "String"))
            }
        };
        fits.then_some(()).ok_or(format!(
            "owner `{}` is {named}, which holds no account or user of that role",
            owner.field
        ))
    }

    fn condition(
        &self,
        field: &FieldDefinition,
        entity: &str,
        c: &EffectCondition,
        declared: &[String],
        each: Option<&str>,
    ) -> Result<(), String> {
        if !declared.iter().any(|name| c.invariant == name.as_str()) {
            return Err("no @invariant of that name on the field".into());
        }
        let (named, nullable) = match &c.read {
            ConditionRead::Input(path) => {
                let at = self.input(field, path, each)?;
                (at.ty.inner_named_type().to_string(), !at.ty.is_non_null())
            }
            ConditionRead::At {
                at: path,
                entity: source,
                field: read,
            } => {
                let at = self.input(field, path, each)?;
                if at.ty.inner_named_type() != "ID" || !self.is_entity(source) {
                    return Err(format!("`{path}` is no id of the @entity {source}"));
                }
                let at = self.output(source, read)?;
                (at.named, at.nullable)
            }
            ConditionRead::Target { field: read } => {
                let at = self.output(entity, read)?;
                (at.named, at.nullable)
            }
        };
        for literal in c.one_of.iter().flat_map(|l| l.iter()) {
            if !self.literal_fits(&named, nullable, literal) {
                return Err(format!("{literal} is no value of {named}"));
            }
        }
        if let Some(path) = &c.equals {
            let other = self.input(field, path, each)?;
            let other = other.ty.inner_named_type().as_str();
            let by_id = |a: &str, b: &str| a == "ID" && self.is_entity(b);
            if !(self.reaches(&named, other) || by_id(&named, other) || by_id(other, &named)) {
                return Err(format!("`{path}` ({other}) cannot equal a {named}"));
            }
        }
        if let Some(context) = c.is
            && (!matches!(
                context,
                EffectContext::CallerAccount | EffectContext::CallerUser
            ) || !self.context_fits(context, &named))
        {
            return Err(format!("{context:?} cannot be a {named}"));
        }
        if let Some(path) = &c.path {
            self.input(field, path, each)?;
        }
        Ok(())
    }
}
