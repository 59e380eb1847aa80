//! The plan of a prepared operation for the fast executor: for each composite position, the fields to execute per
//! concrete object type (fragments and inline fragments applied, same response keys merged, `@skip`/`@include`
//! evaluated), each with its generated field index, its pre-rendered response key, its location, and its arguments
//! (coerced once when they are literals, per request when they mention variables).
//!
//! Field collection follows apollo-compiler's `CollectFields()` step by step, so that both executors agree on which
//! fields run, in which order, under which response keys. Whatever the fast executor does not reproduce (introspection,
//! a `@skip`/`@include` condition that is not a boolean, an argument apollo-compiler would reject) makes the plan
//! [`Unsupported`], and the request runs through the reference executor.

use std::collections::HashSet;
use std::sync::Arc;

use apollo_compiler::ast::{DirectiveList, Type, Value};
use apollo_compiler::executable::{Argument, Field, Operation, Selection};
use apollo_compiler::schema::{ExtendedType, FieldDefinition, ObjectType};
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Name, Node, Schema};

use super::arguments::{self, Unsupported};
use crate::response::{JsonMap, JsonValue, Location};

/// The object types of a schema as its generated glue numbers them: a type's id is its position, a field's index its
/// position in `fields`. Generated once per schema (`glue::SCHEMA`).
#[derive(Debug)]
pub struct SchemaTable {
    pub objects: &'static [ObjectTable],
    /// Whether the schema has a mutation type.
    pub has_mutation: bool,
}

/// One object type of a [`SchemaTable`].
#[derive(Debug)]
pub struct ObjectTable {
    pub name: &'static str,
    pub fields: &'static [&'static str],
}

impl SchemaTable {
    fn object(&self, name: &str) -> Option<(u16, &ObjectTable)> {
        let position = self.objects.iter().position(|o| o.name == name)?;
        Some((u16::try_from(position).ok()?, &self.objects[position]))
    }
}

/// The field index of `__typename`, which every object answers without the glue's help.
pub const TYPENAME: u16 = u16::MAX;

/// Plans with more fields than this are not built (abstract fields multiply their selections by the possible
/// types); such operations run through the reference executor.
const MAX_PLANNED_FIELDS: usize = 20_000;

/// The plan of one operation, for the values its `@skip`/`@include` conditions took.
#[derive(Debug)]
pub struct Plan {
    pub(crate) root: SelectionSet,
    /// The fields whose arguments mention variables: coerced once per request, before anything executes.
    pub(crate) dynamic: Vec<DynamicArguments>,
    /// How many bytes the last response of this plan had: the next one's buffer starts that large.
    pub(crate) size_hint: std::sync::atomic::AtomicUsize,
}

/// The fields of one selection set for one concrete object type, in response order.
#[derive(Debug, Default)]
pub struct SelectionSet {
    pub(crate) fields: Vec<PlannedField>,
}

impl SelectionSet {
    pub fn fields(&self) -> &[PlannedField] {
        &self.fields
    }
}

/// One response key of a selection set.
#[derive(Debug)]
pub struct PlannedField {
    /// The field's index in its object type's [`ObjectTable`], or [`TYPENAME`].
    pub(crate) index: u16,
    /// The field's name (of the first of the merged selections).
    pub(crate) name: Name,
    /// The response key.
    pub(crate) key: Name,
    /// `"key":`, preceded by a comma unless this is the first field of its set.
    pub(crate) key_json: Box<str>,
    /// The field's type where it was selected (an interface's field type, when selected through an interface):
    /// how its value is completed.
    pub(crate) ty: Type,
    /// Whether the concrete object type's field is nullable: where an error in the field stops.
    pub(crate) nullable: bool,
    pub(crate) location: Option<Location>,
    pub(crate) arguments: Arguments,
    /// The selection set below a composite field, per possible concrete object type (by type id).
    pub(crate) sub: Box<[(u16, SelectionSet)]>,
}

impl PlannedField {
    /// The field's index in its object type's [`ObjectTable`], or [`TYPENAME`].
    pub fn index(&self) -> u16 {
        self.index
    }

