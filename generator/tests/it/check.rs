//! The one helper of the data-driven tests: generate from an input file and render what came out (the module's
//! source, or every problem with file, line and column) as text for an insta snapshot beside the input.
//!
//! An input can configure the generator in leading comment lines, one setter a line:
//!
//! ```text
//! # config: scalar Decimal = ::std::string::String
//! # config: bind Employee = crate::store::EmployeeRecord
//! # config: type_attribute . = #[derive(Hash)]
//! # config: field_attribute Employee.email = #[doc(alias = "mail")]
//! # config: runtime_path ::my_runtime
//! # config: dynamic_backend true
//! ```

use std::path::Path;

use generator::{Config, Error, Source};

/// The generator crate's directory; inputs are named relative to it so snapshots do not depend on the checkout.
pub(crate) fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Generates from `path` and asserts the rendering against `<stem>.snap` beside it.
pub(crate) fn check(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let relative = path.strip_prefix(crate_dir()).unwrap_or(path);
    let actual = render(&text, relative);
    let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(path.parent().unwrap());
    settings.set_prepend_module_to_snapshot(false);
    settings.remove_snapshot_suffix();
    settings.set_input_file(path);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(stem, actual));
}

/// What generating `text` gives: the generated module, or the error with every problem.
pub(crate) fn render(text: &str, path: &Path) -> String {
    let config = config(text);
    let source = Source::new(path, text);
    match config.generate(&[source]) {
        Ok(modules) => {
            let mut out = String::new();
            for (module, code) in modules {
                out.push_str(&format!("// module `{module}`\n"));
                out.push_str(&code);
            }
            out
        }
        Err(Error::Schema { problems }) => {
            let mut out = format!("{} problem(s)\n", problems.len());
            for problem in &problems {
                out.push_str(&format!("{problem}\n"));
            }
            out
        }
        Err(other) => format!("error: {other}\n"),
    }
}

pub(crate) fn config(text: &str) -> Config {
    let mut config = Config::new();
    for line in text.lines() {
        let Some(setting) = line.strip_prefix("# config:") else {
            continue;
        };
        let (setter, rest) = setting
            .trim()
            .split_once(' ')
            .expect("`# config: setter args`");
        let pair = || {
            let (a, b) = rest.split_once(" = ").expect("`name = value`");
            (a.trim(), b.trim())
        };
        match setter {
            "scalar" => drop(config.scalar(pair().0, pair().1)),
            "bind" => drop(config.bind(pair().0, pair().1)),
            "type_attribute" => drop(config.type_attribute(pair().0, pair().1)),
            "field_attribute" => drop(config.field_attribute(pair().0, pair().1)),
            "runtime_path" => drop(config.runtime_path(rest.trim())),
            "resolve" => drop(config.resolve(rest.trim())),
            "required_resolvers" => drop(config.required_resolvers(rest.trim() == "true")),
            "dynamic_backend" => drop(config.dynamic_backend(rest.trim() == "true")),
            other => panic!("unknown setter `{other}` in a `# config:` line"),
        }
    }
    config
}
