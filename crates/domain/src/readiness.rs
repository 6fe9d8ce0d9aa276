//! Multiplication readiness: is this community strong enough to share itself and start
//! another? A network sets the thresholds; every criterion says in plain words how far
//! the group is, so "not yet" is a direction rather than a verdict.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{YearMonth, local_month, month_bounds_utc};
use crate::community::text_enum;
use crate::development::{CoreSkill, DevelopmentStage, missing_skills};
use crate::rhythm::{
    GatheringFact, GatheringOutcome, MAX_SCORECARD_MONTHS, MonthScorecard, RhythmTargets,
    kept_the_grid, scorecards,
};
use crate::{DomainError, DomainResult};

/// Ten years of meeting is a mature group; a larger threshold is a typing mistake.
pub const MAX_MONTHS_MEETING: u32 = 120;
/// As large as a healthy group can be configured to grow.
pub const MAX_MEMBERS: u32 = 500;
/// Windows are looked up as monthly grids, which are shown at most this many at a time.
pub const MAX_WINDOW_MONTHS: u32 = 36;
/// Counts of gatherings or needs above this within a window are not a plausible bar.
pub const MAX_COUNT: u32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReadinessThresholds {
    pub min_months_meeting: u32,
    pub min_members: u32,
    /// How many recent complete months the grid is judged over …
    pub grid_window_months: u32,
    /// … and in how many of them it must have been kept.
    pub min_months_kept: u32,
    /// How many recent months guests are counted over …
    pub guest_window_months: u32,
    /// … and at how many gatherings there must have been guests.
    pub min_gatherings_with_guests: u32,
    /// How many needs must have been met …
    pub min_needs_met: u32,
    /// … within this many recent months.
    pub needs_window_months: u32,
}

impl Default for ReadinessThresholds {
    fn default() -> Self {
        Self {
            min_months_meeting: 9,
            min_members: 10,
            grid_window_months: 6,
            min_months_kept: 4,
            guest_window_months: 3,
            min_gatherings_with_guests: 3,
            min_needs_met: 1,
            needs_window_months: 6,
        }
    }
}

/// Thresholds set on one level (a community or an organization); unset ones are
/// inherited from the next level up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct ReadinessThresholdsOverride {
    pub min_months_meeting: Option<u32>,
    pub min_members: Option<u32>,
    pub grid_window_months: Option<u32>,
    pub min_months_kept: Option<u32>,
    pub guest_window_months: Option<u32>,
    pub min_gatherings_with_guests: Option<u32>,
    pub min_needs_met: Option<u32>,
    pub needs_window_months: Option<u32>,
}

/// Overrides as a client sends them, before validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadinessThresholdsDraft {
    pub min_months_meeting: Option<i64>,
    pub min_members: Option<i64>,
    pub grid_window_months: Option<i64>,
    pub min_months_kept: Option<i64>,
    pub guest_window_months: Option<i64>,
    pub min_gatherings_with_guests: Option<i64>,
    pub min_needs_met: Option<i64>,
    pub needs_window_months: Option<i64>,
}

fn bounded(field: &str, value: Option<i64>, min: u32, max: u32) -> DomainResult<Option<u32>> {
    let Some(value) = value else {
        return Ok(None);
    };
    match u32::try_from(value) {
        Ok(v) if (min..=max).contains(&v) => Ok(Some(v)),
        _ => Err(DomainError::invalid(
            field,
            format!("{field} must be between {min} and {max}"),
        )),
    }
}

impl ReadinessThresholdsOverride {
    pub fn parse(draft: ReadinessThresholdsDraft) -> DomainResult<Self> {
        let parsed = Self {
            min_months_meeting: bounded(
                "minMonthsMeeting",
                draft.min_months_meeting,
                0,
                MAX_MONTHS_MEETING,
            )?,
            min_members: bounded("minMembers", draft.min_members, 0, MAX_MEMBERS)?,
            // A window of zero months would look at nothing at all.
            grid_window_months: bounded(
                "gridWindowMonths",
                draft.grid_window_months,
                1,
                MAX_WINDOW_MONTHS,
            )?,
            min_months_kept: bounded("minMonthsKept", draft.min_months_kept, 0, MAX_WINDOW_MONTHS)?,
            guest_window_months: bounded(
                "guestWindowMonths",
                draft.guest_window_months,
                1,
                MAX_WINDOW_MONTHS,
            )?,
            min_gatherings_with_guests: bounded(
                "minGatheringsWithGuests",
                draft.min_gatherings_with_guests,
                0,
                MAX_COUNT,
            )?,
            min_needs_met: bounded("minNeedsMet", draft.min_needs_met, 0, MAX_COUNT)?,
            needs_window_months: bounded(
                "needsWindowMonths",
                draft.needs_window_months,
                1,
                MAX_WINDOW_MONTHS,
            )?,
        };
        if let (Some(kept), Some(window)) = (parsed.min_months_kept, parsed.grid_window_months)
            && kept > window
        {
            return Err(DomainError::invalid(
                "minMonthsKept",
                format!("the grid cannot be kept in {kept} of {window} months"),
            ));
        }
        Ok(parsed)
    }
}

