use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{ComplexObject, Context, Object, SimpleObject};
use chrono::{DateTime, Duration, Utc};
use oikos_domain::access::{CommunityAction, CommunityStanding};
use oikos_domain::health::HEALTH_NEEDS_DAYS;
use oikos_domain::need::{Need, NeedEvent, Visibility};
use oikos_persistence::needs::{self, NeedFilter};
use uuid::Uuid;

use super::enums::{
    NeedAction, NeedCategory, NeedOutcome, NeedStatus, NeedUrgency, NeedVisibility,
};
use super::page::{IdCursor, connection, page_request};
use super::people_of_peace::{PartnerView, PersonOfPeaceView};
use super::person::PersonView;
use crate::context::{actor, authorize_community, authorize_org, db, loaders, visible_community};
use crate::error::{ApiError, ApiResult};
use crate::loaders::NeedCountsKey;

/// The actor's standing in the need's community when the need is theirs to see (as the
/// domain's `Visibility::visible_to` decides), `None` otherwise.
pub(crate) async fn need_standing(
    ctx: &Context<'_>,
    need: &Need,
) -> ApiResult<Option<CommunityStanding>> {
    let me = actor(ctx)?;
    let loaders = loaders(ctx)?;
    let standing = loaders
        .standings
        .load_one(need.community_id)
        .await?
        .unwrap_or_default();
    let in_network = if need.content.visibility == Visibility::Network {
        let reach = loaders
            .network_reach
            .load_one(me.person_id)
            .await?
            .unwrap_or_default();
        let org = loaders
            .organizations
            .load_one(need.organization_id)
            .await?
            .ok_or(ApiError::NotFound("organization"))?;
        reach.covers(&org.path)
    } else {
        false
    };
    Ok(need
        .content
        .visibility
        .visible_to(&standing, in_network)
        .then_some(standing))
}

/// A need the actor may see, with their standing in its community; NOT_FOUND otherwise,
/// whether or not it exists.
pub(crate) async fn visible_need(
    ctx: &Context<'_>,
    id: Uuid,
) -> ApiResult<(Need, CommunityStanding)> {
    actor(ctx)?;
    let need = loaders(ctx)?
        .needs
        .load_one(id)
        .await?
        .ok_or(ApiError::NotFound("need"))?;
    let standing = need_standing(ctx, &need)
        .await?
        .ok_or(ApiError::NotFound("need"))?;
    Ok((need, standing))
}

/// A need on the board: "do any of our friends have any needs?"
#[derive(SimpleObject)]
#[graphql(name = "Need", complex)]
pub struct NeedView {
    pub id: Uuid,
    pub community_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub category: NeedCategory,
    /// For whom, in words, when it is not a person of peace the community knows.
    pub for_whom: Option<String>,
    pub neighbourhood: Option<String>,
    pub urgency: NeedUrgency,
    pub visibility: NeedVisibility,
    pub status: NeedStatus,
    pub outcome: Option<NeedOutcome>,
    pub outcome_note: Option<String>,
    /// The SERVICE gathering that met the need.
    pub met_by_gathering_id: Option<Uuid>,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    #[graphql(skip)]
    pub record: Need,
}

impl From<Need> for NeedView {
    fn from(n: Need) -> Self {
        let c = &n.content;
        Self {
            id: n.id,
            community_id: n.community_id,
            title: c.title.clone(),
            description: c.description.clone(),
            category: c.category.into(),
            for_whom: c.for_whom.clone(),
            neighbourhood: c.neighbourhood.clone(),
            urgency: c.urgency.into(),
            visibility: c.visibility.into(),
            status: n.status.into(),
            outcome: n.outcome.map(Into::into),
            outcome_note: n.outcome_note.clone(),
            met_by_gathering_id: n.met_by_gathering_id,
            opened_at: n.created_at,
            closed_at: n.closed_at,
            updated_at: n.updated_at,
            record: n,
        }
    }
}

