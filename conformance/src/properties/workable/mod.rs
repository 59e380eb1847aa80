//! Properties that need to know Workable's domain (the members resource): what `PUT /members` does to a member,
//! what its `@invariant`s forbid, how its accounts are bound to tokens. The generic properties cover the rest (REST
//! auth and scopes, id-window pagination, header-reported rate limits, REST errors).
//!
//! - A3: a proptest-state-machine of random `PUT /members` sequences against a model of the `@invariant` rules;
//! - A5: tokens are bound to their account: another account's subdomain is 403, an unknown one or an unknown member
//!   404, with nothing changed;
//! - M2: concurrent PUTs of one member: one is applied, the others get the `member_update_in_progress` status.
//!
//! Everything here goes through the `@rest` bindings of the rules table (`GET` and `PUT` of
//! `/spi/v3/accounts/{subdomain}/members`); the account a credential is bound to is its `account` (the subdomain).

pub mod accounts;
pub mod concurrent;
pub mod model;

use std::collections::BTreeMap;

use runtime::rules::{FieldRules, HttpMethod};
use serde_json::{Value, json};

use crate::client::Response;
use crate::credentials::Credential;
use crate::properties::WriteProbe;
use crate::properties::pagination::id_window::{self, CustomFilter, Reader, Window};
use crate::properties::rate_limit::{Answer, can_call};
use crate::property::{Case, CaseError, Context};
use crate::rest::{self, Call};

/// The `status` filter of `GET /members`: active (the default), inactive or all, by the member's `active` flag.
pub static STATUS: CustomFilter = CustomFilter {
    argument: "status",
    everything: "all",
    selects: |member, value| {
        let active = member.get("active").and_then(Value::as_bool) != Some(false);
        match value {
            "active" => active,
            "inactive" => !active,
            _ => true,
        }
    },
};

/// The filters of Workable's id windows whose meaning is not "equals the member's field".
pub static FILTERS: [&CustomFilter; 1] = [&STATUS];

fn rules() -> &'static runtime::rules::ApiRules {
    &generated::workable_members::RULES
}

/// `GET /members` (the `@rest` GET field).
pub fn list_field() -> Option<&'static FieldRules> {
    rest::bound(rules(), HttpMethod::Get).next()
}

/// `PUT /members` (the `@rest` PUT field).
pub fn update_field() -> Option<&'static FieldRules> {
    rest::bound(rules(), HttpMethod::Put).next()
}

/// The id window of `GET /members`.
pub fn window(cx: &Context<'_>) -> Option<Window> {
    id_window::windows(cx).into_iter().next()
}

/// Whether a credential may `PUT /members` (it has `w_members`, where it lists scopes, and an account).
pub fn can_write(credential: &Credential) -> bool {
    update_field().is_some_and(|f| can_call(credential, f))
}

/// One writer per account: the first credential of each account that may `PUT /members`.
pub fn writers(cx: &Context<'_>) -> Vec<Reader> {
    let mut out: Vec<Reader> = Vec::new();
    for c in cx.target.credentials.iter().filter(|c| can_write(c)) {
        let account = c.account.clone().unwrap_or_default();
        if !out.iter().any(|r| r.account == account) {
            out.push(Reader {
                credential: c.clone(),
                account,
            });
        }
    }
    out
}

/// Every member of an account (every status), listed by `since_id` windows.
pub fn list_all(
    case: &Case<'_, '_>,
    window: &Window,
    base: &str,
    reader: &Reader,
) -> Result<Vec<Value>, CaseError> {
    id_window::reference_listing(case, window, base, reader)
}

