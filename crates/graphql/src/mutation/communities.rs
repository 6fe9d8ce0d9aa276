use async_graphql::{Context, InputObject, MaybeUndefined, Object};
use chrono::{NaiveDate, NaiveTime};
use oikos_domain::access::{CommunityAction, OrgAction};
use oikos_domain::community::{
    CommunityProfile, CommunityProfileDraft, CommunityStatus as DomainStatus,
};
use oikos_persistence::communities::{self, NewCommunity};
use uuid::Uuid;

use super::{merge, today};
use crate::context::{actor, authorize_community, authorize_org, db, visible_community};
use crate::error::{ApiError, ApiResult};
use crate::types::community::CommunityView;
use crate::types::enums::{CommunityStatus, LocationPrivacy, PlaceKind, StartMode, Weekday};

#[derive(Default)]
pub struct CommunityMutation;

/// Plants a community: the first generation of a new stream.
#[derive(InputObject)]
pub struct CreateCommunityInput {
    /// Optional client-generated id: retrying with the same id and content is safe.
    pub id: Option<Uuid>,
    pub organization_id: Uuid,
    pub name: String,
    pub vision: Option<String>,
    pub start_mode: Option<StartMode>,
    pub place_kind: Option<PlaceKind>,
    pub place_description: Option<String>,
    pub neighbourhood: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// HIDDEN unless you choose otherwise.
    pub location_privacy: Option<LocationPrivacy>,
    pub meeting_day: Option<Weekday>,
    pub meeting_time: Option<NaiveTime>,
    /// IANA name such as Europe/Berlin; UTC when left out.
    pub time_zone: Option<String>,
    pub launched_on: Option<NaiveDate>,
    /// FORMING unless given; ACTIVE needs the leader, who is added at once.
    pub status: Option<CommunityStatus>,
    /// The first leader; you, when left out.
    pub leader_id: Option<Uuid>,
}

#[derive(InputObject)]
pub struct UpdateCommunityInput {
    pub id: Uuid,
    pub name: Option<String>,
    pub vision: MaybeUndefined<String>,
    pub start_mode: Option<StartMode>,
    pub place_kind: Option<PlaceKind>,
    pub place_description: MaybeUndefined<String>,
    pub neighbourhood: MaybeUndefined<String>,
    /// Set both coordinates, or null both to forget the location.
    pub latitude: MaybeUndefined<f64>,
    pub longitude: MaybeUndefined<f64>,
    pub location_privacy: Option<LocationPrivacy>,
    pub meeting_day: MaybeUndefined<Weekday>,
    pub meeting_time: MaybeUndefined<NaiveTime>,
    pub time_zone: Option<String>,
    pub launched_on: MaybeUndefined<NaiveDate>,
    /// FORMING → ACTIVE (needs a leader). Use closeCommunity to close.
    pub status: Option<CommunityStatus>,
}

#[derive(InputObject)]
pub struct CloseCommunityInput {
    pub id: Uuid,
    pub reason: String,
    /// Today when left out.
    pub closed_on: Option<NaiveDate>,
}

fn draft_of(p: &CommunityProfile) -> CommunityProfileDraft {
    CommunityProfileDraft {
        name: p.name.clone(),
        vision: p.vision.clone(),
        start_mode: Some(p.start_mode),
        place_kind: Some(p.place_kind),
        place_description: p.place_description.clone(),
        neighbourhood: p.neighbourhood.clone(),
        latitude: p.location.map(|l| l.latitude()),
        longitude: p.location.map(|l| l.longitude()),
        location_privacy: Some(p.location_privacy),
        meeting_day: p.meeting_day,
        meeting_time: p.meeting_time,
        time_zone: Some(p.time_zone.name().to_owned()),
        launched_on: p.launched_on,
    }
}

