//! End-to-end tests of the Healthmov API through the shared pipeline (authentication, quota, execution) on a manual
//! clock: sessions from login to expiry, keyed writes, dates and counts, and client isolation.

use chrono::{TimeDelta, TimeZone, Utc};
use runtime::engine::Limits;
use serde_json::{Value, json};

use super::clock::ManualClock;
use super::{HealthmovApi, SessionConfig};
use crate::faults::{Fault, Faults};
use crate::served::Served;

struct Harness {
    served: Served,
    clock: ManualClock,
}

fn harness(faults: &[Fault]) -> Harness {
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap());
    let faults: Faults = faults.iter().copied().collect();
    let config = SessionConfig {
        access_token_seconds: 60,
        refresh_token_seconds: 600,
        ..SessionConfig::default()
    };
    let api = HealthmovApi::with_clock(0, faults.clone(), Limits::default(), config, clock.clock());
    Harness {
        served: Served::new(api, faults),
        clock,
    }
}

impl Harness {
    fn send(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        self.served.send(token, query, variables)
    }

    /// Logs a fixture user in: (access token, refresh token).
    fn login(&self, username: &str, password: &str) -> (String, String) {
        let reply = self.send(
            None,
            "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { ok accessToken refreshToken } }",
            json!({"u": username, "p": password}),
        );
        let login = &reply["data"]["login"];
        assert_eq!(login["ok"], true, "{reply}");
        (
            login["accessToken"].as_str().unwrap().to_owned(),
            login["refreshToken"].as_str().unwrap().to_owned(),
        )
    }
}

const COMPANIES: &str = "{ companies(first: 50) { totalCount edges { node { id name } } } }";

fn accepted(reply: &Value) -> bool {
    reply["data"]["companies"].is_object()
}

#[test]
fn a_wrong_password_gets_ok_false_and_no_token() {
    let h = harness(&[]);
    let reply = h.send(
        None,
        "mutation { login(username: \"acme-hr\", password: \"nope\") { ok accessToken refreshToken } }",
        json!({}),
    );
    assert_eq!(
        reply,
        json!({"data": {"login": {"ok": false, "accessToken": null, "refreshToken": null}}})
    );
}

