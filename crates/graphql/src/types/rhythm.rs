//! The monthly grid, drift and health of a community: views over the domain's reports,
//! and the helpers the `Community` fields resolve them with. Every read goes through
//! DataLoaders (policies, gathering facts, members, needs met), so a list of communities
//! costs a fixed number of statements.

use async_graphql::{Context, SimpleObject};
use chrono::{Duration, Utc};
use oikos_domain::access::CommunityAction;
use oikos_domain::calendar::{YearMonth, local_month};
use oikos_domain::community::Community;
use oikos_domain::drift::{DriftWarning, drift_warnings, lookback};
use oikos_domain::health::{
    HEALTH_RECENT_DAYS, HealthIndicator, HealthInput, HealthReport, SizeRange, WithoutServingRole,
    assess_health, grid_months,
};
use oikos_domain::membership::MemberRole;
use oikos_domain::policy::{Policy, PolicyOverride};
use oikos_domain::rhythm::{
    CircleScore, GatheringFact, GatheringOutcome as DomainOutcome, MonthScorecard, RhythmTargets,
    check_range, scorecards,
};

use super::enums::{Circle, DriftKind, HealthIndicatorKind, Practice, RhythmStatus};
use crate::context::{loaders, visible_community};
use crate::error::{ApiError, ApiResult};
use crate::loaders::FactsKey;

/// How many gatherings a month each circle should see.
#[derive(SimpleObject, Clone, Copy)]
#[graphql(name = "RhythmTargets")]
pub struct RhythmTargetsView {
    pub communion: u32,
    pub mission: u32,
    pub inclusion: u32,
}

impl From<RhythmTargets> for RhythmTargetsView {
    fn from(t: RhythmTargets) -> Self {
        Self {
            communion: t.communion,
            mission: t.mission,
            inclusion: t.inclusion,
        }
    }
}

/// The number of people a group is expected to stay within, both ends included.
#[derive(SimpleObject, Clone, Copy)]
#[graphql(name = "SizeRange")]
pub struct SizeRangeView {
    pub min: u32,
    pub max: u32,
}

impl From<SizeRange> for SizeRangeView {
    fn from(r: SizeRange) -> Self {
        Self {
            min: r.min,
            max: r.max,
        }
    }
}

/// What one organization or community sets itself; null means inherited from above (or
/// the basic grid and default size at the top).
#[derive(SimpleObject, Clone, Copy)]
#[graphql(name = "PolicySettings")]
pub struct PolicySettingsView {
    pub communion_target: Option<u32>,
    pub mission_target: Option<u32>,
    pub inclusion_target: Option<u32>,
    pub healthy_size_min: Option<u32>,
    pub healthy_size_max: Option<u32>,
}

impl From<PolicyOverride> for PolicySettingsView {
    fn from(p: PolicyOverride) -> Self {
        Self {
            communion_target: p.targets.communion,
            mission_target: p.targets.mission,
            inclusion_target: p.targets.inclusion,
            healthy_size_min: p.healthy_size_min,
            healthy_size_max: p.healthy_size_max,
        }
    }
}

#[derive(SimpleObject)]
#[graphql(name = "CircleScore")]
pub struct CircleScoreView {
    pub circle: Circle,
    /// Held gatherings carrying at least one practice of the circle.
    pub count: u32,
    pub target: u32,
    pub status: RhythmStatus,
}

impl From<CircleScore> for CircleScoreView {
    fn from(c: CircleScore) -> Self {
        Self {
            circle: c.circle.into(),
            count: c.count,
            target: c.target,
            status: c.status.into(),
        }
    }
}

#[derive(SimpleObject)]
#[graphql(name = "PracticeCount")]
pub struct PracticeCountView {
    pub practice: Practice,
    /// Held gatherings carrying the practice.
    pub count: u32,
}

/// One month of a community's life against the grid, counted in its own time zone.
#[derive(SimpleObject)]
#[graphql(name = "MonthScorecard")]
pub struct MonthScorecardView {
    /// YYYY-MM.
    pub month: String,
    /// MET when every circle met its target.
    pub status: RhythmStatus,
    /// One per circle: COMMUNION, MISSION, INCLUSION.
    pub circles: Vec<CircleScoreView>,
    /// Every practice, in a fixed order.
    pub practices: Vec<PracticeCountView>,
    pub held: u32,
    /// Gatherings that did not take place: each a missed rhythm.
    pub did_not_meet: u32,
    /// Guests (named and anonymous) at held gatherings.
    pub guests: u32,
}

impl From<MonthScorecard> for MonthScorecardView {
    fn from(c: MonthScorecard) -> Self {
        Self {
            month: c.month.to_string(),
            status: c.status.into(),
            circles: c.circles.into_iter().map(Into::into).collect(),
            practices: c
                .practice_counts
                .into_iter()
                .map(|(practice, count)| PracticeCountView {
                    practice: practice.into(),
                    count,
                })
                .collect(),
            held: c.held,
            did_not_meet: c.did_not_meet,
            guests: c.guests,
        }
    }
}

/// A slide a coach watches for, in words a leader can act on.
#[derive(SimpleObject)]
#[graphql(name = "DriftWarning")]
pub struct DriftWarningView {
    pub kind: DriftKind,
    pub message: String,
}

impl From<DriftWarning> for DriftWarningView {
    fn from(w: DriftWarning) -> Self {
        Self {
            kind: w.kind.into(),
            message: w.message,
        }
    }
}

