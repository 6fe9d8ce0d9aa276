//! A community's health at a glance: a handful of signs a coach looks at, each with a
//! plain reason and the numbers behind it, so a leader knows what to do next rather
//! than just seeing a score.

use serde::{Deserialize, Serialize};

use crate::calendar::YearMonth;
use crate::community::text_enum;
use crate::rhythm::{MonthScorecard, kept_the_grid};
use crate::{DomainError, DomainResult};

/// Guests are "recent" within this many days.
pub const HEALTH_RECENT_DAYS: u32 = 60;
/// Needs met are "recent" within this many days; meeting a need takes longer than
/// inviting a guest, so the window is wider.
pub const HEALTH_NEEDS_DAYS: u32 = 90;
/// The grid is judged over this many recent months …
pub const HEALTH_GRID_MONTHS: usize = 3;
/// … and must have been kept in at least this many of them.
pub const HEALTH_GRID_MIN_KEPT: usize = 2;
/// No group of missional-community shape is larger than this.
pub const MAX_HEALTHY_SIZE: u32 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HealthIndicatorKind {
    HasLeader,
    HasApprentice,
    KeptTheGrid,
    GuestsRecently,
    NeedsMetRecently,
    EveryoneServes,
    HealthySize,
}
text_enum!(HealthIndicatorKind {
    HasLeader => "HAS_LEADER", HasApprentice => "HAS_APPRENTICE", KeptTheGrid => "KEPT_THE_GRID",
    GuestsRecently => "GUESTS_RECENTLY", NeedsMetRecently => "NEEDS_MET_RECENTLY",
    EveryoneServes => "EVERYONE_SERVES", HealthySize => "HEALTHY_SIZE"
});

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HealthIndicator {
    pub kind: HealthIndicatorKind,
    pub ok: bool,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HealthReport {
    /// One per kind, in [`HealthIndicatorKind::ALL`] order.
    pub indicators: Vec<HealthIndicator>,
    /// Every indicator is ok.
    pub healthy: bool,
    /// How many indicators are ok.
    pub score: u32,
}

/// The size a group is expected to stay within (people, both ends included). A network
/// may set its own; above it the group is ready to think about multiplying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SizeRange {
    pub min: u32,
    pub max: u32,
}

impl Default for SizeRange {
    fn default() -> Self {
        Self { min: 6, max: 30 }
    }
}

impl SizeRange {
    /// Errors name the fields "min" and "max"; callers re-point them with
    /// [`DomainError::at_field`] to their own input's names.
    pub fn new(min: i64, max: i64) -> DomainResult<Self> {
        if min < 1 {
            return Err(DomainError::invalid(
                "min",
                "the smallest healthy size must be at least 1",
            ));
        }
        if max < min {
            return Err(DomainError::invalid(
                "max",
                "the largest healthy size must not be below the smallest",
            ));
        }
        match (u32::try_from(min), u32::try_from(max)) {
            (Ok(min), Ok(max)) if max <= MAX_HEALTHY_SIZE => Ok(Self { min, max }),
            _ => Err(DomainError::invalid(
                "max",
                format!("the largest healthy size can be at most {MAX_HEALTHY_SIZE}"),
            )),
        }
    }

    pub fn contains(self, people: u32) -> bool {
        (self.min..=self.max).contains(&people)
    }
}

/// What the health check looks at, gathered by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HealthInput {
    pub leaders: u32,
    pub apprentices: u32,
    /// The last three months, oldest first; only the last three given are looked at.
    pub last_three_months: Vec<MonthScorecard>,
    /// Guests at gatherings in the last [`HEALTH_RECENT_DAYS`] days.
    pub guests_in_last_days: u32,
    /// Needs closed as MET in the last [`HEALTH_NEEDS_DAYS`] days.
    pub needs_met_in_last_days: u32,
    pub members: u32,
    pub members_without_serving_role: WithoutServingRole,
    pub size_range: SizeRange,
}

/// The members without a serving role: by name for those who may see people, so the
/// reason can say who; only how many for those who see numbers (a reporter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WithoutServingRole {
    Named(Vec<String>),
    Counted(u32),
}

impl Default for WithoutServingRole {
    fn default() -> Self {
        Self::Counted(0)
    }
}

