//! A seeded corpus of schema changes for the `diff` tests: each of the four API schemas and a few small ones,
//! mutated one edit at a time (fields, arguments, input fields, enum values, unions, interfaces, nullability,
//! defaults, deprecations, descriptions, directive definitions), keeping only mutants that still validate.

use apollo_compiler::ast::{
    DirectiveDefinition, DirectiveLocation, EnumValueDefinition, FieldDefinition,
    InputValueDefinition, Type, Value,
};
use apollo_compiler::schema::{ExtendedType, InterfaceType, ObjectType};
use apollo_compiler::{Name, Node, Schema};
use proptest::prelude::RngExt;
use proptest::test_runner::{RngAlgorithm, TestRng};

/// Small schemas with what the API schemas lack: interfaces, unions, custom directives, input defaults.
const SMALL: &[(&str, &str)] = &[
    (
        "small_shapes",
        r#"
"A custom directive, to exercise directive definition changes."
directive @tag(name: String!, weight: Int = 1) on FIELD_DEFINITION | OBJECT
directive @flag on FIELD_DEFINITION
type Query { node(id: ID!): Node search(term: String, limit: Int = 10, kind: Kind): [Result!]! shape: Shape }
interface Node { id: ID! }
interface Named { name: String }
type User implements Node & Named { id: ID! name: String email: String! friends(first: Int = 10): [User!] }
type Team implements Node { id: ID! name: String members: [User!]! }
type Robot { serial: String! name: String }
union Result = User | Team
union Shape = Robot | Team
"What to search."
enum Kind { USER TEAM "Robots too." ROBOT OTHER @deprecated(reason: "Use USER.") }
input Filter { term: String! limit: Int = 10 kinds: [Kind!] nested: Inner }
input Inner { on: Boolean = true note: String }
type Mutation { save(filter: Filter!, dryRun: Boolean = false): User }
"#,
    ),
    (
        "small_lists",
        r#"
type Query { items(after: String, first: Int!): [Item]! item(id: ID!): Item count: Int! old: String @deprecated }
type Item { id: ID! tags: [String!]! score: Float price(currency: Currency = EUR): Float }
enum Currency { EUR USD GBP }
scalar Money
"#,
    ),
];

/// The base schemas: every API schema with the rule vocabulary (as the generator reads them), and the small ones.
pub fn bases() -> Vec<(String, Schema)> {
    let root = crate::check::crate_dir().join("../schemas");
    let mut out = Vec::new();
    for name in [
        "greenhouse_onboarding",
        "healthmov_user_management",
        "workable_members",
        "worksome",
    ] {
        let path = root.join(format!("{name}.graphql"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // a schema another branch adds
        };
        let full = format!("{}\n{text}", generator::RULE_VOCABULARY);
        let schema = Schema::parse_and_validate(full, &path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .into_inner();
        out.push((name.to_owned(), schema));
    }
    for (name, text) in SMALL {
        let schema = Schema::parse_and_validate(*text, format!("{name}.graphql"))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .into_inner();
        out.push(((*name).to_owned(), schema));
    }
    out
}

/// One pair of the corpus: the base, a mutant, and what was done.
#[derive(Debug)]
pub struct Pair {
    pub base: String,
    pub edit: String,
    pub old: String,
    pub new: String,
}

/// A mutation: one edit of a schema, described, or `None` when the drawn edit does not apply to it.
pub type Edit = fn(&mut Schema, &Schema, &mut TestRng) -> Option<String>;

/// `per_base` mutants of each base that apollo-compiler validates (the generator may still refuse one whose rules
/// no longer read, such as a paginated field without its page arguments), reproducibly from `seed`. Types of the rule vocabulary are left alone.
pub fn corpus(seed: u64, per_base: usize, edit: Edit) -> Vec<Pair> {
    // The vocabulary alone has no query type: parsed, not validated.
    let vocabulary = Schema::parse(generator::RULE_VOCABULARY, "rules.graphql")
        .unwrap_or_else(|with_errors| with_errors.partial);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut out = Vec::new();
    for (base, schema) in bases() {
        let old = schema.to_string();
        let mut made = 0;
        let mut attempts = 0;
        while made < per_base && attempts < per_base * 20 {
            attempts += 1;
            let mut mutant = schema.clone();
            let Some(edit) = edit(&mut mutant, &vocabulary, &mut rng) else {
                continue;
            };
            if mutant.clone().validate().is_err() {
                continue;
            }
            out.push(Pair {
                base: base.clone(),
                edit,
                old: old.clone(),
                new: mutant.to_string(),
            });
            made += 1;
        }
    }
    out
}

fn pick<'a, T>(rng: &mut TestRng, items: &'a [T]) -> Option<&'a T> {
    (!items.is_empty()).then(|| &items[rng.random_range(0..items.len())])
}

