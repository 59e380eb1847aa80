//! Standard GraphQL tools against the running server (cargo feature `client-tests`, which `.ci/run` turns on after
//! installing them from `tests/clients/`): graphql-js and graphql-core build a client schema from the live
//! introspection that equals the public SDL, and GraphiQL works in Debian's Chromium with the network cut. A missing
//! tool fails the test with the command that installs it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::server_process::ServerProcess;
use crate::support::{credential, greenhouse_auth};

const QUOTAS: &str = "[[rate_limits]]\napi = \"greenhouse_onboarding\"\nlimit = 100000\n\n\
                      [[rate_limits]]\napi = \"workable_members\"\nlimit = 100000\n";

fn clients() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients")
}

/// Runs a client script; its output is the test's message. A missing program or package fails with how to install it.
fn run(program: &str, args: &[&str], install: &str) -> (bool, String) {
    if program == "node" && !clients().join("node_modules/graphql").exists() {
        panic!("the npm packages are not installed: {install}");
    }
    let output = Command::new(program)
        .args(args)
        .current_dir(clients())
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{program}` ({e}): {install}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if text.contains("ModuleNotFoundError") || text.contains("ERR_MODULE_NOT_FOUND") {
        panic!("a package is missing ({text}): {install}");
    }
    (output.status.success(), text)
}

const NPM: &str = "npm ci --prefix reference-server/tests/clients";
const PIP: &str = "pip install -r reference-server/tests/clients/requirements.txt";

/// Each GraphQL endpoint, a credential for it, and its public SDL written to a file.
fn endpoints(server: &ServerProcess) -> Vec<(String, String, PathBuf)> {
    [
        (
            "greenhouse",
            "/greenhouse/graphql",
            greenhouse_auth(),
            reference_server::greenhouse::schema::PUBLIC_SDL,
        ),
        (
            "workable",
            "/workable/graphql",
            credential("workable_members", "acme/account"),
            reference_server::workable::schema::PUBLIC_SDL,
        ),
    ]
    .into_iter()
    .map(|(name, path, authorization, sdl)| {
        let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.public.graphql"));
        std::fs::write(&file, sdl).expect("the SDL is written");
        (
            format!("http://{}{path}", server.address),
            authorization,
            file,
        )
    })
    .collect()
}

/// Runs `script` with `program` against every endpoint: the client schema it builds must equal the public SDL.
fn check_introspection(name: &str, program: &str, script: &str, install: &str) {
    let server = ServerProcess::start(name, QUOTAS, 1024);
    for (url, authorization, sdl) in endpoints(&server) {
        let sdl = sdl.to_str().unwrap();
        let (ok, output) = run(program, &[script, &url, &authorization, sdl], install);
        assert!(ok, "{url}: {output}");
        assert!(output.starts_with("identical"), "{url}: {output}");
    }
}

#[test]
fn graphql_js_builds_the_public_schema_from_the_live_introspection() {
    check_introspection("graphql-js", "node", "introspect.mjs", NPM);
}

#[test]
fn graphql_core_builds_the_public_schema_from_the_live_introspection() {
    check_introspection("graphql-core", "python3", "introspect.py", PIP);
}

#[test]
fn graphiql_loads_shows_the_docs_and_runs_a_query_offline_in_chromium() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    assert!(
        Path::new(&chromium).exists(),
        "Chromium is not installed at {chromium}: apt-get install -y chromium (or set CHROMIUM)"
    );
    let server = ServerProcess::start("graphiql", QUOTAS, 1024);
    for (path, query, expected) in [
        (
            "/greenhouse/graphql",
            "{ employee(id: 25) { email } }",
            "employee_25_email@example.com",
        ),
        (
            "/workable/graphql",
            "{ members(subdomain: \"acme\", limit: 2) { members { id role } } }",
            "\"role\"",
        ),
    ] {
        let url = format!("http://{}{path}", server.address);
        let (ok, output) = run("node", &["graphiql.mjs", &url, query, expected], NPM);
        assert!(ok, "{path}: {output}");
    }
}
