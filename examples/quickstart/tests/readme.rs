//! The README's generator section is this crate: its Rust blocks, put together file by file, are the crate's files
//! (the schema's path aside), and the output it shows for `cargo run` is what the binary prints.

use std::collections::BTreeMap;
use std::path::Path;

fn section() -> &'static str {
    let readme = include_str!("../../../README.md");
    let start = readme
        .find("## Generating Rust from the schemas\n")
        .expect("the README has its generator section");
    let rest = &readme[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |at| at + 3);
    &rest[..end]
}

/// Each fenced block of `language`, without its fences.
fn blocks(language: &str) -> Vec<&'static str> {
    let fence = format!("```{language}\n");
    section()
        .split(fence.as_str())
        .skip(1)
        .map(|block| block.split("\n```").next().unwrap())
        .collect()
}

#[test]
fn the_rust_blocks_are_the_crate_files() {
    let mut files: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for block in blocks("rust") {
        let (marker, code) = block.split_once('\n').unwrap();
        let path = marker
            .strip_prefix("// ")
            .unwrap_or_else(|| panic!("a Rust block starts with `// FILE`, not `{marker}`"));
        files
            .entry(path.trim_end_matches(" (continued)"))
            .or_default()
            .push(code);
    }
    assert_eq!(
        files.keys().copied().collect::<Vec<_>>(),
        ["build.rs", "src/lib.rs", "src/main.rs"]
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (path, chunks) in files {
        let file = std::fs::read_to_string(dir.join(path)).unwrap();
        // The README's crate has the schema beside it; this one reads it from the repository's schemas/.
        let file = file.replace("../../schemas/", "");
        assert_eq!(
            format!("{}\n", chunks.join("\n\n")),
            file,
            "the README's blocks of {path} differ from examples/quickstart/{path}"
        );
    }
}

#[test]
fn the_output_shown_is_what_the_binary_prints() {
    let shown = blocks("console")
        .into_iter()
        .find_map(|block| block.strip_prefix("$ cargo run\n"))
        .expect("the README shows `cargo run` and its output");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_quickstart"))
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8(output.stdout).unwrap().trim_end(), shown);
}
