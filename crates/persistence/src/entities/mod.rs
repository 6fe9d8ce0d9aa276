//! sea-orm entities, one per table. They never leave this crate: repositories map them to
//! the domain's records.

pub mod accounts;
pub mod calendar_tokens;
pub mod coaching_assignments;
pub mod coaching_check_ins;
pub mod communities;
pub mod development_stage_changes;
pub mod development_stages;
pub mod discernment_notes;
pub mod gathering_attendance;
pub mod gathering_practices;
pub mod gathering_rsvps;
pub mod gathering_signups;
pub mod gatherings;
pub mod lineage_corrections;
pub mod lineage_links;
pub mod memberships;
pub mod multiplication_events;
pub mod need_claims;
pub mod need_events;
pub mod needs;
pub mod org_roles;
pub mod organizations;
pub mod partners;
pub mod peer_links;
pub mod people_of_peace;
pub mod persons;
pub mod prayer_requests;
pub mod prayer_walk_needs;
pub mod prayer_walk_people;
pub mod prayer_walk_walkers;
pub mod prayer_walks;
pub mod refresh_tokens;