/// One member, read back (`since_id` = `max_id` = its id, every status).
pub fn read_member(
    case: &Case<'_, '_>,
    base: &str,
    credential: Option<&Credential>,
    account: &str,
    id: &str,
) -> Result<Option<Value>, CaseError> {
    let Some(field) = list_field() else {
        return Ok(None);
    };
    let call = rest::call_for(field, account)
        .arg(id_window::SINCE, id)
        .arg(id_window::MAX, id)
        .arg(id_window::LIMIT, 1)
        .arg("status", STATUS.everything);
    let response = case.rest_at(base, &call, credential)?;
    if response.status != 200 {
        return Err(CaseError::fail(format!(
            "reading member {id} of `{account}` back got {}",
            rest::digest(&response)
        )));
    }
    Ok(response
        .json()
        .and_then(|b| b.get("members").and_then(Value::as_array).cloned())
        .and_then(|list| {
            list.into_iter()
                .find(|m| m.get("id").and_then(Value::as_str) == Some(id))
        }))
}

/// A `PUT /members` of a JSON body (its keys are the wire names of the body arguments).
pub fn put_call(account: &str, body: &Value) -> Option<Call> {
    let field = update_field()?;
    let mut call = rest::call_for(field, account);
    if let Some(object) = body.as_object() {
        for param in field.rest.as_ref()?.params.iter() {
            if let Some(value) = object.get(&*param.wire_name) {
                call = call.arg(&param.argument, value.clone());
            }
        }
    }
    Some(call)
}

/// Sends a `PUT /members`.
pub fn put(
    case: &Case<'_, '_>,
    base: &str,
    credential: Option<&Credential>,
    account: &str,
    body: &Value,
) -> Result<Response, CaseError> {
    let Some(call) = put_call(account, body) else {
        return Err(CaseError::Inconclusive(
            "the rules table binds no PUT".to_owned(),
        ));
    };
    case.rest_at(base, &call, credential)
}

/// A member's collaboration rules as a `PUT` sends them back (what `GET` shows, without the names it adds).
pub fn rules_input(member: &Value) -> Value {
    let rules = member
        .get("collaboration_rules")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let keep = |v: &Value, keys: &[&str]| -> Value {
        let mut out = serde_json::Map::new();
        if let Some(o) = v.as_object() {
            for k in keys {
                if let Some(x) = o.get(*k).filter(|x| !x.is_null()) {
                    out.insert((*k).to_owned(), x.clone());
                }
            }
        }
        Value::Object(out)
    };
    let location_keys = [
        "any",
        "country_code",
        "city",
        "state_code",
        "subregion",
        "zip_code",
        "location_string",
        "country_name",
    ];
    Value::Array(
        rules
            .iter()
            .map(|r| {
                let list = |k: &str, keys: &[&str]| -> Value {
                    Value::Array(
                        r.get(k)
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                            .map(|x| keep(x, keys))
                            .collect(),
                    )
                };
                json!({
                    "role": r.get("role").cloned().unwrap_or(Value::Null),
                    "departments": list("departments", &["any", "id"]),
                    "locations": list("locations", &location_keys),
                })
            })
            .collect(),
    )
}

/// The body that puts a member back as it was listed.
pub fn restore_body(member: &Value, hris: bool) -> Value {
    let mut body = json!({
        "id": member.get("id").cloned().unwrap_or(Value::Null),
        "role": member.get("role").cloned().unwrap_or(Value::Null),
        "collaboration_rules": rules_input(member),
    });
    if hris && let Some(h) = member.get("hris_role").filter(|h| !h.is_null()) {
        body["hris_role"] = h.clone();
    }
    body
}

