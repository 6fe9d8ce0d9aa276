//! The family tree as history. Lineage is never lost or rewritten silently: a wrong
//! parent link is corrected with an audit trail, a closed community keeps its place, and
//! the tree can be read as it stood on any past date.
//!
//! Also the figures movements report about their trees: groups per generation, how
//! many streams reach the third and fourth generation, multiplications per month.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::community::CommunityStatus;
use crate::readiness::ReadinessReport;
use crate::tree_path::{MAX_LEVELS, TreePath};
use crate::{DomainError, DomainResult, text};

/// A community started from another, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiplicationEvent {
    pub id: Uuid,
    pub parent_id: Uuid,
    pub child_id: Uuid,
    pub occurred_on: NaiveDate,
    pub actor_id: Uuid,
    pub notes: Option<String>,
    /// The parent's readiness when it multiplied; `None` when no report was taken.
    pub readiness: Option<ReadinessReport>,
    pub ready: bool,
    pub created_at: DateTime<Utc>,
}

/// A wrong parent link put right, with what it was before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineageCorrection {
    pub id: Uuid,
    pub community_id: Uuid,
    pub before_parent_id: Option<Uuid>,
    pub after_parent_id: Option<Uuid>,
    pub before_generation: u32,
    pub after_generation: u32,
    /// The community and every descendant that moved with it.
    pub moved_count: u64,
    /// `None`: the old link was wrong from the start (a retroactive fix).
    pub effective_on: Option<NaiveDate>,
    pub reason: String,
    pub actor_id: Uuid,
    pub created_at: DateTime<Utc>,
}

/// Two communities that work together, apart from any parentage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerLink {
    pub id: Uuid,
    pub community_a: Uuid,
    pub community_b: Uuid,
    pub note: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
}

impl PeerLink {
    /// The community on the other side of the link from `community`.
    pub fn other(&self, community: Uuid) -> Uuid {
        if self.community_a == community {
            self.community_b
        } else {
            self.community_a
        }
    }
}

/// A pair of peers is stored once, in a fixed order.
pub fn peer_pair(a: Uuid, b: Uuid) -> DomainResult<(Uuid, Uuid)> {
    if a == b {
        return Err(DomainError::invalid(
            "peerId",
            "a community cannot be its own peer",
        ));
    }
    Ok((a.min(b), a.max(b)))
}

pub fn peer_note(note: Option<&str>) -> DomainResult<Option<String>> {
    text::optional_line("note", note, 500)
}

pub fn correction_reason(reason: &str) -> DomainResult<String> {
    text::required_line("reason", reason, 500)
}

/// A community may not be placed under itself or one of its own descendants.
pub fn ensure_no_cycle(moving: &TreePath, new_parent: &TreePath) -> DomainResult<()> {
    if moving.contains(new_parent) {
        return Err(DomainError::invalid(
            "parentId",
            "a community cannot be placed under itself or one of its own descendants",
        ));
    }
    Ok(())
}

/// A moved subtree keeps its shape, so its deepest community must still fit the tree.
pub fn ensure_depth_fits(
    moving_generation: u32,
    deepest_in_subtree: u32,
    new_generation: u32,
) -> DomainResult<()> {
    let below = deepest_in_subtree.saturating_sub(moving_generation);
    if new_generation.saturating_add(below) > MAX_LEVELS {
        return Err(DomainError::invalid(
            "parentId",
            format!("moving there would take its descendants beyond generation {MAX_LEVELS}"),
        ));
    }
    Ok(())
}

/// How a correction enters the dated history of parent links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkHistory {
    /// The old link was a data-entry mistake: it is superseded and the new one holds
    /// from the day the old one began, so past reports change with it.
    Retroactive,
    /// The community really changed parent that day: the old link ends, the new begins.
    From(NaiveDate),
}

/// `current_from`: when the link being replaced began.
pub fn link_history(
    effective_on: Option<NaiveDate>,
    current_from: NaiveDate,
    today: NaiveDate,
) -> DomainResult<LinkHistory> {
    let Some(on) = effective_on else {
        return Ok(LinkHistory::Retroactive);
    };
    if on > today {
        return Err(DomainError::invalid(
            "effectiveOn",
            "a parent link cannot be changed in the future",
        ));
    }
    if on <= current_from {
        return Err(DomainError::invalid(
            "effectiveOn",
            format!(
                "the current parent link began on {current_from}; to change it from its start, \
                 leave effectiveOn out (a retroactive fix)"
            ),
        ));
    }
    Ok(LinkHistory::From(on))
}

