//! Drift: the slow slide a coach watches for, where one circle swallows the others
//! ("six months in, and all we've done is Bible study"), guests stop coming, or the group
//! quietly stops meeting. Each warning carries a plain reason a leader can act on.

use serde::{Deserialize, Serialize};

use crate::calendar::YearMonth;
use crate::community::text_enum;
use crate::practice::{Circle, Practice};
use crate::rhythm::MonthScorecard;

/// A circle with a target and no gathering for this many months is neglected.
pub const NEGLECT_MONTHS: usize = 3;
/// One circle only for this many months (with gatherings) is drift, not a season.
pub const SINGLE_CIRCLE_MIN_MONTHS: usize = 2;
/// Gatherings without a single guest for this many months: the group is turning inward.
pub const NO_GUESTS_MONTHS: usize = 2;
/// The window in which missed gatherings are counted …
pub const MISSED_WINDOW_MONTHS: usize = 3;
/// … and how many of them are worth a word.
pub const MISSED_GATHERINGS_THRESHOLD: u32 = 2;
/// Nothing logged for this many months: the group may have stopped, or stopped logging.
pub const NO_GATHERINGS_MONTHS: usize = 2;
/// How far back drift is looked for: long enough to tell a season from a slide, and to
/// say since when one circle has had the group to itself.
pub const DRIFT_LOOKBACK_MONTHS: u32 = 6;