impl NeedView {
    /// Whether the actor may see the people behind this need (who it is for, who claimed
    /// it): its community's members and overseers, not the wider network.
    async fn sees_people(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(loaders(ctx)?
            .standings
            .load_one(self.community_id)
            .await?
            .is_some_and(|s| s.allows(CommunityAction::ViewPeople)))
    }

    async fn claimer_ids(&self, ctx: &Context<'_>) -> ApiResult<Vec<Uuid>> {
        Ok(loaders(ctx)?
            .need_claimers
            .load_one(self.id)
            .await?
            .unwrap_or_default())
    }
}

async fn person_view(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<PersonView>> {
    Ok(loaders(ctx)?
        .persons
        .load_one(id)
        .await?
        .map(|p| PersonView::new(p, false)))
}

#[ComplexObject]
impl NeedView {
    /// The person of peace the need is for; null when it is for someone described in
    /// words, or when you may not see the community's people.
    async fn person_of_peace(&self, ctx: &Context<'_>) -> ApiResult<Option<PersonOfPeaceView>> {
        let Some(id) = self.record.content.person_of_peace_id else {
            return Ok(None);
        };
        if !self.sees_people(ctx).await? {
            return Ok(None);
        }
        let Some(pop) = loaders(ctx)?.people_of_peace.load_one(id).await? else {
            return Ok(None);
        };
        Ok(Some(PersonOfPeaceView::seen_by(ctx, pop).await?))
    }

    /// The partner the need was referred to (null unless you may see the community's people).
    async fn referred_partner(&self, ctx: &Context<'_>) -> ApiResult<Option<PartnerView>> {
        let Some(id) = self.record.referred_partner_id else {
            return Ok(None);
        };
        if !self.sees_people(ctx).await? {
            return Ok(None);
        }
        Ok(loaders(ctx)?.partners.load_one(id).await?.map(Into::into))
    }

    /// How many people are claiming it.
    async fn claim_count(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        Ok(i32::try_from(self.claimer_ids(ctx).await?.len()).unwrap_or(i32::MAX))
    }

    async fn claimed_by_me(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let me = actor(ctx)?;
        Ok(self.claimer_ids(ctx).await?.contains(&me.person_id))
    }

    /// Who is claiming it; null unless you may see the community's people.
    async fn claimed_by(&self, ctx: &Context<'_>) -> ApiResult<Option<Vec<PersonView>>> {
        if !self.sees_people(ctx).await? {
            return Ok(None);
        }
        let ids = self.claimer_ids(ctx).await?;
        let people = loaders(ctx)?.persons.load_many(ids.iter().copied()).await?;
        Ok(Some(
            ids.iter()
                .filter_map(|id| people.get(id).cloned())
                .map(|p| PersonView::new(p, false))
                .collect(),
        ))
    }

    /// Every transition, oldest first: what happened, when, and (for those who may see
    /// the community's people) by whom.
    async fn history(&self, ctx: &Context<'_>) -> ApiResult<Vec<NeedEventView>> {
        let show_actor = self.sees_people(ctx).await?;
        Ok(loaders(ctx)?
            .need_events
            .load_one(self.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|e| NeedEventView::new(e, show_actor))
            .collect())
    }
}

/// One transition of a need.
#[derive(SimpleObject)]
#[graphql(name = "NeedEvent", complex)]
pub struct NeedEventView {
    pub action: NeedAction,
    pub from_status: Option<NeedStatus>,
    pub to_status: NeedStatus,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
    #[graphql(skip)]
    pub actor_id: Option<Uuid>,
}

impl NeedEventView {
    fn new(e: NeedEvent, show_actor: bool) -> Self {
        Self {
            action: e.action.into(),
            from_status: e.from_status.map(Into::into),
            to_status: e.to_status.into(),
            note: e.note,
            at: e.at,
            actor_id: e.actor_id.filter(|_| show_actor),
        }
    }
}

#[ComplexObject]
impl NeedEventView {
    /// Who took the step; null unless you may see the community's people.
    async fn actor(&self, ctx: &Context<'_>) -> ApiResult<Option<PersonView>> {
        match self.actor_id {
            Some(id) => person_view(ctx, id).await,
            None => Ok(None),
        }
    }
}

/// Numbers about a community's needs, which name nobody (reporters see them too).
#[derive(SimpleObject)]
#[graphql(name = "NeedCounts")]
pub struct NeedCountsView {
    /// Needs not closed yet (OPEN or CLAIMED).
    pub open: i32,
    pub claimed: i32,
    /// Needs closed as MET in the window asked for.
    pub met: i32,
    pub met_since: DateTime<Utc>,
    pub met_before: DateTime<Utc>,
}

fn count(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn filter_of(status: Option<Vec<NeedStatus>>) -> NeedFilter {
    NeedFilter {
        statuses: status
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect(),
    }
}

pub type NeedConnection = Connection<IdCursor, NeedView, EmptyFields, EmptyFields>;

/// `Community.needs`: the needs of the community the actor may see.
pub(crate) async fn community_needs(
    ctx: &Context<'_>,
    community: Uuid,
    first: Option<i32>,
    after: Option<String>,
    status: Option<Vec<NeedStatus>>,
) -> ApiResult<NeedConnection> {
    let standing = authorize_community(ctx, community, CommunityAction::ViewPastoral).await?;
    let had_cursor = after.is_some();
    let request = page_request(first, after)?;
    let levels = Visibility::visible_levels(&standing, false);
    let page =
        needs::list_in_community(db(ctx)?, community, &levels, &filter_of(status), request).await?;
    Ok(connection(page, had_cursor, |n| n.id, NeedView::from))
}

/// `Community.needCounts`: defaults to the health check's window.
pub(crate) async fn community_need_counts(
    ctx: &Context<'_>,
    community: Uuid,
    met_since: Option<DateTime<Utc>>,
    met_before: Option<DateTime<Utc>>,
) -> ApiResult<NeedCountsView> {
    visible_community(ctx, community).await?;
    let met_before = met_before.unwrap_or_else(Utc::now);
    let met_since =
        met_since.unwrap_or_else(|| met_before - Duration::days(i64::from(HEALTH_NEEDS_DAYS)));
    if met_since > met_before {
        return Err(ApiError::bad_input(
            "metSince",
            "metSince must not be after metBefore",
        ));
    }
    let counts = loaders(ctx)?
        .need_counts
        .load_one(NeedCountsKey {
            community,
            met_from: met_since,
            met_to: met_before,
        })
        .await?
        .unwrap_or_default();
    Ok(NeedCountsView {
        open: count(counts.open),
        claimed: count(counts.claimed),
        met: count(counts.met),
        met_since,
        met_before,
    })
}

/// `Organization.networkNeeds`: needs shared with the network below an organization that
/// reach the actor.
pub(crate) async fn network_needs(
    ctx: &Context<'_>,
    org: Uuid,
    first: Option<i32>,
    after: Option<String>,
    status: Option<Vec<NeedStatus>>,
) -> ApiResult<NeedConnection> {
    let me = actor(ctx)?;
    authorize_org(ctx, org, oikos_domain::access::OrgAction::View).await?;
    let had_cursor = after.is_some();
    let request = page_request(first, after)?;
    let loaders = loaders(ctx)?;
    let path = loaders
        .organizations
        .load_one(org)
        .await?
        .ok_or(ApiError::NotFound("organization"))?
        .path;
    let reach = loaders
        .network_reach
        .load_one(me.person_id)
        .await?
        .unwrap_or_default();
    let page = needs::list_network(db(ctx)?, &path, &reach, &filter_of(status), request).await?;
    Ok(connection(page, had_cursor, |n| n.id, NeedView::from))
}

#[derive(Default)]
pub struct NeedQuery;

#[Object]
impl NeedQuery {
    /// A need you may see (as a member or overseer of its community, or through the
    /// network when it is shared there); NOT_FOUND otherwise, whether or not it exists.
    async fn need(&self, ctx: &Context<'_>, id: Uuid) -> ApiResult<NeedView> {
        Ok(visible_need(ctx, id).await?.0.into())
    }
}
