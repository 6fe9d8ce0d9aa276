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

pub mod calendar;
pub mod communities;
pub mod discernment;
pub mod gatherings;
pub mod lineage;
mod lineage_history;
pub mod memberships;
pub mod needs;
pub mod organizations;
pub mod partners;
pub mod people_of_peace;
pub mod persons;
pub mod policies;
pub mod prayer;
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

impl<T> Page<T> {
    /// A page from rows fetched with `LIMIT first + 1`: the extra row only says that more
    /// follow.
    pub(crate) fn from_rows<R>(
        rows: Vec<R>,
        first: u64,
        map: impl FnMut(R) -> StoreResult<T>,
    ) -> StoreResult<Self> {
        let (rows, has_next) = take_page(rows, first);
        Ok(Self {
            items: rows.into_iter().map(map).collect::<StoreResult<_>>()?,
            has_next,
        })
    }
}

/// Limits of a keyset page: at most `first` rows after the row with id `after`.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub first: u64,
    pub after: Option<uuid::Uuid>,
}

/// Keyset pages read one row more than asked for: its presence says another page follows.
pub(crate) fn take_page<R>(mut rows: Vec<R>, first: u64) -> (Vec<R>, bool) {
    let has_next = rows.len() as u64 > first;
    rows.truncate(usize::try_from(first).unwrap_or(usize::MAX));
    (rows, has_next)
}
