//! The family tree: multiplying a community, correcting a parent link, peer links, and
//! the queries that follow a lineage.
//!
//! Hot reads are index ranges over the materialized lineage path (see
//! `oikos_domain::tree_path`): a subtree is one range, ancestors are the path's prefixes,
//! path order is depth-first order, and per-generation figures read only the
//! `(lineage_path, generation, status)` index. Only reading the tree as of a past date
//! walks the dated link history, recursively.
//!
//! Locking, so that a subtree never moves away from under a new child: whatever hangs a
//! child under a community holds the community's ancestors FOR SHARE and the community
//! FOR UPDATE; whatever moves a subtree holds its root FOR UPDATE. SQLite has one writer
//! at a time, and a transaction that read a tree another writer has since changed fails
//! to write (CONFLICT).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use oikos_domain::DomainError;
use oikos_domain::calendar::YearMonth;
use oikos_domain::community::{Community, CommunityProfile, CommunityStatus, change_status};
use oikos_domain::family_tree::{TreeRow, depth_first};
use oikos_domain::lineage::{
    LineageCorrection, LineageStats, LinkHistory, MultiplicationEvent, PeerLink, correction_reason,
    ensure_depth_fits, ensure_no_cycle, link_history, peer_note, peer_pair, status_as_of,
    tally_generations,
};
use oikos_domain::membership::Membership;
use oikos_domain::multiplication::{MultiplyPlan, multiplied_on, validate_multiply};
use oikos_domain::readiness::ReadinessReport;
use oikos_domain::tree_path::{MAX_LEVELS, TreePath};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, Set, Statement, TransactionTrait, Unchanged,
};
use uuid::Uuid;

use crate::access::{Lens, lens};
use crate::communities::{lock, set_profile, to_community};
use crate::entities::{
    communities, lineage_corrections, memberships, multiplication_events, peer_links,
};
use crate::lineage_history::{current_link, end_link, record_link, supersede};
use crate::memberships::{insert_row, to_membership};
use crate::organizations::corrupt;
use crate::sql::{SqlBuilder, placeholders, stmt};
use crate::tree::{Move, Tree, move_subtree, next_child_path, retry_on_path_race, stored_path};
use crate::{Database, Page, PageRequest, StoreError, StoreResult};

const NODE_COLUMNS: &str = "c.id, c.parent_id, c.name, c.generation, c.status, \
    c.organization_id, c.launched_on, c.closed_on, c.lineage_path";

#[derive(FromQueryResult)]
struct NodeRecord {
    id: Uuid,
    parent_id: Option<Uuid>,
    name: String,
    generation: i32,
    status: String,
    organization_id: Uuid,
    launched_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    lineage_path: String,
}

/// A community's place in a family tree, with whether the viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineageNode {
    pub row: TreeRow,
    pub path: TreePath,
}

fn status_of(value: &str) -> StoreResult<CommunityStatus> {
    CommunityStatus::parse(value).ok_or_else(|| corrupt("status", value))
}

fn generation_of(value: i32) -> StoreResult<u32> {
    u32::try_from(value).map_err(|_| corrupt("generation", &value.to_string()))
}

fn to_node(r: NodeRecord, lens: &Lens) -> StoreResult<LineageNode> {
    Ok(LineageNode {
        row: TreeRow {
            id: r.id,
            parent_id: r.parent_id,
            name: r.name,
            generation: generation_of(r.generation)?,
            status: status_of(&r.status)?,
            organization_id: r.organization_id,
            launched_on: r.launched_on,
            closed_on: r.closed_on,
            visible: lens.sees(r.id, r.organization_id),
        },
        path: stored_path(r.lineage_path)?,
    })
}

async fn nodes<C: ConnectionTrait>(
    conn: &C,
    viewer: Uuid,
    statement: Statement,
) -> StoreResult<Vec<LineageNode>> {
    let records = NodeRecord::find_by_statement(statement).all(conn).await?;
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let lens = lens(conn, viewer).await?;
    records.into_iter().map(|r| to_node(r, &lens)).collect()
}

/// The path from the stream's root down to `of`'s parent, root first: one lookup of the
/// path's prefixes.
pub async fn ancestors(
    db: &Database,
    viewer: Uuid,
    of: &Community,
) -> StoreResult<Vec<LineageNode>> {
    let own = of.lineage.path.as_str();
    let prefixes: Vec<sea_orm::Value> = of
        .lineage
        .path
        .lineage()
        .filter(|p| *p != own)
        .map(|p| p.to_owned().into())
        .collect();
    if prefixes.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {NODE_COLUMNS} FROM communities c \
         WHERE c.lineage_path IN ({}) ORDER BY c.lineage_path",
        placeholders(1, prefixes.len())
    );
    nodes(db.conn(), viewer, stmt(db.backend(), &sql, prefixes)).await
}

pub async fn children(
    db: &Database,
    viewer: Uuid,
    of: &Community,
) -> StoreResult<Vec<LineageNode>> {
    let sql = format!(
        "SELECT {NODE_COLUMNS} FROM communities c WHERE c.parent_id = $1 ORDER BY c.lineage_path"
    );
    nodes(
        db.conn(),
        viewer,
        stmt(db.backend(), &sql, vec![of.id.into()]),
    )
    .await
}

