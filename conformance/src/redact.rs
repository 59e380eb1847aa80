//! Secrets kept out of reports: `Authorization` (and other credential-bearing) headers and every credential of the
//! run, wherever they appear (headers, URLs, bodies, messages), masked to their scheme and first characters.
//! `--show-secrets` turns this off.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::client::Exchange;
use crate::credentials::Credential;
use crate::outcome::{Failure, Verdict};

/// Headers whose values are credentials.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
];

/// The secrets of a run, longest first (so that a secret inside another is masked as part of the longer one).
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    words: Vec<String>,
}

impl Secrets {
    /// The secrets of these credentials: each whole header value, its token, and for HTTP Basic the decoded pair
    /// and its password.
    pub fn of<'c>(credentials: impl IntoIterator<Item = &'c Credential>) -> Self {
        let mut words = Vec::new();
        for c in credentials {
            // A password the harness logs in with (Healthmov) travels in request bodies.
            words.extend(c.password.clone());
            let value = c.authorization.trim();
            words.push(value.to_owned());
            if let Some((_, token)) = value.split_once(' ') {
                words.push(token.trim().to_owned());
                if let Some(pair) = STANDARD
                    .decode(token.trim())
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                {
                    if let Some((_, password)) = pair.split_once(':') {
                        words.push(password.to_owned());
                    }
                    words.push(pair);
                }
            }
        }
        // Too short to mask without masking ordinary text.
        words.retain(|w| w.len() >= 6);
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        words.dedup();
        Secrets { words }
    }

    /// `text` with every secret masked.
    pub fn mask(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for word in &self.words {
            if out.contains(word.as_str()) {
                out = out.replace(word.as_str(), &masked_header(word));
            }
        }
        out
    }

    /// A verdict with every secret masked (a failure's message, input, findings and exchanges).
    pub fn mask_verdict(&self, verdict: &mut Verdict) {
        if let Verdict::Failed(failure) = verdict {
            self.mask_failure(failure);
        }
    }

    fn mask_failure(&self, failure: &mut Failure) {
        failure.message = self.mask(&failure.message);
        failure.input = self.mask(&failure.input);
        for finding in &mut failure.findings {
            *finding = self.mask(finding);
        }
        for exchange in &mut failure.exchanges {
            self.mask_exchange(exchange);
        }
    }

    fn mask_exchange(&self, exchange: &mut Exchange) {
        let request = &mut exchange.request;
        request.url = self.mask(&request.url);
        request.body = request.body.as_deref().map(|b| self.mask(b));
        mask_headers(self, &mut request.headers);
        if let Ok(response) = &mut exchange.response {
            response.body = self.mask(&response.body);
            mask_headers(self, &mut response.headers);
        }
    }
}

fn mask_headers(secrets: &Secrets, headers: &mut [(String, String)]) {
    for (name, value) in headers {
        *value = if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            masked_header(value)
        } else {
            secrets.mask(value)
        };
    }
}

/// A header value masked: its scheme kept (`Basic`, `Bearer`), the rest masked.
fn masked_header(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, rest)) if !scheme.is_empty() && scheme.chars().all(char::is_alphanumeric) => {
            format!("{scheme} {}", masked(rest))
        }
        _ => masked(value),
    }
}

/// A secret masked: its first four characters (enough to tell two apart), then a marker.
fn masked(secret: &str) -> String {
    let head: String = secret.chars().take(4).collect();
    format!("{head}…[masked]")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credential(authorization: &str) -> Credential {
        Credential {
            name: "k".into(),
            authorization: authorization.into(),
            roles: Vec::new(),
            scopes: Vec::new(),
            token_kind: None,
            account: None,
            username: None,
            password: None,
        }
    }

    #[test]
    fn headers_tokens_and_basic_passwords_are_masked_everywhere() {
        let secrets = Secrets::of(&[
            credential("Basic ZGVtby1hY2Nlc3Mta2V5OmRlbW8tc2VjcmV0LWtleQ=="),
            credential("Bearer wk_acme_account"),
        ]);
        let text = "curl -H 'Authorization: Bearer wk_acme_account' -d 'secret demo-secret-key'";
        let masked = secrets.mask(text);
        assert!(!masked.contains("wk_acme_account"), "{masked}");
        assert!(!masked.contains("demo-secret-key"), "{masked}");
        assert!(masked.contains("Bearer wk_a…[masked]"), "{masked}");
        assert_eq!(
            masked_header("Basic d3Jvbmc6d3Jvbmc="),
            "Basic d3Jv…[masked]"
        );
        let mut headers = vec![(
            "Authorization".to_owned(),
            "Bearer unknown-token".to_owned(),
        )];
        mask_headers(&secrets, &mut headers);
        assert_eq!(headers[0].1, "Bearer unkn…[masked]");
    }

    #[test]
    fn login_passwords_are_masked_in_bodies() {
        let login = Credential {
            username: Some("acme-hr".into()),
            password: Some("acme-password".into()),
            ..credential("")
        };
        let secrets = Secrets::of(&[login]);
        let masked = secrets.mask(
            r#"{"query":"mutation { login(username: \"acme-hr\", password: \"acme-password\") }"}"#,
        );
        assert!(!masked.contains("acme-password"), "{masked}");
    }
}