#[test]
fn sessions_expire_refresh_and_log_out() {
    let h = harness(&[]);
    let (access, refresh) = h.login("acme-hr", "acme-password");
    assert!(accepted(&h.send(Some(&access), COMPANIES, json!({}))));
    // A tampered token is refused.
    let tampered = format!("{}x", &access);
    assert!(!accepted(&h.send(Some(&tampered), COMPANIES, json!({}))));
    // The refresh token does not read data; an access token does not refresh.
    let reply = h.send(Some(&refresh), COMPANIES, json!({}));
    assert_eq!(
        reply["errors"][0]["message"],
        "You do not have permission to perform this action"
    );
    let reply = h.send(
        Some(&access),
        "mutation { refreshToken { ok accessToken } }",
        json!({}),
    );
    assert_eq!(reply["data"]["refreshToken"]["ok"], false);
    // Expiry on the API's clock.
    h.clock.advance(TimeDelta::seconds(61));
    let reply = h.send(Some(&access), COMPANIES, json!({}));
    assert_eq!(
        reply,
        json!({"errors": [{"message": "Invalid credentials."}]})
    );
    let reply = h.send(
        Some(&refresh),
        "mutation { refreshToken { ok accessToken refreshToken } }",
        json!({}),
    );
    let renewed = reply["data"]["refreshToken"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let second_refresh = reply["data"]["refreshToken"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(accepted(&h.send(Some(&renewed), COMPANIES, json!({}))));
    // The refresh token was spent.
    assert!(
        h.send(
            Some(&refresh),
            "mutation { refreshToken { ok } }",
            json!({})
        )["errors"]
            .is_array()
    );
    // Logout revokes the session: its access and refresh tokens.
    let reply = h.send(Some(&renewed), "mutation { logout { ok } }", json!({}));
    assert_eq!(reply, json!({"data": {"logout": {"ok": true}}}));
    assert!(!accepted(&h.send(Some(&renewed), COMPANIES, json!({}))));
    assert!(
        h.send(
            Some(&second_refresh),
            "mutation { refreshToken { ok } }",
            json!({})
        )["errors"]
            .is_array()
    );
}

#[test]
fn session_faults_keep_tokens_alive() {
    let h = harness(&[Fault::LogoutDoesNotRevoke, Fault::ExpiredTokenAccepted]);
    let (access, _) = h.login("acme-hr", "acme-password");
    h.send(Some(&access), "mutation { logout { ok } }", json!({}));
    h.clock.advance(TimeDelta::hours(1));
    assert!(accepted(&h.send(Some(&access), COMPANIES, json!({}))));
}

const EMPLOYEE: &str = "mutation($c: ID!, $d: ID!, $n: String!, $on: Date!, $off: Date, $deps: [InputDependentObject]) {
  createOrUpdateEmployee(companyId: $c, departmentId: $d, dateOfOnboarding: $on, dateOfOffboarding: $off,
      email: \"e@x.example\", employeeNumber: $n, firstName: \"Foo\", lastName: \"Bar\", dependents: $deps) {
    employee { id employeeNumber onboardedAt nbDependents nbDependentsOnboarded nbDependentsOffboarded }
  }
}";

/// The first company of a client and its first department.
fn company_and_department(h: &Harness, token: &str) -> (String, String) {
    let reply = h.send(
        Some(token),
        "{ companies(first: 1) { edges { node { id departments(first: 1) { edges { node { id } } } } } } }",
        json!({}),
    );
    let company = &reply["data"]["companies"]["edges"][0]["node"];
    (
        company["id"].as_str().unwrap().to_owned(),
        company["departments"]["edges"][0]["node"]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
    )
}

#[test]
fn employees_are_keyed_by_company_and_number_and_counts_follow_the_clock() {
    let h = harness(&[]);
    let (access, _) = h.login("acme-hr", "acme-password");
    let (company, department) = company_and_department(&h, &access);
    let deps = json!([
        {"firstName": "A", "birthdate": "2010-01-01", "email": "a@x.example"},
        {"firstName": "B", "birthdate": "2012-01-01", "dateOfOffboarding": "2025-06-15"},
        {"firstName": "C", "birthdate": "2014-01-01", "dateOfOnboarding": "2025-07-01"}
    ]);
    let vars = json!({"c": company, "d": department, "n": "K1", "on": "2025-01-01", "deps": deps});
    let first = h.send(Some(&access), EMPLOYEE, vars.clone());
    let employee = &first["data"]["createOrUpdateEmployee"]["employee"];
    assert_eq!(employee["onboardedAt"], "2025-01-01T00:00:00Z");
    assert_eq!(
        (
            employee["nbDependents"].clone(),
            employee["nbDependentsOnboarded"].clone(),
            employee["nbDependentsOffboarded"].clone()
        ),
        (json!(3), json!(2), json!(0))
    );
    // The same number again updates the same employee, and the same dependents.
    let again = h.send(Some(&access), EMPLOYEE, vars);
    assert_eq!(
        again["data"]["createOrUpdateEmployee"]["employee"]["id"],
        employee["id"]
    );
    assert_eq!(
        again["data"]["createOrUpdateEmployee"]["employee"]["nbDependents"],
        3
    );
    // A month later: B offboarded, C onboarded.
    h.clock.advance(TimeDelta::days(31));
    let (access, _) = h.login("acme-hr", "acme-password");
    let later = h.send(
        Some(&access),
        EMPLOYEE,
        json!({"c": company, "d": department, "n": "K1", "on": "2025-01-01"}),
    );
    let employee = &later["data"]["createOrUpdateEmployee"]["employee"];
    assert_eq!(
        (
            employee["nbDependentsOnboarded"].clone(),
            employee["nbDependentsOffboarded"].clone()
        ),
        (json!(2), json!(1))
    );
}

#[test]
fn bad_input_is_refused_with_a_message_and_changes_nothing() {
    let h = harness(&[]);
    let (access, _) = h.login("acme-hr", "acme-password");
    let (company, department) = company_and_department(&h, &access);
    let (globex, _) = h.login("globex-hr", "globex-password");
    let (other_company, other_department) = company_and_department(&h, &globex);
    let before = h.send(Some(&access), COMPANIES, json!({}));
    let cases = [
        (
            json!({"c": "999999", "d": department, "n": "X", "on": "2025-01-01"}),
            "Company matching query does not exist.",
        ),
        (
            json!({"c": company, "d": "999999", "n": "X", "on": "2025-01-01"}),
            "Department matching query does not exist.",
        ),
        (
            json!({"c": other_company, "d": other_department, "n": "X", "on": "2025-01-01"}),
            "Company matching query does not exist.",
        ),
        (
            json!({"c": company, "d": department, "n": "X", "on": "2025-01-02", "off": "2025-01-01"}),
            "The offboarding date cannot be before the onboarding date.",
        ),
    ];
    for (vars, message) in cases {
        let reply = h.send(Some(&access), EMPLOYEE, vars.clone());
        assert_eq!(
            reply["data"]["createOrUpdateEmployee"],
            Value::Null,
            "{vars}"
        );
        assert_eq!(reply["errors"][0]["message"], message, "{vars}");
        assert_eq!(
            reply["errors"][0]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["message", "locations", "path"]
        );
    }
    assert_eq!(h.send(Some(&access), COMPANIES, json!({})), before);
    // A client sees only its own companies.
    let theirs = h.send(Some(&globex), COMPANIES, json!({}));
    assert_eq!(theirs["data"]["companies"]["totalCount"], 3);
    assert_eq!(before["data"]["companies"]["totalCount"], 7);
}
