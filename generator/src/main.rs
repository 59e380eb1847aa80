//! The `generator` command: SDL to Rust files (`generate`), and whether committed files are fresh (`check`).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use generator::{Config, Module, Source};

mod diff_command;

const TOP_HELP: &str = "\
Examples:
  generator generate --out src/generated schemas/worksome.graphql
  generator generate --out gen --scalar Decimal=::std::string::String schemas/a.graphql schemas/b.graphql
  generator check --out src/generated schemas/worksome.graphql    # in CI: fails if the files are stale
  generator diff --git HEAD~1 schemas/worksome.graphql            # review a schema change (see `generator help diff`)

Exit codes:
  0  success (for `check`: every file is fresh)
  1  `check`: some files are stale or missing (each is listed); `diff`: breaking changes not allowed
  2  usage error, unreadable or invalid schema, or a file that could not be written";

/// Turns GraphQL SDL into Rust: types, resolver traits, execution glue and rules tables, one `<module>.rs` per
/// schema. The module is named by the schema's `@api(name:)`, else by the file's stem in snake case.
#[derive(Debug, Parser)]
#[command(
    name = "generator",
    version,
    after_long_help = TOP_HELP,
    after_help = "`--help` shows examples and exit codes; `generator help <command>` those of one command."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Writes one `<module>.rs` per schema into `--out`, touching only files whose text changed.
    #[command(after_long_help = concat!(
        "Examples:\n",
        "  generator generate --out src/generated schemas/worksome.graphql\n",
        "  generator generate --out gen --scalar Decimal=::std::string::String --scalar Email=::std::string::String \\\n",
        "      schemas/greenhouse_onboarding.graphql schemas/worksome.graphql\n",
        "  generator generate --out gen --runtime-path ::my_runtime schemas/*.graphql\n\n",
        "Exit codes:\n",
        "  0  the files are written (or were already up to date)\n",
        "  2  usage error, unreadable or invalid schema (every problem listed with file:line:column),\n",
        "     or a file that could not be written",
    ))]
    Generate {
        #[command(flatten)]
        common: Common,
    },
    /// Checks that the files in `--out` equal what `generate` would write now; changes nothing.
    #[command(after_long_help = concat!(
        "Examples:\n",
        "  generator check --out src/generated schemas/worksome.graphql\n",
        "  generator check --out gen --scalar Decimal=::std::string::String schemas/*.graphql\n\n",
        "Pass the same options as to `generate`, or the output will differ.\n\n",
        "Exit codes:\n",
        "  0  every file is fresh\n",
        "  1  some files are stale or missing: each is listed with a one-line summary of the difference;\n",
        "     run `generator generate` with the same arguments to refresh them\n",
        "  2  usage error, or an unreadable or invalid schema",
    ))]
    Check {
        #[command(flatten)]
        common: Common,
    },
    /// Reviews a schema change: every type and rule change, classified breaking, dangerous or safe, with whom it
    /// affects, the example operations it breaks and its effect on the generated Rust API.
    #[command(after_long_help = diff_command::HELP)]
    Diff(diff_command::DiffArgs),
}

#[derive(Debug, Args)]
struct Common {
    /// The directory of the generated files.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The path generated code uses for the `runtime` crate, for crates that rename it.
    #[arg(long, value_name = "PATH", default_value = "::runtime")]
    runtime_path: String,
    /// Maps a custom scalar to a Rust type, overriding the default (repeatable). Defaults: Date, DateTime, URL and
    /// JSON map to chrono, url and serde_json types; any other scalar to `serde_json::Value`.
    #[arg(long = "scalar", value_name = "NAME=RUST", value_parser = parse_scalar)]
    scalars: Vec<(String, String)>,
    /// The schema files (SDL). The rule vocabulary (`schemas/rules.graphql`) is added unless a file declares it.
    #[arg(value_name = "SCHEMA", required = true)]
    schemas: Vec<PathBuf>,
}

