//! Loading the schemas, their examples and the source documents, for the fidelity tests.

use std::path::{Path, PathBuf};

use apollo_compiler::Schema;
use apollo_compiler::validation::Valid;

/// Every API in `schemas/`, by the file stem of its SDL.
pub const APIS: [&str; 4] = [
    "greenhouse_onboarding",
    "healthmov_user_management",
    "workable_members",
    "worksome",
];

pub fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The API's SDL together with the rule vocabulary, parsed and validated; panics with every diagnostic.
pub fn schema(api: &str) -> Valid<Schema> {
    let dir = schemas_dir();
    let rules = dir.join("rules.graphql");
    let sdl = dir.join(format!("{api}.graphql"));
    let mut builder = Schema::builder();
    builder = builder.parse(read(&rules), &rules);
    builder = builder.parse(read(&sdl), &sdl);
    let schema = builder
        .build()
        .unwrap_or_else(|with_errors| panic!("{api} has schema errors:\n{}", with_errors.errors));
    schema
        .validate()
        .unwrap_or_else(|with_errors| panic!("{api} has schema errors:\n{}", with_errors.errors))
}

/// The source document an API transcribes, from `schemas/sources/`.
pub fn seed(file_prefix: &str) -> String {
    let dir = schemas_dir().join("sources");
    let entry = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(file_prefix)
        })
        .unwrap_or_else(|| panic!("no source document {file_prefix}* in {}", dir.display()));
    read(&entry)
}

/// One documented example operation, with its variables when the document gives them.
#[derive(Debug)]
pub struct Example {
    pub path: PathBuf,
    pub operation: String,
    pub variables: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The examples of an API, in file order.
pub fn examples(api: &str) -> Vec<Example> {
    let dir = schemas_dir().join("examples").join(api);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "graphql"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let json = path.with_extension("json");
            let variables = json.exists().then(|| {
                serde_json::from_str(&read(&json))
                    .unwrap_or_else(|e| panic!("{}: invalid variables: {e}", json.display()))
            });
            Example {
                operation: read(&path),
                path,
                variables,
            }
        })
        .collect()
}
