//! Prayer requests are among the most personal things a group shares; each one says
//! explicitly who may read it. Prayer walks go through the neighbourhood praying,
//! observing, and noting the needs and people of peace found on the way.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::{CommunityAction, CommunityStanding};
use crate::community::text_enum;
use crate::{DomainError, DomainResult, text};

/// Who may read a prayer request. There is deliberately no network-wide level: prayer
/// requests never leave the community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PrayerVisibility {
    Leaders,
    Community,
}
text_enum!(PrayerVisibility { Leaders => "LEADERS", Community => "COMMUNITY" });

impl PrayerVisibility {
    /// Whether someone may read a request shared this way: its author always; otherwise
    /// by their standing in the community (leaders and overseers read what is for the
    /// leaders, members read what is for the community). Reporters never read prayer.
    pub fn readable_by(self, standing: &CommunityStanding, is_author: bool) -> bool {
        is_author
            || match self {
                Self::Community => standing.allows(CommunityAction::ViewPastoral),
                Self::Leaders => standing.allows(CommunityAction::ViewLeadersOnly),
            }
    }

    /// The levels someone reads whoever wrote the request, for filtering lists (their
    /// own requests are added to these).
    pub fn readable_levels(standing: &CommunityStanding) -> Vec<Self> {
        Self::ALL
            .iter()
            .copied()
            .filter(|v| v.readable_by(standing, false))
            .collect()
    }
}

/// The author marks their request answered, or the leaders do.
pub fn may_mark_answered(standing: &CommunityStanding, is_author: bool) -> bool {
    is_author || standing.allows(CommunityAction::Manage)
}

pub const ANSWERED_NOTE_MAX_CHARS: usize = 1_000;
pub const AREA_MAX_CHARS: usize = 200;

pub fn request_body(value: &str) -> DomainResult<String> {
    text::required_text("body", value, text::LONG_TEXT_MAX_CHARS)
}

pub fn answered_note(value: Option<&str>) -> DomainResult<Option<String>> {
    text::optional_text("note", value, ANSWERED_NOTE_MAX_CHARS)
}

/// A prayer request as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct PrayerRequest {
    pub id: Uuid,
    pub community_id: Uuid,
    pub author_id: Option<Uuid>,
    pub body: String,
    pub visibility: PrayerVisibility,
    pub answered_at: Option<DateTime<Utc>>,
    pub answered_note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a prayer walk records, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrayerWalkContent {
    pub walked_on: NaiveDate,
    pub area: String,
    pub observations: Option<String>,
    /// Members who walked, each once.
    pub walker_ids: Vec<Uuid>,
    pub need_ids: Vec<Uuid>,
    pub person_of_peace_ids: Vec<Uuid>,
}

/// A walk has happened (not later than `today`), somewhere, with at least one walker.
pub fn prayer_walk(
    walked_on: NaiveDate,
    today: NaiveDate,
    area: &str,
    observations: Option<&str>,
    walker_ids: &[Uuid],
    need_ids: &[Uuid],
    person_of_peace_ids: &[Uuid],
) -> DomainResult<PrayerWalkContent> {
    if walked_on > today {
        return Err(DomainError::invalid(
            "walkedOn",
            "a prayer walk is recorded once it has happened; walkedOn cannot be in the future",
        ));
    }
    let walker_ids = distinct(walker_ids);
    if walker_ids.is_empty() {
        return Err(DomainError::invalid(
            "walkerIds",
            "say who walked: at least one member",
        ));
    }
    Ok(PrayerWalkContent {
        walked_on,
        area: text::required_line("area", area, AREA_MAX_CHARS)?,
        observations: text::optional_text("observations", observations, text::LONG_TEXT_MAX_CHARS)?,
        walker_ids,
        need_ids: distinct(need_ids),
        person_of_peace_ids: distinct(person_of_peace_ids),
    })
}

/// Each id once, in a canonical order, so that two records of the same walk compare equal.
fn distinct(ids: &[Uuid]) -> Vec<Uuid> {
    let mut out = ids.to_vec();
    out.sort_unstable();
    out.dedup();
    out
}

