//! Snapshots of the generated code: every schema in `schemas/` whole, and the data-driven cases under
//! `test_data/` (constructs, and schemas that must fail with every problem reported).

use std::path::Path;

use crate::check::{check, crate_dir};

/// The whole output for each API schema, so a schema change shows up as a reviewable diff of the generated code.
#[test]
fn schemas() {
    insta::glob!("../../../schemas", "*.graphql", |path| {
        if path.ends_with("rules.graphql") {
            return; // the rule vocabulary, not a schema
        }
        let text = std::fs::read_to_string(path).unwrap();
        let name = Path::new("schemas").join(path.file_name().unwrap());
        let mut settings = insta::Settings::clone_current();
        settings.remove_snapshot_suffix();
        settings.set_omit_expression(true);
        let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
        settings.bind(|| {
            insta::assert_snapshot!(stem, generate_whole(&text, &name));
        });
    });
}

fn generate_whole(text: &str, name: &Path) -> String {
    let modules = generator::Config::new()
        .generate(&[generator::Source::new(name, text)])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(modules.len(), 1);
    modules.into_values().next().unwrap()
}

/// One construct a case: `test_data/<case>.graphql` → `test_data/<case>.snap`.
#[test]
fn cases() {
    insta::glob!("../../test_data", "*.graphql", check);
}

/// Schemas that must fail: `test_data/errors/<case>.graphql` → `test_data/errors/<case>.snap`, every problem with
/// its file, line and column.
#[test]
fn errors() {
    insta::glob!("../../test_data/errors", "*.graphql", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let relative = path.strip_prefix(crate_dir()).unwrap();
        let rendered = crate::check::render(&text, relative);
        let mut lines = rendered.lines();
        assert!(
            lines.next().is_some_and(|l| l.ends_with(" problem(s)")),
            "{} must fail with schema problems, got:\n{rendered}",
            path.display()
        );
        for line in lines {
            let place = line.split(": ").next().unwrap();
            let mut parts = place.rsplitn(3, ':');
            let (column, row) = (parts.next().unwrap(), parts.next().unwrap());
            assert!(
                column.parse::<usize>().unwrap() > 0 && row.parse::<usize>().unwrap() > 0,
                "every problem has a line and column: {line}"
            );
        }
        check(path);
    });
}

/// `Config::contract_only`: for every API schema, the public SDL and the rules table exactly as the whole module
/// writes them, and no Rust type, trait or glue.
#[test]
fn contracts() {
    for entry in std::fs::read_dir(crate_dir().join("../schemas")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "graphql") || path.ends_with("rules.graphql") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let name = Path::new("schemas").join(path.file_name().unwrap());
        let whole = generate_whole(&text, &name);
        let modules = generator::Config::new()
            .contract_only(true)
            .generate(&[generator::Source::new(&name, &text)])
            .unwrap_or_else(|e| panic!("{e}"));
        let contract = modules.into_values().next().unwrap();
        // The banner, then `PUBLIC_SDL` and `RULES`, each as in the whole module.
        let body = contract.split_once("\n\n").unwrap().1;
        let (sdl, rules) = body.split_at(body.find("/// What the API promises").unwrap());
        assert!(
            sdl.starts_with("/// The schema as the API shows it"),
            "{}",
            path.display()
        );
        assert!(
            whole.contains(sdl) && whole.contains(rules),
            "{}",
            path.display()
        );
        for item in ["pub struct", "pub enum", "pub trait", "pub fn", "mod "] {
            assert!(
                !contract.contains(item),
                "{}: `{item}` in the contract",
                path.display()
            );
        }
    }
}