/// The other children of `of`'s parent. Stream roots have no siblings: separate streams
/// are not a family.
pub async fn siblings(
    db: &Database,
    viewer: Uuid,
    of: &Community,
) -> StoreResult<Vec<LineageNode>> {
    let Some(parent) = of.lineage.parent_id else {
        return Ok(Vec::new());
    };
    let sql = format!(
        "SELECT {NODE_COLUMNS} FROM communities c WHERE c.parent_id = $1 AND c.id <> $2 \
         ORDER BY c.lineage_path"
    );
    nodes(
        db.conn(),
        viewer,
        stmt(db.backend(), &sql, vec![parent.into(), of.id.into()]),
    )
    .await
}

/// A page of a depth-first list: at most `first` nodes after the node at path `after`.
#[derive(Debug, Clone)]
pub struct PathPage {
    pub first: u64,
    pub after: Option<TreePath>,
}

/// Everything below `of` down to `depth` generations below it (all when `None`), in
/// depth-first order: one range of the path index per page.
pub async fn descendants(
    db: &Database,
    viewer: Uuid,
    of: &Community,
    depth: Option<u32>,
    page: &PathPage,
) -> StoreResult<Page<LineageNode>> {
    let (lower, upper) = of.lineage.path.descendant_bounds();
    let lower = match &page.after {
        Some(after) if after.as_str() > lower.as_str() => after.as_str().to_owned(),
        _ => lower,
    };
    let mut q = SqlBuilder::new(&format!("SELECT {NODE_COLUMNS} FROM communities c WHERE "));
    let (lo, hi) = (q.bind(lower), q.bind(upper));
    q.push(&format!("c.lineage_path > {lo} AND c.lineage_path < {hi}"));
    if let Some(depth) = depth {
        let deepest = q.bind(i64::from(of.lineage.generation) + i64::from(depth));
        q.push(&format!(" AND c.generation <= {deepest}"));
    }
    let limit = q.bind(i64::try_from(page.first.saturating_add(1)).unwrap_or(i64::MAX));
    q.push(&format!(" ORDER BY c.lineage_path LIMIT {limit}"));
    let mut items = nodes(db.conn(), viewer, q.build(db.backend())).await?;
    let has_next = items.len() as u64 > page.first;
    items.truncate(usize::try_from(page.first).unwrap_or(usize::MAX));
    Ok(Page { items, has_next })
}

#[derive(FromQueryResult)]
struct GenerationRow {
    generation: i32,
    status: String,
    n: i64,
}

#[derive(FromQueryResult)]
struct MonthRow {
    month: String,
    n: i64,
}

#[derive(FromQueryResult)]
struct DeepestRow {
    deepest: i32,
}

fn month_of(backend: DbBackend, column: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("to_char({column}, 'YYYY-MM')"),
        _ => format!("strftime('%Y-%m', {column})"),
    }
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

async fn generation_counts(
    db: &Database,
    statement: Statement,
) -> StoreResult<Vec<oikos_domain::lineage::GenerationCount>> {
    let rows = GenerationRow::find_by_statement(statement)
        .all(db.conn())
        .await?;
    let mut tallied = Vec::with_capacity(rows.len());
    for row in rows {
        tallied.push((
            generation_of(row.generation)?,
            status_of(&row.status)?,
            count(row.n),
        ));
    }
    Ok(tally_generations(tallied))
}

async fn months(db: &Database, statement: Statement) -> StoreResult<Vec<(YearMonth, u64)>> {
    MonthRow::find_by_statement(statement)
        .all(db.conn())
        .await?
        .into_iter()
        .map(|row| {
            YearMonth::parse(&row.month)
                .map(|m| (m, count(row.n)))
                .map_err(|_| corrupt("month", &row.month))
        })
        .collect()
}

/// Figures for `of` and everything below it, from one index: a stream root's subtree is
/// its whole stream (the `(stream_root_id, generation, status)` index), any other
/// subtree is a range of the lineage-path index.
pub async fn subtree_stats(db: &Database, of: &Community) -> StoreResult<LineageStats> {
    let statement = if of.lineage.parent_id.is_none() {
        stmt(
            db.backend(),
            "SELECT generation, status, COUNT(*) AS n FROM communities \
             WHERE stream_root_id = $1 GROUP BY generation, status",
            vec![of.id.into()],
        )
    } else {
        let (_, upper) = of.lineage.path.descendant_bounds();
        stmt(
            db.backend(),
            "SELECT generation, status, COUNT(*) AS n FROM communities \
             WHERE lineage_path >= $1 AND lineage_path < $2 GROUP BY generation, status",
            vec![of.lineage.path.as_str().into(), upper.into()],
        )
    };
    Ok(LineageStats {
        generations: generation_counts(db, statement).await?,
    })
}

/// Multiplications per month below `of` (the communities started from it and its
/// descendants), ascending; months without any are left out.
pub async fn subtree_multiplications_by_month(
    db: &Database,
    of: &Community,
) -> StoreResult<Vec<(YearMonth, u64)>> {
    let (_, upper) = of.lineage.path.descendant_bounds();
    months(
        db,
        stmt(
            db.backend(),
            &format!(
                "SELECT {m} AS month, COUNT(*) AS n FROM multiplication_events e \
                 JOIN communities c ON c.id = e.child_id \
                 WHERE c.lineage_path > $1 AND c.lineage_path < $2 GROUP BY {m} ORDER BY {m}",
                m = month_of(db.backend(), "e.occurred_on")
            ),
            vec![of.lineage.path.as_str().into(), upper.into()],
        ),
    )
    .await
}

