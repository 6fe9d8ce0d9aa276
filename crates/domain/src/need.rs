//! The needs board: real needs of neighbours and members, met with no strings attached.
//! A need is claimed by the people who will meet it, and closed with an honest outcome;
//! passing it on to a partner who can help is as good an outcome as meeting it ourselves.

use serde::{Deserialize, Serialize};

use crate::community::text_enum;
use crate::{DomainError, DomainResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NeedCategory {
    Food,
    Tutoring,
    VisitSick,
    CleanUp,
    Transport,
    Financial,
    Housing,
    Childcare,
    Other,
}
text_enum!(NeedCategory {
    Food => "FOOD", Tutoring => "TUTORING", VisitSick => "VISIT_SICK", CleanUp => "CLEAN_UP",
    Transport => "TRANSPORT", Financial => "FINANCIAL", Housing => "HOUSING",
    Childcare => "CHILDCARE", Other => "OTHER"
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NeedUrgency {
    Low,
    Normal,
    High,
    Urgent,
}
text_enum!(NeedUrgency { Low => "LOW", Normal => "NORMAL", High => "HIGH", Urgent => "URGENT" });

/// Who may see a need. The needs of named neighbours are sensitive, so the narrowest
/// circle comes first and is the natural default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Visibility {
    Leaders,
    Community,
    Network,
}
text_enum!(Visibility { Leaders => "LEADERS", Community => "COMMUNITY", Network => "NETWORK" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NeedStatus {
    Open,
    Claimed,
    Closed,
}
text_enum!(NeedStatus { Open => "OPEN", Claimed => "CLAIMED", Closed => "CLOSED" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NeedOutcome {
    Met,
    Referred,
    NoLongerNeeded,
    BeyondOurCapacity,
    NotAppropriate,
}
text_enum!(NeedOutcome {
    Met => "MET", Referred => "REFERRED", NoLongerNeeded => "NO_LONGER_NEEDED",
    BeyondOurCapacity => "BEYOND_OUR_CAPACITY", NotAppropriate => "NOT_APPROPRIATE"
});

fn already_closed() -> DomainError {
    DomainError::conflict("the need is already closed")
}

/// Several people may claim the same need (a meal rota, a moving day); each only once.
pub fn claim(status: NeedStatus, already_claimed_by_this_person: bool) -> DomainResult<NeedStatus> {
    match status {
        NeedStatus::Closed => Err(already_closed()),
        _ if already_claimed_by_this_person => {
            Err(DomainError::conflict("you have already claimed this need"))
        }
        NeedStatus::Open | NeedStatus::Claimed => Ok(NeedStatus::Claimed),
    }
}

/// Someone steps back from a need; it is open again once nobody is claiming it.
pub fn release(status: NeedStatus, remaining_claimers: usize) -> DomainResult<NeedStatus> {
    match status {
        NeedStatus::Closed => Err(already_closed()),
        NeedStatus::Open | NeedStatus::Claimed if remaining_claimers == 0 => Ok(NeedStatus::Open),
        NeedStatus::Open | NeedStatus::Claimed => Ok(NeedStatus::Claimed),
    }
}

/// A need may be closed whether or not anyone claimed it (it may simply no longer be
/// needed). A referral must say to whom, so the follow-up is not lost.
pub fn close(
    status: NeedStatus,
    outcome: NeedOutcome,
    referred_partner_given: bool,
) -> DomainResult<NeedStatus> {
    if status == NeedStatus::Closed {
        return Err(already_closed());
    }
    if outcome == NeedOutcome::Referred && !referred_partner_given {
        return Err(DomainError::invalid(
            "partnerId",
            "say which partner the need was referred to",
        ));
    }
    Ok(NeedStatus::Closed)
}

/// Leaders correct a need closed by mistake; it comes back open, unclaimed.
pub fn reopen(status: NeedStatus) -> DomainResult<NeedStatus> {
    match status {
        NeedStatus::Closed => Ok(NeedStatus::Open),
        NeedStatus::Open | NeedStatus::Claimed => {
            Err(DomainError::conflict("the need is not closed"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_conflict<T: std::fmt::Debug>(r: &DomainResult<T>) -> bool {
        matches!(r, Err(DomainError::Conflict { .. }))
    }

    #[test]
    fn every_need_enum_round_trips_through_text() {
        for v in NeedCategory::ALL {
            assert_eq!(NeedCategory::parse(v.as_str()), Some(*v));
        }
        for v in NeedUrgency::ALL {
            assert_eq!(NeedUrgency::parse(v.as_str()), Some(*v));
        }
        for v in Visibility::ALL {
            assert_eq!(Visibility::parse(v.as_str()), Some(*v));
        }
        for v in NeedStatus::ALL {
            assert_eq!(NeedStatus::parse(v.as_str()), Some(*v));
        }
        for v in NeedOutcome::ALL {
            assert_eq!(NeedOutcome::parse(v.as_str()), Some(*v));
        }
        assert_eq!(
            NeedCategory::parse("VISIT_SICK"),
            Some(NeedCategory::VisitSick)
        );
        assert_eq!(
            NeedOutcome::parse("BEYOND_OUR_CAPACITY"),
            Some(NeedOutcome::BeyondOurCapacity)
        );
        assert_eq!(NeedStatus::parse("open"), None);
    }

    #[test]
    fn urgency_and_visibility_are_ordered_from_least_to_most() {
        assert!(NeedUrgency::Low < NeedUrgency::Normal);
        assert!(NeedUrgency::High < NeedUrgency::Urgent);
        assert!(Visibility::Leaders < Visibility::Community);
        assert!(Visibility::Community < Visibility::Network);
    }

    #[test]
    fn an_open_need_can_be_claimed() {
        assert_eq!(
            claim(NeedStatus::Open, false).ok(),
            Some(NeedStatus::Claimed)
        );
    }

    #[test]
    fn a_claimed_need_can_be_claimed_by_someone_else_too() {
        assert_eq!(
            claim(NeedStatus::Claimed, false).ok(),
            Some(NeedStatus::Claimed)
        );
    }

    #[test]
    fn claiming_the_same_need_twice_is_a_conflict() {
        assert!(is_conflict(&claim(NeedStatus::Claimed, true)));
    }

    #[test]
    fn a_closed_need_cannot_be_claimed() {
        let got = claim(NeedStatus::Closed, false);
        assert_eq!(
            got,
            Err(DomainError::conflict("the need is already closed"))
        );
    }

    #[test]
    fn releasing_the_last_claim_opens_the_need_again() {
        assert_eq!(release(NeedStatus::Claimed, 0).ok(), Some(NeedStatus::Open));
    }

    #[test]
    fn releasing_one_of_several_claims_keeps_it_claimed() {
        assert_eq!(
            release(NeedStatus::Claimed, 2).ok(),
            Some(NeedStatus::Claimed)
        );
    }

    #[test]
    fn a_closed_need_cannot_be_released() {
        assert!(is_conflict(&release(NeedStatus::Closed, 0)));
    }

    #[test]
    fn a_need_can_be_closed_claimed_or_not() {
        assert_eq!(
            close(NeedStatus::Claimed, NeedOutcome::Met, false).ok(),
            Some(NeedStatus::Closed)
        );
        assert_eq!(
            close(NeedStatus::Open, NeedOutcome::NoLongerNeeded, false).ok(),
            Some(NeedStatus::Closed)
        );
        for outcome in [NeedOutcome::BeyondOurCapacity, NeedOutcome::NotAppropriate] {
            assert!(close(NeedStatus::Open, outcome, false).is_ok());
        }
    }

    #[test]
    fn a_referral_must_name_the_partner() {
        let got = close(NeedStatus::Claimed, NeedOutcome::Referred, false);
        assert!(matches!(got, Err(DomainError::Invalid { ref field, .. }) if field == "partnerId"));
        assert_eq!(
            close(NeedStatus::Claimed, NeedOutcome::Referred, true).ok(),
            Some(NeedStatus::Closed)
        );
    }

    #[test]
    fn closing_twice_is_a_conflict() {
        assert!(is_conflict(&close(
            NeedStatus::Closed,
            NeedOutcome::Met,
            false
        )));
        assert!(is_conflict(&close(
            NeedStatus::Closed,
            NeedOutcome::Referred,
            false
        )));
    }

    #[test]
    fn a_closed_need_can_be_reopened_for_a_correction() {
        assert_eq!(reopen(NeedStatus::Closed).ok(), Some(NeedStatus::Open));
    }

    #[test]
    fn only_a_closed_need_can_be_reopened() {
        assert!(is_conflict(&reopen(NeedStatus::Open)));
        assert!(is_conflict(&reopen(NeedStatus::Claimed)));
    }
}