#[Object]
impl CommunityMutation {
    /// Plants a community (generation 1) in an organization where you are ADMIN or COACH.
    async fn create_community(
        &self,
        ctx: &Context<'_>,
        input: CreateCommunityInput,
    ) -> ApiResult<CommunityView> {
        let me = actor(ctx)?;
        authorize_org(ctx, input.organization_id, OrgAction::PlantCommunity)
            .await
            .map_err(|e| match e {
                ApiError::NotFound(_) => {
                    ApiError::bad_input("organizationId", "no such organization")
                }
                other => other,
            })?;
        let profile = CommunityProfile::parse(CommunityProfileDraft {
            name: input.name,
            vision: input.vision,
            start_mode: input.start_mode.map(Into::into),
            place_kind: input.place_kind.map(Into::into),
            place_description: input.place_description,
            neighbourhood: input.neighbourhood,
            latitude: input.latitude,
            longitude: input.longitude,
            location_privacy: input.location_privacy.map(Into::into),
            meeting_day: input.meeting_day.map(Into::into),
            meeting_time: input.meeting_time,
            time_zone: input.time_zone,
            launched_on: input.launched_on,
        })?;
        let db = db(ctx)?;
        let leader_id = match input.leader_id {
            Some(id) => {
                oikos_persistence::persons::get(db, id)
                    .await?
                    .ok_or_else(|| ApiError::bad_input("leaderId", "no such person"))?
                    .id
            }
            None => me.person_id,
        };
        // A retry returns the record it made; an id that names someone else's community
        // says nothing about it.
        if let Some(id) = input.id
            && communities::get(db, id).await?.is_some()
            && visible_community(ctx, id).await.is_err()
        {
            return Err(ApiError::Conflict(
                "this id is already used by a different community".into(),
            ));
        }
        let community = communities::plant(
            db,
            me.person_id,
            NewCommunity {
                id: input.id.unwrap_or_else(Uuid::now_v7),
                organization_id: input.organization_id,
                profile,
                status: input.status.map_or(DomainStatus::Forming, Into::into),
                leader_id,
            },
        )
        .await?;
        Ok(community.into())
    }

    async fn update_community(
        &self,
        ctx: &Context<'_>,
        input: UpdateCommunityInput,
    ) -> ApiResult<CommunityView> {
        authorize_community(ctx, input.id, CommunityAction::Manage).await?;
        let db = db(ctx)?;
        let current = communities::get(db, input.id)
            .await?
            .ok_or(ApiError::NotFound("community"))?;
        let base = draft_of(&current.profile);
        let draft = CommunityProfileDraft {
            name: input.name.unwrap_or(base.name),
            vision: merge(input.vision, base.vision.as_ref()),
            start_mode: input.start_mode.map(Into::into).or(base.start_mode),
            place_kind: input.place_kind.map(Into::into).or(base.place_kind),
            place_description: merge(input.place_description, base.place_description.as_ref()),
            neighbourhood: merge(input.neighbourhood, base.neighbourhood.as_ref()),
            latitude: merge(input.latitude, base.latitude.as_ref()),
            longitude: merge(input.longitude, base.longitude.as_ref()),
            location_privacy: input
                .location_privacy
                .map(Into::into)
                .or(base.location_privacy),
            meeting_day: merge(
                input.meeting_day.map_value(Into::into),
                base.meeting_day.as_ref(),
            ),
            meeting_time: merge(input.meeting_time, base.meeting_time.as_ref()),
            time_zone: input.time_zone.or(base.time_zone),
            launched_on: merge(input.launched_on, base.launched_on.as_ref()),
        };
        let profile = CommunityProfile::parse(draft)?;
        Ok(
            communities::update(db, input.id, profile, input.status.map(Into::into))
                .await?
                .into(),
        )
    }

    /// Closes a community with a reason. It keeps its place in the family tree.
    async fn close_community(
        &self,
        ctx: &Context<'_>,
        input: CloseCommunityInput,
    ) -> ApiResult<CommunityView> {
        authorize_community(ctx, input.id, CommunityAction::Manage).await?;
        let closed_on = input.closed_on.unwrap_or_else(today);
        Ok(
            communities::close_community(db(ctx)?, input.id, &input.reason, closed_on)
                .await?
                .into(),
        )
    }
}