/// `chain` goes nearest-first: the community, its organization, that organization's
/// parent, … up to the root. Per threshold, the nearest value set wins.
pub fn resolve_readiness(chain: &[ReadinessThresholdsOverride]) -> ReadinessThresholds {
    let d = ReadinessThresholds::default();
    let pick = |get: fn(&ReadinessThresholdsOverride) -> Option<u32>, default: u32| {
        chain.iter().find_map(get).unwrap_or(default)
    };
    let grid_window_months = pick(|o| o.grid_window_months, d.grid_window_months);
    ReadinessThresholds {
        min_months_meeting: pick(|o| o.min_months_meeting, d.min_months_meeting),
        min_members: pick(|o| o.min_members, d.min_members),
        grid_window_months,
        // The bar and the window may come from different levels; a bar that no group
        // could ever reach is a configuration slip, so it is capped at the window.
        min_months_kept: pick(|o| o.min_months_kept, d.min_months_kept).min(grid_window_months),
        guest_window_months: pick(|o| o.guest_window_months, d.guest_window_months),
        min_gatherings_with_guests: pick(
            |o| o.min_gatherings_with_guests,
            d.min_gatherings_with_guests,
        ),
        min_needs_met: pick(|o| o.min_needs_met, d.min_needs_met),
        needs_window_months: pick(|o| o.needs_window_months, d.needs_window_months),
    }
}

/// An apprentice and how far they have come in each core skill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprenticeProgress {
    pub name: String,
    pub stages: Vec<(CoreSkill, DevelopmentStage)>,
}

/// What the readiness check looks at, gathered by the caller over the thresholds' windows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadinessInput {
    pub launched_on: Option<NaiveDate>,
    pub today: NaiveDate,
    pub members: u32,
    pub apprentices: Vec<ApprenticeProgress>,
    /// The last `grid_window_months` complete months, oldest first.
    pub recent_cards: Vec<MonthScorecard>,
    /// Held gatherings with at least one guest in the last `guest_window_months`.
    pub gatherings_with_guests: u32,
    /// Needs closed as MET in the last `needs_window_months`.
    pub needs_met: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReadinessCriterionKind {
    MeetingLongEnough,
    BigEnough,
    ApprenticeReady,
    KeptRhythms,
    TurnedOutward,
    NeedsMet,
}
text_enum!(ReadinessCriterionKind {
    MeetingLongEnough => "MEETING_LONG_ENOUGH", BigEnough => "BIG_ENOUGH",
    ApprenticeReady => "APPRENTICE_READY", KeptRhythms => "KEPT_RHYTHMS",
    TurnedOutward => "TURNED_OUTWARD", NeedsMet => "NEEDS_MET"
});

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReadinessCriterion {
    pub kind: ReadinessCriterionKind,
    pub passed: bool,
    pub reason: String,
}

/// Kept with the multiplication event as JSON, so the reasons a group was judged ready
/// remain part of its history.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReadinessReport {
    /// One per kind, in [`ReadinessCriterionKind::ALL`] order.
    pub criteria: Vec<ReadinessCriterion>,
    pub ready: bool,
}

/// Whole months from `from` to `to` (0 when `to` is earlier). A month is whole when the
/// same day of the month comes round; from the 31st, the last day of a shorter month
/// counts as that day.
pub fn whole_months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from {
        return 0;
    }
    let span = (i64::from(to.year()) - i64::from(from.year())) * 12 + i64::from(to.month())
        - i64::from(from.month());
    let mut months = u32::try_from(span).unwrap_or(0);
    if from
        .checked_add_months(Months::new(months))
        .is_none_or(|d| d > to)
    {
        months = months.saturating_sub(1);
    }
    months
}

