//! Who belongs to a community and in what role. Leaders are equipped and released,
//! apprentices are leaders in training, and everyone has a serving role.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::community::{CommunityStatus, text_enum};
use crate::{DomainError, DomainResult, text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MemberRole {
    Leader,
    Apprentice,
    Host,
    Member,
}
text_enum!(MemberRole { Leader => "LEADER", Apprentice => "APPRENTICE", Host => "HOST", Member => "MEMBER" });

pub const SERVING_ROLES_MAX: usize = 12;

/// Serving roles are free-form ("cooking", "listening", "children"), bounded and de-duplicated.
pub fn serving_roles(values: &[String]) -> DomainResult<Vec<String>> {
    text::labels("servingRoles", values, SERVING_ROLES_MAX)
}

/// An ACTIVE community must keep at least one leader: refuse any change that would leave
/// it with none. `leaders_after` is the number of current leaders once the change is made.
pub fn keep_a_leader(
    status: CommunityStatus,
    leaders_after: usize,
    field: &str,
) -> DomainResult<()> {
    if status == CommunityStatus::Active && leaders_after == 0 {
        return Err(DomainError::invalid(
            field,
            "an active community must keep at least one leader; appoint another leader first",
        ));
    }
    Ok(())
}

/// Members join or change roles only in a community that is still alive.
pub fn ensure_open_for_members(status: CommunityStatus) -> DomainResult<()> {
    if status == CommunityStatus::Closed {
        return Err(DomainError::conflict("the community is closed"));
    }
    Ok(())
}

/// A person's belonging to a community. Ended memberships stay as history.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub id: Uuid,
    pub community_id: Uuid,
    pub person_id: Uuid,
    pub role: MemberRole,
    pub serving_roles: Vec<String>,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_the_last_leader_of_an_active_community_is_refused() {
        assert!(keep_a_leader(CommunityStatus::Active, 0, "membershipId").is_err());
        assert!(keep_a_leader(CommunityStatus::Active, 1, "membershipId").is_ok());
        assert!(keep_a_leader(CommunityStatus::Forming, 0, "membershipId").is_ok());
    }

    #[test]
    fn closed_communities_take_no_new_members() {
        assert!(ensure_open_for_members(CommunityStatus::Closed).is_err());
        assert!(ensure_open_for_members(CommunityStatus::Active).is_ok());
    }

    #[test]
    fn roles_round_trip_through_text() {
        for role in MemberRole::ALL {
            assert_eq!(MemberRole::parse(role.as_str()), Some(*role));
        }
        assert_eq!(MemberRole::parse("BOSS"), None);
    }
}
