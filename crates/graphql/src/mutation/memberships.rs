use async_graphql::{Context, InputObject, Object};
use chrono::NaiveDate;
use oikos_domain::access::CommunityAction;
use oikos_domain::membership::{MemberRole as DomainRole, serving_roles};
use oikos_domain::person::{Email, display_name, phone};
use oikos_persistence::memberships::{self, Joiner, NewMembership};
use uuid::Uuid;

use super::today;
use crate::context::{actor, authorize_community, db};
use crate::error::{ApiError, ApiResult};
use crate::types::enums::MemberRole;
use crate::types::membership::MembershipView;

#[derive(Default)]
pub struct MembershipMutation;

/// Adds a person Oikos already knows.
#[derive(InputObject)]
pub struct AddMemberInput {
    /// Optional client-generated id: retrying with the same id and content is safe.
    pub id: Option<Uuid>,
    pub community_id: Uuid,
    pub person_id: Uuid,
    /// MEMBER unless given.
    pub role: Option<MemberRole>,
    #[graphql(default)]
    pub serving_roles: Vec<String>,
    pub joined_on: Option<NaiveDate>,
}

/// Adds someone new: by email (they may sign up later and find their community waiting)
/// or by name only (a guest without an account).
#[derive(InputObject)]
pub struct InviteMemberInput {
    pub id: Option<Uuid>,
    pub community_id: Uuid,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: Option<MemberRole>,
    #[graphql(default)]
    pub serving_roles: Vec<String>,
    pub joined_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct ChangeMemberRoleInput {
    pub membership_id: Uuid,
    pub role: MemberRole,
}

#[derive(InputObject)]
pub struct SetServingRolesInput {
    pub membership_id: Uuid,
    pub serving_roles: Vec<String>,
}

#[derive(InputObject)]
pub struct RemoveMemberInput {
    pub membership_id: Uuid,
    /// Today when left out.
    pub left_on: Option<NaiveDate>,
}

/// The community a membership belongs to, if the actor may see it (NOT_FOUND otherwise).
async fn community_of(
    ctx: &Context<'_>,
    membership: Uuid,
    action: CommunityAction,
) -> ApiResult<Uuid> {
    actor(ctx)?;
    let m = memberships::get(db(ctx)?, membership)
        .await?
        .ok_or(ApiError::NotFound("membership"))?;
    authorize_community(ctx, m.community_id, action)
        .await
        .map_err(|e| match e {
            ApiError::NotFound(_) => ApiError::NotFound("membership"),
            other => other,
        })?;
    Ok(m.community_id)
}

pub(super) fn joined_on(value: Option<NaiveDate>) -> ApiResult<NaiveDate> {
    let today = today();
    match value {
        Some(day) if day > today => Err(ApiError::bad_input(
            "joinedOn",
            "joinedOn cannot be in the future",
        )),
        Some(day) => Ok(day),
        None => Ok(today),
    }
}

#[Object]
impl MembershipMutation {
    async fn add_member(
        &self,
        ctx: &Context<'_>,
        input: AddMemberInput,
    ) -> ApiResult<MembershipView> {
        authorize_community(ctx, input.community_id, CommunityAction::Manage).await?;
        let new = NewMembership {
            id: input.id.unwrap_or_else(Uuid::now_v7),
            community_id: input.community_id,
            joiner: Joiner::Existing(input.person_id),
            role: input.role.map_or(DomainRole::Member, Into::into),
            serving_roles: serving_roles(&input.serving_roles)?,
            joined_on: joined_on(input.joined_on)?,
        };
        let m = memberships::add(db(ctx)?, new)
            .await
            .map_err(|e| match ApiError::from(e) {
                ApiError::NotFound("person") => ApiError::bad_input("personId", "no such person"),
                other => other,
            })?;
        Ok(MembershipView::new(m, true))
    }

    async fn invite_member(
        &self,
        ctx: &Context<'_>,
        input: InviteMemberInput,
    ) -> ApiResult<MembershipView> {
        authorize_community(ctx, input.community_id, CommunityAction::Manage).await?;
        let new = NewMembership {
            id: input.id.unwrap_or_else(Uuid::now_v7),
            community_id: input.community_id,
            joiner: Joiner::New {
                display_name: display_name(&input.display_name)?,
                email: input.email.as_deref().map(Email::parse).transpose()?,
                phone: phone(input.phone.as_deref())?,
            },
            role: input.role.map_or(DomainRole::Member, Into::into),
            serving_roles: serving_roles(&input.serving_roles)?,
            joined_on: joined_on(input.joined_on)?,
        };
        Ok(MembershipView::new(
            memberships::add(db(ctx)?, new).await?,
            true,
        ))
    }

    /// An active community keeps at least one leader.
    async fn change_member_role(
        &self,
        ctx: &Context<'_>,
        input: ChangeMemberRoleInput,
    ) -> ApiResult<MembershipView> {
        community_of(ctx, input.membership_id, CommunityAction::Manage).await?;
        let m = memberships::change_role(db(ctx)?, input.membership_id, input.role.into()).await?;
        Ok(MembershipView::new(m, true))
    }

    /// Leaders set anyone's serving roles; members set their own.
    async fn set_serving_roles(
        &self,
        ctx: &Context<'_>,
        input: SetServingRolesInput,
    ) -> ApiResult<MembershipView> {
        let me = actor(ctx)?;
        let roles = serving_roles(&input.serving_roles)?;
        let db = db(ctx)?;
        let own = memberships::get(db, input.membership_id)
            .await?
            .is_some_and(|m| m.person_id == me.person_id && m.left_on.is_none());
        let action = if own {
            CommunityAction::Participate
        } else {
            CommunityAction::Manage
        };
        community_of(ctx, input.membership_id, action).await?;
        Ok(MembershipView::new(
            memberships::set_serving_roles(db, input.membership_id, roles).await?,
            true,
        ))
    }

    /// Ends a membership; the history stays. An active community keeps at least one leader.
    async fn remove_member(
        &self,
        ctx: &Context<'_>,
        input: RemoveMemberInput,
    ) -> ApiResult<MembershipView> {
        community_of(ctx, input.membership_id, CommunityAction::Manage).await?;
        let left_on = match input.left_on {
            Some(day) if day > today() => {
                return Err(ApiError::bad_input(
                    "leftOn",
                    "leftOn cannot be in the future",
                ));
            }
            Some(day) => day,
            None => today(),
        };
        Ok(MembershipView::new(
            memberships::remove(db(ctx)?, input.membership_id, left_on).await?,
            true,
        ))
    }
}
