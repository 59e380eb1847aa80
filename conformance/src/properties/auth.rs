//! Auth properties A1, A2 and A4, generic over `@auth`, `@requiresRole` and `@requiresScope`: missing and wrong
//! credentials are refused on every operation (GraphQL operations, or the `@rest` routes of a REST API); every field
//! with a role requirement refuses every credential without one of its roles; every field with a scope requirement
//! refuses every credential that lacks one of its scopes, and writes nothing. (A3 and A5, the domain rules of an API,
//! live in its module.)

use base64::Engine as _;
use proptest::prelude::*;
use runtime::rules::{AuthScheme, ErrorStyle, FieldRules, HttpMethod};
use serde_json::Value;

use crate::client::Response;
use crate::credentials::Credential;
use crate::ensure;
use crate::graphql::authentication_code;
use crate::properties::errors::entries::{check_codes, check_entries};
use crate::properties::made_up::{MADE_UP_ID, minimal_call, minimal_operation};
use crate::property::{Case, CaseError, Check, Context, Group, Property, check};
use crate::rest::{self, Call};

pub static A1: Property = Property {
    id: "A1",
    name: "credentials-required",
    statement: "Every operation without credentials, or with wrong ones (unknown key, wrong secret, malformed header, another scheme), is refused with the documented authentication error (and the declared message, @errorFormat(unauthenticatedMessage:)) and no data, never a server error.",
    group: Group::Auth,
    writes: false,
    max_cases: None,
    run: run_a1,
};

pub static A4: Property = Property {
    id: "A4",
    name: "scopes-enforced",
    statement: "Every operation with @requiresScope refuses every credential lacking one of its scopes (HTTP 403, or the documented authorization error) with no data, and writes nothing.",
    group: Group::Auth,
    writes: false,
    max_cases: None,
    run: run_a4,
};

pub static A2: Property = Property {
    id: "A2",
    name: "roles-enforced",
    statement: "Every field with @requiresRole refuses every credential that carries none of its roles, with a documented error (the declared message, @errorFormat(unauthorizedMessage:)) and no data for the field, and does not refuse a credential of one of its roles with that message; each case checks every rule.",
    group: Group::Auth,
    writes: false,
    // Each case sends one request per rule (45 on Worksome), so a few cases cover the set several times over.
    max_cases: Some(3),
    run: run_a2,
};

/// The operations A1 calls: every root field that needs credentials (mutations unless read-only).
fn guarded_operations(cx: &Context<'_>) -> Vec<(String, String)> {
    let mut roots = vec![cx.schema.query_type().to_owned()];
    if !cx.settings.read_only
        && let Some(m) = cx.schema.mutation_type()
    {
        roots.push(m.to_owned());
    }
    let mut ops = Vec::new();
    for root in roots {
        for f in cx.schema.fields(&root) {
            if cx.rules.field(&root, &f.name).is_some_and(|r| r.public) {
                continue;
            }
            if let Some(op) = minimal_operation(cx, &root, &f.name, MADE_UP_ID) {
                ops.push((f.name.to_string(), op));
            }
        }
    }
    ops
}

/// A wrong credential.
#[derive(Debug, Clone)]
enum Bad {
    Missing,
    Empty,
    Garbage(String),
    OtherScheme(String),
    /// HTTP Basic: a known key with another secret.
    WrongSecret(String),
    /// HTTP Basic: an unknown key with the known secret.
    UnknownKey(String),
    /// HTTP Basic: base64 without a colon.
    NoColon,
    /// HTTP Basic: not base64 at all.
    NotBase64(String),
    /// A bearer token with a character changed.
    AlteredToken(String),
}

