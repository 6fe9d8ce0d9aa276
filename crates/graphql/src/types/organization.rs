use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{ComplexObject, Context, SimpleObject};
use chrono::{DateTime, Utc};
use oikos_domain::access::OrgAction;
use oikos_domain::organization::{OrgRoleGrant, Organization};
use oikos_persistence::communities::CommunityFilter;
use oikos_persistence::organizations::OrganizationFilter;
use uuid::Uuid;

use super::community::CommunityView;
use super::enums::{CommunityStatus, NeedStatus, OrganizationKind, OrganizationRole};
use super::need::NeedConnection;
use super::page::{IdCursor, connection, page_request};
use super::person::PersonView;
use super::readiness::ReadinessThresholdSettingsView;
use super::rhythm::PolicySettingsView;
use crate::context::{actor, authorize_org, db, loaders};
use crate::error::{ApiError, ApiResult};

/// A denomination, a network (region, diocese, district) or a church.
#[derive(SimpleObject)]
#[graphql(name = "Organization", complex)]
pub struct OrganizationView {
    pub id: Uuid,
    pub kind: OrganizationKind,
    pub name: String,
    pub parent_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Organization> for OrganizationView {
    fn from(o: Organization) -> Self {
        Self {
            id: o.id,
            kind: o.kind.into(),
            name: o.name,
            parent_id: o.parent_id,
            created_at: o.created_at,
            updated_at: o.updated_at,
        }
    }
}

#[ComplexObject]
impl OrganizationView {
    /// The organization above, when you may see it.
    async fn parent(&self, ctx: &Context<'_>) -> ApiResult<Option<OrganizationView>> {
        let Some(parent_id) = self.parent_id else {
            return Ok(None);
        };
        match authorize_org(ctx, parent_id, OrgAction::View).await {
            Ok(_) => Ok(loaders(ctx)?
                .organizations
                .load_one(parent_id)
                .await?
                .map(Into::into)),
            Err(ApiError::NotFound(_)) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Organizations directly below this one (for role holders).
    async fn children(&self, ctx: &Context<'_>) -> ApiResult<Vec<OrganizationView>> {
        let me = actor(ctx)?;
        authorize_org(ctx, self.id, OrgAction::ViewReports).await?;
        let filter = OrganizationFilter {
            parent_id: Some(self.id),
            ..Default::default()
        };
        let page = oikos_persistence::organizations::list_visible(
            db(ctx)?,
            me.person_id,
            &filter,
            oikos_persistence::PageRequest {
                first: 1_000,
                after: None,
            },
        )
        .await?;
        Ok(page.items.into_iter().map(Into::into).collect())
    }

    /// Communities of this organization and every organization below it that you may see.
    async fn communities(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<CommunityStatus>,
    ) -> ApiResult<Connection<IdCursor, CommunityView, EmptyFields, EmptyFields>> {
        let me = actor(ctx)?;
        authorize_org(ctx, self.id, OrgAction::View).await?;
        let had_cursor = after.is_some();
        let request = page_request(first, after)?;
        let filter = CommunityFilter {
            organization_id: Some(self.id),
            status: status.map(Into::into),
            name_contains: None,
        };
        let page =
            oikos_persistence::communities::list_visible(db(ctx)?, me.person_id, &filter, request)
                .await?;
        Ok(connection(page, had_cursor, |c| c.id, CommunityView::from))
    }

    /// Rhythm targets and healthy size this organization sets for everything below it
    /// (null: inherited from above).
    async fn policy_settings(&self, ctx: &Context<'_>) -> ApiResult<PolicySettingsView> {
        authorize_org(ctx, self.id, OrgAction::View).await?;
        Ok(oikos_persistence::policies::own(
            db(ctx)?,
            oikos_persistence::policies::PolicyOwner::Organization(self.id),
        )
        .await?
        .into())
    }

    /// Needs shared with the NETWORK by communities of this organization and below that
    /// reach you: as a member of a community at or below the need's organization, or as
    /// its ADMIN or COACH. Oldest first; all statuses unless filtered.
    async fn network_needs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<Vec<NeedStatus>>,
    ) -> ApiResult<NeedConnection> {
        super::need::network_needs(ctx, self.id, first, after, status).await
    }

    /// Roles granted directly on this organization (admins only).
    async fn role_grants(&self, ctx: &Context<'_>) -> ApiResult<Vec<OrganizationRoleGrantView>> {
        authorize_org(ctx, self.id, OrgAction::Manage).await?;
        Ok(
            oikos_persistence::organizations::grants_on(db(ctx)?, self.id)
                .await?
                .into_iter()
                .map(Into::into)
                .collect(),
        )
    }

    /// The readiness thresholds set on this organization itself (null: inherited from
    /// above, or the default).
    async fn readiness_thresholds(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<ReadinessThresholdSettingsView> {
        authorize_org(ctx, self.id, OrgAction::ViewReports).await?;
        let owner = oikos_persistence::policies::PolicyOwner::Organization(self.id);
        Ok(oikos_persistence::policies::own(db(ctx)?, owner)
            .await?
            .readiness
            .into())
    }
}

/// A role held on an organization, and so on everything below it.
#[derive(SimpleObject)]
#[graphql(name = "OrganizationRoleGrant", complex)]
pub struct OrganizationRoleGrantView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub person_id: Uuid,
    pub role: OrganizationRole,
    pub created_at: DateTime<Utc>,
}

impl From<OrgRoleGrant> for OrganizationRoleGrantView {
    fn from(g: OrgRoleGrant) -> Self {
        Self {
            id: g.id,
            organization_id: g.organization_id,
            person_id: g.person_id,
            role: g.role.into(),
            created_at: g.created_at,
        }
    }
}

#[ComplexObject]
impl OrganizationRoleGrantView {
    async fn organization(&self, ctx: &Context<'_>) -> ApiResult<OrganizationView> {
        loaders(ctx)?
            .organizations
            .load_one(self.organization_id)
            .await?
            .map(Into::into)
            .ok_or(ApiError::NotFound("organization"))
    }

    async fn person(&self, ctx: &Context<'_>) -> ApiResult<PersonView> {
        let me = actor(ctx)?;
        let person = loaders(ctx)?
            .persons
            .load_one(self.person_id)
            .await?
            .ok_or(ApiError::NotFound("person"))?;
        let own = person.id == me.person_id;
        Ok(PersonView::new(person, own))
    }
}