async fn organization_bounds(db: &Database, org: Uuid) -> StoreResult<(String, String)> {
    let org = crate::organizations::get(db, org)
        .await?
        .ok_or(StoreError::NotFound("organization"))?;
    let (_, upper) = org.path.descendant_bounds();
    Ok((org.path.as_str().to_owned(), upper))
}

/// The organizations in a tree-path range; communities are selected by
/// `organization_id IN (…)` so the `(organization_id, generation, status)` index serves.
const ORGANIZATIONS_IN_RANGE: &str =
    "SELECT o.id FROM organizations o WHERE o.tree_path >= $1 AND o.tree_path < $2";

/// Figures for the communities of an organization and every organization below it,
/// whatever stream they belong to. Streams count by how deep they reach among these
/// communities.
pub async fn organization_stats(db: &Database, org: Uuid) -> StoreResult<LineageStats> {
    let (lower, upper) = organization_bounds(db, org).await?;
    let generations = generation_counts(
        db,
        stmt(
            db.backend(),
            &format!(
                "SELECT c.generation, c.status, COUNT(*) AS n FROM communities c WHERE c.organization_id IN ({ORGANIZATIONS_IN_RANGE}) \
                 GROUP BY c.generation, c.status"
            ),
            vec![lower.into(), upper.into()],
        ),
    )
    .await?;
    Ok(LineageStats { generations })
}

/// The deepest generation each stream reaches among the communities of an organization
/// and every organization below it (for "streams reaching generation 3+"): a separate
/// read, since it groups every community by stream.
pub async fn organization_stream_depths(db: &Database, org: Uuid) -> StoreResult<Vec<u32>> {
    let (lower, upper) = organization_bounds(db, org).await?;
    DeepestRow::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT MAX(c.generation) AS deepest FROM communities c \
             WHERE c.organization_id IN ({ORGANIZATIONS_IN_RANGE}) GROUP BY c.stream_root_id"
        ),
        vec![lower.into(), upper.into()],
    ))
    .all(db.conn())
    .await?
    .into_iter()
    .map(|r| generation_of(r.deepest))
    .collect()
}

/// Multiplications per month among the communities of an organization and every
/// organization below it, ascending.
pub async fn organization_multiplications_by_month(
    db: &Database,
    org: Uuid,
) -> StoreResult<Vec<(YearMonth, u64)>> {
    let (lower, upper) = organization_bounds(db, org).await?;
    months(
        db,
        stmt(
            db.backend(),
            &format!(
                "SELECT {m} AS month, COUNT(*) AS n FROM multiplication_events e \
                 JOIN communities c ON c.id = e.child_id \
                 WHERE c.organization_id IN ({ORGANIZATIONS_IN_RANGE}) GROUP BY {m} ORDER BY {m}",
                m = month_of(db.backend(), "e.occurred_on")
            ),
            vec![lower.into(), upper.into()],
        ),
    )
    .await
}

/// A stream that touches an organization: its root and how far it reaches, overall and
/// among the organization's communities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineageStream {
    pub root: LineageNode,
    pub communities: u64,
    pub deepest_generation: u32,
    pub communities_here: u64,
    pub deepest_generation_here: u32,
}

#[derive(FromQueryResult)]
struct StreamRow {
    id: Uuid,
    n: i64,
    deepest: i32,
}

/// Every stream with a community in the organization or below it, by root id.
pub async fn streams_touching(
    db: &Database,
    viewer: Uuid,
    org: Uuid,
    page: PageRequest,
) -> StoreResult<Page<LineageStream>> {
    let (lower, upper) = organization_bounds(db, org).await?;
    let mut q = SqlBuilder::new(
        "SELECT c.stream_root_id AS id, COUNT(*) AS n, MAX(c.generation) AS deepest ",
    );
    let (lo, hi) = (q.bind(lower), q.bind(upper));
    q.push(&format!(
        "FROM communities c JOIN organizations o ON o.id = c.organization_id \
         WHERE o.tree_path >= {lo} AND o.tree_path < {hi}"
    ));
    if let Some(after) = page.after {
        let p = q.bind(after);
        q.push(&format!(" AND c.stream_root_id > {p}"));
    }
    let limit = q.bind(i64::try_from(page.first.saturating_add(1)).unwrap_or(i64::MAX));
    q.push(&format!(
        " GROUP BY c.stream_root_id ORDER BY c.stream_root_id LIMIT {limit}"
    ));
    let mut here = StreamRow::find_by_statement(q.build(db.backend()))
        .all(db.conn())
        .await?;
    let has_next = here.len() as u64 > page.first;
    here.truncate(usize::try_from(page.first).unwrap_or(usize::MAX));
    if here.is_empty() {
        return Ok(Page {
            items: Vec::new(),
            has_next,
        });
    }
    let ids: Vec<sea_orm::Value> = here.iter().map(|r| r.id.into()).collect();
    let whole: HashMap<Uuid, StreamRow> = StreamRow::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT stream_root_id AS id, COUNT(*) AS n, MAX(generation) AS deepest \
             FROM communities WHERE stream_root_id IN ({}) GROUP BY stream_root_id",
            placeholders(1, ids.len())
        ),
        ids.clone(),
    ))
    .all(db.conn())
    .await?
    .into_iter()
    .map(|r| (r.id, r))
    .collect();
    let mut roots: HashMap<Uuid, LineageNode> = nodes(
        db.conn(),
        viewer,
        stmt(
            db.backend(),
            &format!(
                "SELECT {NODE_COLUMNS} FROM communities c WHERE c.id IN ({})",
                placeholders(1, ids.len())
            ),
            ids,
        ),
    )
    .await?
    .into_iter()
    .map(|n| (n.row.id, n))
    .collect();
    let mut items = Vec::with_capacity(here.len());
    for row in here {
        let (Some(root), Some(all)) = (roots.remove(&row.id), whole.get(&row.id)) else {
            return Err(corrupt("stream root", &row.id.to_string()));
        };
        items.push(LineageStream {
            root,
            communities: count(all.n),
            deepest_generation: generation_of(all.deepest)?,
            communities_here: count(row.n),
            deepest_generation_here: generation_of(row.deepest)?,
        });
    }
    Ok(Page { items, has_next })
}