fn name(text: &str) -> Name {
    Name::new(text).expect("a valid name")
}

fn string(text: &str) -> Node<str> {
    Node::new_str(text)
}

/// Type names of the schema itself: not built in, not the vocabulary's.
fn own_types(
    schema: &Schema,
    vocabulary: &Schema,
    filter: impl Fn(&ExtendedType) -> bool,
) -> Vec<Name> {
    schema
        .types
        .iter()
        .filter(|(n, t)| !t.is_built_in() && !vocabulary.types.contains_key(*n) && filter(t))
        .map(|(n, _)| n.clone())
        .collect()
}

fn toggle_non_null(ty: &Type) -> Type {
    if ty.is_non_null() {
        ty.clone().nullable()
    } else {
        ty.clone().non_null()
    }
}

/// A random type variation: nullability, a list around it, or another scalar.
fn vary(ty: &Type, rng: &mut TestRng) -> Type {
    match rng.random_range(0..4) {
        0 | 1 => toggle_non_null(ty),
        2 => ty.clone().list(),
        _ => Type::Named(name(if ty.inner_named_type() == "String" {
            "Int"
        } else {
            "String"
        })),
    }
}

/// One type edit (fields, arguments, input fields, enum values, unions, interfaces, types, descriptions,
/// deprecations, directive definitions).
pub fn mutate_types(schema: &mut Schema, vocabulary: &Schema, rng: &mut TestRng) -> Option<String> {
    let objects = own_types(schema, vocabulary, |t| {
        matches!(t, ExtendedType::Object(_) | ExtendedType::Interface(_))
    });
    let enums = own_types(schema, vocabulary, |t| matches!(t, ExtendedType::Enum(_)));
    let inputs = own_types(schema, vocabulary, |t| {
        matches!(t, ExtendedType::InputObject(_))
    });
    let unions = own_types(schema, vocabulary, |t| matches!(t, ExtendedType::Union(_)));
    let all = own_types(schema, vocabulary, |_| true);
    match rng.random_range(0..14) {
        0..=4 => {
            let ty = pick(rng, &objects)?.clone();
            let fields = fields_of(schema, &ty)?;
            let field_names: Vec<Name> = fields.keys().cloned().collect();
            let field = pick(rng, &field_names)?.clone();
            field_edit(fields, &ty, &field, rng)
        }
        5 | 6 => {
            let ty = pick(rng, &enums)?.clone();
            let Some(ExtendedType::Enum(def)) = schema.types.get_mut(&ty) else {
                return None;
            };
            let def = def.make_mut();
            let values: Vec<Name> = def.values.keys().cloned().collect();
            let value = pick(rng, &values)?.clone();
            match rng.random_range(0..4) {
                0 if values.len() > 1 => {
                    def.values.shift_remove(&value);
                    Some(format!("remove enum value {ty}.{value}"))
                }
                1 => {
                    def.values.insert(
                        name("ADDED_VALUE"),
                        Node::new(EnumValueDefinition {
                            description: None,
                            value: name("ADDED_VALUE"),
                            directives: Default::default(),
                        }),
                    );
                    Some(format!("add enum value {ty}.ADDED_VALUE"))
                }
                2 => {
                    let v = def.values.get_mut(&value)?.make_mut();
                    v.description = Some(string("A new description."));
                    Some(format!("describe {ty}.{value}"))
                }
                _ => {
                    let v = def.values.get_mut(&value)?.make_mut();
                    deprecate(&mut v.directives, rng);
                    Some(format!("deprecate or undeprecate {ty}.{value}"))
                }
            }
        }
        7 | 8 => {
            let ty = pick(rng, &inputs)?.clone();
            let Some(ExtendedType::InputObject(def)) = schema.types.get_mut(&ty) else {
                return None;
            };
            let def = def.make_mut();
            let names: Vec<Name> = def.fields.keys().cloned().collect();
            let field = pick(rng, &names)?.clone();
            match rng.random_range(0..5) {
                0 if names.len() > 1 => {
                    def.fields.shift_remove(&field);
                    Some(format!("remove input field {ty}.{field}"))
                }
                1 => {
                    def.fields
                        .insert(name("addedInput"), added_input("addedInput", rng));
                    Some(format!("add input field {ty}.addedInput"))
                }
                2 => {
                    let f = def.fields.get_mut(&field)?.make_mut();
                    f.ty = Node::new(vary(&f.ty, rng));
                    Some(format!("change type of input field {ty}.{field}"))
                }
                3 => {
                    let f = def.fields.get_mut(&field)?.make_mut();
                    f.description = if f.description.is_some() {
                        None
                    } else {
                        Some(string("Described."))
                    };
                    Some(format!("toggle description of input field {ty}.{field}"))
                }
                _ => {
                    let f = def.fields.get_mut(&field)?.make_mut();
                    let named = f.ty.inner_named_type().as_str().to_owned();
                    f.default_value = default_for(&named, f.ty.is_list());
                    Some(format!("change default of input field {ty}.{field}"))
                }
            }
        }
        9 => {
            let ty = pick(rng, &unions)?.clone();
            let objects_only =
                own_types(schema, vocabulary, |t| matches!(t, ExtendedType::Object(_)));
            let Some(ExtendedType::Union(def)) = schema.types.get_mut(&ty) else {
                return None;
            };
            let def = def.make_mut();
            if rng.random_range(0..2) == 0 && def.members.len() > 1 {
                let members: Vec<Node<Name>> = def.members.iter().cloned().collect();
                let member = pick(rng, &members)?.clone();
                def.members.shift_remove(&member);
                Some(format!("remove {member} from union {ty}"))
            } else {
                let candidates: Vec<Name> = objects_only
                    .into_iter()
                    .filter(|o| !def.members.iter().any(|m| **m == *o))
                    .collect();
                let member = pick(rng, &candidates)?.clone();
                def.members.insert(Node::new(member.clone()));
                Some(format!("add {member} to union {ty}"))
            }
        }
        10 => {
            let ty = pick(rng, &objects)?.clone();
            let Some(ExtendedType::Object(def)) = schema.types.get_mut(&ty) else {
                return None;
            };
            let def = def.make_mut();
            if let Some(iface) = def.implements_interfaces.iter().next().cloned() {
                def.implements_interfaces.shift_remove(&iface);
                return Some(format!("{ty} no longer implements {iface}"));
            }
            // A new interface made of one of the object's fields, which the object then implements.
            let (field_name, field) = def
                .fields
                .iter()
                .next()
                .map(|(n, f)| (n.clone(), f.clone()))?;
            def.implements_interfaces
                .insert(Node::new(name("AddedInterface")));
            let mut fields = apollo_compiler::collections::IndexMap::default();
            fields.insert(field_name, field);
            schema.types.insert(
                name("AddedInterface"),
                ExtendedType::Interface(Node::new(InterfaceType {
                    description: None,
                    name: name("AddedInterface"),
                    implements_interfaces: Default::default(),
                    directives: Default::default(),
                    fields,
                })),
            );
            Some(format!("{ty} implements a new interface"))
        }
        11 => {
            if rng.random_range(0..2) == 0 {
                let ty = pick(rng, &all)?.clone();
                schema.types.shift_remove(&ty);
                Some(format!("remove type {ty}"))
            } else {
                let mut fields = apollo_compiler::collections::IndexMap::default();
                fields.insert(
                    name("id"),
                    Node::new(field_def("id", Type::NonNullNamed(name("ID")))),
                );
                schema.types.insert(
                    name("AddedType"),
                    ExtendedType::Object(Node::new(ObjectType {
                        description: Some(string("Added.")),
                        name: name("AddedType"),
                        implements_interfaces: Default::default(),
                        directives: Default::default(),
                        fields,
                    })),
                );
                Some("add type AddedType".to_owned())
            }
        }
        12 => {
            let ty = pick(rng, &all)?.clone();
            let def = schema.types.get_mut(&ty)?;
            let description = match def {
                ExtendedType::Object(d) => &mut d.make_mut().description,
                ExtendedType::Interface(d) => &mut d.make_mut().description,
                ExtendedType::Union(d) => &mut d.make_mut().description,
                ExtendedType::Enum(d) => &mut d.make_mut().description,
                ExtendedType::InputObject(d) => &mut d.make_mut().description,
                ExtendedType::Scalar(d) => &mut d.make_mut().description,
            };
            *description = match (description.is_some(), rng.random_range(0..2)) {
                (true, 0) => None,
                _ => Some(string("Another description.")),
            };
            Some(format!("change description of {ty}"))
        }
        _ => directive_edit(schema, vocabulary, rng),
    }
}

