//! Organization-level views of the family tree: the streams that touch an organization
//! and the figures networks and denominations report.

use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, Object};
use oikos_domain::access::OrgAction;
use oikos_persistence::lineage;
use uuid::Uuid;

use crate::context::{actor, authorize_org, db};
use crate::error::ApiResult;
use crate::types::lineage::{LineageStatsView, LineageStreamView, StatsScope};
use crate::types::page::{IdCursor, connection, page_request};

#[derive(Default)]
pub struct LineageQuery;

#[Object]
impl LineageQuery {
    /// Every stream (a root and everything that came from it) with at least one community
    /// in the organization or below it, wherever its root belongs, with how deep it
    /// reaches. By root; for anyone with a role on the organization.
    async fn lineage_streams(
        &self,
        ctx: &Context<'_>,
        organization_id: Uuid,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Connection<IdCursor, LineageStreamView, EmptyFields, EmptyFields>> {
        let me = actor(ctx)?;
        authorize_org(ctx, organization_id, OrgAction::ViewReports).await?;
        let had_cursor = after.is_some();
        let request = page_request(first, after)?;
        let page =
            lineage::streams_touching(db(ctx)?, me.person_id, organization_id, request).await?;
        Ok(connection(
            page,
            had_cursor,
            |s| s.root.row.id,
            LineageStreamView::from,
        ))
    }

    /// Family-tree figures for the communities of the organization and every
    /// organization below it: groups per generation, active and closed, the deepest
    /// generation, streams reaching generations 3 and 4, multiplications per month.
    async fn lineage_stats(
        &self,
        ctx: &Context<'_>,
        organization_id: Uuid,
    ) -> ApiResult<LineageStatsView> {
        authorize_org(ctx, organization_id, OrgAction::ViewReports).await?;
        let stats = lineage::organization_stats(db(ctx)?, organization_id).await?;
        Ok(LineageStatsView::new(
            stats,
            StatsScope::Organization(organization_id),
        ))
    }
}