/// The months to look at for drift, first and last: the trailing
/// [`DRIFT_LOOKBACK_MONTHS`] ending with `current`, but none before the group began
/// (`started`), so that a new group is not warned about months it did not exist.
pub fn lookback(current: YearMonth, started: Option<YearMonth>) -> (YearMonth, YearMonth) {
    let earliest = current.months_back(DRIFT_LOOKBACK_MONTHS - 1);
    let from = started.map_or(earliest, |s| s.max(earliest).min(current));
    (from, current)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DriftKind {
    CircleNeglected,
    SingleCircle,
    NoGuests,
    MissedGatherings,
    NoGatherings,
}
text_enum!(DriftKind {
    CircleNeglected => "CIRCLE_NEGLECTED", SingleCircle => "SINGLE_CIRCLE", NoGuests => "NO_GUESTS",
    MissedGatherings => "MISSED_GATHERINGS", NoGatherings => "NO_GATHERINGS"
});

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DriftWarning {
    pub kind: DriftKind,
    pub message: String,
}

impl DriftWarning {
    fn new(kind: DriftKind, message: String) -> Self {
        Self { kind, message }
    }
}

/// Warnings for the trailing months `cards` (oldest first, ending with the current
/// month), in [`DriftKind`] order. A warning that needs more months of history than
/// given is not raised: a new group has not drifted yet.
pub fn drift_warnings(cards: &[MonthScorecard]) -> Vec<DriftWarning> {
    let mut warnings = circles_neglected(cards);
    warnings.extend(single_circle(cards));
    warnings.extend(no_guests(cards));
    warnings.extend(missed_gatherings(cards));
    warnings.extend(no_gatherings(cards));
    warnings
}

fn last(cards: &[MonthScorecard], n: usize) -> Option<&[MonthScorecard]> {
    cards
        .len()
        .checked_sub(n)
        .and_then(|start| cards.get(start..))
}

/// "in the last 3 months", or "this month" when only the current month is looked at.
fn in_last_months(n: usize) -> String {
    if n == 1 {
        "this month".to_owned()
    } else {
        format!("in the last {n} months")
    }
}

fn circles_neglected(cards: &[MonthScorecard]) -> Vec<DriftWarning> {
    let Some(window) = last(cards, NEGLECT_MONTHS) else {
        return Vec::new();
    };
    // With nothing held at all, every circle is empty and the real news is that the
    // group has not been meeting; that has its own warnings.
    if window.iter().all(|c| c.held == 0) {
        return Vec::new();
    }
    Circle::ALL
        .iter()
        .filter(|circle| {
            window.iter().all(|card| {
                card.circle(**circle)
                    .is_some_and(|s| s.target > 0 && s.count == 0)
            })
        })
        .map(|circle| {
            let what = match circle {
                Circle::Communion => "no Scripture, prayer or meals together",
                Circle::Mission => "no service together",
                Circle::Inclusion => "no party or open table",
            };
            DriftWarning::new(
                DriftKind::CircleNeglected,
                format!("{what} {}", in_last_months(NEGLECT_MONTHS)),
            )
        })
        .collect()
}

fn circles_with_gatherings(card: &MonthScorecard) -> Vec<Circle> {
    card.circles
        .iter()
        .filter(|s| s.count > 0)
        .map(|s| s.circle)
        .collect()
}

fn single_circle(cards: &[MonthScorecard]) -> Option<DriftWarning> {
    let latest = cards.last()?;
    let mut circle: Option<Circle> = None;
    let mut streak: Vec<&MonthScorecard> = Vec::new();
    for card in cards.iter().rev() {
        match circles_with_gatherings(card).as_slice() {
            // A month without circle gatherings (often the month just begun) neither
            // breaks the streak nor lengthens it.
            [] => {}
            [only] if circle.is_none_or(|c| c == *only) => {
                circle = Some(*only);
                streak.push(card);
            }
            _ => break,
        }
    }
    let circle = circle?;
    if streak.len() < SINGLE_CIRCLE_MIN_MONTHS {
        return None;
    }
    // Living in one circle is only drift if the network asks for the others.
    let others_expected = latest
        .circles
        .iter()
        .any(|s| s.circle != circle && s.target > 0);
    if !others_expected {
        return None;
    }
    let started = streak.last()?.month;
    let practices: Vec<Practice> = circle
        .practices()
        .into_iter()
        .filter(|p| streak.iter().any(|card| card.practice_count(*p) > 0))
        .collect();
    let what = match practices.as_slice() {
        [one] => format!("only {} gatherings", one.label()),
        many => format!(
            "only {} gatherings ({})",
            circle.label(),
            many.iter()
                .map(|p| p.plural_label())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Some(DriftWarning::new(
        DriftKind::SingleCircle,
        format!("{what} since {}", month_in_sentence(started, latest.month)),
    ))
}

/// "June", or "December 2025" when the streak began in an earlier year.
fn month_in_sentence(month: YearMonth, current: YearMonth) -> String {
    if month.year() == current.year() {
        month.month_name().to_owned()
    } else {
        format!("{} {}", month.month_name(), month.year())
    }
}

fn no_guests(cards: &[MonthScorecard]) -> Option<DriftWarning> {
    let window = last(cards, NO_GUESTS_MONTHS)?;
    let held: u32 = window.iter().map(|c| c.held).sum();
    let guests: u32 = window.iter().map(|c| c.guests).sum();
    (held > 0 && guests == 0).then(|| {
        DriftWarning::new(
            DriftKind::NoGuests,
            format!(
                "no guests at any gathering {}",
                in_last_months(NO_GUESTS_MONTHS)
            ),
        )
    })
}

fn missed_gatherings(cards: &[MonthScorecard]) -> Option<DriftWarning> {
    // A young group with fewer months is still told: missing twice is missing twice.
    let n = cards.len().min(MISSED_WINDOW_MONTHS);
    let window = last(cards, n)?;
    let missed = window
        .iter()
        .fold(0u32, |sum, c| sum.saturating_add(c.did_not_meet));
    (missed >= MISSED_GATHERINGS_THRESHOLD).then(|| {
        DriftWarning::new(
            DriftKind::MissedGatherings,
            format!("did not meet {missed} times {}", in_last_months(n)),
        )
    })
}

fn no_gatherings(cards: &[MonthScorecard]) -> Option<DriftWarning> {
    let window = last(cards, NO_GATHERINGS_MONTHS)?;
    window
        .iter()
        .all(|c| c.held == 0 && c.did_not_meet == 0)
        .then(|| {
            DriftWarning::new(
                DriftKind::NoGatherings,
                format!(
                    "no gatherings logged {}",
                    in_last_months(NO_GATHERINGS_MONTHS)
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::rhythm::{GatheringFact, GatheringOutcome, RhythmTargets, scorecard};

    use Practice::{Meal, Party, Prayer, PrayerWalk, Scripture, Service, Training};

    /// A gathering in a test month: its practices, whether it was held, and its guests.
    struct G(&'static [Practice], GatheringOutcome, u32);

    fn held(practices: &'static [Practice]) -> G {
        G(practices, GatheringOutcome::Held, 0)
    }

    fn with_guests(practices: &'static [Practice], guests: u32) -> G {
        G(practices, GatheringOutcome::Held, guests)
    }

    fn missed() -> G {
        G(&[Scripture], GatheringOutcome::DidNotMeet, 0)
    }

    fn month(year: i32, month: u32, gatherings: &[G]) -> MonthScorecard {
        month_with(year, month, RhythmTargets::default(), gatherings)
    }

    fn month_with(
        year: i32,
        month: u32,
        targets: RhythmTargets,
        gatherings: &[G],
    ) -> MonthScorecard {
        let ym = YearMonth::new(year, month).unwrap_or_else(|e| panic!("{e}"));
        let facts: Vec<GatheringFact> = gatherings
            .iter()
            .enumerate()
            .map(|(i, g)| GatheringFact {
                starts_at: Utc
                    .with_ymd_and_hms(year, month, 1 + u32::try_from(i).unwrap_or(0), 18, 0, 0)
                    .single()
                    .unwrap_or_else(|| panic!("bad test instant")),
                practices: g.0.to_vec(),
                outcome: g.1,
                member_count_present: 8,
                guest_count: g.2,
            })
            .collect();
        scorecard(ym, chrono_tz::UTC, targets, &facts)
    }

    /// A month that keeps the grid and welcomes a guest: no warning of its own.
    fn healthy(year: i32, m: u32) -> MonthScorecard {
        month(
            year,
            m,
            &[
                held(&[Scripture]),
                held(&[Scripture]),
                held(&[Service]),
                with_guests(&[Party], 3),
            ],
        )
    }

    fn kinds(warnings: &[DriftWarning]) -> Vec<DriftKind> {
        warnings.iter().map(|w| w.kind).collect()
    }

    fn messages(warnings: &[DriftWarning]) -> Vec<&str> {
        warnings.iter().map(|w| w.message.as_str()).collect()
    }

    #[test]
    fn drift_is_looked_for_over_six_months_ending_with_this_one() {
        let current = YearMonth::new(2026, 3).unwrap_or_else(|e| panic!("{e}"));
        let (from, to) = lookback(current, None);
        assert_eq!((from.to_string(), to), ("2025-10".to_owned(), current));
        let long_ago = YearMonth::new(2020, 1).ok();
        assert_eq!(lookback(current, long_ago).0.to_string(), "2025-10");
    }

    #[test]
    fn a_new_group_is_not_looked_at_before_it_began() {
        let current = YearMonth::new(2026, 3).unwrap_or_else(|e| panic!("{e}"));
        let started = YearMonth::new(2026, 2).ok();
        assert_eq!(lookback(current, started).0.to_string(), "2026-02");
        // A launch date in the future still leaves this month to look at.
        let later = YearMonth::new(2026, 9).ok();
        assert_eq!(lookback(current, later), (current, current));
    }

    #[test]
    fn healthy_months_raise_no_warning() {
        let cards = [healthy(2026, 4), healthy(2026, 5), healthy(2026, 6)];
        assert_eq!(drift_warnings(&cards), vec![]);
    }

    #[test]
    fn no_months_raise_no_warning() {
        assert_eq!(drift_warnings(&[]), vec![]);
    }

    #[test]
    fn drift_kinds_round_trip_through_text() {
        for k in DriftKind::ALL {
            assert_eq!(DriftKind::parse(k.as_str()), Some(*k));
        }
    }

    #[test]
    fn three_months_without_service_is_a_neglected_circle() {
        let g = [
            held(&[Scripture]),
            held(&[Scripture]),
            with_guests(&[Party], 2),
        ];
        let cards = [month(2026, 4, &g), month(2026, 5, &g), month(2026, 6, &g)];
        let warnings = drift_warnings(&cards);
        assert_eq!(kinds(&warnings), [DriftKind::CircleNeglected]);
        assert_eq!(
            messages(&warnings),
            ["no service together in the last 3 months"]
        );
    }

    #[test]
    fn every_circle_is_named_in_its_own_words_when_neglected() {
        let g = [held(&[Training])];
        let cards = [month(2026, 4, &g), month(2026, 5, &g), month(2026, 6, &g)];
        let warnings: Vec<DriftWarning> = drift_warnings(&cards)
            .into_iter()
            .filter(|w| w.kind == DriftKind::CircleNeglected)
            .collect();
        assert_eq!(
            messages(&warnings),
            [
                "no Scripture, prayer or meals together in the last 3 months",
                "no service together in the last 3 months",
                "no party or open table in the last 3 months",
            ]
        );
    }

    #[test]
    fn service_in_any_of_the_three_months_means_the_circle_is_not_neglected() {
        let g = [held(&[Scripture]), with_guests(&[Party], 2)];
        let served = [
            held(&[Scripture]),
            held(&[Service]),
            with_guests(&[Party], 2),
        ];
        let cards = [
            month(2026, 4, &served),
            month(2026, 5, &g),
            month(2026, 6, &g),
        ];
        assert!(!kinds(&drift_warnings(&cards)).contains(&DriftKind::CircleNeglected));
    }

    #[test]
    fn only_the_last_three_months_are_looked_at_for_neglect() {
        let g = [held(&[Scripture]), with_guests(&[Party], 2)];
        let served = [held(&[Service]), with_guests(&[Party], 2)];
        let cards = [
            month(2026, 3, &served),
            month(2026, 4, &g),
            month(2026, 5, &g),
            month(2026, 6, &g),
        ];
        assert!(kinds(&drift_warnings(&cards)).contains(&DriftKind::CircleNeglected));
    }

    #[test]
    fn fewer_than_three_months_of_history_cannot_show_neglect() {
        let g = [held(&[Scripture]), with_guests(&[Party], 2)];
        let cards = [month(2026, 5, &g), month(2026, 6, &g)];
        assert!(!kinds(&drift_warnings(&cards)).contains(&DriftKind::CircleNeglected));
    }

    #[test]
    fn a_circle_the_network_does_not_ask_for_is_never_neglected() {
        let targets = RhythmTargets {
            communion: 2,
            mission: 0,
            inclusion: 1,
        };
        let g = [held(&[Scripture]), with_guests(&[Party], 2)];
        let cards = [
            month_with(2026, 4, targets, &g),
            month_with(2026, 5, targets, &g),
            month_with(2026, 6, targets, &g),
        ];
        assert_eq!(drift_warnings(&cards), vec![]);
    }

    #[test]
    fn months_with_nothing_held_do_not_also_report_every_circle_as_neglected() {
        let cards = [
            month(2026, 4, &[]),
            month(2026, 5, &[]),
            month(2026, 6, &[]),
        ];
        let warnings = drift_warnings(&cards);
        assert_eq!(kinds(&warnings), [DriftKind::NoGatherings]);
    }

    #[test]
    fn only_one_practice_for_two_months_names_the_practice_and_the_month_it_started() {
        let cards = [
            healthy(2026, 5),
            month(2026, 6, &[with_guests(&[Scripture], 1)]),
            month(
                2026,
                7,
                &[with_guests(&[Scripture], 1), with_guests(&[Scripture], 1)],
            ),
        ];
        let warnings = drift_warnings(&cards);
        assert_eq!(kinds(&warnings), [DriftKind::SingleCircle]);
        assert_eq!(
            messages(&warnings),
            ["only Scripture gatherings since June"]
        );
    }

    #[test]
    fn several_practices_of_one_circle_name_the_circle_and_its_practices() {
        let cards = [
            month(2026, 6, &[with_guests(&[Scripture, Meal], 1)]),
            month(2026, 7, &[with_guests(&[Prayer], 1)]),
        ];
        let warnings = drift_warnings(&cards);
        assert_eq!(
            messages(&warnings),
            ["only communion gatherings (Scripture, prayer, meals) since June"]
        );
    }

    #[test]
    fn only_mission_gatherings_list_service_and_prayer_walks() {
        let cards = [
            month(2026, 6, &[with_guests(&[Service], 1)]),
            month(2026, 7, &[with_guests(&[PrayerWalk], 1)]),
        ];
        let single: Vec<DriftWarning> = drift_warnings(&cards)
            .into_iter()
            .filter(|w| w.kind == DriftKind::SingleCircle)
            .collect();
        assert_eq!(
            messages(&single),
            ["only mission gatherings (service, prayer walks) since June"]
        );
    }

    #[test]
    fn a_single_circle_streak_begun_last_year_names_the_year() {
        let cards = [
            month(2025, 12, &[with_guests(&[Party], 4)]),
            month(2026, 1, &[with_guests(&[Party], 4)]),
        ];
        let warnings = drift_warnings(&cards);
        assert_eq!(
            messages(&warnings),
            ["only party gatherings since December 2025"]
        );
    }

    #[test]
    fn one_month_in_a_single_circle_is_a_season_not_drift() {
        let cards = [
            healthy(2026, 5),
            month(2026, 6, &[with_guests(&[Scripture], 1)]),
        ];
        assert!(!kinds(&drift_warnings(&cards)).contains(&DriftKind::SingleCircle));
    }

    #[test]
    fn a_month_without_circle_gatherings_neither_breaks_nor_lengthens_the_streak() {
        let scripture = [with_guests(&[Scripture], 1)];
        let cards = [
            healthy(2026, 4),
            month(2026, 5, &scripture),
            month(2026, 6, &[]),
            month(2026, 7, &scripture),
            month(2026, 8, &[]),
        ];
        let single: Vec<DriftWarning> = drift_warnings(&cards)
            .into_iter()
            .filter(|w| w.kind == DriftKind::SingleCircle)
            .collect();
        assert_eq!(messages(&single), ["only Scripture gatherings since May"]);

        let cards = [
            healthy(2026, 6),
            month(2026, 7, &scripture),
            month(2026, 8, &[]),
        ];
        assert!(!kinds(&drift_warnings(&cards)).contains(&DriftKind::SingleCircle));
    }

    #[test]
    fn a_switch_from_one_circle_to_another_ends_the_streak() {
        let cards = [
            month(2026, 5, &[with_guests(&[Party], 1)]),
            month(2026, 6, &[with_guests(&[Scripture], 1)]),
        ];
        assert!(!kinds(&drift_warnings(&cards)).contains(&DriftKind::SingleCircle));
    }

    #[test]
    fn a_gathering_touching_two_circles_is_not_single_circle_life() {
        let both = [with_guests(&[Meal, Party], 2)];
        let cards = [month(2026, 5, &both), month(2026, 6, &both)];
        assert!(!kinds(&drift_warnings(&cards)).contains(&DriftKind::SingleCircle));
    }

    #[test]
    fn single_circle_life_is_fine_where_the_network_asks_for_nothing_else() {
        let targets = RhythmTargets {
            communion: 2,
            mission: 0,
            inclusion: 0,
        };
        let g = [with_guests(&[Scripture], 1)];
        let cards = [
            month_with(2026, 5, targets, &g),
            month_with(2026, 6, targets, &g),
        ];
        assert_eq!(drift_warnings(&cards), vec![]);
    }

    #[test]
    fn two_months_of_gatherings_without_a_guest_is_turning_inward() {
        let g = [
            held(&[Scripture]),
            held(&[Scripture]),
            held(&[Service]),
            held(&[Party]),
        ];
        let cards = [healthy(2026, 4), month(2026, 5, &g), month(2026, 6, &g)];
        let warnings = drift_warnings(&cards);
        assert_eq!(kinds(&warnings), [DriftKind::NoGuests]);
        assert_eq!(
            messages(&warnings),
            ["no guests at any gathering in the last 2 months"]
        );
    }

    #[test]
    fn one_guest_in_the_last_two_months_is_enough() {
        let g = [
            held(&[Scripture]),
            held(&[Scripture]),
            held(&[Service]),
            held(&[Party]),
        ];
        let mut with_one = g.iter().map(|x| G(x.0, x.1, x.2)).collect::<Vec<_>>();
        with_one.push(with_guests(&[Meal], 1));
        let cards = [month(2026, 5, &with_one), month(2026, 6, &g)];
        assert!(!kinds(&drift_warnings(&cards)).contains(&DriftKind::NoGuests));
    }

    #[test]
    fn no_guests_needs_two_months_and_some_gathering_held() {
        let g = [held(&[Scripture])];
        assert!(!kinds(&drift_warnings(&[month(2026, 6, &g)])).contains(&DriftKind::NoGuests));
        let cards = [month(2026, 5, &[]), month(2026, 6, &[])];
        assert!(!kinds(&drift_warnings(&cards)).contains(&DriftKind::NoGuests));
    }

    #[test]
    fn not_meeting_twice_in_three_months_is_worth_a_word() {
        let cards = [
            month(
                2026,
                4,
                &[
                    missed(),
                    held(&[Scripture]),
                    held(&[Scripture]),
                    held(&[Service]),
                    with_guests(&[Party], 2),
                ],
            ),
            healthy(2026, 5),
            month(
                2026,
                6,
                &[
                    missed(),
                    held(&[Scripture]),
                    held(&[Scripture]),
                    held(&[Service]),
                    with_guests(&[Party], 2),
                ],
            ),
        ];
        let warnings = drift_warnings(&cards);
        assert_eq!(kinds(&warnings), [DriftKind::MissedGatherings]);
        assert_eq!(
            messages(&warnings),
            ["did not meet 2 times in the last 3 months"]
        );
    }

    #[test]
    fn not_meeting_once_is_life_not_drift() {
        let cards = [
            healthy(2026, 4),
            healthy(2026, 5),
            month(
                2026,
                6,
                &[
                    missed(),
                    held(&[Scripture]),
                    held(&[Scripture]),
                    held(&[Service]),
                    with_guests(&[Party], 2),
                ],
            ),
        ];
        assert_eq!(drift_warnings(&cards), vec![]);
    }

    #[test]
    fn missed_gatherings_older_than_three_months_are_forgotten() {
        let cards = [
            month(
                2026,
                3,
                &[
                    missed(),
                    missed(),
                    held(&[Scripture]),
                    held(&[Scripture]),
                    held(&[Service]),
                    with_guests(&[Party], 2),
                ],
            ),
            healthy(2026, 4),
            healthy(2026, 5),
            healthy(2026, 6),
        ];
        assert_eq!(drift_warnings(&cards), vec![]);
    }

    #[test]
    fn a_young_group_that_missed_twice_this_month_is_told_so() {
        let cards = [month(2026, 6, &[missed(), missed()])];
        let warnings = drift_warnings(&cards);
        assert_eq!(messages(&warnings), ["did not meet 2 times this month"]);
    }

    #[test]
    fn two_months_with_nothing_logged_says_so() {
        let cards = [healthy(2026, 4), month(2026, 5, &[]), month(2026, 6, &[])];
        let warnings = drift_warnings(&cards);
        assert_eq!(kinds(&warnings), [DriftKind::NoGatherings]);
        assert_eq!(
            messages(&warnings),
            ["no gatherings logged in the last 2 months"]
        );
    }

    #[test]
    fn a_logged_did_not_meet_is_not_silence() {
        let cards = [month(2026, 5, &[]), month(2026, 6, &[missed()])];
        assert!(!kinds(&drift_warnings(&cards)).contains(&DriftKind::NoGatherings));
    }

    #[test]
    fn one_empty_month_is_not_yet_silence() {
        let cards = [healthy(2026, 5), month(2026, 6, &[])];
        assert_eq!(drift_warnings(&cards), vec![]);
        assert_eq!(drift_warnings(&[month(2026, 6, &[])]), vec![]);
    }

    #[test]
    fn several_warnings_come_in_kind_order() {
        let scripture_only = [held(&[Scripture]), missed()];
        let cards = [
            month(2026, 4, &scripture_only),
            month(2026, 5, &scripture_only),
            month(2026, 6, &scripture_only),
        ];
        assert_eq!(
            kinds(&drift_warnings(&cards)),
            [
                DriftKind::CircleNeglected,
                DriftKind::CircleNeglected,
                DriftKind::SingleCircle,
                DriftKind::NoGuests,
                DriftKind::MissedGatherings,
            ]
        );
    }
}
