//! sea-orm entities, one per table. They never leave this crate: repositories map them to
//! the domain's records.

pub mod accounts;
pub mod coaching_assignments;
pub mod coaching_check_ins;
pub mod communities;
pub mod development_stage_changes;
pub mod development_stages;
pub mod lineage_links;
pub mod memberships;
pub mod org_roles;
pub mod organizations;
pub mod persons;
pub mod refresh_tokens;