fn header_for(bad: &Bad, scheme: AuthScheme, primary: Option<&Credential>) -> Option<String> {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let basic = primary
        .and_then(|c| c.authorization.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|pair| {
            pair.split_once(':')
                .map(|(k, s)| (k.to_owned(), s.to_owned()))
        });
    let token = primary
        .and_then(|c| c.authorization.strip_prefix("Bearer "))
        .map(str::to_owned);
    match bad {
        Bad::Missing => None,
        Bad::Empty => Some(String::new()),
        Bad::Garbage(g) => Some(g.clone()),
        Bad::OtherScheme(t) => Some(match scheme {
            AuthScheme::HttpBasic => format!("Bearer {t}"),
            _ => format!("Basic {}", b64(&format!("{t}:{t}"))),
        }),
        Bad::WrongSecret(s) => Some(match &basic {
            Some((key, secret)) if secret != s => format!("Basic {}", b64(&format!("{key}:{s}"))),
            Some((key, secret)) => format!("Basic {}", b64(&format!("{key}:{secret}x"))),
            None => format!("Basic {}", b64(&format!("nobody:{s}"))),
        }),
        Bad::UnknownKey(k) => Some(match &basic {
            Some((_, secret)) => format!("Basic {}", b64(&format!("zz-{k}:{secret}"))),
            None => format!("Basic {}", b64(&format!("zz-{k}:x"))),
        }),
        Bad::NoColon => Some(format!(
            "Basic {}",
            b64(&basic
                .as_ref()
                .map_or("nocolon".to_owned(), |(k, _)| k.clone()))
        )),
        Bad::NotBase64(s) => Some(format!("Basic %%{s}%%")),
        Bad::AlteredToken(suffix) => Some(match &token {
            Some(t) => format!("Bearer {t}{suffix}"),
            None => format!("Bearer zz{suffix}"),
        }),
    }
}

fn run_a1(cx: &Context<'_>) -> Check {
    let Some(auth) = &cx.rules.auth else {
        return Check::not_applicable("the API declares no @auth: every field is public");
    };
    if rest::is_rest(cx.rules) {
        return run_a1_rest(cx, auth.scheme);
    }
    let operations = guarded_operations(cx);
    if operations.is_empty() {
        return Check::not_applicable("every field is @public");
    }
    // Every case sends one operation with every kind of wrong credential, the made-up parts generated.
    let strategy = (proptest::sample::select(operations), wrong_credentials());
    check(cx, strategy, |case, ((field, operation), variants)| {
        for bad in variants {
            let header = header_for(&bad, auth.scheme, cx.target.primary());
            let credential = header.map(|h| Credential::header("wrong", h));
            let reply = case.graphql(credential.as_ref(), &operation, None)?;
            refused(case, &reply, &field, &format!("{bad:?} credentials"))?;
            if let Some(code) = authentication_code(cx.rules) {
                ensure!(
                    reply.has_code(cx.rules, code),
                    "`{field}` with {bad:?} credentials must be refused with `{code}`; got {}",
                    reply.error_digest(cx.rules)
                );
            }
            let declared = cx.rules.error_format.as_ref();
            if let Some(message) = declared.and_then(|f| f.unauthenticated_message.as_deref()) {
                ensure!(
                    reply.has_message(message),
                    "`{field}` with {bad:?} credentials must be refused with the declared message `{message}`; got {}",
                    reply.messages().join(" | ")
                );
            }
        }
        Ok(())
    })
}

/// A refusal: errors (well-formed, documented codes), and no data for the field.
fn refused(
    case: &Case<'_, '_>,
    reply: &crate::graphql::Reply,
    field: &str,
    what: &str,
) -> Result<(), CaseError> {
    let cx = case.cx;
    ensure!(
        reply.has_errors(),
        "`{field}` with {what} was not refused: no errors"
    );
    let leaked = reply
        .data()
        .and_then(|d| d.get(field))
        .is_some_and(|v| !v.is_null());
    ensure!(
        !leaked,
        "`{field}` with {what} returned data: {}",
        reply.data().map_or(Value::Null, Clone::clone)
    );
    check_entries(cx, reply)?;
    check_codes(cx, reply)
}