/// A date the tree is read as of: any day up to today.
pub fn as_of_date(date: NaiveDate, today: NaiveDate) -> DomainResult<NaiveDate> {
    if date > today {
        return Err(DomainError::invalid(
            "asOf",
            "the family tree can be read as of today or a past date",
        ));
    }
    Ok(date)
}

/// What a community's status was on `date`. Only closing and launching are dated, so a
/// community neither closed nor still forming by then counts as active.
pub fn status_as_of(
    current: CommunityStatus,
    launched_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    date: NaiveDate,
) -> CommunityStatus {
    if closed_on.is_some_and(|closed| closed <= date) {
        CommunityStatus::Closed
    } else if current == CommunityStatus::Forming || launched_on.is_some_and(|l| l > date) {
        CommunityStatus::Forming
    } else {
        CommunityStatus::Active
    }
}

/// The generations movements report streams reaching: "third generation and beyond" is
/// where multiplication has become a pattern, the fourth where it is a movement.
pub const THIRD_GENERATION: u32 = 3;
pub const FOURTH_GENERATION: u32 = 4;

/// How many communities of one generation there are, by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GenerationCount {
    pub generation: u32,
    pub forming: u64,
    pub active: u64,
    pub closed: u64,
}

impl GenerationCount {
    pub fn total(&self) -> u64 {
        self.forming + self.active + self.closed
    }
}

/// Per generation, ascending, from `(generation, status, count)` rows in any order.
pub fn tally_generations(
    rows: impl IntoIterator<Item = (u32, CommunityStatus, u64)>,
) -> Vec<GenerationCount> {
    let mut out: Vec<GenerationCount> = Vec::new();
    for (generation, status, count) in rows {
        let at = match out.binary_search_by_key(&generation, |g| g.generation) {
            Ok(i) => i,
            Err(i) => {
                out.insert(
                    i,
                    GenerationCount {
                        generation,
                        ..Default::default()
                    },
                );
                i
            }
        };
        let slot = &mut out[at];
        match status {
            CommunityStatus::Forming => slot.forming += count,
            CommunityStatus::Active => slot.active += count,
            CommunityStatus::Closed => slot.closed += count,
        }
    }
    out
}

/// How many streams (given by their deepest generation) reach `generation` or beyond.
pub fn streams_reaching(deepest_per_stream: &[u32], generation: u32) -> u64 {
    deepest_per_stream
        .iter()
        .filter(|deepest| **deepest >= generation)
        .count() as u64
}

/// The figures of a part of the family tree.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineageStats {
    /// Ascending by generation; generations without any community are absent.
    pub generations: Vec<GenerationCount>,
}

impl LineageStats {
    pub fn total(&self) -> u64 {
        self.generations.iter().map(GenerationCount::total).sum()
    }

    pub fn deepest_generation(&self) -> Option<u32> {
        self.generations.last().map(|g| g.generation)
    }

    fn sum(&self, pick: fn(&GenerationCount) -> u64) -> u64 {
        self.generations.iter().map(pick).sum()
    }

    pub fn forming(&self) -> u64 {
        self.sum(|g| g.forming)
    }

    pub fn active(&self) -> u64 {
        self.sum(|g| g.active)
    }