/// Puts changed members back as they were (best effort, unlogged): members regaining a role first, so that no
/// step of the restoration breaks an invariant; a few passes for what one pass could not do.
pub fn restore(cx: &Context<'_>, window: &Window, reader: &Reader, original: &[Value], hris: bool) {
    let case = Case::new(cx);
    let base = cx.target.url.clone();
    let Ok(now) = list_all(&case, window, &base, reader) else {
        return;
    };
    let now: BTreeMap<String, Value> = now
        .into_iter()
        .filter_map(|m| Some((m.get("id")?.as_str()?.to_owned(), m)))
        .collect();
    let mut pending: Vec<&Value> = original
        .iter()
        .filter(|m| {
            let id = m.get("id").and_then(Value::as_str).unwrap_or_default();
            now.get(id).is_some_and(|n| differs(n, m))
        })
        .collect();
    let rank = |m: &Value| {
        let admin = m.get("role").and_then(Value::as_str) == Some("admin");
        let hris_admin = m.get("hris_role").and_then(Value::as_str) == Some("hris_admin");
        usize::from(!admin) + usize::from(!hris_admin)
    };
    pending.sort_by_key(|m| rank(m));
    for _ in 0..3 {
        if pending.is_empty() {
            return;
        }
        pending.retain(|m| {
            let body = restore_body(m, hris);
            !matches!(
                put(&case, &base, Some(&reader.credential), &reader.account, &body),
                Ok(r) if r.status == 200
            )
        });
    }
}

/// Whether a member differs from another in what a PUT sets.
pub fn differs(a: &Value, b: &Value) -> bool {
    ["role", "hris_role", "collaboration_rules"]
        .iter()
        .any(|k| a.get(*k) != b.get(*k))
}

/// Whether HRIS (Workable HR) is active on an account, as its members show it: some member has an HRIS role.
pub fn hris_active(members: &[Value]) -> bool {
    members
        .iter()
        .any(|m| m.get("hris_role").is_some_and(|h| !h.is_null()))
}

/// The write R4, A4 and A5 try: a collaboration rule whose location is named after a marker, set on a member with
/// role `simple` (found by `prepare`) of the account in the prepared value.
pub static WRITE_PROBE: WriteProbe = WriteProbe {
    field: "updateMember",
    can_write,
    prepare: prepare_probe,
    write: |case, base, credential, prepared, marker| {
        let account = prepared
            .get("account")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut body = json!({
            "id": prepared.get("id").cloned().unwrap_or(Value::Null),
            "role": "simple",
            "collaboration_rules": [{ "role": "simple", "locations": [{ "location_string": marker }] }],
        });
        if let Some(h) = prepared.get("hris_role").filter(|h| !h.is_null()) {
            body["hris_role"] = h.clone();
        }
        Ok(Answer::Rest(put(case, base, credential, account, &body)?))
    },
    find: |case, base, credential, prepared, marker| {
        let account = prepared
            .get("account")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let id = prepared
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let member = read_member(case, base, credential, account, id)?;
        Ok(member.is_some_and(|m| {
            m.get("collaboration_rules")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .flat_map(|r| {
                    r.get("locations")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                })
                .any(|l| l.get("location_string").and_then(Value::as_str) == Some(marker))
        }))
    },
    graphql_mutation: None,
};

/// A member with role `simple` of the credential's account: `{account, id, hris_role}`.
fn prepare_probe(
    case: &Case<'_, '_>,
    base: &str,
    credential: Option<&Credential>,
) -> Result<Value, CaseError> {
    let account = credential
        .and_then(|c| c.account.clone())
        .unwrap_or_default();
    let Some(field) = list_field() else {
        return Err(CaseError::Inconclusive(
            "the rules table binds no GET".to_owned(),
        ));
    };
    let call = rest::call_for(field, &account)
        .arg("role", "simple")
        .arg(id_window::LIMIT, 1)
        .arg("status", STATUS.everything);
    let response = case.rest_at(base, &call, credential)?;
    let member = response
        .json()
        .and_then(|b| b.get("members").and_then(Value::as_array).cloned())
        .and_then(|l| l.into_iter().next());
    match member {
        Some(m) => Ok(json!({
            "account": account,
            "id": m.get("id").cloned().unwrap_or(Value::Null),
            "hris_role": m.get("hris_role").cloned().unwrap_or(Value::Null),
        })),
        None => Err(CaseError::Inconclusive(format!(
            "no member with role simple to write to in `{account}` ({})",
            rest::digest(&response)
        ))),
    }
}
