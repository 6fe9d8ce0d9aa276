//! Mutations, one module per aggregate. Each validates its input at the edge (through the
//! domain's parsers), authorizes through `context`, and makes one repository call.

pub mod auth;
pub mod coaching;
pub mod communities;
pub mod memberships;
pub mod organizations;
pub mod readiness;

use chrono::NaiveDate;

/// Today in UTC. Dates a client leaves out default to it.
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}
