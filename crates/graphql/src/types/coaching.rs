//! Coaching: who accompanies which leader, and the check-ins between them. An assignment
//! is seen by its coach, its leader and the organization's admins; a check-in only by
//! the coach and the leader (`oikos_domain::coaching::may_read_check_in`).

use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{ComplexObject, Context, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use oikos_domain::access::OrgAction;
use oikos_domain::coaching::{CheckIn, CoachingAssignment, may_read_check_in};
use oikos_persistence::coaching::{self, CheckInsOf, Side};
use uuid::Uuid;

use super::community::CommunityView;
use super::organization::OrganizationView;
use super::page::{IdCursor, connection, page_request};
use super::person::PersonView;
use crate::context::{actor, authorize_org, db, loaders};
use crate::error::{ApiError, ApiResult};

/// Coach and leader see each other's contact details: they meet.
async fn partner(ctx: &Context<'_>, id: Uuid) -> ApiResult<PersonView> {
    let person = loaders(ctx)?
        .persons
        .load_one(id)
        .await?
        .ok_or(ApiError::NotFound("person"))?;
    Ok(PersonView::new(person, true))
}

/// A coach accompanying a leader on behalf of an organization.
#[derive(SimpleObject)]
#[graphql(name = "CoachingAssignment", complex)]
pub struct CoachingAssignmentView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub started_on: NaiveDate,
    /// Null while the coach still accompanies the leader.
    pub ended_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[graphql(skip)]
    pub record: CoachingAssignment,
}

impl From<CoachingAssignment> for CoachingAssignmentView {
    fn from(a: CoachingAssignment) -> Self {
        Self {
            id: a.id,
            organization_id: a.organization_id,
            started_on: a.started_on,
            ended_on: a.ended_on,
            created_at: a.created_at,
            updated_at: a.updated_at,
            record: a,
        }
    }
}

#[ComplexObject]
impl CoachingAssignmentView {
    async fn organization(&self, ctx: &Context<'_>) -> ApiResult<OrganizationView> {
        loaders(ctx)?
            .organizations
            .load_one(self.organization_id)
            .await?
            .map(Into::into)
            .ok_or(ApiError::NotFound("organization"))
    }

    async fn coach(&self, ctx: &Context<'_>) -> ApiResult<PersonView> {
        partner(ctx, self.record.coach_id).await
    }

    async fn leader(&self, ctx: &Context<'_>) -> ApiResult<PersonView> {
        partner(ctx, self.record.leader_id).await
    }

    /// The communities the leader currently leads in the organization or below it (those
    /// you may see).
    async fn communities(&self, ctx: &Context<'_>) -> ApiResult<Vec<CommunityView>> {
        let loaders = loaders(ctx)?;
        let ids = loaders
            .led_communities
            .load_one((self.record.leader_id, self.organization_id))
            .await?
            .unwrap_or_default();
        let standings = loaders.standings.load_many(ids.iter().copied()).await?;
        let visible: Vec<Uuid> = ids
            .into_iter()
            .filter(|id| {
                standings
                    .get(id)
                    .is_some_and(|s| s.allows(oikos_domain::access::CommunityAction::ViewCommunity))
            })
            .collect();
        let mut found = loaders
            .communities
            .load_many(visible.iter().copied())
            .await?;
        Ok(visible
            .iter()
            .filter_map(|id| found.remove(id))
            .map(CommunityView::from)
            .collect())
    }