fn run_a2(cx: &Context<'_>) -> Check {
    let Some(auth) = &cx.rules.auth else {
        return Check::not_applicable("the API declares no @auth");
    };
    if auth.roles.is_empty() {
        return Check::not_applicable(
            "the API declares no roles (@auth(roles:) is empty): every credential may call every field",
        );
    }
    let mutation = cx.schema.mutation_type().map(str::to_owned);
    // Every rule, with the credentials that lack all of its roles.
    let mut rules: Vec<RoleRule> = Vec::new();
    for f in cx.rules.fields.iter().filter(|f| !f.roles.is_empty()) {
        if cx.settings.read_only && Some(&*f.type_name) == mutation.as_deref() {
            continue;
        }
        let Some(operation) = minimal_operation(cx, &f.type_name, &f.field_name, MADE_UP_ID) else {
            continue;
        };
        let (allowed, lacking): (Vec<Credential>, Vec<Credential>) = cx
            .target
            .credentials
            .iter()
            .cloned()
            .partition(|c| c.roles.iter().any(|r| f.roles.iter().any(|role| role == r)));
        // An allowed caller names its own account wherever an id goes: what it names is its own (ownership is
        // refused with the same message as a role), and anything else is refused as input, not as a role.
        let allowed = allowed
            .into_iter()
            .filter_map(|c| {
                let own = c.account.as_deref().unwrap_or(MADE_UP_ID);
                let operation = minimal_operation(cx, &f.type_name, &f.field_name, own)?;
                Some((c, operation))
            })
            .collect();
        if !lacking.is_empty() {
            rules.push(RoleRule {
                field: f.field_name.to_string(),
                roles: f.roles.join("|"),
                operation,
                lacking,
                allowed,
            });
        }
    }
    let unauthorized = cx
        .rules
        .error_format
        .as_ref()
        .and_then(|f| f.unauthorized_message.as_deref());
    if rules.is_empty() {
        // The API has role rules, but the credentials cannot show one refused: not a pass.
        return Check::inconclusive(
            "no credential lacks a required role (give one credential per role, with `roles`, in the credentials file)",
            0,
        );
    }
    // Each case checks every rule, with a credential drawn among those lacking its roles: a run covers the whole
    // set, whatever its case count.
    // An allowed caller is checked only where the API fixes the refusal's message: its made-up arguments may well
    // be refused for other reasons, which only the message tells apart.
    let pick = (
        any::<proptest::sample::Index>(),
        any::<proptest::sample::Index>(),
    );
    let picks = proptest::collection::vec(pick, rules.len());
    check(cx, picks, |case, picks| {
        for (rule, (lacking, allowed)) in rules.iter().zip(&picks) {
            let credential = lacking.get(&rule.lacking);
            let reply = case.graphql(Some(credential), &rule.operation, None)?;
            let who = |c: &Credential| {
                format!(
                    "credential `{}` (roles {:?}; the field requires {})",
                    c.name, c.roles, rule.roles
                )
            };
            refused(case, &reply, &rule.field, &who(credential))?;
            let Some(message) = unauthorized else {
                continue;
            };
            ensure!(
                reply.has_message(message),
                "`{}` with {} must be refused with the declared message `{message}`; got {}",
                rule.field,
                who(credential),
                reply.messages().join(" | ")
            );
            if rule.allowed.is_empty() {
                continue;
            }
            let (credential, operation) = allowed.get(&rule.allowed);
            let reply = case.graphql(Some(credential), operation, None)?;
            ensure!(
                !reply.has_message(message),
                "`{}` with {} was refused as unauthorized (`{message}`)",
                rule.field,
                who(credential)
            );
        }
        Ok(())
    })
}

