//! The needs board: needs with their claims and the history of every transition. Each
//! transition locks the need, asks the domain's state machine, and writes the new state
//! and its event together; a refused transition writes nothing.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use oikos_domain::DomainError;
use oikos_domain::need::{
    Closing, Need, NeedAction, NeedCategory, NeedContent, NeedCounts, NeedEvent, NeedOutcome,
    NeedStatus, NeedUrgency, NetworkReach, Visibility, ensure_met_by_service,
};
use oikos_domain::practice::Practice;
use oikos_domain::rhythm::GatheringOutcome;
use oikos_domain::tree_path::TreePath;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::communities::lock;
use crate::entities::{need_claims, need_events, needs, people_of_peace};
use crate::organizations::corrupt;
use crate::sql::{SqlBuilder, placeholders, stmt};
use crate::{Database, Page, PageRequest, StoreError, StoreResult};

fn to_need(m: needs::Model) -> StoreResult<Need> {
    let parse = |what: &str, v: &str| corrupt(what, v);
    Ok(Need {
        id: m.id,
        community_id: m.community_id,
        organization_id: m.organization_id,
        content: NeedContent {
            title: m.title,
            description: m.description,
            category: NeedCategory::parse(&m.category)
                .ok_or_else(|| parse("need category", &m.category))?,
            person_of_peace_id: m.person_of_peace_id,
            for_whom: m.for_whom,
            neighbourhood: m.neighbourhood,
            urgency: NeedUrgency::parse(&m.urgency)
                .ok_or_else(|| parse("need urgency", &m.urgency))?,
            visibility: Visibility::parse(&m.visibility)
                .ok_or_else(|| parse("need visibility", &m.visibility))?,
        },
        status: NeedStatus::parse(&m.status).ok_or_else(|| parse("need status", &m.status))?,
        outcome: m
            .outcome
            .as_deref()
            .map(|o| NeedOutcome::parse(o).ok_or_else(|| parse("need outcome", o)))
            .transpose()?,
        outcome_note: m.outcome_note,
        referred_partner_id: m.referred_partner_id,
        met_by_gathering_id: m.met_by_gathering_id,
        opened_by: m.opened_by,
        closed_at: m.closed_at,
        closed_by: m.closed_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_event(m: need_events::Model) -> StoreResult<NeedEvent> {
    let status = |v: &str| NeedStatus::parse(v).ok_or_else(|| corrupt("need status", v));
    Ok(NeedEvent {
        id: m.id,
        need_id: m.need_id,
        action: NeedAction::parse(&m.action).ok_or_else(|| corrupt("need action", &m.action))?,
        from_status: m.from_status.as_deref().map(status).transpose()?,
        to_status: status(&m.to_status)?,
        actor_id: m.actor_id,
        note: m.note,
        at: m.created_at,
    })
}

async fn record<C: ConnectionTrait>(
    conn: &C,
    need: Uuid,
    action: NeedAction,
    from: Option<NeedStatus>,
    to: NeedStatus,
    actor: Uuid,
    note: Option<String>,
) -> StoreResult<()> {
    let now = Utc::now();
    need_events::ActiveModel {
        id: Set(Uuid::now_v7()),
        need_id: Set(need),
        action: Set(action.as_str().to_owned()),
        from_status: Set(from.map(|s| s.as_str().to_owned())),
        to_status: Set(to.as_str().to_owned()),
        actor_id: Set(Some(actor)),
        note: Set(note),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Whether `id` is a person of peace of `community` who was not removed.
pub(crate) async fn is_person_of_peace_of<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
    community: Uuid,
) -> StoreResult<bool> {
    Ok(people_of_peace::Entity::find_by_id(id)
        .one(conn)
        .await?
        .is_some_and(|p| p.community_id == community && p.erased_at.is_none()))
}

pub struct NewNeed {
    pub id: Uuid,
    pub community_id: Uuid,
    pub content: NeedContent,
    pub opened_by: Uuid,
}

/// Opens a need. The same id with the same content returns the existing one.
pub async fn create(db: &Database, new: NewNeed) -> StoreResult<Need> {
    let tx = db.conn().begin().await?;
    let community = lock(&tx, new.community_id).await?;
    if let Some(existing) = needs::Entity::find_by_id(new.id).one(&tx).await? {
        let existing = to_need(existing)?;
        return if existing.community_id == new.community_id && existing.content == new.content {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                "this id is already used by a different need",
            ))
        };
    }
    if let Some(pop) = new.content.person_of_peace_id
        && !is_person_of_peace_of(&tx, pop, new.community_id).await?
    {
        return Err(DomainError::invalid(
            "personOfPeaceId",
            "no such person of peace in this community",
        )
        .into());
    }
    let now = Utc::now();
    let c = new.content;
    let row = needs::ActiveModel {
        id: Set(new.id),
        community_id: Set(new.community_id),
        organization_id: Set(community.organization_id),
        title: Set(c.title),
        description: Set(c.description),
        category: Set(c.category.as_str().to_owned()),
        person_of_peace_id: Set(c.person_of_peace_id),
        for_whom: Set(c.for_whom),
        neighbourhood: Set(c.neighbourhood),
        urgency: Set(c.urgency.as_str().to_owned()),
        visibility: Set(c.visibility.as_str().to_owned()),
        status: Set(NeedStatus::Open.as_str().to_owned()),
        outcome: Set(None),
        outcome_note: Set(None),
        referred_partner_id: Set(None),
        met_by_gathering_id: Set(None),
        opened_by: Set(Some(new.opened_by)),
        closed_at: Set(None),
        closed_by: Set(None),
        deleted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await?;
    record(
        &tx,
        new.id,
        NeedAction::Opened,
        None,
        NeedStatus::Open,
        new.opened_by,
        None,
    )
    .await?;
    tx.commit().await?;
    to_need(row)
}

pub async fn get(db: &Database, id: Uuid) -> StoreResult<Option<Need>> {
    needs::Entity::find_by_id(id)
        .filter(needs::Column::DeletedAt.is_null())
        .one(db.conn())
        .await?
        .map(to_need)
        .transpose()
}

/// For DataLoaders: every need among `ids` that exists.
pub async fn by_ids(db: &Database, ids: &[Uuid]) -> StoreResult<Vec<Need>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    needs::Entity::find()
        .filter(needs::Column::Id.is_in(ids.iter().copied()))
        .filter(needs::Column::DeletedAt.is_null())
        .all(db.conn())
        .await?
        .into_iter()
        .map(to_need)
        .collect()
}

/// Reads a need inside a transaction, locking its row on PostgreSQL so that concurrent
/// transitions queue behind each other (SQLite has one writer at a time).
async fn lock_need<C: ConnectionTrait>(conn: &C, id: Uuid) -> StoreResult<Need> {
    let mut query = needs::Entity::find_by_id(id).filter(needs::Column::DeletedAt.is_null());
    if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    query
        .one(conn)
        .await?
        .map(to_need)
        .transpose()?
        .ok_or(StoreError::NotFound("need"))
}

async fn claimers_in<C: ConnectionTrait>(conn: &C, need: Uuid) -> StoreResult<Vec<Uuid>> {
    Ok(need_claims::Entity::find()
        .filter(need_claims::Column::NeedId.eq(need))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| c.person_id)
        .collect())
}

async fn set_status<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
    status: NeedStatus,
) -> StoreResult<needs::Model> {
    Ok(needs::ActiveModel {
        id: sea_orm::Unchanged(id),
        status: Set(status.as_str().to_owned()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(conn)
    .await?)
}

/// `person` takes on the need (several people may).
pub async fn claim(db: &Database, id: Uuid, person: Uuid) -> StoreResult<Need> {
    let tx = db.conn().begin().await?;
    let need = lock_need(&tx, id).await?;
    let claimers = claimers_in(&tx, id).await?;
    let to = oikos_domain::need::claim(need.status, claimers.contains(&person))?;
    let now = Utc::now();
    need_claims::ActiveModel {
        need_id: Set(id),
        person_id: Set(person),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await?;
    let row = set_status(&tx, id, to).await?;
    record(
        &tx,
        id,
        NeedAction::Claimed,
        Some(need.status),
        to,
        person,
        None,
    )
    .await?;
    tx.commit().await?;
    to_need(row)
}

/// `person`'s claim is withdrawn (by them, or by a leader: `actor`).
pub async fn release(db: &Database, id: Uuid, person: Uuid, actor: Uuid) -> StoreResult<Need> {
    let tx = db.conn().begin().await?;
    let need = lock_need(&tx, id).await?;
    let claimers = claimers_in(&tx, id).await?;
    let claimed = claimers.contains(&person);
    let remaining = claimers.len() - usize::from(claimed);
    let to = oikos_domain::need::release(need.status, claimed, remaining)?;
    need_claims::Entity::delete_by_id((id, person))
        .exec(&tx)
        .await?;
    let row = set_status(&tx, id, to).await?;
    record(
        &tx,
        id,
        NeedAction::Released,
        Some(need.status),
        to,
        actor,
        None,
    )
    .await?;
    tx.commit().await?;
    to_need(row)
}

pub struct NeedClosing {
    pub outcome: NeedOutcome,
    pub note: Option<String>,
    pub partner_id: Option<Uuid>,
    pub met_by_gathering_id: Option<Uuid>,
}

#[derive(FromQueryResult)]
struct GatheringPracticeRow {
    outcome: String,
    practice: Option<String>,
}

/// The outcome and practices of `gathering` if it belongs to `community` and was not
/// deleted.
async fn gathering_of<C: ConnectionTrait>(
    conn: &C,
    gathering: Uuid,
    community: Uuid,
) -> StoreResult<Option<(GatheringOutcome, Vec<Practice>)>> {
    let rows = GatheringPracticeRow::find_by_statement(stmt(
        conn.get_database_backend(),
        "SELECT g.outcome, p.practice FROM gatherings g \
         LEFT JOIN gathering_practices p ON p.gathering_id = g.id \
         WHERE g.id = $1 AND g.community_id = $2 AND g.deleted_at IS NULL",
        vec![gathering.into(), community.into()],
    ))
    .all(conn)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let outcome = GatheringOutcome::parse(&first.outcome)
        .ok_or_else(|| corrupt("gathering outcome", &first.outcome))?;
    let practices = rows
        .iter()
        .filter_map(|r| r.practice.as_deref())
        .map(|p| Practice::parse(p).ok_or_else(|| corrupt("practice", p)))
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Some((outcome, practices)))
}

/// Closes the need with an honest outcome. A referral names a partner of the same
/// community; a need that was met may name the SERVICE gathering that met it.
pub async fn close(
    db: &Database,
    id: Uuid,
    closing: NeedClosing,
    actor: Uuid,
) -> StoreResult<Need> {
    let tx = db.conn().begin().await?;
    let need = lock_need(&tx, id).await?;
    let to = oikos_domain::need::close(
        need.status,
        Closing {
            outcome: closing.outcome,
            partner_given: closing.partner_id.is_some(),
            gathering_given: closing.met_by_gathering_id.is_some(),
        },
    )?;
    if let Some(partner) = closing.partner_id
        && !crate::partners::belongs_to(&tx, partner, need.community_id).await?
    {
        return Err(DomainError::invalid("partnerId", "no such partner of this community").into());
    }
    if let Some(gathering) = closing.met_by_gathering_id {
        let found = gathering_of(&tx, gathering, need.community_id).await?;
        ensure_met_by_service(found.as_ref().map(|(o, p)| (*o, p.as_slice())))?;
    }
    let now = Utc::now();
    let row = needs::ActiveModel {
        id: sea_orm::Unchanged(id),
        status: Set(to.as_str().to_owned()),
        outcome: Set(Some(closing.outcome.as_str().to_owned())),
        outcome_note: Set(closing.note.clone()),
        referred_partner_id: Set(closing.partner_id),
        met_by_gathering_id: Set(closing.met_by_gathering_id),
        closed_at: Set(Some(now)),
        closed_by: Set(Some(actor)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    record(
        &tx,
        id,
        NeedAction::Closed,
        Some(need.status),
        to,
        actor,
        closing.note,
    )
    .await?;
    tx.commit().await?;
    to_need(row)
}

/// Reopens a need closed by mistake: open again, unclaimed, without an outcome.
pub async fn reopen(
    db: &Database,
    id: Uuid,
    note: Option<String>,
    actor: Uuid,
) -> StoreResult<Need> {
    let tx = db.conn().begin().await?;
    let need = lock_need(&tx, id).await?;
    let to = oikos_domain::need::reopen(need.status)?;
    need_claims::Entity::delete_many()
        .filter(need_claims::Column::NeedId.eq(id))
        .exec(&tx)
        .await?;
    let row = needs::ActiveModel {
        id: sea_orm::Unchanged(id),
        status: Set(to.as_str().to_owned()),
        outcome: Set(None),
        outcome_note: Set(None),
        referred_partner_id: Set(None),
        met_by_gathering_id: Set(None),
        closed_at: Set(None),
        closed_by: Set(None),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    record(
        &tx,
        id,
        NeedAction::Reopened,
        Some(need.status),
        to,
        actor,
        note,
    )
    .await?;
    tx.commit().await?;
    to_need(row)
}

/// Which statuses a list shows; empty shows them all.
#[derive(Debug, Clone, Default)]
pub struct NeedFilter {
    pub statuses: Vec<NeedStatus>,
}

/// The needs of a community at the visibility levels given (the ones the viewer may
/// see, as the domain decides), oldest first.
pub async fn list_in_community(
    db: &Database,
    community: Uuid,
    levels: &[Visibility],
    filter: &NeedFilter,
    page: PageRequest,
) -> StoreResult<Page<Need>> {
    if levels.is_empty() {
        return Ok(Page {
            items: Vec::new(),
            has_next: false,
        });
    }
    let mut query = needs::Entity::find()
        .filter(needs::Column::CommunityId.eq(community))
        .filter(needs::Column::DeletedAt.is_null())
        .filter(needs::Column::Visibility.is_in(levels.iter().map(|v| v.as_str())));
    if !filter.statuses.is_empty() {
        query =
            query.filter(needs::Column::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(after) = page.after {
        query = query.filter(needs::Column::Id.gt(after));
    }
    let rows = query
        .order_by_asc(needs::Column::Id)
        .limit(page.first + 1)
        .all(db.conn())
        .await?;
    Page::from_rows(rows, page.first, to_need)
}

/// Needs shared with the NETWORK by communities of the organization at `org` or below it
/// that reach the viewer (`reach`, from the domain), oldest first.
pub async fn list_network(
    db: &Database,
    org: &TreePath,
    reach: &NetworkReach,
    filter: &NeedFilter,
    page: PageRequest,
) -> StoreResult<Page<Need>> {
    if reach.is_empty() {
        return Ok(Page {
            items: Vec::new(),
            has_next: false,
        });
    }
    let mut q = SqlBuilder::new(
        "SELECT n.* FROM needs n JOIN organizations o ON o.id = n.organization_id \
         WHERE n.deleted_at IS NULL",
    );
    let network = q.bind(Visibility::Network.as_str());
    let (lower, upper) = org.descendant_bounds();
    let (lower, upper) = (q.bind(lower), q.bind(upper));
    q.push(&format!(
        " AND n.visibility = {network} AND o.tree_path >= {lower} AND o.tree_path < {upper} AND ("
    ));
    let mut reaches: Vec<String> = Vec::new();
    let lineage = reach.member_org_lineage();
    if !lineage.is_empty() {
        let paths: Vec<String> = lineage.into_iter().map(|p| q.bind(p.to_owned())).collect();
        reaches.push(format!("o.tree_path IN ({})", paths.join(", ")));
    }
    for subtree in reach.overseen_subtrees() {
        let (lower, upper) = subtree.descendant_bounds();
        let (lower, upper) = (q.bind(lower), q.bind(upper));
        reaches.push(format!(
            "(o.tree_path >= {lower} AND o.tree_path < {upper})"
        ));
    }
    q.push(&reaches.join(" OR "));
    q.push(")");
    if !filter.statuses.is_empty() {
        let statuses: Vec<String> = filter.statuses.iter().map(|s| q.bind(s.as_str())).collect();
        q.push(&format!(" AND n.status IN ({})", statuses.join(", ")));
    }
    if let Some(after) = page.after {
        let p = q.bind(after);
        q.push(&format!(" AND n.id > {p}"));
    }
    let limit = q.bind(i64::try_from(page.first + 1).unwrap_or(i64::MAX));
    q.push(&format!(" ORDER BY n.id LIMIT {limit}"));
    let rows = needs::Model::find_by_statement(q.build(db.backend()))
        .all(db.conn())
        .await?;
    Page::from_rows(rows, page.first, to_need)
}

#[derive(FromQueryResult)]
struct CountsRow {
    community_id: Uuid,
    open_needs: i64,
    claimed_needs: i64,
    met_needs: i64,
}

/// Counts per community: needs open now, claimed now, and met (closed as MET) within
/// `[met_from, met_to)`. One statement whatever the number of communities.
pub async fn counts(
    db: &Database,
    communities: &[Uuid],
    met_from: DateTime<Utc>,
    met_to: DateTime<Utc>,
) -> StoreResult<HashMap<Uuid, NeedCounts>> {
    let mut out: HashMap<Uuid, NeedCounts> = communities
        .iter()
        .map(|c| (*c, NeedCounts::default()))
        .collect();
    if communities.is_empty() {
        return Ok(out);
    }
    let mut values: Vec<sea_orm::Value> = vec![
        met_from.into(),
        met_to.into(),
        NeedStatus::Closed.as_str().into(),
        NeedStatus::Claimed.as_str().into(),
        NeedOutcome::Met.as_str().into(),
    ];
    values.extend(communities.iter().map(|c| sea_orm::Value::from(*c)));
    let rows = CountsRow::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT community_id, \
             COUNT(CASE WHEN status <> $3 THEN 1 END) AS open_needs, \
             COUNT(CASE WHEN status = $4 THEN 1 END) AS claimed_needs, \
             COUNT(CASE WHEN status = $3 AND outcome = $5 AND closed_at >= $1 AND closed_at < $2 THEN 1 END) AS met_needs \
             FROM needs WHERE deleted_at IS NULL AND community_id IN ({}) GROUP BY community_id",
            placeholders(6, communities.len())
        ),
        values,
    ))
    .all(db.conn())
    .await?;
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    for row in rows {
        out.insert(
            row.community_id,
            NeedCounts {
                open: count(row.open_needs),
                claimed: count(row.claimed_needs),
                met: count(row.met_needs),
            },
        );
    }
    Ok(out)
}

/// Who claimed each of `needs`, earliest claim first.
pub async fn claimers_of(db: &Database, needs: &[Uuid]) -> StoreResult<HashMap<Uuid, Vec<Uuid>>> {
    let mut out: HashMap<Uuid, Vec<Uuid>> = needs.iter().map(|n| (*n, Vec::new())).collect();
    if needs.is_empty() {
        return Ok(out);
    }
    for claim in need_claims::Entity::find()
        .filter(need_claims::Column::NeedId.is_in(needs.iter().copied()))
        .order_by_asc(need_claims::Column::CreatedAt)
        .all(db.conn())
        .await?
    {
        out.entry(claim.need_id).or_default().push(claim.person_id);
    }
    Ok(out)
}

/// The history of each of `needs`, oldest first.
pub async fn events_of(
    db: &Database,
    needs: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<NeedEvent>>> {
    let mut out: HashMap<Uuid, Vec<NeedEvent>> = needs.iter().map(|n| (*n, Vec::new())).collect();
    if needs.is_empty() {
        return Ok(out);
    }
    for event in need_events::Entity::find()
        .filter(need_events::Column::NeedId.is_in(needs.iter().copied()))
        .order_by_asc(need_events::Column::CreatedAt)
        .order_by_asc(need_events::Column::Id)
        .all(db.conn())
        .await?
    {
        let event = to_event(event)?;
        out.entry(event.need_id).or_default().push(event);
    }
    Ok(out)
}

/// Needs still open to help (OPEN or CLAIMED) in each of several communities, each at the
/// visibility levels its viewer may see there, most urgent first: one statement for the
/// whole home screen.
pub async fn open_in_communities(
    db: &Database,
    visible: &[(Uuid, Vec<Visibility>)],
) -> StoreResult<HashMap<Uuid, Vec<Need>>> {
    let mut out: HashMap<Uuid, Vec<Need>> = visible.iter().map(|(c, _)| (*c, Vec::new())).collect();
    let visible: Vec<&(Uuid, Vec<Visibility>)> = visible
        .iter()
        .filter(|(_, levels)| !levels.is_empty())
        .collect();
    if visible.is_empty() {
        return Ok(out);
    }
    let mut q = SqlBuilder::new("SELECT * FROM needs WHERE deleted_at IS NULL AND status IN (");
    let open = q.bind(NeedStatus::Open.as_str());
    let claimed = q.bind(NeedStatus::Claimed.as_str());
    q.push(&format!("{open}, {claimed}) AND ("));
    for (i, (community, levels)) in visible.iter().enumerate() {
        let c = q.bind(*community);
        let levels: Vec<String> = levels.iter().map(|l| q.bind(l.as_str())).collect();
        q.push(&format!(
            "{}(community_id = {c} AND visibility IN ({}))",
            if i > 0 { " OR " } else { "" },
            levels.join(", ")
        ));
    }
    q.push(") ORDER BY id");
    for row in needs::Model::find_by_statement(q.build(db.backend()))
        .all(db.conn())
        .await?
    {
        let need = to_need(row)?;
        out.entry(need.community_id).or_default().push(need);
    }
    for list in out.values_mut() {
        // Stable: within one urgency, the oldest need first.
        list.sort_by_key(|need| std::cmp::Reverse(need.content.urgency));
    }
    Ok(out)
}
