//! Storage for Oikos: sea-orm entities, repositories (one module per aggregate, each write
//! in its own transaction) and the hand-written queries that must be fast.
//!
//! Every function maps rows to the domain's records; nothing outside this crate sees a
//! sea-orm type or a SQL error.

pub mod access;
pub mod accounts;

mod database;
mod entities;
mod error;

pub mod communities;
mod lineage_history;
pub mod memberships;
pub mod organizations;
pub mod persons;
pub mod policies;
pub mod rhythm;
// -- coaching and readiness (issue 4) --
pub mod coaching;
pub mod development;
pub mod readiness;
mod sql;
mod tree;

pub use database::{Database, StatementObserver};
pub use error::{StoreError, StoreResult};

/// A page of a keyset-paginated list: the rows, and whether more follow the last one.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next: bool,
}

/// Limits of a keyset page: at most `first` rows after the row with id `after`.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub first: u64,
    pub after: Option<uuid::Uuid>,
}