fn count(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn last_months(n: u32) -> String {
    if n == 1 {
        "the last month".to_owned()
    } else {
        format!("the last {n} months")
    }
}

fn criterion(kind: ReadinessCriterionKind, passed: bool, reason: String) -> ReadinessCriterion {
    ReadinessCriterion {
        kind,
        passed,
        reason,
    }
}

fn meeting_long_enough(input: &ReadinessInput, t: &ReadinessThresholds) -> ReadinessCriterion {
    let kind = ReadinessCriterionKind::MeetingLongEnough;
    let Some(launched_on) = input.launched_on else {
        return criterion(kind, false, "not launched yet".to_owned());
    };
    let months = whole_months_between(launched_on, input.today);
    criterion(
        kind,
        months >= t.min_months_meeting,
        format!(
            "meeting for {} (needs {})",
            count(months, "month", "months"),
            t.min_months_meeting
        ),
    )
}

fn big_enough(input: &ReadinessInput, t: &ReadinessThresholds) -> ReadinessCriterion {
    criterion(
        ReadinessCriterionKind::BigEnough,
        input.members >= t.min_members,
        format!(
            "{} (needs {})",
            count(input.members, "member", "members"),
            t.min_members
        ),
    )
}

fn apprentice_ready(input: &ReadinessInput) -> ReadinessCriterion {
    let kind = ReadinessCriterionKind::ApprenticeReady;
    if input.apprentices.is_empty() {
        return criterion(kind, false, "no apprentice yet".to_owned());
    }
    let (ready, growing): (Vec<_>, Vec<_>) = input
        .apprentices
        .iter()
        .map(|a| (a.name.as_str(), missing_skills(&a.stages)))
        .partition(|(_, missing)| missing.is_empty());
    if !ready.is_empty() {
        let names: Vec<&str> = ready.iter().map(|(name, _)| *name).collect();
        let label = if names.len() == 1 {
            "apprentice ready"
        } else {
            "apprentices ready"
        };
        return criterion(kind, true, format!("{label}: {}", names.join(", ")));
    }
    let still: Vec<String> = growing
        .iter()
        .map(|(name, missing)| {
            let skills: Vec<&str> = missing.iter().map(|s| s.label()).collect();
            format!("{name} still needs to grow in {}", skills.join(", "))
        })
        .collect();
    criterion(
        kind,
        false,
        format!("no apprentice is ready yet: {}", still.join("; ")),
    )
}

fn kept_rhythms(input: &ReadinessInput, t: &ReadinessThresholds) -> ReadinessCriterion {
    let window = usize::try_from(t.grid_window_months).unwrap_or(usize::MAX);
    let cards = &input.recent_cards;
    let recent = cards
        .get(cards.len().saturating_sub(window)..)
        .unwrap_or_default();
    // Months missing from the input were not kept: a young group is not ready by default.
    let kept =
        u32::try_from(recent.iter().filter(|c| kept_the_grid(c)).count()).unwrap_or(u32::MAX);
    criterion(
        ReadinessCriterionKind::KeptRhythms,
        kept >= t.min_months_kept,
        format!(
            "kept the grid in {kept} of {} (needs {})",
            last_months(t.grid_window_months),
            t.min_months_kept
        ),
    )
}

fn turned_outward(input: &ReadinessInput, t: &ReadinessThresholds) -> ReadinessCriterion {
    criterion(
        ReadinessCriterionKind::TurnedOutward,
        input.gatherings_with_guests >= t.min_gatherings_with_guests,
        format!(
            "guests at {} in {} (needs {})",
            count(input.gatherings_with_guests, "gathering", "gatherings"),
            last_months(t.guest_window_months),
            t.min_gatherings_with_guests
        ),
    )
}

fn needs_met(input: &ReadinessInput, t: &ReadinessThresholds) -> ReadinessCriterion {
    criterion(
        ReadinessCriterionKind::NeedsMet,
        input.needs_met >= t.min_needs_met,
        format!(
            "{} in {} (needs {})",
            count(input.needs_met, "need met", "needs met"),
            last_months(t.needs_window_months),
            t.min_needs_met
        ),
    )
}

pub fn assess_readiness(
    input: &ReadinessInput,
    thresholds: &ReadinessThresholds,
) -> ReadinessReport {
    let criteria = vec![
        meeting_long_enough(input, thresholds),
        big_enough(input, thresholds),
        apprentice_ready(input),
        kept_rhythms(input, thresholds),
        turned_outward(input, thresholds),
        needs_met(input, thresholds),
    ];
    ReadinessReport {
        ready: criteria.iter().all(|c| c.passed),
        criteria,
    }
}

/// The same report for someone who may see numbers but not people (a REPORTER): the
/// apprentice criterion says how many apprentices are ready or growing, never who.
pub fn assess_readiness_without_names(
    input: &ReadinessInput,
    thresholds: &ReadinessThresholds,
) -> ReadinessReport {
    let mut report = assess_readiness(input, thresholds);
    let ready = input
        .apprentices
        .iter()
        .filter(|a| missing_skills(&a.stages).is_empty())
        .count();
    let growing = input.apprentices.len() - ready;
    let nameless = |n: usize| {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        count(n, "apprentice", "apprentices")
    };
    for criterion in &mut report.criteria {
        if criterion.kind == ReadinessCriterionKind::ApprenticeReady {
            criterion.reason = if input.apprentices.is_empty() {
                "no apprentice yet".to_owned()
            } else if ready > 0 {
                format!("{} ready", nameless(ready))
            } else {
                format!("no apprentice is ready yet ({} growing)", nameless(growing))
            };
        }
    }
    report
}

/// The stretches of time readiness looks at, on the community's own calendar: the grid
/// over the last complete local months (the current month is still being lived), guests
/// and needs over rolling windows that end now, so last week's party already counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadinessWindows {
    pub now: DateTime<Utc>,
    pub time_zone: chrono_tz::Tz,
    /// The community's date now.
    pub today: NaiveDate,
    /// The first and last month of the grid window, both complete.
    pub grid_from: YearMonth,
    pub grid_to: YearMonth,
    pub guests_since: DateTime<Utc>,
    pub needs_since: DateTime<Utc>,
}