    /// The check-ins of this assignment, the most recent first. Only the coach and the
    /// leader may read them.
    async fn check_ins(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Connection<IdCursor, CheckInView, EmptyFields, EmptyFields>> {
        let me = actor(ctx)?;
        if !may_read_check_in(me.person_id, self.record.coach_id, self.record.leader_id) {
            return Err(ApiError::Forbidden);
        }
        let had_cursor = after.is_some();
        let page = coaching::check_ins(
            db(ctx)?,
            CheckInsOf::Assignment(self.id),
            page_request(first, after)?,
        )
        .await?;
        Ok(connection(page, had_cursor, |c| c.id, CheckInView::from))
    }
}

/// One conversation between a coach and a leader.
#[derive(SimpleObject)]
#[graphql(name = "CheckIn", complex)]
pub struct CheckInView {
    pub id: Uuid,
    pub assignment_id: Uuid,
    pub met_on: NaiveDate,
    pub notes: String,
    pub next_steps: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[graphql(skip)]
    pub coach_id: Uuid,
    #[graphql(skip)]
    pub leader_id: Uuid,
}

impl From<CheckIn> for CheckInView {
    fn from(c: CheckIn) -> Self {
        Self {
            id: c.id,
            assignment_id: c.assignment_id,
            met_on: c.content.met_on,
            notes: c.content.notes,
            next_steps: c.content.next_steps,
            created_at: c.created_at,
            updated_at: c.updated_at,
            coach_id: c.coach_id,
            leader_id: c.leader_id,
        }
    }
}

#[ComplexObject]
impl CheckInView {
    async fn coach(&self, ctx: &Context<'_>) -> ApiResult<PersonView> {
        partner(ctx, self.coach_id).await
    }

    async fn leader(&self, ctx: &Context<'_>) -> ApiResult<PersonView> {
        partner(ctx, self.leader_id).await
    }
}

/// Your coaching: the leaders you accompany, the coaches who accompany you, and the
/// check-ins on either side.
pub struct MyCoaching {
    person_id: Uuid,
}

#[Object]
impl MyCoaching {
    /// Leaders you coach (current ones first), each with the communities they lead.
    async fn leaders(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] include_ended: bool,
    ) -> ApiResult<Vec<CoachingAssignmentView>> {
        let found =
            coaching::of_person(db(ctx)?, self.person_id, Side::Coach, include_ended).await?;
        Ok(found.into_iter().map(Into::into).collect())
    }

    /// Coaches who accompany you as a leader (current ones first).
    async fn coaches(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] include_ended: bool,
    ) -> ApiResult<Vec<CoachingAssignmentView>> {
        let found =
            coaching::of_person(db(ctx)?, self.person_id, Side::Leader, include_ended).await?;
        Ok(found.into_iter().map(Into::into).collect())
    }

    /// Check-ins you had, as coach or as leader, the most recent first.
    async fn check_ins(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Connection<IdCursor, CheckInView, EmptyFields, EmptyFields>> {
        let had_cursor = after.is_some();
        let page = coaching::check_ins(
            db(ctx)?,
            CheckInsOf::Person(self.person_id),
            page_request(first, after)?,
        )
        .await?;
        Ok(connection(page, had_cursor, |c| c.id, CheckInView::from))
    }
}

#[derive(Default)]
pub struct CoachingQuery;

#[Object]
impl CoachingQuery {
    /// Your coaching, as coach and as leader.
    async fn my_coaching(&self, ctx: &Context<'_>) -> ApiResult<MyCoaching> {
        Ok(MyCoaching {
            person_id: actor(ctx)?.person_id,
        })
    }

    /// Coaching assignments made on an organization or below it, oldest first (admins).
    async fn coaching_assignments(
        &self,
        ctx: &Context<'_>,
        organization_id: Uuid,
        #[graphql(default)] include_ended: bool,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Connection<IdCursor, CoachingAssignmentView, EmptyFields, EmptyFields>> {
        authorize_org(ctx, organization_id, OrgAction::Manage).await?;
        let org = loaders(ctx)?
            .organizations
            .load_one(organization_id)
            .await?
            .ok_or(ApiError::NotFound("organization"))?;
        let had_cursor = after.is_some();
        let page = coaching::in_subtree(
            db(ctx)?,
            &org.path,
            include_ended,
            page_request(first, after)?,
        )
        .await?;
        Ok(connection(
            page,
            had_cursor,
            |a| a.id,
            CoachingAssignmentView::from,
        ))
    }
}
