//! Identity: who is asking. Passwords are hashed with argon2id, access tokens are
//! short-lived JWTs, refresh tokens are random and stored only as hashes.

pub mod password;
pub mod tokens;

use uuid::Uuid;

/// The authenticated person behind a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub person_id: Uuid,
}

/// Why a request has no actor. A missing token and a bad one are told apart so a client
/// knows to refresh rather than to sign in again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anonymous {
    NoToken,
    InvalidToken,
}
