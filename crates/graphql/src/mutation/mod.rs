//! Mutations, one module per aggregate. Each validates its input at the edge (through the
//! domain's parsers), authorizes through `context`, and makes one repository call.

pub mod auth;
pub mod communities;
pub mod discernment;
pub mod memberships;
pub mod needs;
pub mod organizations;
pub mod partners;
pub mod people_of_peace;
pub mod prayer;

use chrono::NaiveDate;

/// Today in UTC. Dates a client leaves out default to it.
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}