    pub fn closed(&self) -> u64 {
        self.sum(|g| g.closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn path(s: &str) -> TreePath {
        TreePath::from_stored(s.to_owned()).unwrap_or_else(|| panic!("bad path {s}"))
    }

    fn field_of<T: std::fmt::Debug>(r: DomainResult<T>) -> String {
        match r {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("expected invalid input, got {other:?}"),
        }
    }

    #[test]
    fn a_community_cannot_be_moved_under_itself_or_its_descendants() {
        assert_eq!(
            field_of(ensure_no_cycle(&path("0001"), &path("0001"))),
            "parentId"
        );
        assert!(ensure_no_cycle(&path("0001"), &path("000100030002")).is_err());
        assert!(ensure_no_cycle(&path("00010003"), &path("0001")).is_ok());
        assert!(ensure_no_cycle(&path("00010003"), &path("00010004")).is_ok());
    }

    #[test]
    fn a_moved_subtree_must_still_fit_the_deepest_generation() {
        assert!(ensure_depth_fits(3, 10, 50).is_ok());
        assert!(ensure_depth_fits(3, 10, MAX_LEVELS - 7).is_ok());
        assert_eq!(
            field_of(ensure_depth_fits(3, 10, MAX_LEVELS - 6)),
            "parentId"
        );
    }

    #[test]
    fn without_a_date_a_correction_is_retroactive() {
        assert_eq!(
            link_history(None, day(2024, 1, 1), day(2026, 1, 1)).ok(),
            Some(LinkHistory::Retroactive)
        );
    }

    #[test]
    fn a_dated_correction_starts_after_the_current_link_and_not_in_the_future() {
        let from = day(2024, 1, 1);
        let today = day(2026, 1, 1);
        assert_eq!(
            link_history(Some(day(2025, 6, 1)), from, today).ok(),
            Some(LinkHistory::From(day(2025, 6, 1)))
        );
        assert_eq!(
            field_of(link_history(Some(day(2026, 1, 2)), from, today)),
            "effectiveOn"
        );
        assert_eq!(
            field_of(link_history(Some(from), from, today)),
            "effectiveOn"
        );
        assert_eq!(
            field_of(link_history(Some(day(2023, 1, 1)), from, today)),
            "effectiveOn"
        );
    }

    #[test]
    fn the_tree_is_read_as_of_today_or_the_past() {
        let today = day(2026, 1, 1);
        assert!(as_of_date(today, today).is_ok());
        assert_eq!(field_of(as_of_date(day(2026, 1, 2), today)), "asOf");
    }

    #[test]
    fn a_community_closed_after_the_date_was_still_active_then() {
        let status = status_as_of(
            CommunityStatus::Closed,
            Some(day(2024, 1, 1)),
            Some(day(2025, 6, 1)),
            day(2024, 12, 31),
        );
        assert_eq!(status, CommunityStatus::Active);
    }

    #[test]
    fn a_community_closed_by_the_date_shows_as_closed() {
        let status = status_as_of(
            CommunityStatus::Closed,
            None,
            Some(day(2024, 12, 31)),
            day(2024, 12, 31),
        );
        assert_eq!(status, CommunityStatus::Closed);
    }

    #[test]
    fn a_community_not_launched_by_the_date_was_forming() {
        let launched_later = status_as_of(
            CommunityStatus::Active,
            Some(day(2025, 2, 1)),
            None,
            day(2024, 12, 31),
        );
        assert_eq!(launched_later, CommunityStatus::Forming);
        let still_forming = status_as_of(CommunityStatus::Forming, None, None, day(2024, 1, 1));
        assert_eq!(still_forming, CommunityStatus::Forming);
    }

    #[test]
    fn peers_are_stored_once_in_a_fixed_order() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(peer_pair(b, a).ok(), Some((a, b)));
        assert_eq!(peer_pair(a, b).ok(), Some((a, b)));
        assert_eq!(field_of(peer_pair(a, a)), "peerId");
    }

    #[test]
    fn generations_are_tallied_by_status_in_ascending_order() {
        let got = tally_generations([
            (2, CommunityStatus::Active, 3),
            (1, CommunityStatus::Active, 1),
            (2, CommunityStatus::Closed, 1),
            (4, CommunityStatus::Forming, 2),
        ]);
        let generations: Vec<u32> = got.iter().map(|g| g.generation).collect();
        assert_eq!(generations, [1, 2, 4]);
        assert_eq!(got[1].active, 3);
        assert_eq!(got[1].closed, 1);
        assert_eq!(got[1].total(), 4);
        let stats = LineageStats { generations: got };
        assert_eq!(stats.total(), 7);
        assert_eq!(stats.deepest_generation(), Some(4));
        assert_eq!((stats.forming(), stats.active(), stats.closed()), (2, 4, 1));
    }

    #[test]
    fn streams_count_when_their_deepest_generation_reaches_the_mark() {
        let deepest = [1, 3, 4, 7, 2];
        assert_eq!(streams_reaching(&deepest, THIRD_GENERATION), 3);
        assert_eq!(streams_reaching(&deepest, FOURTH_GENERATION), 2);
        assert_eq!(streams_reaching(&[], THIRD_GENERATION), 0);
    }

    #[test]
    fn a_peer_link_names_the_other_side() {
        let link = PeerLink {
            id: Uuid::from_u128(9),
            community_a: Uuid::from_u128(1),
            community_b: Uuid::from_u128(2),
            note: None,
            created_by: Uuid::from_u128(3),
            created_at: DateTime::<Utc>::MIN_UTC,
        };
        assert_eq!(link.other(Uuid::from_u128(1)), Uuid::from_u128(2));
        assert_eq!(link.other(Uuid::from_u128(2)), Uuid::from_u128(1));
    }
}
