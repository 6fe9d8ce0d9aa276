use async_graphql::{Context, InputObject, MaybeUndefined, Object};
use chrono::NaiveDate;
use oikos_domain::DomainResult;
use oikos_domain::access::CommunityAction;
use oikos_domain::membership::MemberRole as DomainRole;
use oikos_domain::people_of_peace::{
    RelationshipStage as DomainStage, how_met, initial_stage, neighbourhood, notes,
};
use oikos_domain::person::{Email, display_name, phone};
use oikos_persistence::people_of_peace::{
    self as store, NewPersonOfPeace, PersonOfPeaceChanges, Welcome,
};
use uuid::Uuid;

use super::memberships::joined_on;
use crate::context::{actor, authorize_community, db};
use crate::error::{ApiError, ApiResult};
use crate::types::enums::{MemberRole, RelationshipStage};
use crate::types::people_of_peace::PersonOfPeaceView;

#[derive(Default)]
pub struct PersonOfPeaceMutation;

/// Someone outside the community whom a member knows; they need no account.
#[derive(InputObject)]
pub struct CreatePersonOfPeaceInput {
    /// Optional client-generated id: retrying with the same id and content is safe.
    pub id: Option<Uuid>,
    pub community_id: Uuid,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub how_met: Option<String>,
    /// The person id of the current member who knows them; you, when left out.
    pub known_by_person_id: Option<Uuid>,
    pub neighbourhood: Option<String>,
    /// MET unless given; a new person of peace cannot start as JOINED.
    pub stage: Option<RelationshipStage>,
    pub notes: Option<String>,
}

#[derive(InputObject)]
pub struct UpdatePersonOfPeaceInput {
    pub id: Uuid,
    pub display_name: Option<String>,
    pub email: MaybeUndefined<String>,
    pub phone: MaybeUndefined<String>,
    pub how_met: MaybeUndefined<String>,
    pub known_by_person_id: MaybeUndefined<Uuid>,
    pub neighbourhood: MaybeUndefined<String>,
    pub notes: MaybeUndefined<String>,
}

#[derive(InputObject)]
pub struct ChangePersonOfPeaceStageInput {
    pub id: Uuid,
    /// JOINED (leaders) welcomes them as a member at once, without retyping anything.
    pub stage: RelationshipStage,
    /// For JOINED: MEMBER unless given.
    pub role: Option<MemberRole>,
    /// For JOINED: today unless given.
    pub joined_on: Option<NaiveDate>,
}

/// A change given as `MaybeUndefined`, validated: `None` leaves the value as it is.
fn change<T, U>(
    value: MaybeUndefined<T>,
    parse: impl FnOnce(Option<&T>) -> DomainResult<Option<U>>,
) -> DomainResult<Option<Option<U>>> {
    match Option::<Option<T>>::from(value) {
        None => Ok(None),
        Some(v) => parse(v.as_ref()).map(Some),
    }
}

fn email(value: Option<&String>) -> DomainResult<Option<Email>> {
    match value.map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => Email::parse(v).map(Some),
    }
}

/// The community of a person of peace, authorized for `action` (NOT_FOUND when the
/// actor may not see it).
async fn community_of(ctx: &Context<'_>, id: Uuid, action: CommunityAction) -> ApiResult<Uuid> {
    actor(ctx)?;
    let pop = store::get(db(ctx)?, id)
        .await?
        .ok_or(ApiError::NotFound("person of peace"))?;
    authorize_community(ctx, pop.community_id, action)
        .await
        .map_err(|e| match e {
            ApiError::NotFound(_) => ApiError::NotFound("person of peace"),
            other => other,
        })?;
    Ok(pop.community_id)
}

#[Object]
impl PersonOfPeaceMutation {
    /// Records a person of peace (members).
    async fn create_person_of_peace(
        &self,
        ctx: &Context<'_>,
        input: CreatePersonOfPeaceInput,
    ) -> ApiResult<PersonOfPeaceView> {
        let me = actor(ctx)?;
        authorize_community(ctx, input.community_id, CommunityAction::Participate).await?;
        let new = NewPersonOfPeace {
            id: input.id.unwrap_or_else(Uuid::now_v7),
            community_id: input.community_id,
            display_name: display_name(&input.display_name)?,
            email: email(input.email.as_ref())?,
            phone: phone(input.phone.as_deref())?,
            known_by_id: Some(input.known_by_person_id.unwrap_or(me.person_id)),
            how_met: how_met(input.how_met.as_deref())?,
            neighbourhood: neighbourhood(input.neighbourhood.as_deref())?,
            stage: initial_stage(input.stage.map(Into::into))?,
            notes: notes(input.notes.as_deref())?,
            created_by: me.person_id,
        };
        let pop = store::create(db(ctx)?, new).await?;
        PersonOfPeaceView::seen_by(ctx, pop).await
    }

    /// Changes what is recorded about a person of peace (members).
    async fn update_person_of_peace(
        &self,
        ctx: &Context<'_>,
        input: UpdatePersonOfPeaceInput,
    ) -> ApiResult<PersonOfPeaceView> {
        community_of(ctx, input.id, CommunityAction::Participate).await?;
        let changes = PersonOfPeaceChanges {
            display_name: input
                .display_name
                .as_deref()
                .map(display_name)
                .transpose()?,
            email: change(input.email, email)?,
            phone: change(input.phone, |v| phone(v.map(String::as_str)))?,
            known_by_id: change(input.known_by_person_id, |v| Ok(v.copied()))?,
            how_met: change(input.how_met, |v| how_met(v.map(String::as_str)))?,
            neighbourhood: change(input.neighbourhood, |v| {
                neighbourhood(v.map(String::as_str))
            })?,
            notes: change(input.notes, |v| notes(v.map(String::as_str)))?,
        };
        let pop = store::update(db(ctx)?, input.id, changes).await?;
        PersonOfPeaceView::seen_by(ctx, pop).await
    }

    /// Moves the relationship on (or back: this is not a funnel). JOINED is final and
    /// makes them a member in the same step; welcoming a member is for leaders.
    async fn change_person_of_peace_stage(
        &self,
        ctx: &Context<'_>,
        input: ChangePersonOfPeaceStageInput,
    ) -> ApiResult<PersonOfPeaceView> {
        let stage = DomainStage::from(input.stage);
        let action = if stage == DomainStage::Joined {
            CommunityAction::Manage
        } else {
            CommunityAction::Participate
        };
        community_of(ctx, input.id, action).await?;
        let welcome = Welcome {
            role: input.role.map_or(DomainRole::Member, Into::into),
            joined_on: joined_on(input.joined_on)?,
        };
        let pop = store::set_stage(db(ctx)?, input.id, stage, welcome).await?;
        PersonOfPeaceView::seen_by(ctx, pop).await
    }

    /// Removes a person of peace (leaders): their name, contact details and what was
    /// noted about them are erased; the counts they are part of (guests at gatherings,
    /// needs) stay. Removing someone already removed changes nothing.
    async fn delete_person_of_peace(&self, ctx: &Context<'_>, id: Uuid) -> ApiResult<bool> {
        community_of(ctx, id, CommunityAction::Manage).await?;
        store::erase(db(ctx)?, id).await?;
        Ok(true)
    }
}
