//! The monthly grid: how often a community gathered in each circle of life this month,
//! against the targets its network coaches to. The basic grid is Scripture a couple of
//! times a month, service together once, a party once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{YearMonth, local_month};
use crate::community::text_enum;
use crate::practice::{Circle, Practice};
use crate::{DomainError, DomainResult};

/// More than one gathering a day in a circle is not a rhythm anybody coaches to; such a
/// target is a typing mistake.
pub const MAX_MONTHLY_TARGET: u32 = 31;

/// A wider range is a report, not a rhythm view; reporting aggregates elsewhere.
pub const MAX_SCORECARD_MONTHS: i64 = 36;

/// How many gatherings a month each circle should see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RhythmTargets {
    pub communion: u32,
    pub mission: u32,
    pub inclusion: u32,
}

impl Default for RhythmTargets {
    /// The basic grid a new group is coached to.
    fn default() -> Self {
        Self {
            communion: 2,
            mission: 1,
            inclusion: 1,
        }
    }
}

impl RhythmTargets {
    pub fn new(communion: i64, mission: i64, inclusion: i64) -> DomainResult<Self> {
        Ok(Self {
            communion: monthly_target("communion", communion)?,
            mission: monthly_target("mission", mission)?,
            inclusion: monthly_target("inclusion", inclusion)?,
        })
    }

    pub fn for_circle(self, circle: Circle) -> u32 {
        match circle {
            Circle::Communion => self.communion,
            Circle::Mission => self.mission,
            Circle::Inclusion => self.inclusion,
        }
    }
}

/// Targets set on one level (a community, or an organization above it); a circle left
/// unset is inherited from the next level up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct RhythmTargetsOverride {
    pub communion: Option<u32>,
    pub mission: Option<u32>,
    pub inclusion: Option<u32>,
}

impl RhythmTargetsOverride {
    pub fn new(
        communion: Option<i64>,
        mission: Option<i64>,
        inclusion: Option<i64>,
    ) -> DomainResult<Self> {
        Ok(Self {
            communion: communion
                .map(|v| monthly_target("communion", v))
                .transpose()?,
            mission: mission.map(|v| monthly_target("mission", v)).transpose()?,
            inclusion: inclusion
                .map(|v| monthly_target("inclusion", v))
                .transpose()?,
        })
    }
}

fn monthly_target(field: &str, value: i64) -> DomainResult<u32> {
    if value < 0 {
        return Err(DomainError::invalid(
            field,
            format!("the {field} target cannot be negative"),
        ));
    }
    match u32::try_from(value) {
        Ok(v) if v <= MAX_MONTHLY_TARGET => Ok(v),
        _ => Err(DomainError::invalid(
            field,
            format!("the {field} target can be at most {MAX_MONTHLY_TARGET} a month"),
        )),
    }
}

/// Targets are inherited from the organization and overridable there or on the
/// community. `chain` goes nearest-first: the community, its organization, that
/// organization's parent, … up to the root. Per circle, the nearest value set wins.
pub fn resolve_targets(chain: &[RhythmTargetsOverride]) -> RhythmTargets {
    let defaults = RhythmTargets::default();
    RhythmTargets {
        communion: chain
            .iter()
            .find_map(|o| o.communion)
            .unwrap_or(defaults.communion),
        mission: chain
            .iter()
            .find_map(|o| o.mission)
            .unwrap_or(defaults.mission),
        inclusion: chain
            .iter()
            .find_map(|o| o.inclusion)
            .unwrap_or(defaults.inclusion),
    }
}

/// What became of a planned gathering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum GatheringOutcome {
    Scheduled,
    Held,
    DidNotMeet,
    Cancelled,
}
text_enum!(GatheringOutcome {
    Scheduled => "SCHEDULED", Held => "HELD", DidNotMeet => "DID_NOT_MEET", Cancelled => "CANCELLED"
});

