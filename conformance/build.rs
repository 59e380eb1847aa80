//! Embeds the documented examples (`schemas/examples/<api>/`) so that the harness checks them wherever it runs.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/examples");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut out =
        String::from("/// Every documented example.\npub static EXAMPLES: &[Example] = &[\n");
    let mut apis: Vec<_> = std::fs::read_dir(&root)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    apis.sort();
    for api in apis {
        println!("cargo:rerun-if-changed={}", api.display());
        let name = api
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let mut files: Vec<_> = std::fs::read_dir(&api)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        for file in files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "graphql"))
        {
            let stem = file
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let sibling = |suffix: &str| {
                let path = api.join(format!("{stem}{suffix}"));
                if path.exists() {
                    format!("Some(include_str!({:?}))", path.display().to_string())
                } else {
                    "None".to_owned()
                }
            };
            let _ = writeln!(
                out,
                "    Example {{ api: {name:?}, name: {stem:?}, operation: include_str!({:?}), variables: {}, response: {} }},",
                file.display().to_string(),
                sibling(".json"),
                sibling(".response.json")
            );
        }
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo")).join("examples.rs");
    if std::fs::read_to_string(&dest).ok().as_deref() != Some(out.as_str()) {
        std::fs::write(&dest, out).expect("OUT_DIR is writable");
    }
}
