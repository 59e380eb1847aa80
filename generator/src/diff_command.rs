//! The CLI's `diff` command: reads the two versions (two files, or a file and its version at a git revision),
//! reviews them with `generator::diff`, prints the report and decides the exit code.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use generator::Source;
use generator::diff::{AllowList, Examples, Options, Report};

pub const HELP: &str = concat!(
    "Examples:\n",
    "  generator diff old/worksome.graphql schemas/worksome.graphql\n",
    "  generator diff --git HEAD~1 schemas/*.graphql                 # each file against its version at HEAD~1\n",
    "  generator diff --format markdown --git origin/main schemas/worksome.graphql > review.md\n",
    "  generator diff --format json --allow schemas/review-allow.txt old.graphql new.graphql\n\n",
    "Every change is listed with its kind, criticality (breaking, dangerous, safe), schema coordinate, message and\n",
    "reason; rule changes (roles, scopes, page sizes, quotas, complexity, invariants, REST bindings, error format,\n",
    "auth) with whom they affect. Breaking changes list the documented example operations they break\n",
    "(examples/<api>/ beside the new schema, or --examples DIR), and the report ends with the effect on the\n",
    "generated Rust API and its semver impact.\n\n",
    "The allow-list file names one schema coordinate a line, optionally followed by a kind\n",
    "(`Query.members ROLE_REQUIREMENT_ADDED`); `#` starts a comment. The JSON report is documented by\n",
    "generator/diff-report.schema.json; with --git it is an array, one report per file.\n\n",
    "Colour: on a terminal only; never when NO_COLOR is set or the output is piped.\n\n",
    "Exit codes:\n",
    "  0  no breaking change, or every one allowed (--allow-breaking, or named in the --allow file)\n",
    "  1  breaking changes that are not allowed (each is listed)\n",
    "  2  usage error, an unreadable or invalid schema (either version), or a git revision that is not there",
);

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// Grouped by criticality, coloured on a terminal.
    Terminal,
    /// For a pull request comment.
    Markdown,
    /// Machine-readable (generator/diff-report.schema.json).
    Json,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Compare each FILE with its version at this git revision (a commit, branch or tag).
    #[arg(long, value_name = "REV")]
    git: Option<String>,
    /// The report's format.
    #[arg(long, value_enum, default_value = "terminal")]
    format: Format,
    /// Exit 0 even when there are breaking changes.
    #[arg(long)]
    allow_breaking: bool,
    /// A file naming the breaking changes accepted on purpose (see below).
    #[arg(long = "allow", value_name = "FILE")]
    allow_file: Option<PathBuf>,
    /// The documented example operations to check (default: examples/<api>/ beside the new schema).
    #[arg(long, value_name = "DIR", conflicts_with = "no_examples")]
    examples: Option<PathBuf>,
    /// Check no example operations.
    #[arg(long)]
    no_examples: bool,
    /// Do not generate both versions to compare the generated Rust API.
    #[arg(long)]
    no_rust_api: bool,
    /// OLD NEW, or with --git the files to review.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
}

pub fn run(args: DiffArgs) -> anyhow::Result<ExitCode> {
    let allowed = match &args.allow_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("failed to read the allow-list `{}`", path.display()))?;
            AllowList::parse(&text)
                .map_err(|e| anyhow::anyhow!("allow-list `{}`: {e}", path.display()))?
        }
        None => AllowList::default(),
    };
    let options = Options {
        examples: match (&args.examples, args.no_examples) {
            (_, true) => Examples::None,
            (Some(dir), _) => Examples::Dir(dir.clone()),
            (None, false) => Examples::BesideSchema,
        },
        rust_api: !args.no_rust_api,
    };
    let pairs = match &args.git {
        None => {
            let [old, new] = args.files.as_slice() else {
                bail!("give two schema files, OLD and NEW, or `--git REV FILE...`");
            };
            vec![(read(old)?, read(new)?)]
        }
        Some(rev) => at_revision(rev, &args.files)?,
    };
    let mut reports = Vec::new();
    for (old, new) in &pairs {
        reports.push(generator::diff::diff(old, new, &options).with_context(|| {
            format!(
                "failed to review `{}` against `{}`",
                new.path.display(),
                old.path.display()
            )
        })?);
    }
    print(&reports, args.format, &allowed, args.git.is_some())?;
    let unallowed: usize = reports
        .iter()
        .map(|r| r.unallowed_breaking(&allowed).count())
        .sum();
    if unallowed > 0 && !args.allow_breaking {
        eprintln!(
            "{unallowed} breaking change(s) not allowed: name them in an --allow file, or pass --allow-breaking, if they are meant"
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn print(
    reports: &[Report],
    format: Format,
    allowed: &AllowList,
    many: bool,
) -> anyhow::Result<()> {
    let text = match format {
        Format::Json if many => {
            let items: Vec<String> = reports
                .iter()
                .map(|r| generator::diff::json(r).trim_end().to_owned())
                .collect();
            format!("[{}]\n", items.join(",\n"))
        }
        Format::Json => reports.iter().map(generator::diff::json).collect(),
        Format::Markdown => reports
            .iter()
            .map(|r| generator::diff::markdown(r, allowed))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Terminal => reports
            .iter()
            .map(|r| generator::diff::terminal(r, allowed))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    // anstream drops the ANSI styles unless stdout is a terminal and NO_COLOR is unset.
    let mut out = anstream::stdout();
    out.write_all(text.as_bytes())
        .context("failed to write the report")?;
    out.flush().context("failed to write the report")
}

fn read(path: &Path) -> anyhow::Result<Source> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("failed to read schema `{}`", path.display()))?;
    Ok(Source::new(path, text))
}

/// Each file and its text at `rev`; a file that did not exist there is new, and skipped with a note.
fn at_revision(rev: &str, files: &[PathBuf]) -> anyhow::Result<Vec<(Source, Source)>> {
    let verify = git(
        Path::new("."),
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )?;
    if !verify.status.success() {
        bail!(
            "revision `{rev}` is not in this repository (in a shallow clone, fetch more history: `git fetch --deepen=1`)"
        );
    }
    let mut pairs = Vec::new();
    for path in files {
        let new = read(path)?;
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let shown = git(dir, &["show", &format!("{rev}:./{name}")])?;
        if !shown.status.success() {
            eprintln!(
                "note: `{}` is not in {rev}: a new schema, nothing to compare",
                path.display()
            );
            continue;
        }
        let text = String::from_utf8(shown.stdout)
            .with_context(|| format!("`{}` at {rev} is not UTF-8", path.display()))?;
        pairs.push((Source::new(format!("{rev}:{}", path.display()), text), new));
    }
    Ok(pairs)
}

fn git(dir: &Path, args: &[&str]) -> anyhow::Result<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .context("failed to run git; is it installed and on PATH?")
}