/// One `@requiresRole` rule as A2 checks it.
#[derive(Debug)]
struct RoleRule {
    field: String,
    roles: String,
    operation: String,
    lacking: Vec<Credential>,
    /// The credentials of one of its roles, each with the call it makes.
    allowed: Vec<(Credential, String)>,
}

/// The wrong credentials A1 sends, the made-up parts generated.
fn wrong_credentials() -> impl Strategy<Value = Vec<Bad>> {
    (
        "[A-Za-z0-9 ]{1,24}",
        "[A-Za-z0-9]{8,24}",
        "[A-Za-z0-9]{1,24}",
        "[a-z0-9]{4,16}",
        "[a-z]{1,8}",
        "[A-Za-z0-9]{1,4}",
    )
        .prop_map(|(garbage, other, secret, key, junk, suffix)| {
            vec![
                Bad::Missing,
                Bad::Empty,
                Bad::Garbage(garbage),
                Bad::OtherScheme(other),
                Bad::WrongSecret(secret),
                Bad::UnknownKey(key),
                Bad::NoColon,
                Bad::NotBase64(junk),
                Bad::AlteredToken(suffix),
            ]
        })
}

/// The `@rest` calls A1 sends: every bound field (the reads only under `--read-only`), on the primary credential's
/// account.
fn rest_operations(cx: &Context<'_>) -> Vec<(String, Call)> {
    let account = cx
        .target
        .primary()
        .and_then(|c| c.account.clone())
        .unwrap_or_else(|| "conformance".to_owned());
    cx.rules
        .fields
        .iter()
        .filter(|f| f.rest.is_some() && !f.public)
        .filter(|f| {
            !cx.settings.read_only || f.rest.as_ref().is_some_and(|b| b.method == HttpMethod::Get)
        })
        .filter_map(|f| {
            Some((
                format!("{} {}", f.rest.as_ref()?.method.as_str(), f.field_name),
                minimal_call(cx, f, &account)?,
            ))
        })
        .collect()
}

/// The status a REST API documents for a refusal (`401`, `403`), if it lists it among its codes.
fn documented_status(cx: &Context<'_>, status: u16) -> Option<u16> {
    let text = status.to_string();
    cx.rules
        .error_format
        .as_ref()
        .filter(|f| f.style == ErrorStyle::HttpStatus && f.codes.iter().any(|c| *c == text))
        .map(|_| status)
}

/// A REST refusal: the documented status (any 4xx when the API does not list it), and a JSON error body.
fn rest_refused(
    cx: &Context<'_>,
    response: &Response,
    status: u16,
    what: &str,
) -> Result<(), CaseError> {
    match documented_status(cx, status) {
        Some(s) => ensure!(
            response.status == s,
            "{what} must be refused with {s}; got {}",
            rest::digest(response)
        ),
        None => ensure!(
            (400..500).contains(&response.status),
            "{what} must be refused with a 4xx; got {}",
            rest::digest(response)
        ),
    }
    if cx.rules.error_format.as_ref().map(|f| f.style) == Some(ErrorStyle::HttpStatus) {
        ensure!(
            rest::error_message(response).is_some(),
            "{what} was refused without a JSON error body (`{{\"error\": \"...\"}}`): {}",
            rest::digest(response)
        );
    }
    Ok(())
}

fn run_a1_rest(cx: &Context<'_>, scheme: AuthScheme) -> Check {
    let operations = rest_operations(cx);
    if operations.is_empty() {
        return Check::not_applicable("no @rest field needs credentials");
    }
    let strategy = (proptest::sample::select(operations), wrong_credentials());
    check(cx, strategy, |case, ((what, call), variants)| {
        for bad in variants {
            let header = header_for(&bad, scheme, cx.target.primary());
            let credential = header.map(|h| Credential::header("wrong", h));
            let response =
                case.send_retrying(|| call.request(&cx.target.url, credential.as_ref()))?;
            rest_refused(
                cx,
                &response,
                401,
                &format!("`{what}` with {bad:?} credentials"),
            )?;
        }
        Ok(())
    })
}