#[derive(SimpleObject)]
#[graphql(name = "HealthIndicator")]
pub struct HealthIndicatorView {
    pub kind: HealthIndicatorKind,
    pub ok: bool,
    pub reason: String,
}

impl From<HealthIndicator> for HealthIndicatorView {
    fn from(i: HealthIndicator) -> Self {
        Self {
            kind: i.kind.into(),
            ok: i.ok,
            reason: i.reason,
        }
    }
}

#[derive(SimpleObject)]
#[graphql(name = "HealthReport")]
pub struct HealthReportView {
    /// Every indicator is ok.
    pub healthy: bool,
    /// How many indicators are ok.
    pub score: u32,
    pub indicators: Vec<HealthIndicatorView>,
}

impl From<HealthReport> for HealthReportView {
    fn from(r: HealthReport) -> Self {
        Self {
            healthy: r.healthy,
            score: r.score,
            indicators: r.indicators.into_iter().map(Into::into).collect(),
        }
    }
}

pub async fn policy_of(ctx: &Context<'_>, community: &Community) -> ApiResult<Policy> {
    loaders(ctx)?
        .policies
        .load_one(community.id)
        .await?
        .ok_or(ApiError::NotFound("community"))
}

/// The month under way in the community's own calendar.
pub fn current_month(community: &Community) -> YearMonth {
    local_month(Utc::now(), community.profile.time_zone)
}

async fn facts(
    ctx: &Context<'_>,
    community: &Community,
    from: YearMonth,
    to: YearMonth,
) -> ApiResult<Vec<GatheringFact>> {
    let key = FactsKey {
        community: community.id,
        time_zone: community.profile.time_zone,
        from,
        to,
    };
    Ok(loaders(ctx)?
        .gathering_facts
        .load_one(key)
        .await?
        .unwrap_or_default())
}

/// Scorecards for `from`..=`to`, after checking the range (before anything is read).
pub async fn scorecards_of(
    ctx: &Context<'_>,
    community: &Community,
    from: YearMonth,
    to: YearMonth,
) -> ApiResult<Vec<MonthScorecard>> {
    visible_community(ctx, community.id).await?;
    check_range(from, to)?;
    let policy = policy_of(ctx, community).await?;
    let facts = facts(ctx, community, from, to).await?;
    Ok(scorecards(
        from,
        to,
        community.profile.time_zone,
        policy.targets,
        &facts,
    )?)
}

/// A month given by a client, its errors reported against `field`.
pub fn month_arg(field: &str, value: &str) -> ApiResult<YearMonth> {
    YearMonth::parse(value).map_err(|e| e.at_field(field).into())
}

/// The month the community began, in its own calendar: when it launched, or else when
/// it was recorded.
fn started(community: &Community) -> YearMonth {
    let tz = community.profile.time_zone;
    community
        .profile
        .launched_on
        .map_or_else(|| local_month(community.created_at, tz), YearMonth::of)
}

pub async fn drift_of(ctx: &Context<'_>, community: &Community) -> ApiResult<Vec<DriftWarning>> {
    let (from, to) = lookback(current_month(community), Some(started(community)));
    let cards = scorecards_of(ctx, community, from, to).await?;
    Ok(drift_warnings(&cards))
}

pub async fn health_of(ctx: &Context<'_>, community: &Community) -> ApiResult<HealthReport> {
    let standing = visible_community(ctx, community.id).await?;
    let loaders = loaders(ctx)?;
    let current = current_month(community);
    let (grid_from, grid_to) = grid_months(current);
    let policy = policy_of(ctx, community).await?;
    // One read covers the grid months and the recent days guests are counted over.
    let facts = facts(ctx, community, grid_from, current).await?;
    let last_three_months = scorecards(
        grid_from,
        grid_to,
        community.profile.time_zone,
        policy.targets,
        &facts,
    )?;
    let now = Utc::now();
    let recent = now - Duration::days(i64::from(HEALTH_RECENT_DAYS));
    let guests_in_last_days = facts
        .iter()
        .filter(|f| f.outcome == DomainOutcome::Held && f.starts_at >= recent && f.starts_at <= now)
        .fold(0u32, |sum, f| sum.saturating_add(f.guest_count));
    let members = loaders
        .members
        .load_one(community.id)
        .await?
        .unwrap_or_default();
    let count = |role: MemberRole| {
        u32::try_from(members.iter().filter(|m| m.role == role).count()).unwrap_or(u32::MAX)
    };
    let without_role: Vec<_> = members
        .iter()
        .filter(|m| m.serving_roles.is_empty())
        .map(|m| m.person_id)
        .collect();
    // Reporters see numbers, never who.
    let members_without_serving_role = if standing.allows(CommunityAction::ViewPeople) {
        let people = loaders
            .persons
            .load_many(without_role.iter().copied())
            .await?;
        WithoutServingRole::Named(
            without_role
                .iter()
                .filter_map(|id| people.get(id).map(|p| p.display_name.clone()))
                .collect(),
        )
    } else {
        WithoutServingRole::Counted(u32::try_from(without_role.len()).unwrap_or(u32::MAX))
    };
    let needs_met_in_last_days = loaders
        .needs_met
        .load_one(community.id)
        .await?
        .unwrap_or_default();
    Ok(assess_health(&HealthInput {
        leaders: count(MemberRole::Leader),
        apprentices: count(MemberRole::Apprentice),
        last_three_months,
        guests_in_last_days,
        needs_met_in_last_days,
        members: u32::try_from(members.len()).unwrap_or(u32::MAX),
        members_without_serving_role,
        size_range: policy.size_range,
    }))
}