/// One gathering, as the rhythm sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatheringFact {
    pub starts_at: DateTime<Utc>,
    pub practices: Vec<Practice>,
    pub outcome: GatheringOutcome,
    pub member_count_present: u32,
    /// Named and anonymous guests together.
    pub guest_count: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RhythmStatus {
    Met,
    Partial,
    Missed,
}
text_enum!(RhythmStatus { Met => "MET", Partial => "PARTIAL", Missed => "MISSED" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CircleScore {
    pub circle: Circle,
    /// Held gatherings this month carrying at least one practice of the circle.
    pub count: u32,
    pub target: u32,
    pub status: RhythmStatus,
}

/// One month of a community's life against the grid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MonthScorecard {
    pub month: YearMonth,
    /// Held gatherings carrying each practice; every practice, in [`Practice::ALL`] order.
    pub practice_counts: Vec<(Practice, u32)>,
    /// One score per circle, in [`Circle::ALL`] order.
    pub circles: Vec<CircleScore>,
    pub status: RhythmStatus,
    pub held: u32,
    pub did_not_meet: u32,
    /// Guests at held gatherings.
    pub guests: u32,
}

impl MonthScorecard {
    pub fn circle(&self, circle: Circle) -> Option<&CircleScore> {
        self.circles.iter().find(|c| c.circle == circle)
    }

    pub fn practice_count(&self, practice: Practice) -> u32 {
        self.practice_counts
            .iter()
            .find(|(p, _)| *p == practice)
            .map_or(0, |(_, n)| *n)
    }
}

fn circle_status(count: u32, target: u32) -> RhythmStatus {
    if target == 0 || count >= target {
        RhythmStatus::Met
    } else if count > 0 {
        RhythmStatus::Partial
    } else {
        RhythmStatus::Missed
    }
}

/// The grid for one month of the community's calendar (`tz`). Only HELD gatherings
/// count toward a circle; a DID_NOT_MEET is a missed rhythm and is counted as such;
/// scheduled and cancelled gatherings did not happen and are left out.
pub fn scorecard(
    month: YearMonth,
    tz: chrono_tz::Tz,
    targets: RhythmTargets,
    facts: &[GatheringFact],
) -> MonthScorecard {
    let in_month: Vec<&GatheringFact> = facts
        .iter()
        .filter(|f| local_month(f.starts_at, tz) == month)
        .collect();
    tally(month, targets, &in_month)
}

fn tally(month: YearMonth, targets: RhythmTargets, facts: &[&GatheringFact]) -> MonthScorecard {
    let held: Vec<&GatheringFact> = facts
        .iter()
        .copied()
        .filter(|f| f.outcome == GatheringOutcome::Held)
        .collect();
    let did_not_meet = count(
        facts
            .iter()
            .filter(|f| f.outcome == GatheringOutcome::DidNotMeet),
    );

    let practice_counts = Practice::ALL
        .iter()
        .map(|p| (*p, count(held.iter().filter(|f| f.practices.contains(p)))))
        .collect();

    let circles: Vec<CircleScore> = Circle::ALL
        .iter()
        .map(|circle| {
            // A gathering with Scripture and prayer is one communion gathering, not two.
            let n = count(
                held.iter()
                    .filter(|f| f.practices.iter().any(|p| p.circle() == Some(*circle))),
            );
            let target = targets.for_circle(*circle);
            CircleScore {
                circle: *circle,
                count: n,
                target,
                status: circle_status(n, target),
            }
        })
        .collect();

    let status = if circles.iter().all(|c| c.status == RhythmStatus::Met) {
        RhythmStatus::Met
    } else if circles.iter().all(|c| c.target == 0 || c.count == 0) {
        RhythmStatus::Missed
    } else {
        RhythmStatus::Partial
    };

    MonthScorecard {
        month,
        practice_counts,
        circles,
        status,
        held: count(held.iter()),
        did_not_meet,
        guests: held
            .iter()
            .fold(0u32, |sum, f| sum.saturating_add(f.guest_count)),
    }
}

fn count<I: Iterator>(items: I) -> u32 {
    u32::try_from(items.count()).unwrap_or(u32::MAX)
}

/// A range of months a rhythm view may show: `from` no later than `to`, and at most
/// [`MAX_SCORECARD_MONTHS`] months. Callers check it before reading anything.
pub fn check_range(from: YearMonth, to: YearMonth) -> DomainResult<()> {
    let span = from.months_until(to);
    if span < 0 {
        return Err(DomainError::invalid(
            "from",
            "the first month must not be after the last month",
        ));
    }
    if span >= MAX_SCORECARD_MONTHS {
        return Err(DomainError::invalid(
            "to",
            format!("show at most {MAX_SCORECARD_MONTHS} months at a time"),
        ));
    }
    Ok(())
}

/// The grid for every month from `from` to `to`, both included, oldest first.
pub fn scorecards(
    from: YearMonth,
    to: YearMonth,
    tz: chrono_tz::Tz,
    targets: RhythmTargets,
    facts: &[GatheringFact],
) -> DomainResult<Vec<MonthScorecard>> {
    check_range(from, to)?;
    // Each gathering's local month is worked out once, not once per month shown.
    let dated: Vec<(YearMonth, &GatheringFact)> = facts
        .iter()
        .map(|f| (local_month(f.starts_at, tz), f))
        .collect();
    let mut cards = Vec::new();
    let mut month = from;
    while month <= to {
        let in_month: Vec<&GatheringFact> = dated
            .iter()
            .filter(|(m, _)| *m == month)
            .map(|(_, f)| *f)
            .collect();
        cards.push(tally(month, targets, &in_month));
        month = month.next();
    }
    Ok(cards)
}

/// A month kept the grid when every circle met its target.
pub fn kept_the_grid(card: &MonthScorecard) -> bool {
    card.status == RhythmStatus::Met
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    const LA: chrono_tz::Tz = chrono_tz::America::Los_Angeles;
    const AUCKLAND: chrono_tz::Tz = chrono_tz::Pacific::Auckland;

    fn ym(year: i32, month: u32) -> YearMonth {
        YearMonth::new(year, month).unwrap_or_else(|e| panic!("{e}"))
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap_or_else(|| panic!("bad test instant"))
    }

    fn local(tz: chrono_tz::Tz, y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        tz.with_ymd_and_hms(y, m, d, h, min, 0)
            .earliest()
            .unwrap_or_else(|| panic!("bad local test instant"))
            .with_timezone(&Utc)
    }

    fn fact(
        starts_at: DateTime<Utc>,
        practices: &[Practice],
        outcome: GatheringOutcome,
    ) -> GatheringFact {
        GatheringFact {
            starts_at,
            practices: practices.to_vec(),
            outcome,
            member_count_present: 8,
            guest_count: 0,
        }
    }

    fn held(starts_at: DateTime<Utc>, practices: &[Practice]) -> GatheringFact {
        fact(starts_at, practices, GatheringOutcome::Held)
    }

    fn score(card: &MonthScorecard, circle: Circle) -> (u32, u32, RhythmStatus) {
        let c = card
            .circle(circle)
            .unwrap_or_else(|| panic!("no score for {circle:?}"));
        (c.count, c.target, c.status)
    }

    fn basic_grid_month() -> Vec<GatheringFact> {
        vec![
            held(
                utc(2026, 3, 3, 18, 0),
                &[Practice::Scripture, Practice::Meal],
            ),
            held(
                utc(2026, 3, 17, 18, 0),
                &[Practice::Scripture, Practice::Prayer],
            ),
            held(utc(2026, 3, 14, 10, 0), &[Practice::Service]),
            held(utc(2026, 3, 28, 18, 0), &[Practice::Party]),
        ]
    }

    #[test]
    fn the_default_targets_are_the_basic_grid() {
        assert_eq!(
            RhythmTargets::default(),
            RhythmTargets {
                communion: 2,
                mission: 1,
                inclusion: 1
            }
        );
    }

    #[test]
    fn negative_targets_are_refused_on_their_own_field() {
        for (args, want) in [
            ((-1, 1, 1), "communion"),
            ((2, -1, 1), "mission"),
            ((2, 1, -5), "inclusion"),
        ] {
            let err = RhythmTargets::new(args.0, args.1, args.2);
            assert!(
                matches!(err, Err(DomainError::Invalid { ref field, .. }) if field == want),
                "{err:?}"
            );
        }
    }

    #[test]
    fn targets_above_31_a_month_are_refused() {
        assert!(RhythmTargets::new(31, 0, 0).is_ok());
        assert!(RhythmTargets::new(32, 0, 0).is_err());
        assert!(RhythmTargets::new(0, i64::MAX, 0).is_err());
        assert!(RhythmTargetsOverride::new(None, Some(32), None).is_err());
        assert!(RhythmTargetsOverride::new(Some(-1), None, None).is_err());
        assert_eq!(
            RhythmTargetsOverride::new(None, Some(0), None).ok(),
            Some(RhythmTargetsOverride {
                communion: None,
                mission: Some(0),
                inclusion: None
            })
        );
    }

    #[test]
    fn with_no_overrides_anywhere_the_basic_grid_applies() {
        assert_eq!(resolve_targets(&[]), RhythmTargets::default());
        assert_eq!(
            resolve_targets(&[
                RhythmTargetsOverride::default(),
                RhythmTargetsOverride::default()
            ]),
            RhythmTargets::default()
        );
    }

    #[test]
    fn the_nearest_level_that_sets_a_circle_wins_per_circle() {
        let community = RhythmTargetsOverride {
            communion: Some(4),
            ..Default::default()
        };
        let church = RhythmTargetsOverride {
            communion: Some(3),
            mission: Some(2),
            ..Default::default()
        };
        let network = RhythmTargetsOverride {
            mission: Some(5),
            inclusion: Some(0),
            ..Default::default()
        };
        assert_eq!(
            resolve_targets(&[community, church, network]),
            RhythmTargets {
                communion: 4,
                mission: 2,
                inclusion: 0
            }
        );
    }

    #[test]
    fn outcomes_and_statuses_round_trip_through_text() {
        for o in GatheringOutcome::ALL {
            assert_eq!(GatheringOutcome::parse(o.as_str()), Some(*o));
        }
        for s in RhythmStatus::ALL {
            assert_eq!(RhythmStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(
            GatheringOutcome::parse("DID_NOT_MEET"),
            Some(GatheringOutcome::DidNotMeet)
        );
    }

    #[test]
    fn a_month_with_the_basic_grid_is_met() {
        let card = scorecard(
            ym(2026, 3),
            chrono_tz::UTC,
            RhythmTargets::default(),
            &basic_grid_month(),
        );
        assert_eq!(score(&card, Circle::Communion), (2, 2, RhythmStatus::Met));
        assert_eq!(score(&card, Circle::Mission), (1, 1, RhythmStatus::Met));
        assert_eq!(score(&card, Circle::Inclusion), (1, 1, RhythmStatus::Met));
        assert_eq!(card.status, RhythmStatus::Met);
        assert!(kept_the_grid(&card));
        assert_eq!(card.held, 4);
        assert_eq!(card.did_not_meet, 0);
    }

    #[test]
    fn practice_counts_list_every_practice_in_order_and_count_gatherings() {
        let card = scorecard(
            ym(2026, 3),
            chrono_tz::UTC,
            RhythmTargets::default(),
            &basic_grid_month(),
        );
        let order: Vec<Practice> = card.practice_counts.iter().map(|(p, _)| *p).collect();
        assert_eq!(order, Practice::ALL.to_vec());
        assert_eq!(card.practice_count(Practice::Scripture), 2);
        assert_eq!(card.practice_count(Practice::Meal), 1);
        assert_eq!(card.practice_count(Practice::Prayer), 1);
        assert_eq!(card.practice_count(Practice::Service), 1);
        assert_eq!(card.practice_count(Practice::Party), 1);
        assert_eq!(card.practice_count(Practice::Worship), 0);
        let circles: Vec<Circle> = card.circles.iter().map(|c| c.circle).collect();
        assert_eq!(circles, Circle::ALL.to_vec());
    }

    #[test]
    fn a_gathering_with_several_practices_of_one_circle_counts_once_for_it() {
        let facts = [held(
            utc(2026, 3, 3, 18, 0),
            &[Practice::Scripture, Practice::Prayer, Practice::Meal],
        )];
        let card = scorecard(
            ym(2026, 3),
            chrono_tz::UTC,
            RhythmTargets::default(),
            &facts,
        );
        assert_eq!(
            score(&card, Circle::Communion),
            (1, 2, RhythmStatus::Partial)
        );
    }

    #[test]
    fn a_gathering_spanning_two_circles_counts_for_both() {
        let facts = [held(
            utc(2026, 3, 3, 18, 0),
            &[Practice::Meal, Practice::Party],
        )];
        let card = scorecard(
            ym(2026, 3),
            chrono_tz::UTC,
            RhythmTargets::default(),
            &facts,
        );
        assert_eq!(score(&card, Circle::Communion).0, 1);
        assert_eq!(score(&card, Circle::Inclusion), (1, 1, RhythmStatus::Met));
        assert_eq!(card.held, 1);
    }

    #[test]
    fn a_month_with_some_circles_short_is_partial() {
        let facts = [
            held(utc(2026, 3, 3, 18, 0), &[Practice::Scripture]),
            held(utc(2026, 3, 10, 18, 0), &[Practice::Scripture]),
        ];
        let card = scorecard(
            ym(2026, 3),
            chrono_tz::UTC,
            RhythmTargets::default(),
            &facts,
        );
        assert_eq!(score(&card, Circle::Communion).2, RhythmStatus::Met);
        assert_eq!(score(&card, Circle::Mission), (0, 1, RhythmStatus::Missed));
        assert_eq!(card.status, RhythmStatus::Partial);
        assert!(!kept_the_grid(&card));
    }

    #[test]
    fn a_month_with_no_held_gatherings_is_missed() {
        let card = scorecard(ym(2026, 3), chrono_tz::UTC, RhythmTargets::default(), &[]);
        assert_eq!(card.status, RhythmStatus::Missed);
        assert_eq!(card.held, 0);
        assert!(card.practice_counts.iter().all(|(_, n)| *n == 0));
        for c in &card.circles {
            assert_eq!(c.status, RhythmStatus::Missed);
        }
    }

    #[test]
    fn a_month_with_only_training_is_missed_because_training_feeds_no_circle() {
        let facts = [held(
            utc(2026, 3, 3, 18, 0),
            &[Practice::Training, Practice::Other],
        )];
        let card = scorecard(
            ym(2026, 3),
            chrono_tz::UTC,
            RhythmTargets::default(),
            &facts,
        );
        assert_eq!(card.status, RhythmStatus::Missed);
        assert_eq!(card.held, 1);
        assert_eq!(card.practice_count(Practice::Training), 1);
    }

    #[test]
    fn a_month_counted_only_in_a_circle_without_target_is_still_missed() {
        let targets = RhythmTargets {
            communion: 2,
            mission: 1,
            inclusion: 0,
        };
        let facts = [held(utc(2026, 3, 3, 18, 0), &[Practice::Party])];
        let card = scorecard(ym(2026, 3), chrono_tz::UTC, targets, &facts);
        assert_eq!(score(&card, Circle::Inclusion), (1, 0, RhythmStatus::Met));
        assert_eq!(card.status, RhythmStatus::Missed);
    }

    #[test]
    fn a_circle_without_a_target_is_always_met() {
        let targets = RhythmTargets {
            communion: 0,
            mission: 0,
            inclusion: 0,
        };
        let card = scorecard(ym(2026, 3), chrono_tz::UTC, targets, &[]);
        assert!(card.circles.iter().all(|c| c.status == RhythmStatus::Met));
        assert_eq!(card.status, RhythmStatus::Met);
    }

    #[test]
    fn did_not_meet_is_counted_as_missed_and_never_toward_a_circle() {
        let facts = [
            fact(
                utc(2026, 3, 3, 18, 0),
                &[Practice::Scripture],
                GatheringOutcome::DidNotMeet,
            ),
            fact(
                utc(2026, 3, 10, 18, 0),
                &[Practice::Party],
                GatheringOutcome::DidNotMeet,
            ),
        ];
        let card = scorecard(
            ym(2026, 3),
            chrono_tz::UTC,
            RhythmTargets::default(),
            &facts,
        );
        assert_eq!(card.did_not_meet, 2);
        assert_eq!(card.held, 0);
        assert!(card.circles.iter().all(|c| c.count == 0));
        assert_eq!(card.practice_count(Practice::Scripture), 0);
        assert_eq!(card.status, RhythmStatus::Missed);
    }

    #[test]
    fn scheduled_and_cancelled_gatherings_do_not_count_at_all() {
        let facts = [
            fact(
                utc(2026, 3, 3, 18, 0),
                &[Practice::Scripture],
                GatheringOutcome::Scheduled,
            ),
            fact(
                utc(2026, 3, 10, 18, 0),
                &[Practice::Party],
                GatheringOutcome::Cancelled,
            ),
        ];
        let card = scorecard(
            ym(2026, 3),
            chrono_tz::UTC,
            RhythmTargets::default(),
            &facts,
        );
        assert_eq!((card.held, card.did_not_meet, card.guests), (0, 0, 0));
        assert!(card.circles.iter().all(|c| c.count == 0));
    }

    #[test]
    fn guests_are_summed_over_held_gatherings_only() {
        let mut party = held(utc(2026, 3, 28, 18, 0), &[Practice::Party]);
        party.guest_count = 7;
        let mut meal = held(utc(2026, 3, 3, 18, 0), &[Practice::Meal]);
        meal.guest_count = 2;
        let mut planned = fact(
            utc(2026, 3, 30, 18, 0),
            &[Practice::Party],
            GatheringOutcome::Scheduled,
        );
        planned.guest_count = 40;
        let card = scorecard(
            ym(2026, 3),
            chrono_tz::UTC,
            RhythmTargets::default(),
            &[party, meal, planned],
        );
        assert_eq!(card.guests, 9);
    }

    #[test]
    fn a_gathering_at_23_30_on_the_31st_local_time_counts_in_that_month() {
        // In Los Angeles this is already 1 April in UTC.
        let party = held(local(LA, 2026, 3, 31, 23, 30), &[Practice::Party]);
        assert_eq!(party.starts_at, utc(2026, 4, 1, 6, 30));
        let march = scorecard(
            ym(2026, 3),
            LA,
            RhythmTargets::default(),
            std::slice::from_ref(&party),
        );
        let april = scorecard(
            ym(2026, 4),
            LA,
            RhythmTargets::default(),
            std::slice::from_ref(&party),
        );
        assert_eq!(score(&march, Circle::Inclusion).0, 1);
        assert_eq!(score(&april, Circle::Inclusion).0, 0);
    }

    #[test]
    fn a_gathering_just_after_midnight_on_the_1st_in_auckland_counts_in_the_new_month() {
        // In Auckland this is still 31 March in UTC.
        let service = held(local(AUCKLAND, 2026, 4, 1, 0, 30), &[Practice::Service]);
        assert_eq!(service.starts_at, utc(2026, 3, 31, 11, 30));
        let march = scorecard(
            ym(2026, 3),
            AUCKLAND,
            RhythmTargets::default(),
            std::slice::from_ref(&service),
        );
        let april = scorecard(
            ym(2026, 4),
            AUCKLAND,
            RhythmTargets::default(),
            std::slice::from_ref(&service),
        );
        assert_eq!(score(&march, Circle::Mission).0, 0);
        assert_eq!(score(&april, Circle::Mission).0, 1);
    }

    #[test]
    fn gatherings_on_both_edges_of_a_dst_month_are_counted_in_it() {
        // March 2026 in Los Angeles starts in PST and ends in PDT.
        let facts = [
            held(local(LA, 2026, 3, 1, 0, 0), &[Practice::Scripture]),
            held(local(LA, 2026, 3, 31, 23, 59), &[Practice::Scripture]),
            held(local(LA, 2026, 2, 28, 23, 59), &[Practice::Scripture]),
            held(local(LA, 2026, 4, 1, 0, 0), &[Practice::Scripture]),
        ];
        let march = scorecard(ym(2026, 3), LA, RhythmTargets::default(), &facts);
        assert_eq!(score(&march, Circle::Communion).0, 2);
        // April 2026 in Auckland starts in NZDT and ends in NZST.
        let facts = [
            held(local(AUCKLAND, 2026, 4, 1, 0, 0), &[Practice::Party]),
            held(local(AUCKLAND, 2026, 4, 30, 23, 59), &[Practice::Party]),
            held(local(AUCKLAND, 2026, 5, 1, 0, 0), &[Practice::Party]),
        ];
        let april = scorecard(ym(2026, 4), AUCKLAND, RhythmTargets::default(), &facts);
        assert_eq!(score(&april, Circle::Inclusion).0, 2);
    }

    #[test]
    fn scorecards_cover_every_month_in_the_range_oldest_first() {
        let mut facts = basic_grid_month();
        facts.push(held(utc(2026, 1, 5, 18, 0), &[Practice::Party]));
        let cards = scorecards(
            ym(2025, 12),
            ym(2026, 3),
            chrono_tz::UTC,
            RhythmTargets::default(),
            &facts,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let months: Vec<String> = cards.iter().map(|c| c.month.to_string()).collect();
        assert_eq!(months, ["2025-12", "2026-01", "2026-02", "2026-03"]);
        assert_eq!(
            cards.iter().map(|c| c.held).collect::<Vec<_>>(),
            [0, 1, 0, 4]
        );
        assert_eq!(cards.last().map(|c| c.status), Some(RhythmStatus::Met));
    }

    #[test]
    fn scorecards_agree_with_a_single_scorecard_in_a_real_zone() {
        let party = held(local(LA, 2026, 3, 31, 23, 30), &[Practice::Party]);
        let cards = scorecards(
            ym(2026, 3),
            ym(2026, 4),
            LA,
            RhythmTargets::default(),
            std::slice::from_ref(&party),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            cards.first(),
            Some(&scorecard(
                ym(2026, 3),
                LA,
                RhythmTargets::default(),
                std::slice::from_ref(&party)
            ))
        );
        assert_eq!(cards.get(1).map(|c| c.held), Some(0));
    }

    #[test]
    fn a_single_month_range_is_allowed() {
        let cards = scorecards(
            ym(2026, 3),
            ym(2026, 3),
            chrono_tz::UTC,
            RhythmTargets::default(),
            &[],
        );
        assert_eq!(cards.map(|c| c.len()).ok(), Some(1));
    }

    #[test]
    fn a_range_that_ends_before_it_starts_is_refused_on_from() {
        let err = scorecards(
            ym(2026, 3),
            ym(2026, 2),
            chrono_tz::UTC,
            RhythmTargets::default(),
            &[],
        );
        assert!(matches!(err, Err(DomainError::Invalid { ref field, .. }) if field == "from"));
    }

    #[test]
    fn a_range_over_36_months_is_refused_on_to() {
        let ok = scorecards(
            ym(2024, 1),
            ym(2026, 12),
            chrono_tz::UTC,
            RhythmTargets::default(),
            &[],
        );
        assert_eq!(ok.map(|c| c.len()).ok(), Some(36));
        let err = scorecards(
            ym(2024, 1),
            ym(2027, 1),
            chrono_tz::UTC,
            RhythmTargets::default(),
            &[],
        );
        assert!(matches!(err, Err(DomainError::Invalid { ref field, .. }) if field == "to"));
    }
}
