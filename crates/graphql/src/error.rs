//! The one place where failures become GraphQL errors. Every error carries a stable
//! `extensions.code`; internal causes are logged with the request id and never echoed.
//!
//! `ApiError` deliberately does not implement `Display`: async-graphql converts any
//! `Display` type into an error message, and that is how SQL text reaches clients.

use std::sync::Arc;

use async_graphql::ErrorExtensions;
use oikos_domain::DomainError;
use oikos_persistence::StoreError;

#[derive(Debug, Clone)]
pub enum ApiError {
    Unauthenticated(&'static str),
    Forbidden,
    NotFound(&'static str),
    BadInput { field: String, message: String },
    Conflict(String),
    Internal(Arc<anyhow::Error>),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadInput {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Self::Internal(Arc::new(cause.into()))
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::BadInput { .. } => "BAD_USER_INPUT",
            Self::Conflict(_) => "CONFLICT",
            Self::Internal(_) => "INTERNAL",
        }
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        let code = err.code();
        let (message, field) = match err {
            ApiError::Unauthenticated(why) => (why.to_owned(), None),
            ApiError::Forbidden => ("you are not allowed to do this".to_owned(), None),
            ApiError::NotFound(what) => (format!("{what} not found"), None),
            ApiError::BadInput { field, message } => (message, Some(field)),
            ApiError::Conflict(message) => (message, None),
            ApiError::Internal(cause) => {
                tracing::error!(error = ?cause, "internal error while resolving a request");
                ("internal error".to_owned(), None)
            }
        };
        async_graphql::Error::new(message).extend_with(|_, ext| {
            ext.set("code", code);
            if let Some(field) = field {
                ext.set("field", field);
            }
        })
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Invalid { field, message } => Self::BadInput { field, message },
            DomainError::Conflict { message } => Self::Conflict(message),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(what) => Self::NotFound(what),
            StoreError::Rule(rule) => rule.into(),
            StoreError::Conflict(message) => Self::Conflict(message),
            StoreError::Internal(cause) => Self::Internal(Arc::new(cause)),
        }
    }
}

impl From<Arc<StoreError>> for ApiError {
    fn from(err: Arc<StoreError>) -> Self {
        match &*err {
            StoreError::NotFound(what) => Self::NotFound(what),
            StoreError::Rule(rule) => rule.clone().into(),
            StoreError::Conflict(message) => Self::Conflict(message.clone()),
            StoreError::Internal(cause) => Self::internal(anyhow::anyhow!("{cause:#}")),
        }
    }
}

/// A failure inside async-graphql itself (missing context data): a bug, not user input.
pub fn internal(err: async_graphql::Error) -> ApiError {
    ApiError::internal(anyhow::anyhow!("{}", err.message))
}
