//! HTTP Basic authentication with an access key and its secret key: `Authorization: Basic base64(key:secret)`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::API_KEYS;
use crate::api::{AuthFailure, Principal, credentials};
use crate::faults::{Fault, Faults};

/// The principal an `Authorization` header proves: its access key.
pub fn authenticate(
    authorization: Option<&str>,
    faults: &Faults,
) -> Result<Principal, AuthFailure> {
    let credentials = credentials(authorization, "Basic")?;
    let decoded = STANDARD
        .decode(credentials)
        .map_err(|_| AuthFailure::Invalid)?;
    let decoded = String::from_utf8(decoded).map_err(|_| AuthFailure::Invalid)?;
    let (key, secret) = decoded.split_once(':').ok_or(AuthFailure::Invalid)?;
    let (known_key, known_secret) = API_KEYS
        .iter()
        .find(|(k, _)| *k == key)
        .ok_or(AuthFailure::Invalid)?;
    // FAULT(wrong-secret-accepted): a known access key passes with any secret.
    if !constant_time_eq(secret.as_bytes(), known_secret.as_bytes())
        && !faults.is_active(Fault::WrongSecretAccepted)
    {
        return Err(AuthFailure::Invalid);
    }
    Ok(Principal {
        id: (*known_key).to_owned(),
        roles: Vec::new(),
        scopes: Vec::new(),
        token_kind: None,
    })
}

/// Compares secrets without stopping at the first difference.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(credentials: &str) -> String {
        format!("Basic {}", STANDARD.encode(credentials))
    }

    #[test]
    fn keys_and_secrets_are_checked() {
        let none = Faults::none();
        let ok = authenticate(Some(&basic("demo-access-key:demo-secret-key")), &none).unwrap();
        assert_eq!(ok.id, "demo-access-key");
        assert!(ok.roles.is_empty());
        assert_eq!(
            authenticate(Some(&basic("second-access-key:second-secret-key")), &none)
                .unwrap()
                .id,
            "second-access-key"
        );
        assert_eq!(authenticate(None, &none), Err(AuthFailure::Missing));
        assert_eq!(authenticate(Some("  "), &none), Err(AuthFailure::Missing));
        for bad in [
            basic("demo-access-key:wrong"),
            basic("demo-access-key:second-secret-key"),
            basic("nobody:demo-secret-key"),
            basic("demo-access-key"),
            "Basic !!!".to_owned(),
            "Bearer abc".to_owned(),
            "Basic".to_owned(),
            format!("Basic {}", STANDARD.encode([0xff, 0xfe, b':'])),
        ] {
            assert_eq!(
                authenticate(Some(&bad), &none),
                Err(AuthFailure::Invalid),
                "{bad}"
            );
        }
        assert_eq!(
            authenticate(
                Some(&basic("demo-access-key:demo-secret-key"))
                    .map(|h| h.replace("Basic", "basic"))
                    .as_deref(),
                &none
            )
            .unwrap()
            .id,
            "demo-access-key"
        );
    }

    #[test]
    fn the_fault_accepts_any_secret_of_a_known_key_only() {
        let faults: Faults = [Fault::WrongSecretAccepted].into_iter().collect();
        assert!(authenticate(Some(&basic("demo-access-key:wrong")), &faults).is_ok());
        assert_eq!(
            authenticate(Some(&basic("nobody:wrong")), &faults),
            Err(AuthFailure::Invalid)
        );
    }
}
