use async_graphql::{Context, InputObject, MaybeUndefined, Object};
use oikos_domain::DomainError;
use oikos_domain::access::{CommunityAction, OrgAction};
use oikos_domain::policy::{PolicyOverride, size_override};
use oikos_domain::rhythm::RhythmTargetsOverride;
use oikos_persistence::policies::{self, PolicyOwner};
use uuid::Uuid;

use crate::context::{authorize_community, authorize_org, db};
use crate::error::ApiResult;
use crate::types::rhythm::PolicySettingsView;

#[derive(Default)]
pub struct PolicyMutation;

/// Changes to what one organization or community sets. A field left out keeps what is
/// set; null stops setting it, so it is inherited from above (at the top: the basic grid
/// of communion 2, mission 1, inclusion 1 a month, and a healthy size of 6–30).
#[derive(InputObject, Default)]
pub struct PolicyInput {
    /// Communion gatherings a month (0–31).
    pub communion_target: MaybeUndefined<i32>,
    /// Mission gatherings a month (0–31).
    pub mission_target: MaybeUndefined<i32>,
    /// Inclusion gatherings a month (0–31).
    pub inclusion_target: MaybeUndefined<i32>,
    pub healthy_size_min: MaybeUndefined<i32>,
    pub healthy_size_max: MaybeUndefined<i32>,
}

/// Sets rhythm targets and the healthy size for everything below an organization.
#[derive(InputObject)]
pub struct SetOrganizationPolicyInput {
    pub organization_id: Uuid,
    pub policy: PolicyInput,
}

/// Sets rhythm targets and the healthy size for one community, over its organizations'.
#[derive(InputObject)]
pub struct SetCommunityPolicyInput {
    pub community_id: Uuid,
    pub policy: PolicyInput,
}

/// The value after a change: kept, cleared or replaced (not yet validated).
fn merged(patch: MaybeUndefined<i32>, own: Option<u32>) -> Option<i64> {
    match patch {
        MaybeUndefined::Undefined => own.map(i64::from),
        MaybeUndefined::Null => None,
        MaybeUndefined::Value(v) => Some(i64::from(v)),
    }
}

/// Applies `changes` to what the owner sets now, through the domain's validation.
fn apply(own: PolicyOverride, changes: PolicyInput) -> Result<PolicyOverride, DomainError> {
    let targets = RhythmTargetsOverride::new(
        merged(changes.communion_target, own.targets.communion),
        merged(changes.mission_target, own.targets.mission),
        merged(changes.inclusion_target, own.targets.inclusion),
    )
    // The domain names the circle; the input names its field.
    .map_err(|e| match &e {
        DomainError::Invalid { field, .. } => {
            let input_field = format!("{field}Target");
            e.at_field(input_field)
        }
        DomainError::Conflict { .. } => e,
    })?;
    let (healthy_size_min, healthy_size_max) = size_override(
        merged(changes.healthy_size_min, own.healthy_size_min),
        merged(changes.healthy_size_max, own.healthy_size_max),
    )?;
    Ok(PolicyOverride {
        targets,
        healthy_size_min,
        healthy_size_max,
        ..own
    })
}

async fn set(
    ctx: &Context<'_>,
    owner: PolicyOwner,
    changes: PolicyInput,
) -> ApiResult<PolicySettingsView> {
    Ok(policies::change(db(ctx)?, owner, |own| apply(own, changes))
        .await?
        .into())
}

#[Object]
impl PolicyMutation {
    /// Rhythm targets and healthy size for every community below an organization that
    /// does not set its own (admins).
    async fn set_organization_policy(
        &self,
        ctx: &Context<'_>,
        input: SetOrganizationPolicyInput,
    ) -> ApiResult<PolicySettingsView> {
        authorize_org(ctx, input.organization_id, OrgAction::Manage).await?;
        set(
            ctx,
            PolicyOwner::Organization(input.organization_id),
            input.policy,
        )
        .await
    }

    /// Rhythm targets and healthy size for one community (its leaders, and admins).
    async fn set_community_policy(
        &self,
        ctx: &Context<'_>,
        input: SetCommunityPolicyInput,
    ) -> ApiResult<PolicySettingsView> {
        authorize_community(ctx, input.community_id, CommunityAction::Manage).await?;
        set(
            ctx,
            PolicyOwner::Community(input.community_id),
            input.policy,
        )
        .await
    }
}