    /// The selection set below this field for the concrete object type `id`.
    pub(crate) fn selection_set(&self, id: u16) -> &SelectionSet {
        static EMPTY: SelectionSet = SelectionSet { fields: Vec::new() };
        self.sub
            .iter()
            .find(|(type_id, _)| *type_id == id)
            .map_or(&EMPTY, |(_, set)| set)
    }
}

/// The arguments of a planned field.
#[derive(Debug)]
pub(crate) enum Arguments {
    /// The field takes none.
    None,
    /// Coerced when the plan was built: they mention no variables.
    Const(JsonMap),
    /// Coerced per request: the index into [`Plan::dynamic`].
    Dynamic(usize),
}

/// What coercing a field's arguments per request needs.
#[derive(Debug)]
pub(crate) struct DynamicArguments {
    definition: Node<FieldDefinition>,
    arguments: Vec<Node<Argument>>,
}

impl Plan {
    /// Builds the plan of `operation` for the coerced `variables` (only its `@skip`/`@include` conditions are read).
    pub(crate) fn build(
        schema: &Valid<Schema>,
        document: &Valid<ExecutableDocument>,
        operation: &Operation,
        table: &SchemaTable,
        variables: &JsonMap,
    ) -> Result<Plan, Unsupported> {
        let mut builder = Builder {
            schema,
            document,
            table,
            variables,
            dynamic: Vec::new(),
            size: 0,
        };
        let root_type = schema
            .get_object(operation.object_type())
            .ok_or(Unsupported)?;
        let root = builder.selection_set(root_type, operation.selection_set.selections.iter())?;
        Ok(Plan {
            root,
            dynamic: builder.dynamic,
            size_hint: std::sync::atomic::AtomicUsize::new(256),
        })
    }

    /// The arguments that mention variables, coerced for this request, in [`Plan::dynamic`] order.
    pub(crate) fn coerce_dynamic(
        &self,
        schema: &Valid<Schema>,
        variables: &JsonMap,
    ) -> Result<Vec<JsonMap>, Unsupported> {
        self.dynamic
            .iter()
            .map(|d| arguments::coerce_arguments(schema, &d.definition, &d.arguments, variables))
            .collect()
    }
}

