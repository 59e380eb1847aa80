//! Generates one module per schema in `schemas/` (the rule vocabulary, `rules.graphql`, is not a schema).

fn main() {
    let dir = std::path::Path::new("../schemas");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut schemas: Vec<_> = std::fs::read_dir(dir)
        .expect("schemas/ is readable")
        .map(|entry| entry.expect("schemas/ is readable").path())
        .filter(|path| {
            path.extension().is_some_and(|e| e == "graphql") && !path.ends_with("rules.graphql")
        })
        .collect();
    schemas.sort();
    if let Err(error) = generator::compile(&schemas) {
        eprintln!("{error}");
        std::process::exit(1);
    }
}