fn fields_of<'a>(
    schema: &'a mut Schema,
    ty: &Name,
) -> Option<&'a mut apollo_compiler::collections::IndexMap<Name, Node<FieldDefinition>>> {
    match schema.types.get_mut(ty)? {
        ExtendedType::Object(def) => Some(&mut def.make_mut().fields),
        ExtendedType::Interface(def) => Some(&mut def.make_mut().fields),
        _ => None,
    }
}

fn field_def(field: &str, ty: Type) -> FieldDefinition {
    FieldDefinition {
        description: None,
        name: name(field),
        arguments: Vec::new(),
        ty,
        directives: Default::default(),
    }
}

/// An added input value (argument, input field, directive argument): nullable, required, or with a default.
fn added_input(input: &str, rng: &mut TestRng) -> Node<InputValueDefinition> {
    let (ty, default_value) = match rng.random_range(0..3) {
        0 => (Type::Named(name("String")), None),
        1 => (Type::NonNullNamed(name("Int")), None),
        _ => (
            Type::Named(name("Int")),
            Some(Node::new(Value::Int(7.into()))),
        ),
    };
    Node::new(InputValueDefinition {
        description: None,
        name: name(input),
        ty: Node::new(ty),
        default_value,
        directives: Default::default(),
    })
}

/// A default value fitting a named type, for default changes (none for types it cannot invent one for).
fn default_for(named: &str, list: bool) -> Option<Node<Value>> {
    let value = match named {
        "Int" => Value::Int(42.into()),
        "Boolean" => Value::Boolean(false),
        "String" | "ID" => Value::String("changed".into()),
        _ => return None,
    };
    Some(Node::new(if list {
        Value::List(vec![Node::new(value)])
    } else {
        value
    }))
}

