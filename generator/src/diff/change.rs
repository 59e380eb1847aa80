//! What a review reports: each change with its stable kind, criticality, coordinate, message and reason, the
//! clients and example operations it affects, and the effect on the generated Rust API. This is the JSON report's
//! shape (`generator/diff-report.schema.json` documents it).

use serde::Serialize;

/// How much a change can hurt existing clients, graphql-inspector's three levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Criticality {
    /// Existing clients fail: an operation that validated no longer does, or a caller is now refused.
    Breaking,
    /// Existing clients keep working but may behave differently (a new enum value, a changed default).
    Dangerous,
    /// Nothing an existing client does changes.
    Safe,
}

impl Criticality {
    pub const ALL: [Criticality; 3] = [
        Criticality::Breaking,
        Criticality::Dangerous,
        Criticality::Safe,
    ];

    /// `breaking`, `dangerous` or `safe`.
    pub fn as_str(self) -> &'static str {
        match self {
            Criticality::Breaking => "breaking",
            Criticality::Dangerous => "dangerous",
            Criticality::Safe => "safe",
        }
    }
}

/// One change between the two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Stable, `SCREAMING_SNAKE_CASE`: graphql-inspector's change type for type changes (`FIELD_REMOVED`), ours
    /// for rule changes (`ROLE_REQUIREMENT_ADDED`).
    pub kind: &'static str,
    pub criticality: Criticality,
    /// The schema coordinate it touches: `Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`, `@directive`,
    /// `@directive(arg:)`, or `schema` for what is declared on the schema itself.
    pub coordinate: String,
    /// One line: what changed.
    pub message: String,
    /// Why it has its criticality.
    pub reason: String,
    /// Who it affects, when it is narrower than every client using the coordinate: `role:NAME`, `scope:NAME`,
    /// `tokenKind:NAME`, `anonymous` or `everyone`.
    pub affects: Vec<String>,
    /// The documented example operations this change breaks (`schemas/examples/<api>/`).
    pub operations: Vec<OperationImpact>,
}

/// A documented example operation broken by a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationImpact {
    /// The file name, e.g. `006_pagination.graphql`.
    pub name: String,
    /// How it breaks: the validation error it now gets, or the rule that now refuses it.
    pub effect: String,
}

/// The semver impact of regenerating the Rust API, cargo's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Semver {
    Major,
    Minor,
    Patch,
}

/// One public item of the generated Rust API that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RustChange {
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    /// The item's path in the generated module: `Member`, `Member::email`, `MemberRole::Admin`, `QueryResolvers::members`.
    pub item: String,
    /// What it is: `struct`, `field`, `enum`, `variant`, `trait`, `method`, `fn`, `const`, `static`, `type`.
    pub what: &'static str,
    /// The old and new signatures, for a change; the one signature otherwise.
    pub detail: String,
    pub semver: Semver,
}

/// The generated Rust API's differences and what they mean for a crate that regenerates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RustApi {
    pub module: String,
    /// The largest impact of the changes (`patch` when there are none).
    pub semver: Semver,
    pub changes: Vec<RustChange>,
}

/// Everything a review found between two versions of one API's schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The JSON report's format version (`generator/diff-report.schema.json`).
    pub version: u32,
    /// What was compared, as the user named it (paths, or `REV:path`).
    pub old: String,
    pub new: String,
    /// `@api(name:)`, when declared.
    pub api: Option<String>,
    /// Sorted by criticality, then coordinate, then kind.
    pub changes: Vec<Change>,
    /// `None` when the generated API was not compared (`Options::rust_api` off).
    pub rust_api: Option<RustApi>,
    /// How many documented example operations were checked against the new version.
    pub operations_checked: usize,
}

impl Report {
    /// The report format version written in `version`.
    pub const FORMAT_VERSION: u32 = 1;

    /// How many changes there are of a criticality.
    pub fn count(&self, criticality: Criticality) -> usize {
        self.changes
            .iter()
            .filter(|c| c.criticality == criticality)
            .count()
    }

    /// The breaking changes an allow-list does not name.
    pub fn unallowed_breaking<'a>(
        &'a self,
        allowed: &'a AllowList,
    ) -> impl Iterator<Item = &'a Change> {
        self.changes
            .iter()
            .filter(move |c| c.criticality == Criticality::Breaking && !allowed.allows(c))
    }
}

/// Breaking changes accepted on purpose: one schema coordinate a line (`Type.field`, `Enum.VALUE`, `schema`),
/// optionally followed by a kind to accept only that change there (`Query.members ROLE_REQUIREMENT_ADDED`).
/// `#` starts a comment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowList {
    entries: Vec<(String, Option<String>)>,
}

impl AllowList {
    /// Reads the text of an allow-list file; an entry with more than two words is an error naming its line.
    pub fn parse(text: &str) -> Result<AllowList, String> {
        let mut entries = Vec::new();
        for (number, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or_default().trim();
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [] => {}
                [coordinate] => entries.push(((*coordinate).to_owned(), None)),
                [coordinate, kind] => {
                    entries.push(((*coordinate).to_owned(), Some((*kind).to_owned())))
                }
                _ => {
                    return Err(format!(
                        "line {}: `{line}` is not `COORDINATE [KIND]` (e.g. `Query.members ROLE_REQUIREMENT_ADDED`)",
                        number + 1
                    ));
                }
            }
        }
        Ok(AllowList { entries })
    }

    /// Whether the list names this change.
    pub fn allows(&self, change: &Change) -> bool {
        self.entries.iter().any(|(coordinate, kind)| {
            *coordinate == change.coordinate && kind.as_deref().is_none_or(|k| k == change.kind)
        })
    }
}

/// The changes a comparison finds, in the order it finds them.
#[derive(Debug, Default)]
pub(crate) struct Found(pub Vec<Change>);

impl Found {
    /// A change that affects whoever uses its coordinate.
    pub(crate) fn push(
        &mut self,
        kind: &'static str,
        criticality: Criticality,
        coordinate: impl Into<String>,
        message: String,
        reason: &str,
    ) {
        self.push_for(kind, criticality, coordinate, message, reason, Vec::new());
    }

    /// A change that affects the named clients (`role:NAME`, `everyone`...).
    pub(crate) fn push_for(
        &mut self,
        kind: &'static str,
        criticality: Criticality,
        coordinate: impl Into<String>,
        message: String,
        reason: &str,
        affects: Vec<String>,
    ) {
        self.0.push(Change {
            kind,
            criticality,
            coordinate: coordinate.into(),
            message,
            reason: reason.to_owned(),
            affects,
            operations: Vec::new(),
        });
    }
}
