//! The two ways a rule of the mission can refuse a request. Adapters map them to
//! `BAD_USER_INPUT` and `CONFLICT`; everything else (not found, forbidden) is decided
//! outside the pure rules.

/// A rule of the domain refused the request. `field` names the input that was at fault,
/// in the GraphQL input's camelCase spelling, so a client can point at it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("{message}")]
    Conflict { message: String },
}

impl DomainError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict {
            message: message.into(),
        }
    }

    /// The same refusal, reported against another input field (a nested input's field
    /// becomes `input.field`).
    #[must_use]
    pub fn at_field(self, field: impl Into<String>) -> Self {
        match self {
            Self::Invalid { message, .. } => Self::Invalid {
                field: field.into(),
                message,
            },
            other => other,
        }
    }
}

pub type DomainResult<T> = Result<T, DomainError>;