/// The tree around one community as it stood on a past date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub generation: u32,
    /// Root first, down to the community's parent on that date.
    pub ancestors: Vec<TreeRow>,
    /// The community first, then its descendants on that date, depth-first.
    pub tree: Vec<TreeRow>,
}

#[derive(FromQueryResult)]
struct LinkedRecord {
    id: Uuid,
    parent_id: Option<Uuid>,
    depth: i32,
    name: String,
    status: String,
    organization_id: Uuid,
    launched_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    lineage_path: String,
}

/// A parent link holds on `$2` when it began by then, had not ended, and was not
/// superseded as a data-entry mistake.
const LINK_HOLDS: &str = "l.superseded_at IS NULL AND l.valid_from <= $2 \
    AND (l.valid_to IS NULL OR l.valid_to > $2)";

const LINKED_COLUMNS: &str = "t.id, t.parent_id, t.depth, c.name, c.status, c.organization_id, \
    c.launched_on, c.closed_on, c.lineage_path";

fn row_as_of(
    r: &LinkedRecord,
    generation: u32,
    date: NaiveDate,
    lens: &Lens,
) -> StoreResult<TreeRow> {
    Ok(TreeRow {
        id: r.id,
        parent_id: r.parent_id,
        name: r.name.clone(),
        generation,
        status: status_as_of(status_of(&r.status)?, r.launched_on, r.closed_on, date),
        organization_id: r.organization_id,
        launched_on: r.launched_on,
        closed_on: r.closed_on.filter(|closed| *closed <= date),
        visible: lens.sees(r.id, r.organization_id),
    })
}

/// The tree around `of` as it stood on `date`, down to `depth` generations below it,
/// read from the dated parent links (so later closures and corrections do not change
/// it). `None` when the community had no place in the tree that day.
pub async fn as_of(
    db: &Database,
    viewer: Uuid,
    of: &Community,
    date: NaiveDate,
    depth: Option<u32>,
) -> StoreResult<Option<Snapshot>> {
    let limit = i32::try_from(depth.unwrap_or(MAX_LEVELS).min(MAX_LEVELS)).unwrap_or(i32::MAX);
    let values = || vec![of.id.into(), date.into(), limit.into()];
    let up = LinkedRecord::find_by_statement(stmt(
        db.backend(),
        &format!(
            "WITH RECURSIVE t(id, parent_id, depth) AS ( \
               SELECT l.community_id, l.parent_id, 0 FROM lineage_links l \
               WHERE l.community_id = $1 AND {LINK_HOLDS} \
               UNION ALL \
               SELECT l.community_id, l.parent_id, t.depth + 1 FROM lineage_links l \
               JOIN t ON l.community_id = t.parent_id \
               WHERE {LINK_HOLDS} AND t.depth < {MAX_LEVELS}) \
             SELECT {LINKED_COLUMNS} FROM t JOIN communities c ON c.id = t.id ORDER BY t.depth"
        ),
        vec![of.id.into(), date.into()],
    ))
    .all(db.conn())
    .await?;
    if up.is_empty() {
        return Ok(None);
    }
    let mut seen = HashSet::new();
    let chain: Vec<&LinkedRecord> = up.iter().take_while(|r| seen.insert(r.id)).collect();
    let generation = u32::try_from(chain.len()).unwrap_or(MAX_LEVELS);
    let down = LinkedRecord::find_by_statement(stmt(
        db.backend(),
        &format!(
            "WITH RECURSIVE t(id, parent_id, depth) AS ( \
               SELECT l.community_id, l.parent_id, 0 FROM lineage_links l \
               WHERE l.community_id = $1 AND {LINK_HOLDS} \
               UNION ALL \
               SELECT l.community_id, l.parent_id, t.depth + 1 FROM lineage_links l \
               JOIN t ON l.parent_id = t.id WHERE {LINK_HOLDS} AND t.depth < $3) \
             SELECT {LINKED_COLUMNS} FROM t JOIN communities c ON c.id = t.id"
        ),
        values(),
    ))
    .all(db.conn())
    .await?;
    let lens = lens(db.conn(), viewer).await?;
    let mut ancestors = Vec::with_capacity(chain.len());
    for (above, record) in chain.iter().enumerate().skip(1).rev() {
        let g = generation.saturating_sub(u32::try_from(above).unwrap_or(0));
        ancestors.push(row_as_of(record, g, date, &lens)?);
    }
    let mut keyed = Vec::with_capacity(down.len());
    for record in &down {
        let below = u32::try_from(record.depth).unwrap_or(0);
        let row = row_as_of(record, generation + below, date, &lens)?;
        keyed.push((row, record.lineage_path.clone()));
    }
    Ok(Some(Snapshot {
        generation,
        ancestors,
        tree: depth_first(of.id, keyed),
    }))
}

