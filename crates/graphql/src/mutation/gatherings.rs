use async_graphql::{Context, InputObject, MaybeUndefined, Object};
use chrono::{DateTime, Utc};
use oikos_domain::access::CommunityAction;
use oikos_domain::gathering::{
    self as rules, Gathering, GatheringChange, GatheringDetails, GatheringDetailsDraft,
};
use oikos_persistence::gatherings::{
    self, AttendanceDraft, GatheringCorrection, HeldRecord, NewGathering,
};
use uuid::Uuid;

use super::merge;
use crate::context::{actor, authorize_community, db, loaders};
use crate::error::{ApiError, ApiResult};
use crate::types::enums::{PlaceKind, Practice, RsvpResponse};
use crate::types::gathering::{GatheringView, SignupView};

#[derive(Default)]
pub struct GatheringMutation;

/// When, where and what.
#[derive(InputObject)]
pub struct NewGatheringInput {
    /// Optional client-generated id: retrying with the same id and content is safe.
    pub id: Option<Uuid>,
    pub community_id: Uuid,
    pub title: Option<String>,
    pub starts_at: DateTime<Utc>,
    /// After startsAt, and at most 24 hours later.
    pub ends_at: Option<DateTime<Utc>>,
    /// Where the community usually meets, when left out.
    pub place_kind: Option<PlaceKind>,
    pub place_description: Option<String>,
    pub plan: Option<String>,
    /// At least one.
    pub practices: Vec<Practice>,
}

/// What happened: logs a scheduled gathering as held (or corrects what was logged), or
/// logs at once a gathering that was never scheduled.
#[derive(InputObject)]
pub struct LogGatheringInput {
    /// The gathering to log …
    pub gathering_id: Option<Uuid>,
    /// … or a gathering that was never scheduled.
    pub gathering: Option<NewGatheringInput>,
    pub notes: Option<String>,
    /// Members present: each a member of the community on the day (or now).
    #[graphql(default)]
    pub present_member_ids: Vec<Uuid>,
    /// Named guests: people of peace of this community, not also members present.
    #[graphql(default)]
    pub guest_ids: Vec<Uuid>,
    /// Guests who came but are not named.
    #[graphql(default)]
    pub anonymous_guests: i32,
}

#[derive(InputObject)]
pub struct MarkGatheringDidNotMeetInput {
    pub gathering_id: Uuid,
    pub reason: String,
}

#[derive(InputObject)]
pub struct GatheringIdInput {
    pub gathering_id: Uuid,
}

/// A correction. Fields left out keep their value; null clears an optional one.
#[derive(InputObject)]
pub struct UpdateGatheringInput {
    pub id: Uuid,
    pub title: MaybeUndefined<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: MaybeUndefined<DateTime<Utc>>,
    pub place_kind: Option<PlaceKind>,
    pub place_description: MaybeUndefined<String>,
    pub plan: MaybeUndefined<String>,
    pub practices: Option<Vec<Practice>>,
    pub notes: MaybeUndefined<String>,
    /// Only for a gathering that did not meet.
    pub did_not_meet_reason: Option<String>,
}

#[derive(InputObject)]
pub struct RsvpToGatheringInput {
    pub gathering_id: Uuid,
    pub response: RsvpResponse,
}

#[derive(InputObject)]
pub struct AddGatheringSignupInput {
    /// Optional client-generated id: retrying with the same id and content is safe.
    pub id: Option<Uuid>,
    pub gathering_id: Uuid,
    /// What to bring or do: "salad", "drinks", "set-up", "kids' corner".
    pub label: String,
}

#[derive(InputObject)]
pub struct GatheringSignupIdInput {
    pub signup_id: Uuid,
}

/// An invisible gathering and a missing one both answer NOT_FOUND.
fn as_gathering_not_found(e: ApiError) -> ApiError {
    match e {
        ApiError::NotFound(_) => ApiError::NotFound("gathering"),
        other => other,
    }
}

/// A gathering the actor may see, and may make `change` to when one is given; members of
/// the community at least may look.
async fn gathering_for(
    ctx: &Context<'_>,
    id: Uuid,
    change: Option<GatheringChange>,
) -> ApiResult<Gathering> {
    let me = actor(ctx)?;
    let gathering = gatherings::get(db(ctx)?, id)
        .await?
        .ok_or(ApiError::NotFound("gathering"))?;
    let action = change.map_or(CommunityAction::Participate, |change| {
        rules::required_action(
            change,
            gathering.outcome,
            gathering.created_by == Some(me.person_id),
        )
    });
    authorize_community(ctx, gathering.community_id, action)
        .await
        .map_err(as_gathering_not_found)?;
    Ok(gathering)
}

