//! sea-orm entities, one per table. They never leave this crate: repositories map them to
//! the domain's records.

pub mod accounts;
pub mod calendar_tokens;
pub mod communities;
pub mod gathering_attendance;
pub mod gathering_practices;
pub mod gathering_rsvps;
pub mod gathering_signups;
pub mod gatherings;
pub mod lineage_links;
pub mod memberships;
pub mod org_roles;
pub mod organizations;
pub mod persons;
pub mod refresh_tokens;