fn parse_scalar(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, rust)) if !name.trim().is_empty() && !rust.trim().is_empty() => {
            Ok((name.trim().to_owned(), rust.trim().to_owned()))
        }
        _ => Err(format!(
            "`{text}` is not NAME=RUST (e.g. `Decimal=::std::string::String`)"
        )),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Diff(args) => diff_command::run(args),
        Command::Generate { common } => {
            let modules = generate(&common)?;
            std::fs::create_dir_all(&common.out)
                .with_context(|| format!("failed to create `{}`", common.out.display()))?;
            let (mut written, mut unchanged) = (0, 0);
            for (module, text) in &modules {
                let path = common.out.join(module.file_name());
                if std::fs::read_to_string(&path).is_ok_and(|old| &old == text) {
                    unchanged += 1;
                    continue;
                }
                std::fs::write(&path, text)
                    .with_context(|| format!("failed to write `{}`", path.display()))?;
                println!("wrote {}", path.display());
                written += 1;
            }
            println!("{written} file(s) written, {unchanged} unchanged");
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { common } => {
            let modules = generate(&common)?;
            let mut stale = 0;
            for (module, text) in &modules {
                let path = common.out.join(module.file_name());
                match std::fs::read_to_string(&path) {
                    Ok(old) if &old == text => {}
                    Ok(old) => {
                        stale += 1;
                        println!("stale: {} ({})", path.display(), summary(&old, text));
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        stale += 1;
                        println!(
                            "missing: {} ({} lines would be written)",
                            path.display(),
                            text.lines().count()
                        );
                    }
                    Err(e) => {
                        stale += 1;
                        println!("unreadable: {} ({e})", path.display());
                    }
                }
            }
            if stale == 0 {
                println!(
                    "{} file(s) fresh in {}",
                    modules.len(),
                    common.out.display()
                );
                Ok(ExitCode::SUCCESS)
            } else {
                println!(
                    "{stale} of {} file(s) stale or missing; run `generator generate` with the same arguments to refresh them",
                    modules.len()
                );
                Ok(ExitCode::from(1))
            }
        }
    }
}

fn generate(common: &Common) -> anyhow::Result<BTreeMap<Module, String>> {
    if let Some(dir) = common.schemas.iter().find(|p| p.is_dir()) {
        bail!(
            "`{}` is a directory; pass the schema files (e.g. `{}/*.graphql`)",
            dir.display(),
            dir.display()
        );
    }
    let sources = common
        .schemas
        .iter()
        .map(|path| {
            std::fs::read_to_string(path)
                .map(|text| Source::new(path, text))
                .with_context(|| format!("failed to read schema `{}`", path.display()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut config = Config::new();
    config.runtime_path(&common.runtime_path);
    for (name, rust) in &common.scalars {
        config.scalar(name, rust);
    }
    config.generate(&sources).with_context(|| {
        format!(
            "failed to generate from {}",
            describe(common.schemas.iter().map(PathBuf::as_path))
        )
    })
}

fn describe<'a>(paths: impl Iterator<Item = &'a Path>) -> String {
    let names: Vec<String> = paths.map(|p| format!("`{}`", p.display())).collect();
    names.join(", ")
}

/// One line on how two texts differ: the first differing line and how many lines were added and removed (counted
/// between the common head and tail, as multisets, which is exact for the usual edit and cheap on big files).
fn summary(old: &str, new: &str) -> String {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (old_mid, new_mid) = (&old[head..old.len() - tail], &new[head..new.len() - tail]);
    let mut counts: HashMap<&str, isize> = HashMap::new();
    for line in new_mid {
        *counts.entry(line).or_default() += 1;
    }
    for line in old_mid {
        *counts.entry(line).or_default() -= 1;
    }
    let added: isize = counts.values().filter(|&&n| n > 0).sum();
    let removed: isize = -counts.values().filter(|&&n| n < 0).sum::<isize>();
    if added == 0 && removed == 0 {
        // Same lines, different line endings or final newline.
        return "differs only in line endings or the final newline".to_owned();
    }
    format!(
        "first difference at line {}; +{added} -{removed} lines",
        head + 1
    )
}