/// Parses new details against the community (its usual place), after authorizing.
async fn new_gathering(ctx: &Context<'_>, input: NewGatheringInput) -> ApiResult<NewGathering> {
    authorize_community(ctx, input.community_id, CommunityAction::Participate).await?;
    let community = loaders(ctx)?
        .communities
        .load_one(input.community_id)
        .await?
        .ok_or(ApiError::NotFound("community"))?;
    let details = GatheringDetails::parse(
        GatheringDetailsDraft {
            title: input.title,
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            place_kind: input.place_kind.map(Into::into),
            place_description: input.place_description,
            plan: input.plan,
            practices: input.practices.into_iter().map(Into::into).collect(),
        },
        community.profile.place_kind,
    )?;
    Ok(NewGathering {
        id: input.id.unwrap_or_else(Uuid::now_v7),
        community_id: input.community_id,
        details,
        held: None,
    })
}

#[Object]
impl GatheringMutation {
    /// Plans a gathering. Any member may.
    async fn schedule_gathering(
        &self,
        ctx: &Context<'_>,
        input: NewGatheringInput,
    ) -> ApiResult<GatheringView> {
        let me = actor(ctx)?;
        let new = new_gathering(ctx, input).await?;
        Ok(gatherings::create(db(ctx)?, me.person_id, new, Utc::now())
            .await?
            .into())
    }

    /// Logs what happened and who came. Any member may log a scheduled gathering or one
    /// that was never scheduled; logging again what was already logged is a leader's
    /// correction.
    async fn log_gathering(
        &self,
        ctx: &Context<'_>,
        input: LogGatheringInput,
    ) -> ApiResult<GatheringView> {
        let me = actor(ctx)?;
        let held = HeldRecord {
            notes: rules::notes(input.notes.as_deref())?,
            attendance: AttendanceDraft {
                present_member_ids: input.present_member_ids,
                guest_ids: input.guest_ids,
                anonymous_guests: i64::from(input.anonymous_guests),
            },
        };
        let db = db(ctx)?;
        let logged = match (input.gathering_id, input.gathering) {
            (Some(id), None) => {
                let current = gathering_for(ctx, id, Some(GatheringChange::Log)).await?;
                gatherings::log(db, id, current.outcome, held, Utc::now()).await?
            }
            (None, Some(new)) => {
                let new = NewGathering {
                    held: Some(held),
                    ..new_gathering(ctx, new).await?
                };
                gatherings::create(db, me.person_id, new, Utc::now()).await?
            }
            _ => {
                return Err(ApiError::bad_input(
                    "gatheringId",
                    "give either gatheringId (a scheduled gathering) or gathering (one that was never scheduled)",
                ));
            }
        };
        Ok(logged.into())
    }

    /// Records that a gathering did not take place, and why: a missed rhythm, not nothing.
    async fn mark_gathering_did_not_meet(
        &self,
        ctx: &Context<'_>,
        input: MarkGatheringDidNotMeetInput,
    ) -> ApiResult<GatheringView> {
        let current = gathering_for(
            ctx,
            input.gathering_id,
            Some(GatheringChange::MarkDidNotMeet),
        )
        .await?;
        let reason = rules::did_not_meet_reason(&input.reason)?;
        Ok(
            gatherings::mark_did_not_meet(
                db(ctx)?,
                current.id,
                current.outcome,
                reason,
                Utc::now(),
            )
            .await?
            .into(),
        )
    }

    /// Calls off a scheduled gathering. Calendars show it as cancelled.
    async fn cancel_gathering(
        &self,
        ctx: &Context<'_>,
        input: GatheringIdInput,
    ) -> ApiResult<GatheringView> {
        let current = gathering_for(ctx, input.gathering_id, Some(GatheringChange::Cancel)).await?;
        Ok(
            gatherings::cancel(db(ctx)?, current.id, current.outcome, Utc::now())
                .await?
                .into(),
        )
    }

    /// Corrects a gathering: leaders any, a member only a still-scheduled one they planned.
    /// Scorecards follow at once.
    async fn update_gathering(
        &self,
        ctx: &Context<'_>,
        input: UpdateGatheringInput,
    ) -> ApiResult<GatheringView> {
        let current = gathering_for(ctx, input.id, Some(GatheringChange::Edit)).await?;
        let d = &current.details;
        let details = GatheringDetails::parse(
            GatheringDetailsDraft {
                title: merge(input.title, d.title.as_ref()),
                starts_at: input.starts_at.unwrap_or(d.starts_at),
                ends_at: merge(input.ends_at, d.ends_at.as_ref()),
                place_kind: Some(input.place_kind.map_or(d.place_kind, Into::into)),
                place_description: merge(input.place_description, d.place_description.as_ref()),
                plan: merge(input.plan, d.plan.as_ref()),
                practices: input.practices.map_or_else(
                    || d.practices.clone(),
                    |p| p.into_iter().map(Into::into).collect(),
                ),
            },
            d.place_kind,
        )?;
        let notes = rules::notes(merge(input.notes, current.notes.as_ref()).as_deref())?;
        let did_not_meet_reason = input
            .did_not_meet_reason
            .as_deref()
            .map(rules::did_not_meet_reason)
            .transpose()?;
        let correction = GatheringCorrection {
            details,
            notes,
            did_not_meet_reason,
        };
        Ok(gatherings::correct(
            db(ctx)?,
            current.id,
            current.outcome,
            correction,
            Utc::now(),
        )
        .await?
        .into())
    }