impl WithoutServingRole {
    pub fn count(&self) -> u32 {
        match self {
            Self::Named(names) => u32::try_from(names.len()).unwrap_or(u32::MAX),
            Self::Counted(n) => *n,
        }
    }
}

fn plural(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn indicator(kind: HealthIndicatorKind, ok: bool, reason: String) -> HealthIndicator {
    HealthIndicator { kind, ok, reason }
}

fn has_leader(input: &HealthInput) -> HealthIndicator {
    let ok = input.leaders > 0;
    let reason = if ok {
        plural(input.leaders, "leader", "leaders")
    } else {
        "no leader".to_owned()
    };
    indicator(HealthIndicatorKind::HasLeader, ok, reason)
}

fn has_apprentice(input: &HealthInput) -> HealthIndicator {
    let ok = input.apprentices > 0;
    let reason = if ok {
        format!(
            "{} in training",
            plural(input.apprentices, "apprentice", "apprentices")
        )
    } else {
        "no apprentice yet: who could you begin to develop?".to_owned()
    };
    indicator(HealthIndicatorKind::HasApprentice, ok, reason)
}

fn kept_grid(input: &HealthInput) -> HealthIndicator {
    let months = &input.last_three_months;
    let recent = months
        .get(months.len().saturating_sub(HEALTH_GRID_MONTHS)..)
        .unwrap_or_default();
    let kept = recent.iter().filter(|c| kept_the_grid(c)).count();
    let ok = kept >= HEALTH_GRID_MIN_KEPT;
    // Missing months count as not kept, so the sentence always speaks of three.
    indicator(
        HealthIndicatorKind::KeptTheGrid,
        ok,
        format!(
            "kept the grid in {kept} of the last {HEALTH_GRID_MONTHS} months (needs {HEALTH_GRID_MIN_KEPT})"
        ),
    )
}

fn guests_recently(input: &HealthInput) -> HealthIndicator {
    let ok = input.guests_in_last_days > 0;
    let reason = if ok {
        format!(
            "{} in the last {HEALTH_RECENT_DAYS} days",
            plural(input.guests_in_last_days, "guest", "guests")
        )
    } else {
        format!("no guests in the last {HEALTH_RECENT_DAYS} days")
    };
    indicator(HealthIndicatorKind::GuestsRecently, ok, reason)
}

fn needs_met_recently(input: &HealthInput) -> HealthIndicator {
    let ok = input.needs_met_in_last_days > 0;
    let reason = if ok {
        format!(
            "{} in the last {HEALTH_NEEDS_DAYS} days",
            plural(input.needs_met_in_last_days, "need met", "needs met")
        )
    } else {
        format!("no needs met in the last {HEALTH_NEEDS_DAYS} days")
    };
    indicator(HealthIndicatorKind::NeedsMetRecently, ok, reason)
}

fn everyone_serves(input: &HealthInput) -> HealthIndicator {
    let without = &input.members_without_serving_role;
    let n = without.count();
    let ok = n == 0;
    let reason = if ok {
        "everyone has a serving role".to_owned()
    } else {
        let verb = if n == 1 { "has" } else { "have" };
        let who = plural(n, "member", "members");
        match without {
            WithoutServingRole::Named(names) => {
                format!("{who} {verb} no serving role: {}", names.join(", "))
            }
            WithoutServingRole::Counted(_) => format!("{who} {verb} no serving role"),
        }
    };
    indicator(HealthIndicatorKind::EveryoneServes, ok, reason)
}

fn healthy_size(input: &HealthInput) -> HealthIndicator {
    let range = input.size_range;
    let people = plural(input.members, "person", "people");
    let bounds = format!("the healthy range of {}–{}", range.min, range.max);
    let (ok, reason) = if input.members > range.max {
        (
            false,
            format!("{people} — above {bounds}; time to think about multiplying"),
        )
    } else if input.members < range.min {
        (
            false,
            format!("{people} — below {bounds}; who could you invite in?"),
        )
    } else {
        (true, format!("{people} — within {bounds}"))
    };
    indicator(HealthIndicatorKind::HealthySize, ok, reason)
}

/// The months the grid indicator looks at: the [`HEALTH_GRID_MONTHS`] complete months
/// before `current`, first and last. The month under way is left out: on the 3rd a group
/// has not yet had the chance to keep it.
pub fn grid_months(current: YearMonth) -> (YearMonth, YearMonth) {
    let months = u32::try_from(HEALTH_GRID_MONTHS).unwrap_or(3);
    (current.months_back(months), current.prev())
}

pub fn assess_health(input: &HealthInput) -> HealthReport {
    let indicators = vec![
        has_leader(input),
        has_apprentice(input),
        kept_grid(input),
        guests_recently(input),
        needs_met_recently(input),
        everyone_serves(input),
        healthy_size(input),
    ];
    let score = u32::try_from(indicators.iter().filter(|i| i.ok).count()).unwrap_or(u32::MAX);
    HealthReport {
        healthy: indicators.iter().all(|i| i.ok),
        score,
        indicators,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::calendar::YearMonth;
    use crate::practice::Practice;
    use crate::rhythm::{GatheringFact, GatheringOutcome, RhythmTargets, scorecard};

    fn card(month: u32, kept: bool) -> MonthScorecard {
        let ym = YearMonth::new(2026, month).unwrap_or_else(|e| panic!("{e}"));
        let practices: &[Practice] = if kept {
            &[Practice::Scripture, Practice::Service, Practice::Party]
        } else {
            &[Practice::Scripture]
        };
        let facts: Vec<GatheringFact> = (1..=2)
            .map(|day| GatheringFact {
                starts_at: Utc
                    .with_ymd_and_hms(2026, month, day, 18, 0, 0)
                    .single()
                    .unwrap_or_else(|| panic!("bad test instant")),
                practices: practices.to_vec(),
                outcome: GatheringOutcome::Held,
                member_count_present: 10,
                guest_count: 1,
            })
            .collect();
        scorecard(ym, chrono_tz::UTC, RhythmTargets::default(), &facts)
    }

    fn healthy_input() -> HealthInput {
        HealthInput {
            leaders: 1,
            apprentices: 1,
            last_three_months: vec![card(4, true), card(5, false), card(6, true)],
            guests_in_last_days: 4,
            needs_met_in_last_days: 1,
            members: 12,
            members_without_serving_role: WithoutServingRole::Named(vec![]),
            size_range: SizeRange::default(),
        }
    }

    fn get(report: &HealthReport, kind: HealthIndicatorKind) -> HealthIndicator {
        report
            .indicators
            .iter()
            .find(|i| i.kind == kind)
            .cloned()
            .unwrap_or_else(|| panic!("no {kind:?} indicator"))
    }

    fn check(input: &HealthInput, kind: HealthIndicatorKind) -> (bool, String) {
        let i = get(&assess_health(input), kind);
        (i.ok, i.reason)
    }

    #[test]
    fn a_healthy_group_is_ok_on_every_indicator() {
        let report = assess_health(&healthy_input());
        assert!(report.healthy, "{report:?}");
        assert_eq!(report.score, 7);
        let kinds: Vec<HealthIndicatorKind> = report.indicators.iter().map(|i| i.kind).collect();
        assert_eq!(kinds, HealthIndicatorKind::ALL.to_vec());
    }

    #[test]
    fn score_counts_the_indicators_that_are_ok() {
        let input = HealthInput {
            leaders: 0,
            apprentices: 0,
            ..healthy_input()
        };
        let report = assess_health(&input);
        assert!(!report.healthy);
        assert_eq!(report.score, 5);
    }

    #[test]
    fn indicator_kinds_round_trip_through_text() {
        for k in HealthIndicatorKind::ALL {
            assert_eq!(HealthIndicatorKind::parse(k.as_str()), Some(*k));
        }
    }

    #[test]
    fn a_group_with_a_leader_has_a_leader() {
        assert_eq!(
            check(&healthy_input(), HealthIndicatorKind::HasLeader),
            (true, "1 leader".into())
        );
        let two = HealthInput {
            leaders: 2,
            ..healthy_input()
        };
        assert_eq!(
            check(&two, HealthIndicatorKind::HasLeader),
            (true, "2 leaders".into())
        );
    }

    #[test]
    fn a_group_without_a_leader_is_flagged() {
        let input = HealthInput {
            leaders: 0,
            ..healthy_input()
        };
        assert_eq!(
            check(&input, HealthIndicatorKind::HasLeader),
            (false, "no leader".into())
        );
    }

    #[test]
    fn a_group_developing_an_apprentice_is_ok() {
        assert_eq!(
            check(&healthy_input(), HealthIndicatorKind::HasApprentice),
            (true, "1 apprentice in training".into())
        );
    }

    #[test]
    fn a_group_without_an_apprentice_is_asked_who_to_develop() {
        let input = HealthInput {
            apprentices: 0,
            ..healthy_input()
        };
        let (ok, reason) = check(&input, HealthIndicatorKind::HasApprentice);
        assert!(!ok);
        assert!(reason.starts_with("no apprentice yet"), "{reason}");
    }

    #[test]
    fn keeping_the_grid_in_two_of_three_months_is_enough() {
        assert_eq!(
            check(&healthy_input(), HealthIndicatorKind::KeptTheGrid),
            (
                true,
                "kept the grid in 2 of the last 3 months (needs 2)".into()
            )
        );
    }

    #[test]
    fn keeping_the_grid_in_one_of_three_months_is_not() {
        let input = HealthInput {
            last_three_months: vec![card(4, true), card(5, false), card(6, false)],
            ..healthy_input()
        };
        assert_eq!(
            check(&input, HealthIndicatorKind::KeptTheGrid),
            (
                false,
                "kept the grid in 1 of the last 3 months (needs 2)".into()
            )
        );
    }

    #[test]
    fn only_the_last_three_months_given_count_toward_the_grid() {
        let input = HealthInput {
            last_three_months: vec![card(3, true), card(4, true), card(5, false), card(6, false)],
            ..healthy_input()
        };
        assert!(!check(&input, HealthIndicatorKind::KeptTheGrid).0);
    }

    #[test]
    fn missing_months_count_as_not_kept() {
        let input = HealthInput {
            last_three_months: vec![card(6, true)],
            ..healthy_input()
        };
        assert_eq!(
            check(&input, HealthIndicatorKind::KeptTheGrid),
            (
                false,
                "kept the grid in 1 of the last 3 months (needs 2)".into()
            )
        );
    }

    #[test]
    fn guests_in_the_last_sixty_days_are_a_good_sign() {
        assert_eq!(
            check(&healthy_input(), HealthIndicatorKind::GuestsRecently),
            (true, "4 guests in the last 60 days".into())
        );
        let one = HealthInput {
            guests_in_last_days: 1,
            ..healthy_input()
        };
        assert_eq!(
            check(&one, HealthIndicatorKind::GuestsRecently).1,
            "1 guest in the last 60 days"
        );
    }

    #[test]
    fn no_guests_in_sixty_days_is_flagged() {
        let input = HealthInput {
            guests_in_last_days: 0,
            ..healthy_input()
        };
        assert_eq!(
            check(&input, HealthIndicatorKind::GuestsRecently),
            (false, "no guests in the last 60 days".into())
        );
    }

    #[test]
    fn a_need_met_in_the_last_ninety_days_is_a_good_sign() {
        assert_eq!(
            check(&healthy_input(), HealthIndicatorKind::NeedsMetRecently),
            (true, "1 need met in the last 90 days".into())
        );
        let three = HealthInput {
            needs_met_in_last_days: 3,
            ..healthy_input()
        };
        assert_eq!(
            check(&three, HealthIndicatorKind::NeedsMetRecently).1,
            "3 needs met in the last 90 days"
        );
    }

    #[test]
    fn no_needs_met_in_ninety_days_is_flagged() {
        let input = HealthInput {
            needs_met_in_last_days: 0,
            ..healthy_input()
        };
        assert_eq!(
            check(&input, HealthIndicatorKind::NeedsMetRecently),
            (false, "no needs met in the last 90 days".into())
        );
    }

    #[test]
    fn a_group_where_everyone_serves_is_ok() {
        assert_eq!(
            check(&healthy_input(), HealthIndicatorKind::EveryoneServes),
            (true, "everyone has a serving role".into())
        );
    }

    #[test]
    fn members_without_a_serving_role_are_named() {
        let input = HealthInput {
            members_without_serving_role: WithoutServingRole::Named(vec![
                "Ana".into(),
                "Ben".into(),
            ]),
            ..healthy_input()
        };
        assert_eq!(
            check(&input, HealthIndicatorKind::EveryoneServes),
            (false, "2 members have no serving role: Ana, Ben".into())
        );
        let one = HealthInput {
            members_without_serving_role: WithoutServingRole::Named(vec!["Ana".into()]),
            ..healthy_input()
        };
        assert_eq!(
            check(&one, HealthIndicatorKind::EveryoneServes).1,
            "1 member has no serving role: Ana"
        );
    }

    #[test]
    fn those_who_see_numbers_only_are_told_how_many_and_never_who() {
        let input = HealthInput {
            members_without_serving_role: WithoutServingRole::Counted(2),
            ..healthy_input()
        };
        assert_eq!(
            check(&input, HealthIndicatorKind::EveryoneServes),
            (false, "2 members have no serving role".into())
        );
        let none = HealthInput {
            members_without_serving_role: WithoutServingRole::Counted(0),
            ..healthy_input()
        };
        assert!(check(&none, HealthIndicatorKind::EveryoneServes).0);
    }

    #[test]
    fn the_grid_is_judged_over_the_three_complete_months_before_this_one() {
        let march = YearMonth::new(2026, 3).unwrap_or_else(|e| panic!("{e}"));
        let (from, to) = grid_months(march);
        assert_eq!(
            (from.to_string(), to.to_string()),
            ("2025-12".into(), "2026-02".into())
        );
    }

    #[test]
    fn a_group_within_the_range_is_a_healthy_size_at_both_ends() {
        for members in [6, 30] {
            let input = HealthInput {
                members,
                ..healthy_input()
            };
            assert_eq!(
                check(&input, HealthIndicatorKind::HealthySize),
                (
                    true,
                    format!("{members} people — within the healthy range of 6–30")
                )
            );
        }
    }

    #[test]
    fn a_group_above_the_range_is_told_to_think_about_multiplying() {
        let input = HealthInput {
            members: 34,
            ..healthy_input()
        };
        assert_eq!(
            check(&input, HealthIndicatorKind::HealthySize),
            (
                false,
                "34 people — above the healthy range of 6–30; time to think about multiplying"
                    .into()
            )
        );
    }

    #[test]
    fn a_group_below_the_range_is_encouraged_to_invite() {
        let input = HealthInput {
            members: 1,
            ..healthy_input()
        };
        let (ok, reason) = check(&input, HealthIndicatorKind::HealthySize);
        assert!(!ok);
        assert_eq!(
            reason,
            "1 person — below the healthy range of 6–30; who could you invite in?"
        );
    }

    #[test]
    fn a_network_may_set_its_own_size_range() {
        let range = SizeRange::new(4, 12).unwrap_or_else(|e| panic!("{e}"));
        let input = HealthInput {
            members: 14,
            size_range: range,
            ..healthy_input()
        };
        let (ok, reason) = check(&input, HealthIndicatorKind::HealthySize);
        assert!(!ok);
        assert!(reason.contains("4–12"), "{reason}");
    }

    #[test]
    fn the_default_size_range_is_six_to_thirty() {
        assert_eq!(SizeRange::default(), SizeRange { min: 6, max: 30 });
        assert!(SizeRange::default().contains(6));
        assert!(!SizeRange::default().contains(31));
    }

    #[test]
    fn size_ranges_are_validated() {
        let field = |r: DomainResult<SizeRange>| match r {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("expected invalid, got {other:?}"),
        };
        assert_eq!(field(SizeRange::new(0, 10)), "min");
        assert_eq!(field(SizeRange::new(-3, 10)), "min");
        assert_eq!(field(SizeRange::new(10, 9)), "max");
        assert_eq!(field(SizeRange::new(1, 501)), "max");
        assert_eq!(field(SizeRange::new(1, i64::MAX)), "max");
        assert_eq!(
            SizeRange::new(1, 500).ok(),
            Some(SizeRange { min: 1, max: 500 })
        );
        assert_eq!(
            SizeRange::new(8, 8).ok(),
            Some(SizeRange { min: 8, max: 8 })
        );
    }
}
