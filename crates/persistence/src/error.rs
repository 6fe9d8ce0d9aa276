use oikos_domain::DomainError;
use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// Why a repository call failed, in the domain's terms. The GraphQL layer maps each
/// variant to one `extensions.code`; `Internal` is logged there and never shown.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error(transparent)]
    Rule(#[from] DomainError),
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict(message.into())
    }
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                return Self::conflict("a record with the same identity already exists");
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                return Self::NotFound("a referenced record");
            }
            _ => {}
        }
        if is_busy(&err) {
            // SQLite refuses a second writer rather than queueing it behind a lock upgrade.
            return Self::conflict("another change to the same records was in progress; try again");
        }
        Self::Internal(anyhow::Error::new(err))
    }
}

fn is_busy(err: &DbErr) -> bool {
    let runtime = match err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => e,
        DbErr::Conn(RuntimeErr::SqlxError(e)) => e,
        _ => return false,
    };
    let Some(db) = runtime.as_database_error() else {
        return false;
    };
    // SQLITE_BUSY (5), SQLITE_LOCKED (6); PostgreSQL serialization failure and deadlock.
    matches!(
        db.code().as_deref(),
        Some("5" | "6" | "517" | "262" | "40001" | "40P01")
    )
}