/// One A4 case: a field with scopes, and a credential that lacks one of them.
#[derive(Debug, Clone)]
struct Lacking {
    field: &'static FieldRules,
    credential: Credential,
    missing: Vec<&'static str>,
}

fn run_a4(cx: &Context<'_>) -> Check {
    if !cx.rules.fields.iter().any(|f| !f.scopes.is_empty()) {
        return Check::not_applicable("no field declares @requiresScope");
    }
    let mutation = cx.schema.mutation_type().map(str::to_owned);
    let is_write = |f: &FieldRules| match &f.rest {
        Some(b) => b.method != HttpMethod::Get,
        None => Some(&*f.type_name) == mutation.as_deref(),
    };
    let mut pairs = Vec::new();
    for f in cx.rules.fields.iter().filter(|f| !f.scopes.is_empty()) {
        if cx.settings.read_only && is_write(f) {
            continue;
        }
        for c in cx
            .target
            .credentials
            .iter()
            .filter(|c| !c.scopes.is_empty())
        {
            let missing: Vec<&str> = f
                .scopes
                .iter()
                .map(|s| &**s)
                .filter(|s| !c.scopes.iter().any(|have| have == s))
                .collect();
            let placeable =
                f.rest.is_none() || rest::path_arguments(f).is_empty() || c.account.is_some();
            if !missing.is_empty() && placeable {
                pairs.push(Lacking {
                    field: f,
                    credential: c.clone(),
                    missing,
                });
            }
        }
    }
    if pairs.is_empty() {
        return Check::not_applicable(
            "no credential lacks a required scope (give one, with its `scopes`, in the credentials file)",
        );
    }
    let probe = crate::properties::write_probe(cx.rules);
    check(cx, proptest::sample::select(pairs), |case, lacking| {
        let Lacking {
            field,
            credential,
            missing,
        } = lacking;
        let what = format!(
            "`{}` with `{}` (scopes {:?}; it requires {:?}, missing {missing:?})",
            field.field_name, credential.name, credential.scopes, field.scopes
        );
        if !rest::is_rest(cx.rules) {
            let Some(operation) =
                minimal_operation(cx, &field.type_name, &field.field_name, MADE_UP_ID)
            else {
                return Err(CaseError::Reject("no operation for this field".to_owned()));
            };
            let reply = case.graphql(Some(&credential), &operation, None)?;
            return refused(case, &reply, &field.field_name, &what);
        }
        match probe.filter(|p| p.field == field.field_name) {
            Some(probe) => {
                // A real write, so that an implementation that lets it through is seen to write.
                let helper = cx
                    .target
                    .credentials
                    .iter()
                    .find(|c| c.account == credential.account && (probe.can_write)(c))
                    .unwrap_or(&credential);
                let base = &cx.target.url;
                let prepared = (probe.prepare)(case, base, Some(helper))?;
                let marker = format!("conformance-a4-{}", credential.name.replace('/', "-"));
                let answer = (probe.write)(case, base, Some(&credential), &prepared, &marker)?;
                let crate::properties::rate_limit::Answer::Rest(response) = answer else {
                    return Err(CaseError::Inconclusive("not a REST answer".to_owned()));
                };
                rest_refused(cx, &response, 403, &what)?;
                let found = (probe.find)(case, base, Some(helper), &prepared, &marker)?;
                ensure!(
                    !found,
                    "{what} was refused, but its write was applied: `{marker}` is in the store"
                );
                Ok(())
            }
            None => {
                let account = credential.account.clone().unwrap_or_default();
                let Some(call) = minimal_call(cx, field, &account) else {
                    return Err(CaseError::Reject("no call for this field".to_owned()));
                };
                let response =
                    case.send_retrying(|| call.request(&cx.target.url, Some(&credential)))?;
                rest_refused(cx, &response, 403, &what)
            }
        }
    })
}