impl ReadinessWindows {
    pub fn new(
        thresholds: &ReadinessThresholds,
        now: DateTime<Utc>,
        time_zone: chrono_tz::Tz,
    ) -> Self {
        let today = now.with_timezone(&time_zone).date_naive();
        let grid_to = local_month(now, time_zone).prev();
        // Stored thresholds were validated; the clamp keeps the scorecards' bound a fact.
        let grid_months = thresholds.grid_window_months.clamp(1, MAX_WINDOW_MONTHS);
        let months_ago = |months: u32| {
            let start = today
                .checked_sub_months(Months::new(months))
                .unwrap_or(NaiveDate::MIN);
            now.checked_sub_signed(today - start)
                .unwrap_or(DateTime::<Utc>::MIN_UTC)
        };
        Self {
            now,
            time_zone,
            today,
            grid_from: grid_to.months_back(grid_months - 1),
            grid_to,
            guests_since: months_ago(thresholds.guest_window_months),
            needs_since: months_ago(thresholds.needs_window_months),
        }
    }

    /// The earliest gathering any window looks at.
    pub fn gatherings_from(&self) -> DateTime<Utc> {
        month_bounds_utc(self.grid_from, self.time_zone)
            .0
            .min(self.guests_since)
    }
}

/// What storage knows of one community, read over its [`ReadinessWindows`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadinessFacts {
    pub launched_on: Option<NaiveDate>,
    pub members: u32,
    pub apprentices: Vec<ApprenticeProgress>,
    /// Gatherings starting from [`ReadinessWindows::gatherings_from`] on.
    pub gatherings: Vec<GatheringFact>,
    /// When each need closed as MET was closed (older ones are left out by the window).
    pub needs_met_at: Vec<DateTime<Utc>>,
}

/// Turns the facts into what [`assess_readiness`] judges.
pub fn readiness_input(
    facts: ReadinessFacts,
    windows: &ReadinessWindows,
    targets: RhythmTargets,
) -> DomainResult<ReadinessInput> {
    let in_window = |at: DateTime<Utc>, since: DateTime<Utc>| since <= at && at <= windows.now;
    let recent_cards = scorecards(
        windows.grid_from,
        windows.grid_to,
        windows.time_zone,
        targets,
        &facts.gatherings,
    )?;
    let gatherings_with_guests = facts
        .gatherings
        .iter()
        .filter(|g| {
            g.outcome == GatheringOutcome::Held
                && g.guest_count > 0
                && in_window(g.starts_at, windows.guests_since)
        })
        .count();
    let needs_met = facts
        .needs_met_at
        .iter()
        .filter(|at| in_window(**at, windows.needs_since))
        .count();
    Ok(ReadinessInput {
        launched_on: facts.launched_on,
        today: windows.today,
        members: facts.members,
        apprentices: facts.apprentices,
        recent_cards,
        gatherings_with_guests: u32::try_from(gatherings_with_guests).unwrap_or(u32::MAX),
        needs_met: u32::try_from(needs_met).unwrap_or(u32::MAX),
    })
}

