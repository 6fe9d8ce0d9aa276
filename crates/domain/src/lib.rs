//! The language of the mission: the types, invariants and rules of missional communities.
//!
//! Pure Rust: no I/O, no database, no GraphQL. Every rule a newcomer may look for lives
//! in the module named after it.

pub mod access;
pub mod community;
pub mod error;
pub mod membership;
pub mod organization;
pub mod person;
pub mod policy;
pub mod text;
pub mod tree_path;

// -- life of a community and multiplication (issues 3 and 4) --
pub mod calendar;
pub mod development;
pub mod discernment;
pub mod drift;
pub mod family_tree;
pub mod gathering;
pub mod health;
pub mod lineage;
pub mod multiplication;
pub mod need;
pub mod people_of_peace;
pub mod practice;
pub mod prayer;
pub mod readiness;
pub mod rhythm;
// (modules are added here as they land)
pub mod coaching;

pub use error::{DomainError, DomainResult};
