//! Access tokens (HS256 JWTs, fifteen minutes), refresh tokens (256 random bits, thirty
//! days) and calendar feed tokens (derived, see [`TokenService::calendar_token`]). Refresh
//! and calendar tokens are stored only as SHA-256 hashes ([`hash_token`]).

use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac as _};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use rand::RngCore as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::Actor;
use crate::error::{ApiError, ApiResult};

pub const ISSUER: &str = "oikos";
pub const AUDIENCE: &str = "oikos-api";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iss: String,
    aud: String,
    iat: i64,
    nbf: i64,
    exp: i64,
}

#[derive(Clone)]
pub struct TokenService {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    /// Keyed with the signing secret; derives calendar feed tokens.
    calendar_mac: Hmac<Sha256>,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
}

impl std::fmt::Debug for TokenService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenService").finish_non_exhaustive()
    }
}

/// An access token and the refresh token that renews it.
pub struct IssuedTokens {
    pub access_token: String,
    pub access_expires_at: DateTime<Utc>,
    pub refresh_token: String,
    pub refresh_token_hash: String,
    pub refresh_expires_at: DateTime<Utc>,
}

impl TokenService {
    pub fn new(secret: &[u8], access_ttl: Duration, refresh_ttl: Duration) -> Self {
        // The algorithm is pinned: a token naming any other (or "none") is refused.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        // jsonwebtoken requires only `exp` by default; a token without any of these is
        // not one of ours.
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = 30;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            // HMAC takes keys of any length, so this cannot fail; the fallback keeps a
            // panic path out all the same.
            calendar_mac: Hmac::<Sha256>::new_from_slice(secret)
                .unwrap_or_else(|_| Hmac::<Sha256>::new(&Default::default())),
            access_ttl,
            refresh_ttl,
        }
    }

    pub fn issue(&self, person_id: Uuid, now: DateTime<Utc>) -> ApiResult<IssuedTokens> {
        let access_expires_at = now + self.access_ttl;
        let claims = Claims {
            sub: person_id.to_string(),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: access_expires_at.timestamp(),
        };
        let access_token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::internal(anyhow::anyhow!("signing an access token: {e}")))?;
        let refresh_token = new_refresh_token();
        Ok(IssuedTokens {
            access_token,
            access_expires_at,
            refresh_token_hash: hash_token(&refresh_token),
            refresh_token,
            refresh_expires_at: now + self.refresh_ttl,
        })
    }

    /// The secret in a person's calendar feed URLs. It is derived from the signing secret,
    /// the person and the moment it was issued, so the server can show the same URL again
    /// while storing only its hash; issuing it anew (a reset) makes every older URL stop
    /// working, and so does changing the signing secret.
    pub fn calendar_token(&self, person_id: Uuid, issued_at: DateTime<Utc>) -> String {
        let mut mac = self.calendar_mac.clone();
        mac.update(b"oikos calendar feed\0");
        mac.update(person_id.as_bytes());
        mac.update(&issued_at.timestamp_micros().to_be_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// The actor named by a valid access token; `None` for anything else.
    pub fn verify(&self, token: &str) -> Option<Actor> {
        let data = decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        let person_id = Uuid::parse_str(&data.claims.sub).ok()?;
        Some(Actor { person_id })
    }
}

fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Only this hash of a refresh or calendar token is stored: a leaked table holds no
/// usable token.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service() -> TokenService {
        TokenService::new(
            b"0123456789abcdef0123456789abcdef",
            Duration::minutes(15),
            Duration::days(30),
        )
    }

    #[test]
    fn an_issued_token_verifies_to_its_person() {
        let person = Uuid::now_v7();
        let issued = service()
            .issue(person, Utc::now())
            .unwrap_or_else(|_| panic!("issue"));
        assert_eq!(
            service().verify(&issued.access_token),
            Some(Actor { person_id: person })
        );
    }

    #[test]
    fn an_expired_token_is_refused() {
        let issued = service()
            .issue(Uuid::now_v7(), Utc::now() - Duration::hours(1))
            .unwrap_or_else(|_| panic!("issue"));
        assert_eq!(service().verify(&issued.access_token), None);
    }

    #[test]
    fn a_token_signed_with_another_secret_is_refused() {
        let other = TokenService::new(
            b"another-secret-another-secret-00",
            Duration::minutes(15),
            Duration::days(1),
        );
        let issued = other
            .issue(Uuid::now_v7(), Utc::now())
            .unwrap_or_else(|_| panic!("issue"));
        assert_eq!(service().verify(&issued.access_token), None);
    }

    #[test]
    fn a_token_without_required_claims_is_refused() {
        #[derive(Serialize)]
        struct Partial {
            sub: String,
            exp: i64,
        }
        let token = encode(
            &Header::new(Algorithm::HS256),
            &Partial {
                sub: Uuid::now_v7().to_string(),
                exp: Utc::now().timestamp() + 600,
            },
            &EncodingKey::from_secret(b"0123456789abcdef0123456789abcdef"),
        )
        .unwrap_or_default();
        assert_eq!(service().verify(&token), None);
    }

    #[test]
    fn a_token_with_a_string_typed_exp_is_refused() {
        // CVE-2026-25537: a wrongly typed exp once skipped validation.
        let claims = serde_json::json!({
            "sub": Uuid::now_v7().to_string(), "iss": ISSUER, "aud": AUDIENCE,
            "iat": 0, "nbf": 0, "exp": "99999999999"
        });
        let token = encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(b"0123456789abcdef0123456789abcdef"),
        )
        .unwrap_or_default();
        assert_eq!(service().verify(&token), None);
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let a = service()
            .issue(Uuid::now_v7(), Utc::now())
            .unwrap_or_else(|_| panic!("issue"));
        let b = service()
            .issue(Uuid::now_v7(), Utc::now())
            .unwrap_or_else(|_| panic!("issue"));
        assert_ne!(a.refresh_token, b.refresh_token);
        assert_eq!(a.refresh_token_hash, hash_token(&a.refresh_token));
        assert_ne!(a.refresh_token_hash, a.refresh_token);
    }

    #[test]
    fn calendar_tokens_are_stable_per_issue_and_differ_by_person_issue_and_secret() {
        let person = Uuid::now_v7();
        let issued = Utc::now();
        let a = service().calendar_token(person, issued);
        assert_eq!(a, service().calendar_token(person, issued));
        assert_ne!(
            a,
            service().calendar_token(person, issued + Duration::microseconds(1))
        );
        assert_ne!(a, service().calendar_token(Uuid::now_v7(), issued));
        let other = TokenService::new(
            b"another-secret-another-secret-00",
            Duration::minutes(15),
            Duration::days(1),
        );
        assert_ne!(a, other.calendar_token(person, issued));
        assert_eq!(a.len(), 43, "256 bits, base64url without padding");
    }
}
