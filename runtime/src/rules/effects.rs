//! Mutation semantics in the rules table: what a mutation does to the store (`@effect`), which types are stored
//! entities and where they are read back (`@entity`), which fields list related entities (`@relation`) and which
//! entity stands for each role's account (`@account`). `schemas/rules.graphql` says how a generic store executes
//! them and how a harness predicts them.

use super::{List, Text};

/// `@account`: the entity type of the accounts of one role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub role: Text,
    pub type_name: Text,
}

/// `@entity` on an object type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub type_name: Text,
    /// A Query field taking `id: ID!` (or none, for the caller's own entity) that returns it.
    pub lookup: Option<Text>,
    /// A Query field returning a Lighthouse page of these entities.
    pub list: Option<Text>,
    pub list_filter: Option<ListFilter>,
}

/// How to narrow an entity list to the entities related to a given one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListFilter {
    /// An argument of the list field.
    pub argument: Text,
    /// A field path of the entity, through references.
    pub field: Text,
}

/// `@relation` on a field that lists entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub type_name: Text,
    pub field_name: Text,
    /// The members are the entities whose `inverse` reference points here; `None`: the store keeps the member ids.
    pub inverse: Option<Text>,
}

/// `@effect` on a mutation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effect {
    pub kind: EffectKind,
    /// The entity type acted on; `None` only for an ACTION without a target.
    pub entity: Option<Text>,
    /// The input path of the target's id; `None` for a CREATE, or for the caller's own entity.
    pub id: Option<Text>,
    /// An input path of a list: the effect applies once per element.
    pub each: Option<Text>,
    pub fields: List<EffectField>,
    /// CREATE: the input path of the id of the entity the new one starts as a copy of.
    pub copy: Option<Text>,
    /// TRANSITION: the enum field that moves, the values it may move from (empty: any) and the value it moves to.
    pub status_field: Option<Text>,
    pub from: List<Text>,
    pub to: Option<Text>,
    /// ATTACH, DETACH: the target's `@relation` field and the input path of the member ids.
    pub relation: Option<Text>,
    pub members: Option<Text>,
    /// Who may act on the target; empty: any caller who passes `@requiresRole`.
    pub owners: List<EffectOwner>,
    /// The preconditions, in order.
    pub requires: List<EffectCondition>,
    /// Where the result shows the entity; `None`: the result is the entity.
    pub result: Option<Text>,
    /// For a scalar result: the entity field whose new value is returned.
    pub result_field: Option<Text>,
    /// What the document says beyond the vocabulary (hand-written, not predicted).
    pub beyond: Option<Text>,
    /// The fields the `beyond` part may change.
    pub beyond_fields: List<Text>,
}

impl Effect {
    /// Whether an input path is consumed as an id, a list of members or a copy source, and so never written.
    pub fn consumes(&self, path: &str) -> bool {
        [&self.id, &self.each, &self.members, &self.copy]
            .into_iter()
            .any(|p| p.as_deref() == Some(path))
    }
}

/// What a mutation does to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EffectKind {
    Create,
    Update,
    Replace,
    Delete,
    Transition,
    Attach,
    Detach,
    Action,
}

impl EffectKind {
    /// Every kind, in the vocabulary's order.
    pub const ALL: [EffectKind; 8] = [
        EffectKind::Create,
        EffectKind::Update,
        EffectKind::Replace,
        EffectKind::Delete,
        EffectKind::Transition,
        EffectKind::Attach,
        EffectKind::Detach,
        EffectKind::Action,
    ];

    /// The vocabulary's spelling (`CREATE`).
    pub fn as_str(self) -> &'static str {
        match self {
            EffectKind::Create => "CREATE",
            EffectKind::Update => "UPDATE",
            EffectKind::Replace => "REPLACE",
            EffectKind::Delete => "DELETE",
            EffectKind::Transition => "TRANSITION",
            EffectKind::Attach => "ATTACH",
            EffectKind::Detach => "DETACH",
            EffectKind::Action => "ACTION",
        }
    }
}

/// One write of an effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectField {
    /// The entity field written.
    pub field: Text,
    pub source: WriteSource,
}

/// Where a written value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteSource {
    /// The value at an input path; with `via`, the value of a field path of the entity that input id names.
    Input { path: Text, via: Option<Via> },
    /// A constant in GraphQL literal syntax (`DRAFT`, `true`, `null`, `"text"`, `1`).
    Value(Text),
    /// A value of the request.
    Context(EffectContext),
}

/// Read a field path of the entity an input id names, rather than the id itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Via {
    /// The entity type the input id names.
    pub entity: Text,
    /// The field path read on it.
    pub field: Text,
}

/// A value the request supplies rather than its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EffectContext {
    CallerAccount,
    CallerUser,
    Now,
    Generated,
}

/// An owner path of an entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectOwner {
    /// A field path through references, or `id` when the entity is itself the account or user.
    pub field: Text,
    /// The role the caller must hold to own through it; `None`: any.
    pub role: Option<Text>,
}

/// A precondition, checking one `@invariant` of the same field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectCondition {
    pub invariant: Text,
    pub read: ConditionRead,
    /// The value must be one of these literals.
    pub one_of: Option<List<Text>>,
    /// The value must equal (a list: contain) the value at this input path.
    pub equals: Option<Text>,
    /// The value must be (a list: contain) the caller's account or user.
    pub is: Option<EffectContext>,
    /// The input path the error is keyed by, when not the default (see [`EffectCondition::error_path`]).
    pub path: Option<Text>,
}

impl EffectCondition {
    /// The input path a failure is keyed by: `path`, else `at`, else `input`, else the effect's `id`.
    pub fn error_path<'a>(&'a self, effect: &'a Effect) -> Option<&'a str> {
        self.path
            .as_deref()
            .or(match &self.read {
                ConditionRead::Input(path) => Some(&**path),
                ConditionRead::At { at, .. } => Some(&**at),
                ConditionRead::Target { .. } => None,
            })
            .or(effect.id.as_deref())
    }
}

/// What a precondition reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConditionRead {
    /// An input path's value (the condition holds vacuously when it is absent).
    Input(Text),
    /// A field path of the effect's target.
    Target { field: Text },
    /// A field path of the entity of type `entity` that the input path `at` names.
    At { at: Text, entity: Text, field: Text },
}