/// The variables the `@skip`/`@include` conditions of a document read: a plan depends on their values only.
pub(crate) fn condition_variables(document: &ExecutableDocument) -> Vec<Name> {
    fn directives(list: &DirectiveList, out: &mut Vec<Name>) {
        for directive in list.iter() {
            if (directive.name == "skip" || directive.name == "include")
                && let Some(value) = directive.specified_argument_by_name("if")
                && let Value::Variable(name) = value.as_ref()
                && !out.contains(name)
            {
                out.push(name.clone());
            }
        }
    }
    fn set(selections: &[Selection], out: &mut Vec<Name>) {
        for selection in selections {
            directives(selection.directives(), out);
            match selection {
                Selection::Field(field) => {
                    if let Some(inner) = &field.selection_set {
                        set(&inner.selections, out);
                    }
                }
                Selection::InlineFragment(inline) => set(&inline.selection_set.selections, out),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    let mut out = Vec::new();
    for operation in document.operations.iter() {
        set(&operation.selection_set.selections, &mut out);
    }
    for fragment in document.fragments.values() {
        set(&fragment.selection_set.selections, &mut out);
    }
    out
}

struct Builder<'d> {
    schema: &'d Valid<Schema>,
    document: &'d Valid<ExecutableDocument>,
    table: &'d SchemaTable,
    variables: &'d JsonMap,
    dynamic: Vec<DynamicArguments>,
    size: usize,
}

/// Fields grouped by response key, in order of first appearance.
type Grouped<'d> = Vec<(&'d Name, Vec<&'d Node<Field>>)>;

impl<'d> Builder<'d> {
    fn selection_set(
        &mut self,
        object: &ObjectType,
        selections: impl Iterator<Item = &'d Selection>,
    ) -> Result<SelectionSet, Unsupported> {
        let mut grouped = Grouped::new();
        self.collect(object, selections, &mut HashSet::new(), &mut grouped)?;
        let (_, object_table) = self.table.object(&object.name).ok_or(Unsupported)?;
        let mut fields = Vec::with_capacity(grouped.len());
        for (key, group) in grouped {
            let first = group[0];
            let Ok(definition) = self.schema.type_field(&object.name, &first.name) else {
                continue;
            };
            let index = match first.name.as_str() {
                "__typename" => TYPENAME,
                "__schema" | "__type" => return Err(Unsupported),
                name => object_table
                    .fields
                    .iter()
                    .position(|f| *f == name)
                    .and_then(|i| u16::try_from(i).ok())
                    .ok_or(Unsupported)?,
            };
            self.size += 1;
            if self.size > MAX_PLANNED_FIELDS {
                return Err(Unsupported);
            }
            let arguments = self.arguments(definition, first)?;
            let ty = first.ty().clone();
            let sub = match self.schema.types.get(ty.inner_named_type()) {
                Some(
                    ExtendedType::Object(_) | ExtendedType::Interface(_) | ExtendedType::Union(_),
                ) => self.sub(ty.inner_named_type(), &group)?,
                _ => Box::default(),
            };
            let key_json = format!("{}\"{key}\":", if fields.is_empty() { "" } else { "," });
            fields.push(PlannedField {
                index,
                name: first.name.clone(),
                key: key.clone(),
                key_json: key_json.into_boxed_str(),
                ty,
                nullable: !definition.ty.is_non_null(),
                location: first
                    .name
                    .location()
                    .and_then(|span| span.line_column(&self.document.sources))
                    .map(|lc| Location {
                        line: lc.line,
                        column: lc.column,
                    }),
                arguments,
                sub,
            });
        }
        Ok(SelectionSet { fields })
    }

    /// The selection sets below a composite field, one per possible concrete type of `named`.
    fn sub(
        &mut self,
        named: &Name,
        group: &[&'d Node<Field>],
    ) -> Result<Box<[(u16, SelectionSet)]>, Unsupported> {
        let possible: Vec<&'d ObjectType> = match self.schema.types.get(named) {
            Some(ExtendedType::Object(def)) => vec![def],
            Some(ExtendedType::Interface(_)) => self
                .table
                .objects
                .iter()
                .filter_map(|o| self.schema.get_object(o.name))
                .filter(|def| def.implements_interfaces.contains(named))
                .map(|def| &**def)
                .collect(),
            Some(ExtendedType::Union(def)) => def
                .members
                .iter()
                .filter_map(|member| self.schema.get_object(member))
                .map(|def| &**def)
                .collect(),
            _ => return Err(Unsupported),
        };
        let mut sets = Vec::with_capacity(possible.len());
        for object in possible {
            let Some((id, _)) = self.table.object(&object.name) else {
                continue;
            };
            let selections = group
                .iter()
                .filter_map(|field| field.selection_set.as_ref())
                .flat_map(|set| &set.selections);
            sets.push((id, self.selection_set(object, selections)?));
        }
        Ok(sets.into_boxed_slice())
    }

    /// `CollectFields()` for one concrete object type.
    fn collect(
        &self,
        object: &ObjectType,
        selections: impl Iterator<Item = &'d Selection>,
        visited: &mut HashSet<&'d Name>,
        grouped: &mut Grouped<'d>,
    ) -> Result<(), Unsupported> {
        for selection in selections {
            if self.skipped(selection.directives())? {
                continue;
            }
            match selection {
                Selection::Field(field) => {
                    let key = field.response_name();
                    match grouped.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, fields)) => fields.push(field),
                        None => grouped.push((key, vec![field])),
                    }
                }
                Selection::FragmentSpread(spread) => {
                    if !visited.insert(&spread.fragment_name) {
                        continue;
                    }
                    let Some(fragment) = self.document.fragments.get(&spread.fragment_name) else {
                        continue;
                    };
                    if !self.applies(object, fragment.type_condition()) {
                        continue;
                    }
                    self.collect(
                        object,
                        fragment.selection_set.selections.iter(),
                        visited,
                        grouped,
                    )?;
                }
                Selection::InlineFragment(inline) => {
                    if let Some(condition) = &inline.type_condition
                        && !self.applies(object, condition)
                    {
                        continue;
                    }
                    self.collect(
                        object,
                        inline.selection_set.selections.iter(),
                        visited,
                        grouped,
                    )?;
                }
            }
        }
        Ok(())
    }

    /// `DoesFragmentTypeApply()`.
    fn applies(&self, object: &ObjectType, condition: &Name) -> bool {
        match self.schema.types.get(condition) {
            Some(ExtendedType::Object(_)) => *condition == object.name,
            Some(ExtendedType::Interface(_)) => object.implements_interfaces.contains(condition),
            Some(ExtendedType::Union(def)) => def.members.contains(&object.name),
            _ => false,
        }
    }

    /// Whether `@skip`/`@include` exclude a selection; a condition that is not a boolean is [`Unsupported`].
    fn skipped(&self, directives: &DirectiveList) -> Result<bool, Unsupported> {
        if self.condition(directives, "skip")? == Some(true) {
            return Ok(true);
        }
        Ok(self.condition(directives, "include")? == Some(false))
    }

    fn condition(
        &self,
        directives: &DirectiveList,
        name: &str,
    ) -> Result<Option<bool>, Unsupported> {
        let Some(directive) = directives.get(name) else {
            return Ok(None);
        };
        match directive
            .specified_argument_by_name("if")
            .map(|v| v.as_ref())
        {
            Some(Value::Boolean(value)) => Ok(Some(*value)),
            Some(Value::Variable(variable)) => match self.variables.get(variable.as_str()) {
                Some(JsonValue::Bool(value)) => Ok(Some(*value)),
                _ => Err(Unsupported),
            },
            _ => Err(Unsupported),
        }
    }

    fn arguments(
        &mut self,
        definition: &Node<FieldDefinition>,
        field: &Node<Field>,
    ) -> Result<Arguments, Unsupported> {
        if definition.arguments.is_empty() {
            return Ok(Arguments::None);
        }
        if field
            .arguments
            .iter()
            .any(|a| arguments::mentions_variables(&a.value))
        {
            self.dynamic.push(DynamicArguments {
                definition: definition.clone(),
                arguments: field.arguments.clone(),
            });
            return Ok(Arguments::Dynamic(self.dynamic.len() - 1));
        }
        arguments::coerce_arguments(self.schema, definition, &field.arguments, &JsonMap::new())
            .map(Arguments::Const)
    }
}

