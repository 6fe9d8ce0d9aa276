//! The organization tree: denominations hold networks (regions, dioceses, districts),
//! networks hold churches, and every community belongs to exactly one organization.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::community::text_enum;
use crate::tree_path::TreePath;
use crate::{DomainError, DomainResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OrganizationKind {
    Denomination,
    Network,
    Church,
}
text_enum!(OrganizationKind { Denomination => "DENOMINATION", Network => "NETWORK", Church => "CHURCH" });

/// Roles on an organization apply to its whole subtree: a COACH of a network coaches in
/// every church below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OrgRole {
    Admin,
    Coach,
    Reporter,
}
text_enum!(OrgRole { Admin => "ADMIN", Coach => "COACH", Reporter => "REPORTER" });

/// Whoever founds a top-level organization administers it; below the top, roles are
/// granted by the parent's admins, who already hold them through inheritance.
pub fn founder_role(parent_id: Option<Uuid>) -> Option<OrgRole> {
    parent_id.is_none().then_some(OrgRole::Admin)
}

/// A node may not move under itself or any of its descendants.
pub fn ensure_not_own_ancestor(moving: &TreePath, new_parent: &TreePath) -> DomainResult<()> {
    if moving.contains(new_parent) {
        return Err(DomainError::invalid(
            "parentId",
            "an organization cannot be placed under itself or one of its own descendants",
        ));
    }
    Ok(())
}

/// An organization as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    pub id: Uuid,
    pub kind: OrganizationKind,
    pub name: String,
    pub parent_id: Option<Uuid>,
    pub path: TreePath,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A role held by a person on an organization (and so on its whole subtree).
#[derive(Debug, Clone, PartialEq)]
pub struct OrgRoleGrant {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub person_id: Uuid,
    pub role: OrgRole,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(s: &str) -> TreePath {
        TreePath::from_stored(s.to_owned()).unwrap_or_else(|| panic!("bad path {s}"))
    }

    #[test]
    fn an_organization_cannot_become_its_own_ancestor() {
        assert!(ensure_not_own_ancestor(&path("0001"), &path("0001")).is_err());
        assert!(ensure_not_own_ancestor(&path("0001"), &path("000100020003")).is_err());
        assert!(ensure_not_own_ancestor(&path("00010002"), &path("0001")).is_ok());
        assert!(ensure_not_own_ancestor(&path("0001"), &path("0002")).is_ok());
    }
}
