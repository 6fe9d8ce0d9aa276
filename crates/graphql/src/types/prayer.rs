use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{ComplexObject, Context, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use oikos_domain::access::CommunityAction;
use oikos_domain::prayer::{PrayerRequest, PrayerVisibility as DomainVisibility, PrayerWalk};
use oikos_persistence::prayer;
use uuid::Uuid;

use super::enums::PrayerVisibility;
use super::need::{NeedView, need_standing};
use super::page::{IdCursor, connection, page_request};
use super::people_of_peace::PersonOfPeaceView;
use super::person::PersonView;
use crate::context::{actor, authorize_community, db, loaders};
use crate::error::ApiResult;

async fn people(ctx: &Context<'_>, ids: &[Uuid]) -> ApiResult<Vec<PersonView>> {
    let found = loaders(ctx)?.persons.load_many(ids.iter().copied()).await?;
    Ok(ids
        .iter()
        .filter_map(|id| found.get(id).cloned())
        .map(|p| PersonView::new(p, false))
        .collect())
}

/// Something a member asks the community (or its leaders) to pray for.
#[derive(SimpleObject)]
#[graphql(name = "PrayerRequest", complex)]
pub struct PrayerRequestView {
    pub id: Uuid,
    pub community_id: Uuid,
    pub body: String,
    pub visibility: PrayerVisibility,
    pub answered: bool,
    pub answered_at: Option<DateTime<Utc>>,
    pub answered_note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[graphql(skip)]
    pub author_id: Option<Uuid>,
}

impl From<PrayerRequest> for PrayerRequestView {
    fn from(p: PrayerRequest) -> Self {
        Self {
            id: p.id,
            community_id: p.community_id,
            body: p.body,
            visibility: p.visibility.into(),
            answered: p.answered_at.is_some(),
            answered_at: p.answered_at,
            answered_note: p.answered_note,
            created_at: p.created_at,
            updated_at: p.updated_at,
            author_id: p.author_id,
        }
    }
}

#[ComplexObject]
impl PrayerRequestView {
    async fn author(&self, ctx: &Context<'_>) -> ApiResult<Option<PersonView>> {
        let ids: Vec<Uuid> = self.author_id.into_iter().collect();
        Ok(people(ctx, &ids).await?.pop())
    }
}

/// A walk through the neighbourhood, praying and observing.
#[derive(SimpleObject)]
#[graphql(name = "PrayerWalk", complex)]
pub struct PrayerWalkView {
    pub id: Uuid,
    pub community_id: Uuid,
    pub walked_on: NaiveDate,
    /// The area walked.
    pub area: String,
    pub observations: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[graphql(skip)]
    pub record: PrayerWalk,
}

impl From<PrayerWalk> for PrayerWalkView {
    fn from(w: PrayerWalk) -> Self {
        Self {
            id: w.id,
            community_id: w.community_id,
            walked_on: w.content.walked_on,
            area: w.content.area.clone(),
            observations: w.content.observations.clone(),
            created_at: w.created_at,
            updated_at: w.updated_at,
            record: w,
        }
    }
}

#[ComplexObject]
impl PrayerWalkView {
    /// The members who walked.
    async fn walkers(&self, ctx: &Context<'_>) -> ApiResult<Vec<PersonView>> {
        people(ctx, &self.record.content.walker_ids).await
    }

    /// Needs discovered on the walk, those you may see.
    async fn needs(&self, ctx: &Context<'_>) -> ApiResult<Vec<NeedView>> {
        let ids = &self.record.content.need_ids;
        let mut found = loaders(ctx)?.needs.load_many(ids.iter().copied()).await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(need) = found.remove(id) else {
                continue;
            };
            if need_standing(ctx, &need).await?.is_some() {
                out.push(need.into());
            }
        }
        Ok(out)
    }

    /// People of peace met on the walk.
    async fn people_of_peace(&self, ctx: &Context<'_>) -> ApiResult<Vec<PersonOfPeaceView>> {
        let ids = &self.record.content.person_of_peace_ids;
        let mut found = loaders(ctx)?
            .people_of_peace
            .load_many(ids.iter().copied())
            .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(pop) = found.remove(id) {
                out.push(PersonOfPeaceView::seen_by(ctx, pop).await?);
            }
        }
        Ok(out)
    }
}

/// `Community.prayerRequests`: those the actor may read, unanswered first, newest first.
/// Reporters never see prayer.
pub(crate) async fn community_prayer_requests(
    ctx: &Context<'_>,
    community: Uuid,
    first: Option<i32>,
    after: Option<String>,
    answered: Option<bool>,
) -> ApiResult<Connection<IdCursor, PrayerRequestView, EmptyFields, EmptyFields>> {
    let me = actor(ctx)?;
    let standing = authorize_community(ctx, community, CommunityAction::ViewPastoral).await?;
    let had_cursor = after.is_some();
    let request = page_request(first, after)?;
    let levels = DomainVisibility::readable_levels(&standing);
    let page = prayer::list_requests(
        db(ctx)?,
        community,
        me.person_id,
        &levels,
        answered,
        request,
    )
    .await?;
    Ok(connection(
        page,
        had_cursor,
        |p| p.id,
        PrayerRequestView::from,
    ))
}

/// `Community.prayerWalks`: walkers are named, so not for reporters.
pub(crate) async fn community_prayer_walks(
    ctx: &Context<'_>,
    community: Uuid,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<Connection<IdCursor, PrayerWalkView, EmptyFields, EmptyFields>> {
    authorize_community(ctx, community, CommunityAction::ViewPastoral).await?;
    let had_cursor = after.is_some();
    let request = page_request(first, after)?;
    let page = prayer::list_walks(db(ctx)?, community, request).await?;
    Ok(connection(page, had_cursor, |w| w.id, PrayerWalkView::from))
}
