//! The family tree in the schema: a community's place in it (`Community.lineage`), the
//! nodes of lineage lists, figures, snapshots as of a date, multiplication events,
//! corrections and peer links.
//!
//! Lineage crosses organizations. Wherever a community appears that the viewer may not
//! see, it appears as a `LineageNode` with its name, generation and status only.

use async_graphql::connection::{Connection, CursorType, Edge, EmptyFields, OpaqueCursor};
use async_graphql::{ComplexObject, Context, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use oikos_domain::access::CommunityAction;
use oikos_domain::community::Community;
use oikos_domain::family_tree::TreeRow;
use oikos_domain::lineage::{
    FOURTH_GENERATION, GenerationCount, LineageCorrection, LineageStats, MultiplicationEvent,
    PeerLink, THIRD_GENERATION, as_of_date, streams_reaching, tally_generations,
};
use oikos_domain::multiplication::{depth_limit, page_size};
use oikos_domain::tree_path::TreePath;
use oikos_persistence::lineage::{self, LineageStream, PathPage};
use uuid::Uuid;

use super::community::CommunityView;
use super::enums::CommunityStatus;
use super::person::PersonView;
use super::readiness::ReadinessCriterionView;
use crate::context::{actor, db, loaders};
use crate::error::{ApiError, ApiResult};
use crate::lineage_export::{ExportRequest, LineageExportFormat, export_tree};

/// A place in a family tree. A community you may not see shows only its name, generation
/// and status, and `community` is null for it. Lists of nodes come depth-first, so the
/// shape of a tree can be rebuilt from the order and the generations alone.
#[derive(SimpleObject, Clone)]
#[graphql(name = "LineageNode", complex)]
pub struct LineageNodeView {
    pub name: String,
    /// 1 for a stream's root. In a snapshot, the generation on that date.
    pub generation: u32,
    /// In a snapshot, the status on that date.
    pub status: CommunityStatus,
    #[graphql(skip)]
    pub id: Uuid,
    #[graphql(skip)]
    pub visible: bool,
}

impl From<TreeRow> for LineageNodeView {
    fn from(row: TreeRow) -> Self {
        Self {
            name: row.name,
            generation: row.generation,
            status: row.status.into(),
            id: row.id,
            visible: row.visible,
        }
    }
}

#[ComplexObject]
impl LineageNodeView {
    /// The community itself (as it is today), when you may see it.
    async fn community(&self, ctx: &Context<'_>) -> ApiResult<Option<CommunityView>> {
        if !self.visible {
            return Ok(None);
        }
        Ok(loaders(ctx)?
            .communities
            .load_one(self.id)
            .await?
            .map(CommunityView::from))
    }
}

/// The node for a community referenced by id (events, corrections), through the
/// request's DataLoaders.
async fn node_of(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<LineageNodeView>> {
    let loaders = loaders(ctx)?;
    let Some(community) = loaders.communities.load_one(id).await? else {
        return Ok(None);
    };
    let visible = loaders
        .standings
        .load_one(id)
        .await?
        .is_some_and(|s| s.allows(CommunityAction::ViewCommunity));
    Ok(Some(LineageNodeView {
        name: community.profile.name,
        generation: community.lineage.generation,
        status: community.status.into(),
        id,
        visible,
    }))
}

/// Whether the viewer may see the people of any of these communities.
async fn sees_people(ctx: &Context<'_>, communities: &[Uuid]) -> ApiResult<bool> {
    let standings = loaders(ctx)?
        .standings
        .load_many(communities.iter().copied())
        .await?;
    Ok(standings
        .values()
        .any(|s| s.allows(CommunityAction::ViewPeople)))
}

async fn person(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<PersonView>> {
    Ok(loaders(ctx)?
        .persons
        .load_one(id)
        .await?
        .map(|p| PersonView::new(p, false)))
}

fn int(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// How many communities of one generation there are.
#[derive(SimpleObject)]
#[graphql(name = "GenerationCount")]
pub struct GenerationCountView {
    pub generation: u32,
    pub total: i32,
    pub forming: i32,
    pub active: i32,
    pub closed: i32,
}

impl From<&GenerationCount> for GenerationCountView {
    fn from(g: &GenerationCount) -> Self {
        Self {
            generation: g.generation,
            total: int(g.total()),
            forming: int(g.forming),
            active: int(g.active),
            closed: int(g.closed),
        }
    }
}

/// Multiplications in one calendar month.
#[derive(SimpleObject)]
pub struct MultiplicationMonth {
    /// The month, e.g. 2026-03.
    pub month: String,
    pub multiplications: i32,
}

/// The figures movements report about a family tree. Numbers only: they include
/// communities you may not see.
#[derive(SimpleObject)]
#[graphql(name = "LineageStats", complex)]
pub struct LineageStatsView {
    pub total: i32,
    pub forming: i32,
    pub active: i32,
    pub closed: i32,
    /// Null when there are no communities at all.
    pub deepest_generation: Option<u32>,
    /// Per generation, ascending; generations without communities are left out.
    pub generations: Vec<GenerationCountView>,
    #[graphql(skip)]
    pub scope: StatsScope,
    /// The deepest generation per stream, read once when a stream figure is asked for.
    #[graphql(skip)]
    pub stream_depths: tokio::sync::OnceCell<Vec<u32>>,
}

/// What a set of figures is about, to read the costlier figures only when asked.
#[derive(Clone)]
pub enum StatsScope {
    Subtree(Box<Community>),
    Organization(Uuid),
}

#[ComplexObject]
impl LineageStatsView {
    /// Streams whose communities here reach generation 3 or beyond.
    async fn streams_reaching_third_generation(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        Ok(int(streams_reaching(
            self.depths(ctx).await?,
            THIRD_GENERATION,
        )))
    }

    /// Streams whose communities here reach generation 4 or beyond.
    async fn streams_reaching_fourth_generation(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        Ok(int(streams_reaching(
            self.depths(ctx).await?,
            FOURTH_GENERATION,
        )))
    }

    /// Months in which at least one community here was started by multiplication.
    async fn multiplications_by_month(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Vec<MultiplicationMonth>> {
        let db = db(ctx)?;
        let months = match &self.scope {
            StatsScope::Subtree(of) => lineage::subtree_multiplications_by_month(db, of).await?,
            StatsScope::Organization(org) => {
                lineage::organization_multiplications_by_month(db, *org).await?
            }
        };
        Ok(months
            .into_iter()
            .map(|(month, n)| MultiplicationMonth {
                month: month.to_string(),
                multiplications: int(n),
            })
            .collect())
    }
}

impl LineageStatsView {
    async fn depths(&self, ctx: &Context<'_>) -> ApiResult<&[u32]> {
        let depths = self
            .stream_depths
            .get_or_try_init(|| async {
                match &self.scope {
                    // A subtree belongs to one stream: its deepest generation is the figure.
                    StatsScope::Subtree(_) => Ok(self.deepest_generation.into_iter().collect()),
                    StatsScope::Organization(org) => Ok::<_, ApiError>(
                        lineage::organization_stream_depths(db(ctx)?, *org).await?,
                    ),
                }
            })
            .await?;
        Ok(depths)
    }

    pub fn new(s: LineageStats, scope: StatsScope) -> Self {
        Self {
            total: int(s.total()),
            forming: int(s.forming()),
            active: int(s.active()),
            closed: int(s.closed()),
            deepest_generation: s.deepest_generation(),
            generations: s.generations.iter().map(Into::into).collect(),
            scope,
            stream_depths: tokio::sync::OnceCell::new(),
        }
    }
}

/// The tree around a community as it stood on a past date, from the dated history of
/// parent links: later closures and lineage corrections do not change it (a correction
/// made retroactively does, since it says the old link was never true).
#[derive(SimpleObject)]
#[graphql(name = "LineageSnapshot")]
pub struct LineageSnapshotView {
    pub date: NaiveDate,
    /// The community's generation on that date.
    pub generation: u32,
    /// The path from the stream's root down to the community's parent, root first.
    pub ancestors: Vec<LineageNodeView>,
    /// The community first, then everything below it on that date, depth-first.
    pub nodes: Vec<LineageNodeView>,
    /// The communities of `nodes` per generation, by their status on that date.
    pub generations: Vec<GenerationCountView>,
}

/// A community started from another.
#[derive(SimpleObject)]
#[graphql(name = "MultiplicationEvent", complex)]
pub struct MultiplicationEventView {
    pub id: Uuid,
    pub multiplied_on: NaiveDate,
    /// Whether the parent was judged ready to multiply at that moment. Multiplying a
    /// community that is not ready is allowed.
    pub ready: bool,
    /// Whether a readiness report was taken when it multiplied (false: not assessed).
    pub readiness_assessed: bool,
    pub recorded_at: DateTime<Utc>,
    #[graphql(skip)]
    pub record: MultiplicationEvent,
}

impl From<MultiplicationEvent> for MultiplicationEventView {
    fn from(e: MultiplicationEvent) -> Self {
        Self {
            id: e.id,
            multiplied_on: e.occurred_on,
            ready: e.ready,
            readiness_assessed: e.readiness.is_some(),
            recorded_at: e.created_at,
            record: e,
        }
    }
}

#[ComplexObject]
impl MultiplicationEventView {
    async fn parent(&self, ctx: &Context<'_>) -> ApiResult<Option<LineageNodeView>> {
        node_of(ctx, self.record.parent_id).await
    }

    async fn child(&self, ctx: &Context<'_>) -> ApiResult<Option<LineageNodeView>> {
        node_of(ctx, self.record.child_id).await
    }

    /// Null unless you may see the people of the parent or the child.
    async fn notes(&self, ctx: &Context<'_>) -> ApiResult<Option<String>> {
        let ids = [self.record.parent_id, self.record.child_id];
        if self.record.notes.is_none() || !sees_people(ctx, &ids).await? {
            return Ok(None);
        }
        Ok(self.record.notes.clone())
    }

    /// The parent's readiness report as it stood when it multiplied, criterion by
    /// criterion. Empty when none was taken; null unless you may see the people of the
    /// parent or the child (the reasons can name apprentices).
    async fn readiness_criteria(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Option<Vec<ReadinessCriterionView>>> {
        let ids = [self.record.parent_id, self.record.child_id];
        if !sees_people(ctx, &ids).await? {
            return Ok(None);
        }
        Ok(Some(
            self.record
                .readiness
                .iter()
                .flat_map(|report| report.criteria.iter().cloned())
                .map(Into::into)
                .collect(),
        ))
    }

    /// Who recorded it; null unless you may see the people of the parent or the child.
    async fn recorded_by(&self, ctx: &Context<'_>) -> ApiResult<Option<PersonView>> {
        let ids = [self.record.parent_id, self.record.child_id];
        if !sees_people(ctx, &ids).await? {
            return Ok(None);
        }
        person(ctx, self.record.actor_id).await
    }
}

/// A wrong parent link put right by an organization admin, with before and after.
#[derive(SimpleObject)]
#[graphql(name = "LineageCorrection", complex)]
pub struct LineageCorrectionView {
    pub id: Uuid,
    pub before_generation: u32,
    pub after_generation: u32,
    /// The community and every descendant that moved with it.
    pub moved_count: i32,
    /// Null for a retroactive fix (the old link was wrong from the start); otherwise the
    /// day the community changed parent.
    pub effective_on: Option<NaiveDate>,
    pub reason: String,
    pub recorded_at: DateTime<Utc>,
    #[graphql(skip)]
    pub record: LineageCorrection,
}

impl From<LineageCorrection> for LineageCorrectionView {
    fn from(c: LineageCorrection) -> Self {
        Self {
            id: c.id,
            before_generation: c.before_generation,
            after_generation: c.after_generation,
            moved_count: int(c.moved_count),
            effective_on: c.effective_on,
            reason: c.reason.clone(),
            recorded_at: c.created_at,
            record: c,
        }
    }
}

#[ComplexObject]
impl LineageCorrectionView {
    async fn community(&self, ctx: &Context<'_>) -> ApiResult<Option<LineageNodeView>> {
        node_of(ctx, self.record.community_id).await
    }

    /// Null when it was a stream's root.
    async fn before_parent(&self, ctx: &Context<'_>) -> ApiResult<Option<LineageNodeView>> {
        match self.record.before_parent_id {
            Some(id) => node_of(ctx, id).await,
            None => Ok(None),
        }
    }

    /// Null when it became a stream's root.
    async fn after_parent(&self, ctx: &Context<'_>) -> ApiResult<Option<LineageNodeView>> {
        match self.record.after_parent_id {
            Some(id) => node_of(ctx, id).await,
            None => Ok(None),
        }
    }

    /// Null unless you may see the people of the community.
    async fn recorded_by(&self, ctx: &Context<'_>) -> ApiResult<Option<PersonView>> {
        if !sees_people(ctx, &[self.record.community_id]).await? {
            return Ok(None);
        }
        person(ctx, self.record.actor_id).await
    }
}

/// Another community this one works together with (apart from any parentage).
#[derive(SimpleObject)]
#[graphql(name = "PeerLink")]
pub struct PeerLinkView {
    pub id: Uuid,
    pub note: Option<String>,
    pub peer: LineageNodeView,
    pub created_at: DateTime<Utc>,
}

impl PeerLinkView {
    pub fn new(link: PeerLink, peer: LineageNodeView) -> Self {
        Self {
            id: link.id,
            note: link.note,
            peer,
            created_at: link.created_at,
        }
    }
}

/// A stream (a root and everything that came from it) that touches an organization.
#[derive(SimpleObject)]
#[graphql(name = "LineageStream")]
pub struct LineageStreamView {
    pub root: LineageNodeView,
    /// Communities in the whole stream, wherever they belong.
    pub communities: i32,
    /// How deep the whole stream reaches.
    pub deepest_generation: u32,
    /// Communities of the stream in this organization or below it.
    pub communities_in_organization: i32,
    /// How deep the stream reaches among them.
    pub deepest_generation_in_organization: u32,
}

impl From<LineageStream> for LineageStreamView {
    fn from(s: LineageStream) -> Self {
        Self {
            root: s.root.row.into(),
            communities: int(s.communities),
            deepest_generation: s.deepest_generation,
            communities_in_organization: int(s.communities_here),
            deepest_generation_in_organization: s.deepest_generation_here,
        }
    }
}

/// Lineage positions are cursors: the materialized path of the last node of a page.
pub type PathCursor = OpaqueCursor<String>;

/// A depth limit from a client: generations below the community, 0 to 100.
pub fn depth_arg(depth: Option<i64>) -> ApiResult<Option<u32>> {
    Ok(depth.map(depth_limit).transpose()?)
}

/// A community's place in the family tree.
pub struct CommunityLineage {
    pub record: Community,
}

#[Object(name = "CommunityLineage")]
impl CommunityLineage {
    /// The path from the stream's root down to this community's parent, root first.
    async fn ancestors(&self, ctx: &Context<'_>) -> ApiResult<Vec<LineageNodeView>> {
        let me = actor(ctx)?;
        let found = lineage::ancestors(db(ctx)?, me.person_id, &self.record).await?;
        Ok(found.into_iter().map(|n| n.row.into()).collect())
    }

    /// The communities started from this one.
    async fn children(&self, ctx: &Context<'_>) -> ApiResult<Vec<LineageNodeView>> {
        let me = actor(ctx)?;
        let found = lineage::children(db(ctx)?, me.person_id, &self.record).await?;
        Ok(found.into_iter().map(|n| n.row.into()).collect())
    }

    /// The other communities started from the same parent (none for a stream's root).
    async fn siblings(&self, ctx: &Context<'_>) -> ApiResult<Vec<LineageNodeView>> {
        let me = actor(ctx)?;
        let found = lineage::siblings(db(ctx)?, me.person_id, &self.record).await?;
        Ok(found.into_iter().map(|n| n.row.into()).collect())
    }

    /// Everything below this community, depth-first (a parent, then its first child's
    /// whole branch, then the next child's…). `depth` counts generations below this one
    /// (1: children only; 0 to 100; all when left out). `first`: 1 to 500, default 50.
    async fn descendants(
        &self,
        ctx: &Context<'_>,
        depth: Option<i64>,
        first: Option<i64>,
        after: Option<String>,
    ) -> ApiResult<Connection<PathCursor, LineageNodeView, EmptyFields, EmptyFields>> {
        let me = actor(ctx)?;
        let depth = depth_arg(depth)?;
        let first = page_size(first)?;
        let had_cursor = after.is_some();
        let after = after
            .map(|cursor| {
                PathCursor::decode_cursor(&cursor)
                    .ok()
                    .and_then(|c| TreePath::from_stored(c.0))
                    .ok_or_else(|| {
                        ApiError::bad_input("after", "after is not a cursor from this list")
                    })
            })
            .transpose()?;
        let page = lineage::descendants(
            db(ctx)?,
            me.person_id,
            &self.record,
            depth,
            &PathPage { first, after },
        )
        .await?;
        let mut connection = Connection::new(had_cursor, page.has_next);
        connection.edges.extend(page.items.into_iter().map(|n| {
            Edge::new(
                OpaqueCursor(n.path.as_str().to_owned()),
                LineageNodeView::from(n.row),
            )
        }));
        Ok(connection)
    }

    /// Figures for this community and everything below it.
    async fn stats(&self, ctx: &Context<'_>) -> ApiResult<LineageStatsView> {
        let stats = lineage::subtree_stats(db(ctx)?, &self.record).await?;
        Ok(LineageStatsView::new(
            stats,
            StatsScope::Subtree(Box::new(self.record.clone())),
        ))
    }

    /// The tree around this community as it stood on `date` (e.g. 31 December for an
    /// annual report), down to `depth` generations below it (0 to 100; all when left
    /// out). Null when the community had no place in the tree that day.
    async fn as_of(
        &self,
        ctx: &Context<'_>,
        date: NaiveDate,
        depth: Option<i64>,
    ) -> ApiResult<Option<LineageSnapshotView>> {
        let me = actor(ctx)?;
        let date = as_of_date(date, crate::mutation::today())?;
        let depth = depth_arg(depth)?;
        let Some(snapshot) =
            lineage::as_of(db(ctx)?, me.person_id, &self.record, date, depth).await?
        else {
            return Ok(None);
        };
        let generations = tally_generations(
            snapshot
                .tree
                .iter()
                .map(|row| (row.generation, row.status, 1)),
        );
        Ok(Some(LineageSnapshotView {
            date,
            generation: snapshot.generation,
            ancestors: snapshot.ancestors.into_iter().map(Into::into).collect(),
            nodes: snapshot.tree.into_iter().map(Into::into).collect(),
            generations: generations.iter().map(Into::into).collect(),
        }))
    }

    /// Communities this one works together with, apart from any parentage.
    async fn peers(&self, ctx: &Context<'_>) -> ApiResult<Vec<PeerLinkView>> {
        let me = actor(ctx)?;
        let found = lineage::peers(db(ctx)?, me.person_id, self.record.id).await?;
        Ok(found
            .into_iter()
            .map(|(link, node)| PeerLinkView::new(link, node.row.into()))
            .collect())
    }

    /// How this community was started from its parent; null for a plant or a community
    /// recorded without a multiplication.
    async fn started_from(&self, ctx: &Context<'_>) -> ApiResult<Option<MultiplicationEventView>> {
        let events = lineage::events_of(db(ctx)?, self.record.id).await?;
        Ok(events
            .into_iter()
            .find(|e| e.child_id == self.record.id)
            .map(Into::into))
    }

    /// The communities this one started, oldest first.
    async fn multiplications(&self, ctx: &Context<'_>) -> ApiResult<Vec<MultiplicationEventView>> {
        let events = lineage::events_of(db(ctx)?, self.record.id).await?;
        Ok(events
            .into_iter()
            .filter(|e| e.parent_id == self.record.id)
            .map(Into::into)
            .collect())
    }

    /// Corrections of this community's parent link (the audit log), oldest first.
    async fn corrections(&self, ctx: &Context<'_>) -> ApiResult<Vec<LineageCorrectionView>> {
        let found = lineage::corrections_of(db(ctx)?, self.record.id).await?;
        Ok(found.into_iter().map(Into::into).collect())
    }

    /// This community and everything below it as a file: CSV (one line per community,
    /// `id,parentId,name,generation,status,organizationId,launchedOn,closedOn`, the form
    /// generation-mapping tools import), nested JSON, or an SVG drawing (at most 2,000
    /// communities). Communities you may not see keep their place with name, generation
    /// and status only (in CSV under a `hidden-N` id that means something only inside
    /// the file). The same files download over HTTP with the same Bearer token:
    /// `GET /lineage/{communityId}.csv` (or `.json`, `.svg`), with optional `depth` and
    /// `asOf` query parameters.
    async fn export(
        &self,
        ctx: &Context<'_>,
        format: LineageExportFormat,
        depth: Option<i64>,
        as_of: Option<NaiveDate>,
    ) -> ApiResult<String> {
        let me = actor(ctx)?;
        export_tree(
            db(ctx)?,
            me.person_id,
            self.record.id,
            ExportRequest {
                format,
                depth,
                as_of,
            },
        )
        .await
    }
}