fn deprecate(directives: &mut apollo_compiler::ast::DirectiveList, rng: &mut TestRng) {
    if directives.get("deprecated").is_some() {
        directives.retain(|d| d.name != "deprecated");
        if rng.random_range(0..2) == 0 {
            return;
        }
    }
    let mut directive = apollo_compiler::ast::Directive::new(name("deprecated"));
    if rng.random_range(0..2) == 0 {
        directive
            .arguments
            .push(Node::new(apollo_compiler::ast::Argument {
                name: name("reason"),
                value: Node::new(Value::String("Use something else.".into())),
            }));
    }
    directives.push(Node::new(directive));
}

fn field_edit(
    fields: &mut apollo_compiler::collections::IndexMap<Name, Node<FieldDefinition>>,
    ty: &Name,
    field: &Name,
    rng: &mut TestRng,
) -> Option<String> {
    let count = fields.len();
    match rng.random_range(0..10) {
        0 if count > 1 => {
            fields.shift_remove(field);
            Some(format!("remove field {ty}.{field}"))
        }
        1 => {
            fields.insert(
                name("addedField"),
                Node::new(field_def("addedField", Type::Named(name("String")))),
            );
            Some(format!("add field {ty}.addedField"))
        }
        2 => {
            let f = fields.get_mut(field)?.make_mut();
            f.ty = vary(&f.ty, rng);
            Some(format!("change type of {ty}.{field}"))
        }
        3 => {
            let f = fields.get_mut(field)?.make_mut();
            f.arguments.push(added_input("addedArg", rng));
            Some(format!("add argument {ty}.{field}(addedArg:)"))
        }
        4 => {
            let f = fields.get_mut(field)?.make_mut();
            let i = (!f.arguments.is_empty()).then(|| rng.random_range(0..f.arguments.len()))?;
            let arg = f.arguments.remove(i);
            Some(format!("remove argument {ty}.{field}({}:)", arg.name))
        }
        5 => {
            let f = fields.get_mut(field)?.make_mut();
            let i = (!f.arguments.is_empty()).then(|| rng.random_range(0..f.arguments.len()))?;
            let arg = f.arguments[i].make_mut();
            arg.ty = Node::new(vary(&arg.ty, rng));
            Some(format!(
                "change type of argument {ty}.{field}({}:)",
                arg.name
            ))
        }
        6 => {
            let f = fields.get_mut(field)?.make_mut();
            let i = (!f.arguments.is_empty()).then(|| rng.random_range(0..f.arguments.len()))?;
            let arg = f.arguments[i].make_mut();
            let named = arg.ty.inner_named_type().as_str().to_owned();
            arg.default_value = if arg.default_value.is_some() && rng.random_range(0..2) == 0 {
                None
            } else {
                default_for(&named, arg.ty.is_list())
            };
            Some(format!(
                "change default of argument {ty}.{field}({}:)",
                arg.name
            ))
        }
        7 => {
            let f = fields.get_mut(field)?.make_mut();
            match (f.description.is_some(), rng.random_range(0..2)) {
                (true, 0) => f.description = None,
                _ => f.description = Some(string("Reworded.")),
            }
            Some(format!("change description of {ty}.{field}"))
        }
        8 => {
            let f = fields.get_mut(field)?.make_mut();
            let i = (!f.arguments.is_empty()).then(|| rng.random_range(0..f.arguments.len()))?;
            let arg = f.arguments[i].make_mut();
            arg.description = if arg.description.is_some() {
                None
            } else {
                Some(string("Explained."))
            };
            Some(format!(
                "change description of argument {ty}.{field}({}:)",
                arg.name
            ))
        }
        _ => {
            let f = fields.get_mut(field)?.make_mut();
            deprecate(&mut f.directives, rng);
            Some(format!("deprecate or undeprecate {ty}.{field}"))
        }
    }
}

