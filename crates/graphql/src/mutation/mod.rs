//! Mutations, one module per aggregate. Each validates its input at the edge (through the
//! domain's parsers), authorizes through `context`, and makes one repository call.

pub mod auth;
pub mod calendar;
pub mod coaching;
pub mod communities;
pub mod discernment;
pub mod gatherings;
pub mod lineage;
pub mod memberships;
pub mod needs;
pub mod organizations;
pub mod partners;
pub mod people_of_peace;
pub mod policies;
pub mod prayer;
pub mod readiness;

use chrono::NaiveDate;

/// Today in UTC. Dates a client leaves out default to it.
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// A field of an update: left out keeps `current`, null clears it, a value replaces it.
pub fn merge<T: Clone>(patch: async_graphql::MaybeUndefined<T>, current: Option<&T>) -> Option<T> {
    match patch {
        async_graphql::MaybeUndefined::Undefined => current.cloned(),
        async_graphql::MaybeUndefined::Null => None,
        async_graphql::MaybeUndefined::Value(v) => Some(v),
    }
}
