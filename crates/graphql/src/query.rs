pub mod lineage;

use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, InputObject, Object, SimpleObject};
use oikos_domain::access::OrgAction;
use oikos_persistence::communities::CommunityFilter;
use oikos_persistence::organizations::OrganizationFilter;
use uuid::Uuid;

use crate::context::{actor, authorize_org, db, loaders, visible_community};
use crate::error::{ApiError, ApiResult};
use crate::types::community::CommunityView;
use crate::types::enums::{CommunityStatus, OrganizationKind};
use crate::types::membership::MembershipView;
use crate::types::organization::{OrganizationRoleGrantView, OrganizationView};
use crate::types::page::{IdCursor, connection, page_request};
use crate::types::person::PersonView;

#[derive(Default)]
pub struct CoreQuery;

/// The signed-in person, what they belong to and the roles they hold.
#[derive(SimpleObject)]
#[graphql(complex)] // calendarFeed: types/calendar.rs
pub struct Me {
    pub person: PersonView,
    /// Current memberships.
    pub memberships: Vec<MembershipView>,
    /// Roles granted directly (each also applies to everything below its organization).
    pub organization_roles: Vec<OrganizationRoleGrantView>,
}

#[derive(InputObject, Default)]
pub struct OrganizationFilterInput {
    pub kind: Option<OrganizationKind>,
    pub parent_id: Option<Uuid>,
    pub name_contains: Option<String>,
}

#[derive(InputObject, Default)]
pub struct CommunityFilterInput {
    /// Communities of this organization and every organization below it.
    pub organization_id: Option<Uuid>,
    pub status: Option<CommunityStatus>,
    pub name_contains: Option<String>,
}

#[Object]
impl CoreQuery {
    async fn me(&self, ctx: &Context<'_>) -> ApiResult<Me> {
        let me = actor(ctx)?;
        let db = db(ctx)?;
        let person = loaders(ctx)?
            .persons
            .load_one(me.person_id)
            .await?
            .ok_or(ApiError::Unauthenticated("this account no longer exists"))?;
        let memberships =
            oikos_persistence::memberships::current_of_person(db, me.person_id).await?;
        let standings = loaders(ctx)?
            .standings
            .load_many(memberships.iter().map(|m| m.community_id))
            .await?;
        let grants = oikos_persistence::organizations::grants_of_person(db, me.person_id).await?;
        Ok(Me {
            person: PersonView::new(person, true),
            memberships: memberships
                .into_iter()
                .map(|m| {
                    let lead = standings.get(&m.community_id).is_some_and(|s| {
                        s.allows(oikos_domain::access::CommunityAction::ViewLeadersOnly)
                    });
                    MembershipView::new(m, lead)
                })
                .collect(),
            organization_roles: grants.into_iter().map(Into::into).collect(),
        })
    }

    /// A community you may see; NOT_FOUND otherwise, whether or not it exists.
    async fn community(&self, ctx: &Context<'_>, id: Uuid) -> ApiResult<CommunityView> {
        visible_community(ctx, id).await?;
        loaders(ctx)?
            .communities
            .load_one(id)
            .await?
            .map(CommunityView::from)
            .ok_or(ApiError::NotFound("community"))
    }

    /// An organization you may see; NOT_FOUND otherwise, whether or not it exists.
    async fn organization(&self, ctx: &Context<'_>, id: Uuid) -> ApiResult<OrganizationView> {
        authorize_org(ctx, id, OrgAction::View).await?;
        loaders(ctx)?
            .organizations
            .load_one(id)
            .await?
            .map(OrganizationView::from)
            .ok_or(ApiError::NotFound("organization"))
    }

    /// Organizations in the subtrees where you hold a role, oldest first.
    async fn organizations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<OrganizationFilterInput>,
    ) -> ApiResult<Connection<IdCursor, OrganizationView, EmptyFields, EmptyFields>> {
        let me = actor(ctx)?;
        let had_cursor = after.is_some();
        let request = page_request(first, after)?;
        let filter = filter.unwrap_or_default();
        let filter = OrganizationFilter {
            kind: filter.kind.map(Into::into),
            parent_id: filter.parent_id,
            name_contains: filter.name_contains,
        };
        let page = oikos_persistence::organizations::list_visible(
            db(ctx)?,
            me.person_id,
            &filter,
            request,
        )
        .await?;
        Ok(connection(
            page,
            had_cursor,
            |o| o.id,
            OrganizationView::from,
        ))
    }

    /// Communities you belong to or oversee, oldest first.
    async fn communities(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<CommunityFilterInput>,
    ) -> ApiResult<Connection<IdCursor, CommunityView, EmptyFields, EmptyFields>> {
        let me = actor(ctx)?;
        let had_cursor = after.is_some();
        let request = page_request(first, after)?;
        let filter = filter.unwrap_or_default();
        let filter = CommunityFilter {
            organization_id: filter.organization_id,
            status: filter.status.map(Into::into),
            name_contains: filter.name_contains,
        };
        let page =
            oikos_persistence::communities::list_visible(db(ctx)?, me.person_id, &filter, request)
                .await?;
        Ok(connection(page, had_cursor, |c| c.id, CommunityView::from))
    }
}