fn directive_edit(schema: &mut Schema, vocabulary: &Schema, rng: &mut TestRng) -> Option<String> {
    let own: Vec<Name> = schema
        .directive_definitions
        .iter()
        .filter(|(n, d)| !d.is_built_in() && !vocabulary.directive_definitions.contains_key(*n))
        .map(|(n, _)| n.clone())
        .collect();
    let Some(directive) = pick(rng, &own).cloned() else {
        schema.directive_definitions.insert(
            name("added"),
            Node::new(DirectiveDefinition {
                description: None,
                name: name("added"),
                arguments: Vec::new(),
                repeatable: false,
                locations: [DirectiveLocation::FieldDefinition].into_iter().collect(),
                directives: Default::default(),
            }),
        );
        return Some("add directive @added".to_owned());
    };
    let def = schema.directive_definitions.get_mut(&directive)?.make_mut();
    match rng.random_range(0..6) {
        0 => {
            schema.directive_definitions.shift_remove(&directive);
            Some(format!("remove directive @{directive}"))
        }
        1 => {
            def.locations.insert(DirectiveLocation::EnumValue);
            Some(format!("add a location to @{directive}"))
        }
        2 if def.locations.len() > 1 => {
            let first = def.locations.iter().next().copied()?;
            def.locations.shift_remove(&first);
            Some(format!("remove a location from @{directive}"))
        }
        3 => {
            def.arguments.push(added_input("addedArg", rng));
            Some(format!("add argument to @{directive}"))
        }
        4 => {
            def.repeatable = !def.repeatable;
            Some(format!("toggle repeatable of @{directive}"))
        }
        _ => {
            def.description = if def.description.is_some() {
                None
            } else {
                Some(string("Documented."))
            };
            Some(format!("change description of @{directive}"))
        }
    }
}