// The grid window is fetched as scorecards, so it may not exceed what they allow.
const _: () = assert!(MAX_WINDOW_MONTHS as i64 <= MAX_SCORECARD_MONTHS);

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::practice::Practice;
    use crate::rhythm::{GatheringFact, GatheringOutcome, RhythmTargets, scorecard};

    use CoreSkill::{CoachingApprentice, FacilitatingGathering, HostingParty, LeadingService};
    use DevelopmentStage::{Assist, Leave, Model, Watch};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("bad test date"))
    }

    fn card(month: u32, kept: bool) -> MonthScorecard {
        let ym = YearMonth::new(2026, month).unwrap_or_else(|e| panic!("{e}"));
        let practices = if kept {
            vec![Practice::Scripture, Practice::Service, Practice::Party]
        } else {
            vec![Practice::Scripture]
        };
        let facts: Vec<GatheringFact> = (1..=2)
            .map(|d| GatheringFact {
                starts_at: Utc
                    .with_ymd_and_hms(2026, month, d, 18, 0, 0)
                    .single()
                    .unwrap_or_else(|| panic!("bad test instant")),
                practices: practices.clone(),
                outcome: GatheringOutcome::Held,
                member_count_present: 10,
                guest_count: 1,
            })
            .collect();
        scorecard(ym, chrono_tz::UTC, RhythmTargets::default(), &facts)
    }

    fn ready_stages() -> Vec<(CoreSkill, DevelopmentStage)> {
        vec![
            (FacilitatingGathering, Leave),
            (LeadingService, Watch),
            (HostingParty, Watch),
            (CoachingApprentice, Watch),
        ]
    }

    fn maria(stages: Vec<(CoreSkill, DevelopmentStage)>) -> ApprenticeProgress {
        ApprenticeProgress {
            name: "Maria".into(),
            stages,
        }
    }

    fn ready_input() -> ReadinessInput {
        ReadinessInput {
            launched_on: Some(day(2025, 5, 10)),
            today: day(2026, 7, 15),
            members: 12,
            apprentices: vec![maria(ready_stages())],
            recent_cards: vec![
                card(1, true),
                card(2, false),
                card(3, true),
                card(4, true),
                card(5, false),
                card(6, true),
            ],
            gatherings_with_guests: 3,
            needs_met: 1,
        }
    }

    fn get(input: &ReadinessInput, kind: ReadinessCriterionKind) -> (bool, String) {
        let report = assess_readiness(input, &ReadinessThresholds::default());
        report
            .criteria
            .into_iter()
            .find(|c| c.kind == kind)
            .map(|c| (c.passed, c.reason))
            .unwrap_or_else(|| panic!("no {kind:?} criterion"))
    }

    fn field_of<T: std::fmt::Debug>(r: DomainResult<T>) -> String {
        match r {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("expected invalid input, got {other:?}"),
        }
    }

    #[test]
    fn the_default_thresholds_are_the_coached_ones() {
        let t = ReadinessThresholds::default();
        assert_eq!(
            (
                t.min_months_meeting,
                t.min_members,
                t.grid_window_months,
                t.min_months_kept,
                t.guest_window_months,
                t.min_gatherings_with_guests,
                t.min_needs_met,
                t.needs_window_months
            ),
            (9, 10, 6, 4, 3, 3, 1, 6)
        );
    }

    #[test]
    fn a_group_meeting_every_criterion_is_ready() {
        let report = assess_readiness(&ready_input(), &ReadinessThresholds::default());
        assert!(report.ready, "{report:?}");
        let kinds: Vec<ReadinessCriterionKind> = report.criteria.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, ReadinessCriterionKind::ALL.to_vec());
        let reasons: Vec<&str> = report.criteria.iter().map(|c| c.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "meeting for 14 months (needs 9)",
                "12 members (needs 10)",
                "apprentice ready: Maria",
                "kept the grid in 4 of the last 6 months (needs 4)",
                "guests at 3 gatherings in the last 3 months (needs 3)",
                "1 need met in the last 6 months (needs 1)",
            ]
        );
    }

    #[test]
    fn one_criterion_short_is_not_ready() {
        let input = ReadinessInput {
            needs_met: 0,
            ..ready_input()
        };
        let report = assess_readiness(&input, &ReadinessThresholds::default());
        assert!(!report.ready);
        assert_eq!(report.criteria.iter().filter(|c| !c.passed).count(), 1);
    }

    #[test]
    fn criterion_kinds_round_trip_through_text() {
        for k in ReadinessCriterionKind::ALL {
            assert_eq!(ReadinessCriterionKind::parse(k.as_str()), Some(*k));
        }
    }

    #[test]
    fn a_group_not_yet_launched_has_not_been_meeting() {
        let input = ReadinessInput {
            launched_on: None,
            ..ready_input()
        };
        assert_eq!(
            get(&input, ReadinessCriterionKind::MeetingLongEnough),
            (false, "not launched yet".into())
        );
    }

    #[test]
    fn a_group_meeting_fewer_months_than_needed_is_told_how_many() {
        let input = ReadinessInput {
            launched_on: Some(day(2026, 1, 20)),
            today: day(2026, 7, 15),
            ..ready_input()
        };
        assert_eq!(
            get(&input, ReadinessCriterionKind::MeetingLongEnough),
            (false, "meeting for 5 months (needs 9)".into())
        );
    }

    #[test]
    fn meeting_exactly_the_threshold_passes() {
        let input = ReadinessInput {
            launched_on: Some(day(2025, 10, 15)),
            today: day(2026, 7, 15),
            ..ready_input()
        };
        assert_eq!(
            get(&input, ReadinessCriterionKind::MeetingLongEnough),
            (true, "meeting for 9 months (needs 9)".into())
        );
    }

    #[test]
    fn whole_months_count_only_when_the_day_comes_round() {
        assert_eq!(whole_months_between(day(2026, 1, 15), day(2026, 2, 14)), 0);
        assert_eq!(whole_months_between(day(2026, 1, 15), day(2026, 2, 15)), 1);
        assert_eq!(whole_months_between(day(2025, 12, 31), day(2026, 2, 28)), 2);
        assert_eq!(whole_months_between(day(2026, 1, 31), day(2026, 2, 27)), 0);
        assert_eq!(whole_months_between(day(2024, 3, 1), day(2026, 3, 1)), 24);
        assert_eq!(whole_months_between(day(2026, 3, 1), day(2026, 3, 1)), 0);
        assert_eq!(whole_months_between(day(2026, 3, 1), day(2025, 3, 1)), 0);
    }

    #[test]
    fn a_group_launching_in_the_future_has_met_for_no_months() {
        let input = ReadinessInput {
            launched_on: Some(day(2026, 9, 1)),
            ..ready_input()
        };
        assert_eq!(
            get(&input, ReadinessCriterionKind::MeetingLongEnough),
            (false, "meeting for 0 months (needs 9)".into())
        );
    }

    #[test]
    fn a_group_with_enough_members_is_big_enough() {
        let input = ReadinessInput {
            members: 10,
            ..ready_input()
        };
        assert_eq!(
            get(&input, ReadinessCriterionKind::BigEnough),
            (true, "10 members (needs 10)".into())
        );
    }

    #[test]
    fn a_small_group_is_not_yet_big_enough() {
        let input = ReadinessInput {
            members: 1,
            ..ready_input()
        };
        assert_eq!(
            get(&input, ReadinessCriterionKind::BigEnough),
            (false, "1 member (needs 10)".into())
        );
    }

    #[test]
    fn an_apprentice_still_growing_is_named_with_the_skills_to_grow_in() {
        let input = ReadinessInput {
            apprentices: vec![maria(vec![
                (FacilitatingGathering, Watch),
                (LeadingService, Leave),
                (HostingParty, Assist),
            ])],
            ..ready_input()
        };
        assert_eq!(
            get(&input, ReadinessCriterionKind::ApprenticeReady),
            (
                false,
                "no apprentice is ready yet: Maria still needs to grow in hosting a party, coaching an apprentice"
                    .into()
            )
        );
    }

    #[test]
    fn every_growing_apprentice_is_named() {
        let input = ReadinessInput {
            apprentices: vec![
                maria(vec![(FacilitatingGathering, Model)]),
                ApprenticeProgress {
                    name: "Jo".into(),
                    stages: vec![
                        (FacilitatingGathering, Watch),
                        (LeadingService, Watch),
                        (HostingParty, Watch),
                    ],
                },
            ],
            ..ready_input()
        };
        let (passed, reason) = get(&input, ReadinessCriterionKind::ApprenticeReady);
        assert!(!passed);
        assert_eq!(
            reason,
            "no apprentice is ready yet: Maria still needs to grow in facilitating a gathering, \
             leading service, hosting a party, coaching an apprentice; \
             Jo still needs to grow in coaching an apprentice"
        );
    }

    #[test]
    fn one_ready_apprentice_among_several_is_enough() {
        let input = ReadinessInput {
            apprentices: vec![
                ApprenticeProgress {
                    name: "Jo".into(),
                    stages: vec![],
                },
                maria(ready_stages()),
                ApprenticeProgress {
                    name: "Sam".into(),
                    stages: ready_stages(),
                },
            ],
            ..ready_input()
        };
        assert_eq!(
            get(&input, ReadinessCriterionKind::ApprenticeReady),
            (true, "apprentices ready: Maria, Sam".into())
        );
    }

    #[test]
    fn a_group_without_an_apprentice_is_not_ready() {
        let input = ReadinessInput {
            apprentices: vec![],
            ..ready_input()
        };
        assert_eq!(
            get(&input, ReadinessCriterionKind::ApprenticeReady),
            (false, "no apprentice yet".into())
        );
    }

    #[test]
    fn keeping_the_grid_too_rarely_is_not_enough() {
        let input = ReadinessInput {
            recent_cards: vec![
                card(1, true),
                card(2, false),
                card(3, true),
                card(4, false),
                card(5, false),
                card(6, true),
            ],
            ..ready_input()
        };
        assert_eq!(
            get(&input, ReadinessCriterionKind::KeptRhythms),
            (
                false,
                "kept the grid in 3 of the last 6 months (needs 4)".into()
            )
        );
    }

    #[test]
    fn only_the_months_in_the_window_count_and_missing_months_are_not_kept() {
        // Eight months given; only the last six are judged.
        let mut input = ReadinessInput {
            recent_cards: vec![card(1, true), card(2, true)],
            ..ready_input()
        };
        input.recent_cards.extend(vec![
            card(3, false),
            card(4, false),
            card(5, true),
            card(6, true),
            card(7, true),
            card(8, false),
        ]);
        assert!(!get(&input, ReadinessCriterionKind::KeptRhythms).0);
        let short = ReadinessInput {
            recent_cards: vec![card(5, true), card(6, true), card(7, true)],
            ..ready_input()
        };
        assert_eq!(
            get(&short, ReadinessCriterionKind::KeptRhythms),
            (
                false,
                "kept the grid in 3 of the last 6 months (needs 4)".into()
            )
        );
    }

    #[test]
    fn too_few_gatherings_with_guests_is_not_yet_turned_outward() {
        let input = ReadinessInput {
            gatherings_with_guests: 1,
            ..ready_input()
        };
        assert_eq!(
            get(&input, ReadinessCriterionKind::TurnedOutward),
            (
                false,
                "guests at 1 gathering in the last 3 months (needs 3)".into()
            )
        );
    }

    #[test]
    fn no_needs_met_is_not_ready() {
        let input = ReadinessInput {
            needs_met: 0,
            ..ready_input()
        };
        assert_eq!(
            get(&input, ReadinessCriterionKind::NeedsMet),
            (false, "0 needs met in the last 6 months (needs 1)".into())
        );
    }

    #[test]
    fn a_network_may_lower_or_raise_the_bar() {
        let t = ReadinessThresholds {
            min_members: 14,
            guest_window_months: 1,
            ..ReadinessThresholds::default()
        };
        let report = assess_readiness(&ready_input(), &t);
        assert!(!report.ready);
        let reasons: Vec<&str> = report.criteria.iter().map(|c| c.reason.as_str()).collect();
        assert!(reasons.contains(&"12 members (needs 14)"), "{reasons:?}");
        assert!(
            reasons.contains(&"guests at 3 gatherings in the last month (needs 3)"),
            "{reasons:?}"
        );
    }

    #[test]
    fn thresholds_resolve_nearest_first_per_field() {
        let community = ReadinessThresholdsOverride {
            min_members: Some(8),
            ..Default::default()
        };
        let network = ReadinessThresholdsOverride {
            min_members: Some(15),
            min_months_meeting: Some(12),
            ..Default::default()
        };
        let t = resolve_readiness(&[community, network]);
        assert_eq!(t.min_members, 8);
        assert_eq!(t.min_months_meeting, 12);
        assert_eq!(t.grid_window_months, 6);
        assert_eq!(resolve_readiness(&[]), ReadinessThresholds::default());
    }

    #[test]
    fn a_bar_above_its_window_from_another_level_is_capped_at_the_window() {
        let community = ReadinessThresholdsOverride {
            grid_window_months: Some(3),
            ..Default::default()
        };
        let t = resolve_readiness(&[community]);
        assert_eq!((t.grid_window_months, t.min_months_kept), (3, 3));
    }

    #[test]
    fn overrides_are_validated_on_their_own_fields() {
        let cases = [
            (
                ReadinessThresholdsDraft {
                    min_months_meeting: Some(-1),
                    ..Default::default()
                },
                "minMonthsMeeting",
            ),
            (
                ReadinessThresholdsDraft {
                    min_months_meeting: Some(121),
                    ..Default::default()
                },
                "minMonthsMeeting",
            ),
            (
                ReadinessThresholdsDraft {
                    min_members: Some(501),
                    ..Default::default()
                },
                "minMembers",
            ),
            (
                ReadinessThresholdsDraft {
                    grid_window_months: Some(0),
                    ..Default::default()
                },
                "gridWindowMonths",
            ),
            (
                ReadinessThresholdsDraft {
                    grid_window_months: Some(37),
                    ..Default::default()
                },
                "gridWindowMonths",
            ),
            (
                ReadinessThresholdsDraft {
                    min_months_kept: Some(-2),
                    ..Default::default()
                },
                "minMonthsKept",
            ),
            (
                ReadinessThresholdsDraft {
                    guest_window_months: Some(0),
                    ..Default::default()
                },
                "guestWindowMonths",
            ),
            (
                ReadinessThresholdsDraft {
                    min_gatherings_with_guests: Some(101),
                    ..Default::default()
                },
                "minGatheringsWithGuests",
            ),
            (
                ReadinessThresholdsDraft {
                    min_needs_met: Some(i64::MIN),
                    ..Default::default()
                },
                "minNeedsMet",
            ),
            (
                ReadinessThresholdsDraft {
                    needs_window_months: Some(40),
                    ..Default::default()
                },
                "needsWindowMonths",
            ),
            (
                ReadinessThresholdsDraft {
                    grid_window_months: Some(3),
                    min_months_kept: Some(4),
                    ..Default::default()
                },
                "minMonthsKept",
            ),
        ];
        for (draft, field) in cases {
            assert_eq!(
                field_of(ReadinessThresholdsOverride::parse(draft)),
                field,
                "{draft:?}"
            );
        }
    }

    #[test]
    fn valid_overrides_keep_what_was_set_and_nothing_else() {
        let draft = ReadinessThresholdsDraft {
            min_members: Some(0),
            grid_window_months: Some(12),
            min_months_kept: Some(12),
            ..Default::default()
        };
        assert_eq!(
            ReadinessThresholdsOverride::parse(draft).ok(),
            Some(ReadinessThresholdsOverride {
                min_members: Some(0),
                grid_window_months: Some(12),
                min_months_kept: Some(12),
                ..Default::default()
            })
        );
        assert_eq!(
            ReadinessThresholdsOverride::parse(ReadinessThresholdsDraft::default()).ok(),
            Some(ReadinessThresholdsOverride::default())
        );
    }

    #[test]
    fn a_reporter_learns_how_many_apprentices_are_ready_but_never_who() {
        let t = ReadinessThresholds::default();
        let reason_for = |apprentices: Vec<ApprenticeProgress>| {
            let input = ReadinessInput {
                apprentices,
                ..ready_input()
            };
            let report = assess_readiness_without_names(&input, &t);
            assert_eq!(
                report.ready,
                assess_readiness(&input, &t).ready,
                "hiding names changes no verdict"
            );
            report
                .criteria
                .into_iter()
                .find(|c| c.kind == ReadinessCriterionKind::ApprenticeReady)
                .map(|c| c.reason)
                .unwrap_or_default()
        };
        assert_eq!(
            reason_for(vec![maria(ready_stages())]),
            "1 apprentice ready"
        );
        assert_eq!(
            reason_for(vec![
                maria(ready_stages()),
                ApprenticeProgress {
                    name: "Sam".into(),
                    stages: ready_stages(),
                },
            ]),
            "2 apprentices ready"
        );
        assert_eq!(
            reason_for(vec![maria(vec![(HostingParty, Assist)])]),
            "no apprentice is ready yet (1 apprentice growing)"
        );
        assert_eq!(reason_for(vec![]), "no apprentice yet");
    }

    #[test]
    fn the_other_reasons_a_reporter_reads_are_the_same() {
        let t = ReadinessThresholds::default();
        let named = assess_readiness(&ready_input(), &t);
        let nameless = assess_readiness_without_names(&ready_input(), &t);
        for (a, b) in named.criteria.iter().zip(&nameless.criteria) {
            if a.kind != ReadinessCriterionKind::ApprenticeReady {
                assert_eq!(a, b);
            }
            assert!(!b.reason.contains("Maria"), "{b:?}");
        }
    }

    fn instant(y: i32, m: u32, d: u32, h: u32) -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .unwrap_or_else(|| panic!("bad test instant"))
    }

    #[test]
    fn the_grid_is_judged_over_the_last_complete_months_of_the_communitys_own_calendar() {
        // 03:00 UTC on 1 March is still 28 February in Los Angeles: February is not over.
        let now = instant(2026, 3, 1, 3);
        let la = chrono_tz::America::Los_Angeles;
        let w = ReadinessWindows::new(&ReadinessThresholds::default(), now, la);
        assert_eq!(w.today, day(2026, 2, 28));
        assert_eq!(
            w.grid_to,
            YearMonth::new(2026, 1).unwrap_or_else(|e| panic!("{e}"))
        );
        assert_eq!(
            w.grid_from,
            YearMonth::new(2025, 8).unwrap_or_else(|e| panic!("{e}"))
        );
        let berlin = ReadinessWindows::new(
            &ReadinessThresholds::default(),
            now,
            chrono_tz::Europe::Berlin,
        );
        assert_eq!(
            berlin.grid_to,
            YearMonth::new(2026, 2).unwrap_or_else(|e| panic!("{e}"))
        );
    }

    #[test]
    fn guests_and_needs_are_counted_over_rolling_windows_that_end_now() {
        let now = instant(2026, 5, 20, 12);
        let t = ReadinessThresholds {
            guest_window_months: 3,
            needs_window_months: 6,
            ..ReadinessThresholds::default()
        };
        let w = ReadinessWindows::new(&t, now, chrono_tz::UTC);
        assert_eq!(w.guests_since, instant(2026, 2, 20, 12));
        assert_eq!(w.needs_since, instant(2025, 11, 20, 12));
        // The grid starts on 1 November; guests reach back less far.
        assert_eq!(w.gatherings_from(), instant(2025, 11, 1, 0));
    }

    #[test]
    fn the_input_counts_held_gatherings_with_guests_and_needs_met_inside_their_windows() {
        let now = instant(2026, 5, 20, 12);
        let w = ReadinessWindows::new(&ReadinessThresholds::default(), now, chrono_tz::UTC);
        let gathering = |at, outcome, guests, practices: &[Practice]| GatheringFact {
            starts_at: at,
            practices: practices.to_vec(),
            outcome,
            member_count_present: 8,
            guest_count: guests,
        };
        let full = [Practice::Scripture, Practice::Service, Practice::Party];
        let facts = ReadinessFacts {
            launched_on: Some(day(2025, 1, 1)),
            members: 11,
            apprentices: vec![maria(ready_stages())],
            gatherings: vec![
                // April kept the grid (communion needs two).
                gathering(instant(2026, 4, 2, 18), GatheringOutcome::Held, 2, &full),
                gathering(
                    instant(2026, 4, 9, 18),
                    GatheringOutcome::Held,
                    0,
                    &[Practice::Prayer],
                ),
                // Guests, but the gathering did not happen.
                gathering(
                    instant(2026, 4, 16, 18),
                    GatheringOutcome::DidNotMeet,
                    3,
                    &full,
                ),
                // This month: counts for guests, not for the grid.
                gathering(instant(2026, 5, 3, 18), GatheringOutcome::Held, 1, &full),
                // Before the guest window opened on 20 February.
                gathering(instant(2026, 2, 19, 18), GatheringOutcome::Held, 4, &full),
                // Recorded as held yet starting after now (a slipped clock): not counted.
                gathering(instant(2026, 5, 20, 19), GatheringOutcome::Held, 1, &full),
            ],
            needs_met_at: vec![instant(2025, 11, 19, 12), instant(2026, 1, 5, 9)],
        };
        let input =
            readiness_input(facts, &w, RhythmTargets::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(input.today, day(2026, 5, 20));
        assert_eq!(input.members, 11);
        assert_eq!(input.gatherings_with_guests, 2);
        assert_eq!(input.needs_met, 1);
        let months: Vec<String> = input
            .recent_cards
            .iter()
            .map(|c| c.month.to_string())
            .collect();
        assert_eq!(
            months,
            [
                "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04"
            ]
        );
        let kept: Vec<bool> = input.recent_cards.iter().map(kept_the_grid).collect();
        assert_eq!(kept, [false, false, false, false, false, true]);
    }
}
