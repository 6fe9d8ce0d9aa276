use async_graphql::{Context, InputObject, Object};
use oikos_domain::access::OrgAction;
use oikos_domain::policy::PolicyOverride;
use oikos_domain::readiness::{ReadinessThresholdsDraft, ReadinessThresholdsOverride};
use oikos_persistence::policies::{self, PolicyOwner};
use uuid::Uuid;

use crate::context::{authorize_org, db, loaders, visible_community};
use crate::error::{ApiError, ApiResult};
use crate::types::readiness::ReadinessThresholdSettingsView;

#[derive(Default)]
pub struct ReadinessMutation;

/// The threshold fields both inputs share (flattened into each).
#[derive(InputObject, Default)]
pub struct ReadinessThresholdsInput {
    /// Whole months since the community launched (0–120).
    pub min_months_meeting: Option<i64>,
    /// Current members (0–500).
    pub min_members: Option<i64>,
    /// How many recent complete months the grid is judged over (1–36).
    pub grid_window_months: Option<i64>,
    /// In how many months of the grid window the grid must have been kept.
    pub min_months_kept: Option<i64>,
    /// How many recent months gatherings with guests are counted over (1–36).
    pub guest_window_months: Option<i64>,
    /// Held gatherings with guests within the guest window (0–100).
    pub min_gatherings_with_guests: Option<i64>,
    /// Needs closed as met within the needs window (0–100).
    pub min_needs_met: Option<i64>,
    /// How many recent months needs met are counted over (1–36).
    pub needs_window_months: Option<i64>,
}

impl ReadinessThresholdsInput {
    fn parse(&self) -> ApiResult<ReadinessThresholdsOverride> {
        Ok(ReadinessThresholdsOverride::parse(
            ReadinessThresholdsDraft {
                min_months_meeting: self.min_months_meeting,
                min_members: self.min_members,
                grid_window_months: self.grid_window_months,
                min_months_kept: self.min_months_kept,
                guest_window_months: self.guest_window_months,
                min_gatherings_with_guests: self.min_gatherings_with_guests,
                min_needs_met: self.min_needs_met,
                needs_window_months: self.needs_window_months,
            },
        )?)
    }
}

/// Replaces every readiness threshold the organization sets: one left out (or null) is
/// inherited from the organization above, or is the default at the top.
#[derive(InputObject)]
pub struct SetOrganizationReadinessThresholdsInput {
    pub organization_id: Uuid,
    #[graphql(flatten)]
    pub thresholds: ReadinessThresholdsInput,
}

/// Replaces every readiness threshold the community sets: one left out (or null) is
/// inherited from its organization.
#[derive(InputObject)]
pub struct SetCommunityReadinessThresholdsInput {
    pub community_id: Uuid,
    #[graphql(flatten)]
    pub thresholds: ReadinessThresholdsInput,
}

/// Replaces the owner's readiness thresholds and keeps every other knob of its policy
/// (rhythm targets, healthy size) as it was.
async fn replace_thresholds(
    ctx: &Context<'_>,
    owner: PolicyOwner,
    thresholds: ReadinessThresholdsOverride,
) -> ApiResult<ReadinessThresholdSettingsView> {
    let policy = policies::change(db(ctx)?, owner, |own| {
        Ok(PolicyOverride {
            readiness: thresholds,
            ..own
        })
    })
    .await?;
    Ok(policy.readiness.into())
}

#[Object]
impl ReadinessMutation {
    /// An organization's admin sets the readiness thresholds for everything below it.
    async fn set_organization_readiness_thresholds(
        &self,
        ctx: &Context<'_>,
        input: SetOrganizationReadinessThresholdsInput,
    ) -> ApiResult<ReadinessThresholdSettingsView> {
        authorize_org(ctx, input.organization_id, OrgAction::Manage).await?;
        let thresholds = input.thresholds.parse()?;
        replace_thresholds(
            ctx,
            PolicyOwner::Organization(input.organization_id),
            thresholds,
        )
        .await
    }

    /// An admin of the community's organization (not its leaders: the bar is the
    /// network's to set) sets thresholds for this one community.
    async fn set_community_readiness_thresholds(
        &self,
        ctx: &Context<'_>,
        input: SetCommunityReadinessThresholdsInput,
    ) -> ApiResult<ReadinessThresholdSettingsView> {
        visible_community(ctx, input.community_id).await?;
        let community = loaders(ctx)?
            .communities
            .load_one(input.community_id)
            .await?
            .ok_or(ApiError::NotFound("community"))?;
        authorize_org(ctx, community.organization_id, OrgAction::Manage)
            .await
            .map_err(|e| match e {
                ApiError::NotFound(_) => ApiError::Forbidden,
                other => other,
            })?;
        let thresholds = input.thresholds.parse()?;
        replace_thresholds(ctx, PolicyOwner::Community(input.community_id), thresholds).await
    }
}
