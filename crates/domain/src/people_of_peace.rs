//! People of peace: neighbours and friends outside the group whom members know. The
//! relationship is tracked so the group can care well, never as a sales funnel, which is
//! why a stage may move back as freely as forward.

use serde::{Deserialize, Serialize};

use crate::community::text_enum;
use crate::{DomainError, DomainResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RelationshipStage {
    Met,
    Engaged,
    Attended,
    Joined,
}
text_enum!(RelationshipStage {
    Met => "MET", Engaged => "ENGAGED", Attended => "ATTENDED", Joined => "JOINED"
});

/// Where the group stands with a ministry or organisation already at work nearby.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PartnerStatus {
    Identified,
    Contacted,
    Partnering,
    Ended,
}
text_enum!(PartnerStatus {
    Identified => "IDENTIFIED", Contacted => "CONTACTED", Partnering => "PARTNERING",
    Ended => "ENDED"
});

/// Any stage may follow any other, except that JOINED is final: once the person became
/// a member, their story continues as a member, not as a guest.
pub fn change_stage(
    from: RelationshipStage,
    to: RelationshipStage,
) -> DomainResult<RelationshipStage> {
    if from == RelationshipStage::Joined && to != RelationshipStage::Joined {
        return Err(DomainError::conflict(
            "this person has joined the community; that step is final",
        ));
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_and_partner_statuses_round_trip_through_text() {
        for v in RelationshipStage::ALL {
            assert_eq!(RelationshipStage::parse(v.as_str()), Some(*v));
        }
        for v in PartnerStatus::ALL {
            assert_eq!(PartnerStatus::parse(v.as_str()), Some(*v));
        }
    }

    #[test]
    fn a_relationship_may_move_forward() {
        assert_eq!(
            change_stage(RelationshipStage::Met, RelationshipStage::Attended).ok(),
            Some(RelationshipStage::Attended)
        );
        assert_eq!(
            change_stage(RelationshipStage::Attended, RelationshipStage::Joined).ok(),
            Some(RelationshipStage::Joined)
        );
    }

    #[test]
    fn a_relationship_may_move_back_before_joining() {
        assert_eq!(
            change_stage(RelationshipStage::Attended, RelationshipStage::Met).ok(),
            Some(RelationshipStage::Met)
        );
        assert_eq!(
            change_stage(RelationshipStage::Engaged, RelationshipStage::Engaged).ok(),
            Some(RelationshipStage::Engaged)
        );
    }

    #[test]
    fn joined_is_final() {
        for to in [
            RelationshipStage::Met,
            RelationshipStage::Engaged,
            RelationshipStage::Attended,
        ] {
            let got = change_stage(RelationshipStage::Joined, to);
            assert!(matches!(got, Err(DomainError::Conflict { .. })), "{to:?}");
        }
        assert_eq!(
            change_stage(RelationshipStage::Joined, RelationshipStage::Joined).ok(),
            Some(RelationshipStage::Joined)
        );
    }
}