/// A cache of the plans of one prepared document: by operation, schema table and condition values.
#[derive(Debug, Default)]
pub(crate) struct PlanCache {
    entries: std::sync::Mutex<Vec<CacheEntry>>,
    condition_variables: std::sync::OnceLock<Vec<Name>>,
}

#[derive(Debug)]
struct CacheEntry {
    operation: Option<Name>,
    table: usize,
    conditions: Vec<Option<bool>>,
    /// `None`: the operation is not supported by the fast executor under these conditions.
    plan: Option<Arc<Plan>>,
}

/// Plans per document are few (one per operation and condition values); more than this is a client varying its
/// conditions: the oldest entries go.
const MAX_CACHED_PLANS: usize = 16;

impl PlanCache {
    /// The plan of `operation` for these coerced `variables`, built on first use.
    pub(crate) fn get(
        &self,
        schema: &Valid<Schema>,
        document: &Valid<ExecutableDocument>,
        operation: &Operation,
        table: &'static SchemaTable,
        variables: &JsonMap,
    ) -> Option<Arc<Plan>> {
        let conditions: Vec<Option<bool>> = self
            .condition_variables
            .get_or_init(|| condition_variables(document))
            .iter()
            .map(|name| variables.get(name.as_str()).and_then(JsonValue::as_bool))
            .collect();
        let table_address = std::ptr::from_ref(table) as usize;
        let matches = |entry: &CacheEntry| {
            entry.operation == operation.name
                && entry.table == table_address
                && entry.conditions == conditions
        };
        {
            let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(entry) = entries.iter().find(|e| matches(e)) {
                return entry.plan.clone();
            }
        }
        let plan = Plan::build(schema, document, operation, table, variables)
            .ok()
            .map(Arc::new);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if !entries.iter().any(&matches) {
            if entries.len() >= MAX_CACHED_PLANS {
                entries.remove(0);
            }
            entries.push(CacheEntry {
                operation: operation.name.clone(),
                table: table_address,
                conditions,
                plan: plan.clone(),
            });
        }
        plan
    }
}