    /// Deletes a gathering (it stops counting at once). True when deleted.
    async fn delete_gathering(
        &self,
        ctx: &Context<'_>,
        input: GatheringIdInput,
    ) -> ApiResult<bool> {
        let current = gathering_for(ctx, input.gathering_id, Some(GatheringChange::Delete)).await?;
        gatherings::delete(db(ctx)?, current.id, current.outcome, Utc::now()).await?;
        Ok(true)
    }

    /// Answers a scheduled gathering (members); a later answer replaces an earlier one.
    async fn rsvp_to_gathering(
        &self,
        ctx: &Context<'_>,
        input: RsvpToGatheringInput,
    ) -> ApiResult<GatheringView> {
        let me = actor(ctx)?;
        gathering_for(ctx, input.gathering_id, None).await?;
        Ok(gatherings::rsvp(
            db(ctx)?,
            input.gathering_id,
            me.person_id,
            input.response.into(),
            Utc::now(),
        )
        .await?
        .into())
    }

    /// Adds something to bring to a scheduled gathering (members).
    async fn add_gathering_signup(
        &self,
        ctx: &Context<'_>,
        input: AddGatheringSignupInput,
    ) -> ApiResult<SignupView> {
        let me = actor(ctx)?;
        gathering_for(ctx, input.gathering_id, None).await?;
        let label = rules::signup_item(&input.label)?;
        let signup = gatherings::add_signup(
            db(ctx)?,
            input.id.unwrap_or_else(Uuid::now_v7),
            input.gathering_id,
            label,
            Utc::now(),
        )
        .await?;
        Ok(SignupView::new(signup, me.person_id, true))
    }

    /// Claims an item: you bring it. An item already claimed is a conflict.
    async fn claim_gathering_signup(
        &self,
        ctx: &Context<'_>,
        input: GatheringSignupIdInput,
    ) -> ApiResult<SignupView> {
        let me = actor(ctx)?;
        let signup = signup_for(ctx, input.signup_id).await?;
        gathering_for(ctx, signup.gathering_id, None)
            .await
            .map_err(as_signup_not_found)?;
        let claimed =
            gatherings::claim_signup(db(ctx)?, signup.id, me.person_id, Utc::now()).await?;
        Ok(SignupView::new(claimed, me.person_id, true))
    }

    /// Gives a claimed item back: your own claim, or anyone's for a leader.
    async fn unclaim_gathering_signup(
        &self,
        ctx: &Context<'_>,
        input: GatheringSignupIdInput,
    ) -> ApiResult<SignupView> {
        let me = actor(ctx)?;
        let signup = signup_for(ctx, input.signup_id).await?;
        let gathering = gatherings::get(db(ctx)?, signup.gathering_id)
            .await?
            .ok_or(ApiError::NotFound("sign-up"))?;
        // Visibility first, so an invisible item answers NOT_FOUND whatever its state.
        crate::context::visible_community(ctx, gathering.community_id)
            .await
            .map_err(as_signup_not_found)?;
        let action = rules::unclaim_signup(signup.claimed_by, me.person_id)?;
        authorize_community(ctx, gathering.community_id, action).await?;
        let claimer = signup.claimed_by.unwrap_or(me.person_id);
        let released = gatherings::unclaim_signup(db(ctx)?, signup.id, claimer, Utc::now()).await?;
        Ok(SignupView::new(released, me.person_id, true))
    }

    /// Takes an item off the list (leaders). True when it was there.
    async fn remove_gathering_signup(
        &self,
        ctx: &Context<'_>,
        input: GatheringSignupIdInput,
    ) -> ApiResult<bool> {
        let signup = signup_for(ctx, input.signup_id).await?;
        let gathering = gatherings::get(db(ctx)?, signup.gathering_id)
            .await?
            .ok_or(ApiError::NotFound("sign-up"))?;
        authorize_community(ctx, gathering.community_id, CommunityAction::Manage)
            .await
            .map_err(as_signup_not_found)?;
        Ok(gatherings::remove_signup(db(ctx)?, signup.id).await?)
    }
}

async fn signup_for(ctx: &Context<'_>, id: Uuid) -> ApiResult<oikos_domain::gathering::Signup> {
    actor(ctx)?;
    gatherings::signup(db(ctx)?, id)
        .await?
        .ok_or(ApiError::NotFound("sign-up"))
}

fn as_signup_not_found(e: ApiError) -> ApiError {
    match e {
        ApiError::NotFound(_) => ApiError::NotFound("sign-up"),
        other => other,
    }
}
