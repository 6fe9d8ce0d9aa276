use async_graphql::{Context, InputObject, MaybeUndefined, Object};
use chrono::NaiveDate;
use oikos_domain::access::CommunityAction;
use oikos_domain::prayer::{answered_note, may_mark_answered, prayer_walk, request_body};
use oikos_persistence::prayer::{self as store, NewPrayerRequest, NewPrayerWalk};
use uuid::Uuid;

use super::today;
use crate::context::{actor, authorize_community, db, visible_community};
use crate::error::{ApiError, ApiResult};
use crate::types::enums::PrayerVisibility;
use crate::types::prayer::{PrayerRequestView, PrayerWalkView};

#[derive(Default)]
pub struct PrayerMutation;

#[derive(InputObject)]
pub struct CreatePrayerRequestInput {
    /// Optional client-generated id: retrying with the same id and content is safe.
    pub id: Option<Uuid>,
    pub community_id: Uuid,
    pub body: String,
    /// Who may read it besides you: always a deliberate choice.
    pub visibility: PrayerVisibility,
}

#[derive(InputObject)]
pub struct MarkPrayerAnsweredInput {
    pub id: Uuid,
    /// How the prayer was answered.
    pub note: Option<String>,
}

#[derive(InputObject)]
pub struct CreatePrayerWalkInput {
    /// Optional client-generated id: retrying with the same id and content is safe.
    pub id: Option<Uuid>,
    pub community_id: Uuid,
    /// Today unless given.
    pub walked_on: Option<NaiveDate>,
    pub area: String,
    pub observations: Option<String>,
    /// Person ids of the members who walked; you, when left out.
    pub walker_ids: Option<Vec<Uuid>>,
    /// Needs of this community discovered on the walk.
    #[graphql(default)]
    pub need_ids: Vec<Uuid>,
    /// People of peace of this community met on the walk.
    #[graphql(default)]
    pub person_of_peace_ids: Vec<Uuid>,
}

/// Lists given replace the current ones.
#[derive(InputObject)]
pub struct UpdatePrayerWalkInput {
    pub id: Uuid,
    pub walked_on: Option<NaiveDate>,
    pub area: Option<String>,
    pub observations: MaybeUndefined<String>,
    pub walker_ids: Option<Vec<Uuid>>,
    pub need_ids: Option<Vec<Uuid>>,
    pub person_of_peace_ids: Option<Vec<Uuid>>,
}

#[Object]
impl PrayerMutation {
    /// Shares a prayer request with the leaders or the whole community (members).
    async fn create_prayer_request(
        &self,
        ctx: &Context<'_>,
        input: CreatePrayerRequestInput,
    ) -> ApiResult<PrayerRequestView> {
        let me = actor(ctx)?;
        authorize_community(ctx, input.community_id, CommunityAction::Participate).await?;
        let new = NewPrayerRequest {
            id: input.id.unwrap_or_else(Uuid::now_v7),
            community_id: input.community_id,
            author_id: me.person_id,
            body: request_body(&input.body)?,
            visibility: input.visibility.into(),
        };
        Ok(store::create_request(db(ctx)?, new).await?.into())
    }

    /// Marks a request answered, with a note (its author, or leaders). Marking it again
    /// replaces the note.
    async fn mark_prayer_answered(
        &self,
        ctx: &Context<'_>,
        input: MarkPrayerAnsweredInput,
    ) -> ApiResult<PrayerRequestView> {
        let me = actor(ctx)?;
        let db = db(ctx)?;
        let not_found = ApiError::NotFound("prayer request");
        let request = store::get_request(db, input.id)
            .await?
            .ok_or_else(|| not_found.clone())?;
        let standing = visible_community(ctx, request.community_id)
            .await
            .map_err(|e| match e {
                ApiError::NotFound(_) => not_found.clone(),
                other => other,
            })?;
        let is_author = request.author_id == Some(me.person_id);
        if !request.visibility.readable_by(&standing, is_author) {
            return Err(not_found);
        }
        if !may_mark_answered(&standing, is_author) {
            return Err(ApiError::Forbidden);
        }
        let note = answered_note(input.note.as_deref())?;
        Ok(store::mark_answered(db, input.id, note).await?.into())
    }

    /// Records a prayer walk: where, who walked, what was seen, and the needs and people
    /// of peace found on the way (members).
    async fn create_prayer_walk(
        &self,
        ctx: &Context<'_>,
        input: CreatePrayerWalkInput,
    ) -> ApiResult<PrayerWalkView> {
        let me = actor(ctx)?;
        authorize_community(ctx, input.community_id, CommunityAction::Participate).await?;
        let walkers = input.walker_ids.unwrap_or_else(|| vec![me.person_id]);
        let content = prayer_walk(
            input.walked_on.unwrap_or_else(today),
            today(),
            &input.area,
            input.observations.as_deref(),
            &walkers,
            &input.need_ids,
            &input.person_of_peace_ids,
        )?;
        let new = NewPrayerWalk {
            id: input.id.unwrap_or_else(Uuid::now_v7),
            community_id: input.community_id,
            content,
            created_by: me.person_id,
        };
        Ok(store::create_walk(db(ctx)?, new).await?.into())
    }

    /// Corrects or completes a prayer walk, e.g. linking needs recorded after it (members).
    async fn update_prayer_walk(
        &self,
        ctx: &Context<'_>,
        input: UpdatePrayerWalkInput,
    ) -> ApiResult<PrayerWalkView> {
        actor(ctx)?;
        let db = db(ctx)?;
        let current = store::get_walk(db, input.id)
            .await?
            .ok_or(ApiError::NotFound("prayer walk"))?;
        authorize_community(ctx, current.community_id, CommunityAction::Participate)
            .await
            .map_err(|e| match e {
                ApiError::NotFound(_) => ApiError::NotFound("prayer walk"),
                other => other,
            })?;
        let c = current.content;
        let mut observations = c.observations;
        input.observations.update_to(&mut observations);
        let content = prayer_walk(
            input.walked_on.unwrap_or(c.walked_on),
            today(),
            input.area.as_deref().unwrap_or(&c.area),
            observations.as_deref(),
            input.walker_ids.as_deref().unwrap_or(&c.walker_ids),
            input.need_ids.as_deref().unwrap_or(&c.need_ids),
            input
                .person_of_peace_ids
                .as_deref()
                .unwrap_or(&c.person_of_peace_ids),
        )?;
        Ok(store::update_walk(db, input.id, content).await?.into())
    }
}
