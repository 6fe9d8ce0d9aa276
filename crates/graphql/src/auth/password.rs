//! argon2id password hashing, off the async runtime (a hash costs tens of milliseconds).

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};

use crate::error::{ApiError, ApiResult};

pub async fn hash(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| ApiError::internal(anyhow::anyhow!("hashing a password: {e}")))
    })
    .await
    .map_err(ApiError::internal)?
}

/// True when `password` matches `stored`. When no account exists, call this with
/// `stored = None` anyway: it verifies against a fixed hash so that the response time
/// does not tell which emails have accounts.
pub async fn verify(password: String, stored: Option<String>) -> ApiResult<bool> {
    tokio::task::spawn_blocking(move || {
        let exists = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let parsed = PasswordHash::new(&stored).map_err(|e| {
            ApiError::internal(anyhow::anyhow!("stored password hash is malformed: {e}"))
        })?;
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(exists && matches)
    })
    .await
    .map_err(ApiError::internal)?
}

/// argon2id of a random string nobody knows, with the default parameters.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0dBGcO4MJMf0mSLm4TLKhoQBfu0XzHp7w7MB1TYAzD0";
