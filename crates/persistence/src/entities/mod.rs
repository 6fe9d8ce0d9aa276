//! sea-orm entities, one per table. They never leave this crate: repositories map them to
//! the domain's records.

pub mod accounts;
pub mod communities;
pub mod lineage_corrections;
pub mod lineage_links;
pub mod memberships;
pub mod multiplication_events;
pub mod org_roles;
pub mod organizations;
pub mod peer_links;
pub mod persons;
pub mod refresh_tokens;
