//! The object types of the schema: thin views over the domain's records that resolve
//! relations through DataLoaders and check access field by field.

pub mod coaching;
pub mod community;
pub mod development;
pub mod enums;
pub mod membership;
pub mod organization;
pub mod page;
pub mod person;
pub mod readiness;
