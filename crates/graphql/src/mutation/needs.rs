use async_graphql::{Context, InputObject, Object};
use oikos_domain::access::CommunityAction;
use oikos_domain::need::{self, NeedContent, NeedDraft};
use oikos_persistence::needs::{self as store, NeedClosing, NewNeed};
use uuid::Uuid;

use crate::context::{actor, authorize_community, db};
use crate::error::{ApiError, ApiResult};
use crate::types::enums::{NeedCategory, NeedOutcome, NeedUrgency, NeedVisibility};
use crate::types::need::{NeedView, visible_need};

#[derive(Default)]
pub struct NeedMutation;

#[derive(InputObject)]
pub struct CreateNeedInput {
    /// Optional client-generated id: retrying with the same id and content is safe.
    pub id: Option<Uuid>,
    pub community_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    /// OTHER unless given.
    pub category: Option<NeedCategory>,
    /// For a person of peace of this community…
    pub person_of_peace_id: Option<Uuid>,
    /// …or for someone described in words (not both).
    pub for_whom: Option<String>,
    pub neighbourhood: Option<String>,
    /// NORMAL unless given.
    pub urgency: Option<NeedUrgency>,
    /// Who may see it: always a deliberate choice.
    pub visibility: NeedVisibility,
}

#[derive(InputObject)]
pub struct ReleaseNeedInput {
    pub need_id: Uuid,
    /// Whose claim to release: yours unless given (leaders may release anyone's).
    pub person_id: Option<Uuid>,
}

#[derive(InputObject)]
pub struct CloseNeedInput {
    pub need_id: Uuid,
    pub outcome: NeedOutcome,
    pub note: Option<String>,
    /// For REFERRED: the partner of this community it was passed on to.
    pub partner_id: Option<Uuid>,
    /// For MET: the SERVICE gathering of this community that met it.
    pub met_by_gathering_id: Option<Uuid>,
}

#[derive(InputObject)]
pub struct ReopenNeedInput {
    pub need_id: Uuid,
    /// Why it is reopened.
    pub note: Option<String>,
}

#[Object]
impl NeedMutation {
    /// Puts a need on the board (members).
    async fn create_need(&self, ctx: &Context<'_>, input: CreateNeedInput) -> ApiResult<NeedView> {
        let me = actor(ctx)?;
        authorize_community(ctx, input.community_id, CommunityAction::Participate).await?;
        let content = NeedContent::parse(NeedDraft {
            title: input.title,
            description: input.description,
            category: input.category.map(Into::into),
            person_of_peace_id: input.person_of_peace_id,
            for_whom: input.for_whom,
            neighbourhood: input.neighbourhood,
            urgency: input.urgency.map(Into::into),
            visibility: input.visibility.into(),
        })?;
        let need = store::create(
            db(ctx)?,
            NewNeed {
                id: input.id.unwrap_or_else(Uuid::now_v7),
                community_id: input.community_id,
                content,
                opened_by: me.person_id,
            },
        )
        .await?;
        Ok(need.into())
    }

    /// You take the need on; others may too.
    async fn claim_need(&self, ctx: &Context<'_>, need_id: Uuid) -> ApiResult<NeedView> {
        let me = actor(ctx)?;
        let (_, standing) = visible_need(ctx, need_id).await?;
        if !need::may_claim(&standing) {
            return Err(ApiError::Forbidden);
        }
        Ok(store::claim(db(ctx)?, need_id, me.person_id).await?.into())
    }

    /// Withdraws a claim; the need is open again once nobody claims it.
    async fn release_need(
        &self,
        ctx: &Context<'_>,
        input: ReleaseNeedInput,
    ) -> ApiResult<NeedView> {
        let me = actor(ctx)?;
        let (_, standing) = visible_need(ctx, input.need_id).await?;
        let person = input.person_id.unwrap_or(me.person_id);
        if !need::may_release(&standing, person == me.person_id) {
            return Err(ApiError::Forbidden);
        }
        Ok(
            store::release(db(ctx)?, input.need_id, person, me.person_id)
                .await?
                .into(),
        )
    }

    /// Closes the need with its outcome (those who claimed it, or leaders).
    async fn close_need(&self, ctx: &Context<'_>, input: CloseNeedInput) -> ApiResult<NeedView> {
        let me = actor(ctx)?;
        let (_, standing) = visible_need(ctx, input.need_id).await?;
        let db = db(ctx)?;
        let is_claimer = store::claimers_of(db, &[input.need_id])
            .await?
            .get(&input.need_id)
            .is_some_and(|c| c.contains(&me.person_id));
        if !need::may_close(&standing, is_claimer) {
            return Err(ApiError::Forbidden);
        }
        let closing = NeedClosing {
            outcome: input.outcome.into(),
            note: need::note(input.note.as_deref())?,
            partner_id: input.partner_id,
            met_by_gathering_id: input.met_by_gathering_id,
        };
        Ok(store::close(db, input.need_id, closing, me.person_id)
            .await?
            .into())
    }

    /// Reopens a need closed by mistake (leaders): open again, unclaimed.
    async fn reopen_need(&self, ctx: &Context<'_>, input: ReopenNeedInput) -> ApiResult<NeedView> {
        let me = actor(ctx)?;
        let (_, standing) = visible_need(ctx, input.need_id).await?;
        if !need::may_reopen(&standing) {
            return Err(ApiError::Forbidden);
        }
        let note = need::note(input.note.as_deref())?;
        Ok(store::reopen(db(ctx)?, input.need_id, note, me.person_id)
            .await?
            .into())
    }
}
