//! The object types of the schema: thin views over the domain's records that resolve
//! relations through DataLoaders and check access field by field.

pub mod calendar;
pub mod coaching;
pub mod community;
pub mod development;
pub mod discernment;
pub mod enums;
pub mod gathering;
pub mod home;
pub mod lineage;
pub mod membership;
pub mod need;
pub mod organization;
pub mod page;
pub mod people_of_peace;
pub mod person;
pub mod prayer;
pub mod readiness;
pub mod rhythm;