/// A prayer walk as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct PrayerWalk {
    pub id: Uuid,
    pub community_id: Uuid,
    pub content: PrayerWalkContent,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::membership::MemberRole;
    use crate::organization::OrgRole;

    fn member(role: MemberRole) -> CommunityStanding {
        CommunityStanding {
            member_role: Some(role),
            org_roles: BTreeSet::new(),
        }
    }

    fn holder(role: OrgRole) -> CommunityStanding {
        CommunityStanding {
            member_role: None,
            org_roles: BTreeSet::from([role]),
        }
    }

    #[test]
    fn prayer_visibility_round_trips_through_text() {
        for v in PrayerVisibility::ALL {
            assert_eq!(PrayerVisibility::parse(v.as_str()), Some(*v));
        }
        assert_eq!(PrayerVisibility::parse("NETWORK"), None);
    }

    #[test]
    fn a_request_for_leaders_is_hidden_from_other_members() {
        let v = PrayerVisibility::Leaders;
        assert!(v.readable_by(&member(MemberRole::Leader), false));
        assert!(v.readable_by(&holder(OrgRole::Coach), false));
        assert!(!v.readable_by(&member(MemberRole::Member), false));
        assert!(!v.readable_by(&member(MemberRole::Apprentice), false));
    }

    #[test]
    fn the_author_always_reads_their_own_request() {
        assert!(PrayerVisibility::Leaders.readable_by(&member(MemberRole::Member), true));
    }

    #[test]
    fn a_request_for_the_community_is_read_by_every_member() {
        let v = PrayerVisibility::Community;
        assert!(v.readable_by(&member(MemberRole::Leader), false));
        assert!(v.readable_by(&member(MemberRole::Member), false));
        assert!(!v.readable_by(&CommunityStanding::default(), false));
    }

    #[test]
    fn a_reporter_never_reads_prayer() {
        for v in PrayerVisibility::ALL {
            assert!(!v.readable_by(&holder(OrgRole::Reporter), false));
        }
        assert!(PrayerVisibility::readable_levels(&holder(OrgRole::Reporter)).is_empty());
    }

    #[test]
    fn a_member_reads_the_community_level_and_a_leader_both() {
        assert_eq!(
            PrayerVisibility::readable_levels(&member(MemberRole::Host)),
            [PrayerVisibility::Community]
        );
        assert_eq!(
            PrayerVisibility::readable_levels(&member(MemberRole::Leader)),
            PrayerVisibility::ALL
        );
    }

    #[test]
    fn the_author_or_a_leader_marks_a_request_answered() {
        assert!(may_mark_answered(&member(MemberRole::Member), true));
        assert!(may_mark_answered(&member(MemberRole::Leader), false));
        assert!(!may_mark_answered(&member(MemberRole::Member), false));
        assert!(!may_mark_answered(&holder(OrgRole::Reporter), false));
    }

    #[test]
    fn a_request_has_a_body() {
        assert!(request_body("  ").is_err());
        assert_eq!(
            request_body(" for my mother\nin hospital ").ok().as_deref(),
            Some("for my mother\nin hospital")
        );
        assert!(request_body(&"x".repeat(text::LONG_TEXT_MAX_CHARS + 1)).is_err());
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_prayer_walk_has_happened_somewhere_with_someone() {
        let today = day("2025-05-10");
        let a = Uuid::now_v7();
        let ok = prayer_walk(
            day("2025-05-10"),
            today,
            " Elm Street ",
            None,
            &[a, a],
            &[],
            &[],
        );
        let ok = ok.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok.area, "Elm Street");
        assert_eq!(ok.walker_ids, [a]);
        let future = prayer_walk(day("2025-05-11"), today, "Elm", None, &[a], &[], &[]);
        assert!(
            matches!(future, Err(DomainError::Invalid { ref field, .. }) if field == "walkedOn")
        );
        let nobody = prayer_walk(today, today, "Elm", None, &[], &[], &[]);
        assert!(
            matches!(nobody, Err(DomainError::Invalid { ref field, .. }) if field == "walkerIds")
        );
        let nowhere = prayer_walk(today, today, " ", None, &[a], &[], &[]);
        assert!(matches!(nowhere, Err(DomainError::Invalid { ref field, .. }) if field == "area"));
    }
}