/// A community started from another: who leads it, who goes, and when.
#[derive(Debug, Clone)]
pub struct NewChild {
    pub id: Uuid,
    pub parent_id: Uuid,
    /// The parent's organization, or another where the actor may plant.
    pub organization_id: Uuid,
    pub profile: CommunityProfile,
    pub status: CommunityStatus,
    pub leader_ids: Vec<Uuid>,
    pub member_ids: Vec<Uuid>,
    pub multiplied_on: NaiveDate,
    pub notes: Option<String>,
    /// When the request arrived: changes to the parent's members after it were made
    /// concurrently, and a plan they break is a CONFLICT rather than bad input.
    pub requested_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Multiplication {
    pub child: Community,
    pub event: MultiplicationEvent,
}

fn to_event(m: multiplication_events::Model) -> StoreResult<MultiplicationEvent> {
    let readiness: Option<ReadinessReport> = serde_json::from_value(m.readiness.clone())
        .map_err(|_| corrupt("readiness report", &m.readiness.to_string()))?;
    Ok(MultiplicationEvent {
        id: m.id,
        parent_id: m.parent_id,
        child_id: m.child_id,
        occurred_on: m.occurred_on,
        actor_id: m.actor_id,
        notes: m.notes,
        readiness,
        ready: m.ready,
        created_at: m.created_at,
    })
}

async fn current_members<C: ConnectionTrait>(
    conn: &C,
    community: Uuid,
) -> StoreResult<Vec<Membership>> {
    memberships::Entity::find()
        .filter(memberships::Column::CommunityId.eq(community))
        .filter(memberships::Column::LeftOn.is_null())
        .all(conn)
        .await?
        .into_iter()
        .map(to_membership)
        .collect()
}

fn plan(parent: &Community, members: &[Membership], new: &NewChild) -> MultiplyPlan {
    MultiplyPlan {
        parent_status: parent.status,
        parent_members: members.iter().map(|m| (m.person_id, m.role)).collect(),
        child_leaders: new.leader_ids.clone(),
        going_members: new.member_ids.clone(),
    }
}

/// Checks the plan against the parent as it is now; the dates of the people who go
/// come back for the date check.
fn check(
    parent: &Community,
    members: &[Membership],
    new: &NewChild,
) -> StoreResult<oikos_domain::multiplication::MultiplyMoves> {
    let moves = validate_multiply(&plan(parent, members, new))?;
    let leaving = moves.leaving();
    let joined: Vec<NaiveDate> = members
        .iter()
        .filter(|m| leaving.contains(&m.person_id))
        .map(|m| m.joined_on)
        .collect();
    multiplied_on(
        new.multiplied_on,
        Utc::now().date_naive(),
        parent.profile.launched_on,
        &joined,
    )?;
    Ok(moves)
}

/// A retried request: the same id and content return what the first one made.
async fn already_multiplied(db: &Database, new: &NewChild) -> StoreResult<Option<Multiplication>> {
    let Some(child) = communities::Entity::find_by_id(new.id)
        .one(db.conn())
        .await?
    else {
        return Ok(None);
    };
    let child = to_community(child)?;
    let event = multiplication_events::Entity::find()
        .filter(multiplication_events::Column::ChildId.eq(new.id))
        .one(db.conn())
        .await?
        .map(to_event)
        .transpose()?;
    match event {
        Some(event)
            if event.parent_id == new.parent_id
                && child.organization_id == new.organization_id
                && child.profile == new.profile =>
        {
            Ok(Some(Multiplication { child, event }))
        }
        _ => Err(StoreError::conflict(
            "this id is already used by a different community",
        )),
    }
}

/// Locks what keeps `seen`'s place in the tree still while a child is hung under it (see
/// the module's notes) and returns it as locked. If it moved since `seen` was read, a
/// concurrent change won the race.
async fn hold_for_new_child<C: ConnectionTrait>(
    conn: &C,
    seen: &Community,
) -> StoreResult<Community> {
    let own = seen.lineage.path.as_str();
    let above: Vec<sea_orm::Value> = seen
        .lineage
        .path
        .lineage()
        .filter(|p| *p != own)
        .map(|p| p.to_owned().into())
        .collect();
    if conn.get_database_backend() == DbBackend::Postgres && !above.is_empty() {
        conn.query_all_raw(stmt(
            DbBackend::Postgres,
            &format!(
                "SELECT id FROM communities WHERE lineage_path IN ({}) \
                 ORDER BY lineage_path FOR SHARE",
                placeholders(1, above.len())
            ),
            above,
        ))
        .await?;
    }
    let locked = lock(conn, seen.id).await?;
    if locked.lineage.path != seen.lineage.path {
        return Err(tree_changed());
    }
    Ok(locked)
}

fn tree_changed() -> StoreError {
    StoreError::conflict("the family tree changed while this change was being made; try again")
}

/// The parent's members as they were at `at`: memberships ended since count as still
/// there, ones started since do not.
async fn members_at<C: ConnectionTrait>(
    conn: &C,
    community: Uuid,
    at: DateTime<Utc>,
) -> StoreResult<Vec<Membership>> {
    memberships::Entity::find()
        .filter(memberships::Column::CommunityId.eq(community))
        .filter(memberships::Column::CreatedAt.lt(at))
        .filter(
            Condition::any()
                .add(memberships::Column::LeftOn.is_null())
                .add(memberships::Column::UpdatedAt.gte(at)),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(to_membership)
        .collect()
}

/// A refused plan that fitted the parent's members as they were when the request arrived
/// was broken by a concurrent change (another multiplication took the same people, or
/// the leader who was to stay): that is a CONFLICT, not bad input.
async fn classify_refusal<C: ConnectionTrait>(
    conn: &C,
    parent: &Community,
    new: &NewChild,
    refusal: StoreError,
) -> StoreResult<StoreError> {
    let StoreError::Rule(rule) = refusal else {
        return Ok(refusal);
    };
    let before = members_at(conn, parent.id, new.requested_at).await?;
    Ok(if check(parent, &before, new).is_ok() {
        StoreError::conflict(format!(
            "the community changed while this multiplication was being made: {rule}"
        ))
    } else {
        StoreError::Rule(rule)
    })
}

/// Starts a child community from `new.parent_id`, in one transaction: the child with its
/// place in the tree, the moves of the people who go (ended in the parent, started in
/// the child), its parent link and the multiplication event with the parent's readiness.
///
/// The plan is checked with the parent locked, so of two multiplications racing for the
/// same people or the same parent's leaders one wins and the other is a CONFLICT.
pub async fn multiply(db: &Database, actor: Uuid, new: NewChild) -> StoreResult<Multiplication> {
    if let Some(done) = already_multiplied(db, &new).await? {
        return Ok(done);
    }
    let seen = communities::Entity::find_by_id(new.parent_id)
        .one(db.conn())
        .await?
        .map(to_community)
        .transpose()?
        .ok_or(StoreError::NotFound("community"))?;
    // Taken before the transaction: it reads through the pool, which has no second
    // connection to give while a one-connection (in-memory) database is in a transaction.
    // Multiplying a group that is not ready is allowed; the event keeps how ready it was.
    let readiness = Some(crate::readiness::report(db, seen.id, Utc::now()).await?);

    let tx = db.conn().begin().await?;
    let parent = hold_for_new_child(&tx, &seen).await?;
    let members = current_members(&tx, parent.id).await?;
    let moves = match check(&parent, &members, &new) {
        Ok(moves) => moves,
        Err(refusal) => {
            return Err(classify_refusal(&tx, &parent, &new, refusal).await?);
        }
    };
    change_status(
        CommunityStatus::Forming,
        new.status,
        moves.child_leaders().len(),
    )?;
    let path = next_child_path(&tx, Tree::Lineage, Some((parent.id, &parent.lineage.path))).await?;
    let now = Utc::now();
    let mut row = communities::ActiveModel {
        id: Set(new.id),
        organization_id: Set(new.organization_id),
        status: Set(new.status.as_str().to_owned()),
        closed_reason: Set(None),
        closed_on: Set(None),
        parent_id: Set(Some(parent.id)),
        generation: Set(i32::try_from(path.depth()).unwrap_or(i32::MAX)),
        stream_root_id: Set(parent.lineage.stream_root_id),
        lineage_path: Set(path.as_str().to_owned()),
        created_by: Set(Some(actor)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    set_profile(&mut row, &new.profile);
    let child = row.insert(&tx).await?;

    let leaving = moves.leaving();
    let ended = memberships::Entity::update_many()
        .col_expr(memberships::Column::LeftOn, Expr::value(new.multiplied_on))
        .col_expr(memberships::Column::UpdatedAt, Expr::value(now))
        .filter(memberships::Column::CommunityId.eq(parent.id))
        .filter(memberships::Column::PersonId.is_in(leaving.iter().copied()))
        .filter(memberships::Column::LeftOn.is_null())
        .exec(&tx)
        .await?;
    if ended.rows_affected != leaving.len() as u64 {
        return Err(StoreError::conflict(
            "the members of the community changed while this multiplication was being made",
        ));
    }
    for going in &moves.moves {
        let serving = members
            .iter()
            .find(|m| m.person_id == going.person_id)
            .map(|m| m.serving_roles.clone())
            .unwrap_or_default();
        insert_row(
            &tx,
            Uuid::now_v7(),
            new.id,
            going.person_id,
            going.child_role,
            serving,
            new.multiplied_on,
        )
        .await?;
    }
    record_link(
        &tx,
        new.id,
        Some(parent.id),
        new.multiplied_on,
        actor,
        "multiplied",
    )
    .await?;
    let readiness_json = serde_json::to_value(&readiness).map_err(anyhow::Error::new)?;
    let event = multiplication_events::ActiveModel {
        id: Set(Uuid::now_v7()),
        parent_id: Set(parent.id),
        child_id: Set(new.id),
        occurred_on: Set(new.multiplied_on),
        actor_id: Set(actor),
        notes: Set(new.notes.clone()),
        readiness: Set(readiness_json),
        ready: Set(readiness.as_ref().is_some_and(|r| r.ready)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await?;
    tx.commit().await?;
    Ok(Multiplication {
        child: to_community(child)?,
        event: to_event(event)?,
    })
}

/// A parent link to put right.
#[derive(Debug, Clone)]
pub struct ParentCorrection {
    pub community_id: Uuid,
    /// `None` makes the community the root of a stream of its own.
    pub new_parent_id: Option<Uuid>,
    pub reason: String,
    /// `None`: the old link was a mistake from the start (a retroactive fix).
    pub effective_on: Option<NaiveDate>,
}

fn to_correction(m: lineage_corrections::Model) -> StoreResult<LineageCorrection> {
    Ok(LineageCorrection {
        id: m.id,
        community_id: m.community_id,
        before_parent_id: m.before_parent_id,
        after_parent_id: m.after_parent_id,
        before_generation: generation_of(m.before_generation)?,
        after_generation: generation_of(m.after_generation)?,
        moved_count: count(m.moved_count),
        effective_on: m.effective_on,
        reason: m.reason,
        actor_id: m.actor_id,
        created_at: m.created_at,
    })
}

#[derive(FromQueryResult)]
struct MaxGeneration {
    deepest: Option<i32>,
}

/// Moves a community, with its whole subtree, under another parent (or makes it a root),
/// in one transaction: paths, generations and stream of every moved community, the
/// dated link history, and an audit row with before and after.
pub async fn correct_parent(
    db: &Database,
    actor: Uuid,
    correction: ParentCorrection,
) -> StoreResult<LineageCorrection> {
    let reason = correction_reason(&correction.reason)?;
    retry_on_path_race(|| correct_once(db, actor, &correction, &reason)).await
}

async fn correct_once(
    db: &Database,
    actor: Uuid,
    correction: &ParentCorrection,
    reason: &str,
) -> StoreResult<LineageCorrection> {
    let tx = db.conn().begin().await?;
    let moving = lock(&tx, correction.community_id).await?;
    if moving.lineage.parent_id == correction.new_parent_id {
        return Err(
            DomainError::invalid("parentId", "this is already the community's parent").into(),
        );
    }
    let parent = match correction.new_parent_id {
        Some(id) => {
            let seen = communities::Entity::find_by_id(id)
                .one(&tx)
                .await?
                .map(to_community)
                .transpose()?
                .ok_or_else(|| DomainError::invalid("parentId", "no such community"))?;
            ensure_no_cycle(&moving.lineage.path, &seen.lineage.path)?;
            Some(hold_for_new_child(&tx, &seen).await?)
        }
        None => None,
    };
    let new_generation = parent.as_ref().map_or(1, |p| p.lineage.generation + 1);
    let (_, upper) = moving.lineage.path.descendant_bounds();
    let deepest = MaxGeneration::find_by_statement(stmt(
        db.backend(),
        "SELECT MAX(generation) AS deepest FROM communities \
         WHERE lineage_path >= $1 AND lineage_path < $2",
        vec![moving.lineage.path.as_str().into(), upper.into()],
    ))
    .one(&tx)
    .await?
    .and_then(|m| m.deepest)
    .map_or(Ok(moving.lineage.generation), generation_of)?;
    ensure_depth_fits(moving.lineage.generation, deepest, new_generation)?;

    let link = current_link(&tx, moving.id).await?;
    let started = link.as_ref().map_or_else(
        || {
            moving
                .profile
                .launched_on
                .unwrap_or(moving.created_at.date_naive())
        },
        |l| l.valid_from,
    );
    let history = link_history(correction.effective_on, started, Utc::now().date_naive())?;

    let new_path = next_child_path(
        &tx,
        Tree::Lineage,
        parent.as_ref().map(|p| (p.id, &p.lineage.path)),
    )
    .await?;
    let now = Utc::now();
    let stream_root = parent
        .as_ref()
        .map_or(moving.id, |p| p.lineage.stream_root_id);
    let moved = move_subtree(
        &tx,
        Move::Lineage {
            stream_root,
            at: now,
        },
        &moving.lineage.path,
        &new_path,
    )
    .await?;
    communities::ActiveModel {
        id: Unchanged(moving.id),
        parent_id: Set(correction.new_parent_id),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    let link_from = match (history, &link) {
        (LinkHistory::Retroactive, Some(link)) => {
            supersede(&tx, link.id).await?;
            started
        }
        (LinkHistory::From(on), Some(link)) => {
            end_link(&tx, link.id, on).await?;
            on
        }
        (LinkHistory::Retroactive, None) => started,
        (LinkHistory::From(on), None) => on,
    };
    record_link(
        &tx,
        moving.id,
        correction.new_parent_id,
        link_from,
        actor,
        reason,
    )
    .await?;
    let audit = lineage_corrections::ActiveModel {
        id: Set(Uuid::now_v7()),
        community_id: Set(moving.id),
        before_parent_id: Set(moving.lineage.parent_id),
        after_parent_id: Set(correction.new_parent_id),
        before_generation: Set(i32::try_from(moving.lineage.generation).unwrap_or(i32::MAX)),
        after_generation: Set(i32::try_from(new_generation).unwrap_or(i32::MAX)),
        moved_count: Set(i64::try_from(moved).unwrap_or(i64::MAX)),
        effective_on: Set(match history {
            LinkHistory::Retroactive => None,
            LinkHistory::From(on) => Some(on),
        }),
        reason: Set(reason.to_owned()),
        actor_id: Set(actor),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await?;
    tx.commit().await?;
    to_correction(audit)
}

/// Multiplication events `community` took part in, as parent or as child, oldest first.
pub async fn events_of(db: &Database, community: Uuid) -> StoreResult<Vec<MultiplicationEvent>> {
    multiplication_events::Entity::find()
        .filter(
            Condition::any()
                .add(multiplication_events::Column::ParentId.eq(community))
                .add(multiplication_events::Column::ChildId.eq(community)),
        )
        .order_by_asc(multiplication_events::Column::OccurredOn)
        .order_by_asc(multiplication_events::Column::CreatedAt)
        .all(db.conn())
        .await?
        .into_iter()
        .map(to_event)
        .collect()
}

/// Corrections of `community`'s own parent link, oldest first.
pub async fn corrections_of(db: &Database, community: Uuid) -> StoreResult<Vec<LineageCorrection>> {
    lineage_corrections::Entity::find()
        .filter(lineage_corrections::Column::CommunityId.eq(community))
        .order_by_asc(lineage_corrections::Column::CreatedAt)
        .all(db.conn())
        .await?
        .into_iter()
        .map(to_correction)
        .collect()
}

fn to_peer_link(m: peer_links::Model) -> PeerLink {
    PeerLink {
        id: m.id,
        community_a: m.community_a,
        community_b: m.community_b,
        note: m.note,
        created_by: m.created_by,
        created_at: m.created_at,
    }
}

async fn peer_link_between<C: ConnectionTrait>(
    conn: &C,
    a: Uuid,
    b: Uuid,
) -> StoreResult<Option<peer_links::Model>> {
    Ok(peer_links::Entity::find()
        .filter(peer_links::Column::CommunityA.eq(a))
        .filter(peer_links::Column::CommunityB.eq(b))
        .one(conn)
        .await?)
}

/// Links two communities that work together. Linking a linked pair again returns the
/// link, with its note replaced when a different one is given.
pub async fn link_peers(
    db: &Database,
    actor: Uuid,
    id: Option<Uuid>,
    community: Uuid,
    peer: Uuid,
    note: Option<&str>,
) -> StoreResult<PeerLink> {
    let (a, b) = peer_pair(community, peer)?;
    let note = peer_note(note)?;
    let tx = db.conn().begin().await?;
    if let Some(id) = id
        && let Some(taken) = peer_links::Entity::find_by_id(id).one(&tx).await?
        && (taken.community_a, taken.community_b) != (a, b)
    {
        return Err(StoreError::conflict(
            "this id is already used by a different peer link",
        ));
    }
    let link = match peer_link_between(&tx, a, b).await? {
        Some(existing) if existing.note == note || note.is_none() => existing,
        Some(existing) => {
            peer_links::ActiveModel {
                id: Unchanged(existing.id),
                note: Set(note),
                updated_at: Set(Utc::now()),
                ..Default::default()
            }
            .update(&tx)
            .await?
        }
        None => {
            let now = Utc::now();
            peer_links::ActiveModel {
                id: Set(id.unwrap_or_else(Uuid::now_v7)),
                community_a: Set(a),
                community_b: Set(b),
                note: Set(note),
                created_by: Set(actor),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&tx)
            .await?
        }
    };
    tx.commit().await?;
    Ok(to_peer_link(link))
}

/// Removes the link between two communities; false when there was none.
pub async fn unlink_peers(db: &Database, community: Uuid, peer: Uuid) -> StoreResult<bool> {
    let (a, b) = peer_pair(community, peer)?;
    let deleted = peer_links::Entity::delete_many()
        .filter(peer_links::Column::CommunityA.eq(a))
        .filter(peer_links::Column::CommunityB.eq(b))
        .exec(db.conn())
        .await?;
    Ok(deleted.rows_affected > 0)
}

/// The communities linked with `community` as peers, each with its link.
pub async fn peers(
    db: &Database,
    viewer: Uuid,
    community: Uuid,
) -> StoreResult<Vec<(PeerLink, LineageNode)>> {
    let links: Vec<PeerLink> = peer_links::Entity::find()
        .filter(
            Condition::any()
                .add(peer_links::Column::CommunityA.eq(community))
                .add(peer_links::Column::CommunityB.eq(community)),
        )
        .order_by_asc(peer_links::Column::CreatedAt)
        .all(db.conn())
        .await?
        .into_iter()
        .map(to_peer_link)
        .collect();
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<sea_orm::Value> = links.iter().map(|l| l.other(community).into()).collect();
    let mut found: HashMap<Uuid, LineageNode> = nodes(
        db.conn(),
        viewer,
        stmt(
            db.backend(),
            &format!(
                "SELECT {NODE_COLUMNS} FROM communities c WHERE c.id IN ({})",
                placeholders(1, ids.len())
            ),
            ids,
        ),
    )
    .await?
    .into_iter()
    .map(|n| (n.row.id, n))
    .collect();
    Ok(links
        .into_iter()
        .filter_map(|link| {
            let node = found.remove(&link.other(community))?;
            Some((link, node))
        })
        .collect())
}
