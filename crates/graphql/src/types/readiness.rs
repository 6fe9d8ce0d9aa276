//! Readiness to multiply: the report per community and the thresholds behind it.

use async_graphql::SimpleObject;
use chrono::NaiveDate;
use oikos_domain::readiness::{
    ReadinessCriterion, ReadinessReport, ReadinessThresholds, ReadinessThresholdsOverride,
};

use super::enums::ReadinessCriterionKind;

/// Whether a community is ready to share itself and start another, criterion by
/// criterion, each with the reason in plain words.
#[derive(SimpleObject)]
#[graphql(name = "ReadinessReport")]
pub struct ReadinessReportView {
    /// True when every criterion passes.
    pub ready: bool,
    /// One per kind, always in the same order.
    pub criteria: Vec<ReadinessCriterionView>,
    /// The thresholds in force for this community (its own, inherited, or the defaults).
    pub thresholds: ReadinessThresholdsView,
    /// The community's own date the report was made on.
    pub assessed_on: NaiveDate,
}

impl ReadinessReportView {
    pub fn new(report: ReadinessReport, thresholds: ReadinessThresholds, on: NaiveDate) -> Self {
        Self {
            ready: report.ready,
            criteria: report.criteria.into_iter().map(Into::into).collect(),
            thresholds: thresholds.into(),
            assessed_on: on,
        }
    }
}

#[derive(SimpleObject)]
#[graphql(name = "ReadinessCriterion")]
pub struct ReadinessCriterionView {
    pub kind: ReadinessCriterionKind,
    pub passed: bool,
    /// E.g. "meeting for 14 months (needs 9)". Names apprentices only for those who may
    /// see the community's people.
    pub reason: String,
}

impl From<ReadinessCriterion> for ReadinessCriterionView {
    fn from(c: ReadinessCriterion) -> Self {
        Self {
            kind: c.kind.into(),
            passed: c.passed,
            reason: c.reason,
        }
    }
}

/// The bar a community must reach to be judged ready.
#[derive(SimpleObject)]
#[graphql(name = "ReadinessThresholds")]
pub struct ReadinessThresholdsView {
    /// Whole months since the community launched.
    pub min_months_meeting: u32,
    /// Current members.
    pub min_members: u32,
    /// How many recent complete months the grid is judged over.
    pub grid_window_months: u32,
    /// In how many months of the grid window the grid must have been kept.
    pub min_months_kept: u32,
    /// How many recent months gatherings with guests are counted over.
    pub guest_window_months: u32,
    /// Held gatherings with guests within the guest window.
    pub min_gatherings_with_guests: u32,
    /// Needs closed as met within the needs window.
    pub min_needs_met: u32,
    /// How many recent months needs met are counted over.
    pub needs_window_months: u32,
}

impl From<ReadinessThresholds> for ReadinessThresholdsView {
    fn from(t: ReadinessThresholds) -> Self {
        Self {
            min_months_meeting: t.min_months_meeting,
            min_members: t.min_members,
            grid_window_months: t.grid_window_months,
            min_months_kept: t.min_months_kept,
            guest_window_months: t.guest_window_months,
            min_gatherings_with_guests: t.min_gatherings_with_guests,
            min_needs_met: t.min_needs_met,
            needs_window_months: t.needs_window_months,
        }
    }
}

/// The thresholds one organization or community sets itself; null means inherited from
/// the organization above (or, at the top, the default).
#[derive(SimpleObject)]
#[graphql(name = "ReadinessThresholdSettings")]
pub struct ReadinessThresholdSettingsView {
    pub min_months_meeting: Option<u32>,
    pub min_members: Option<u32>,
    pub grid_window_months: Option<u32>,
    pub min_months_kept: Option<u32>,
    pub guest_window_months: Option<u32>,
    pub min_gatherings_with_guests: Option<u32>,
    pub min_needs_met: Option<u32>,
    pub needs_window_months: Option<u32>,
}

impl From<ReadinessThresholdsOverride> for ReadinessThresholdSettingsView {
    fn from(o: ReadinessThresholdsOverride) -> Self {
        Self {
            min_months_meeting: o.min_months_meeting,
            min_members: o.min_members,
            grid_window_months: o.grid_window_months,
            min_months_kept: o.min_months_kept,
            guest_window_months: o.guest_window_months,
            min_gatherings_with_guests: o.min_gatherings_with_guests,
            min_needs_met: o.min_needs_met,
            needs_window_months: o.needs_window_months,
        }
    }
}
