//! Communities: planting, profile changes, status and closing, and visible lists.
//! Multiplication and lineage corrections live in `lineage`.

use chrono::{NaiveDate, NaiveTime, Utc};
use oikos_domain::community::{
    Closure, Community, CommunityProfile, CommunityStatus, GeoPoint, Lineage, LocationPrivacy,
    PlaceKind, StartMode, Weekday, change_status, close,
};
use oikos_domain::membership::MemberRole;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::entities::{communities, memberships};
use crate::organizations::{corrupt, escape_like};
use crate::sql::SqlBuilder;
use crate::tree::{Tree, next_child_path, retry_on_path_race, stored_path};
use crate::{Database, Page, PageRequest, StoreError, StoreResult};

pub(crate) fn to_community(m: communities::Model) -> StoreResult<Community> {
    let parse = |what: &str, v: &str| corrupt(what, v);
    let location = match (m.latitude, m.longitude) {
        (Some(lat), Some(lng)) => Some(
            GeoPoint::new(lat, lng).map_err(|_| parse("coordinates", &format!("{lat},{lng}")))?,
        ),
        _ => None,
    };
    let status = CommunityStatus::parse(&m.status).ok_or_else(|| parse("status", &m.status))?;
    let closure = match (m.closed_reason, m.closed_on) {
        (Some(reason), Some(closed_on)) => Some(Closure { reason, closed_on }),
        _ => None,
    };
    Ok(Community {
        id: m.id,
        organization_id: m.organization_id,
        profile: CommunityProfile {
            name: m.name,
            vision: m.vision,
            start_mode: StartMode::parse(&m.start_mode)
                .ok_or_else(|| parse("start mode", &m.start_mode))?,
            place_kind: PlaceKind::parse(&m.place_kind)
                .ok_or_else(|| parse("place kind", &m.place_kind))?,
            place_description: m.place_description,
            neighbourhood: m.neighbourhood,
            location,
            location_privacy: LocationPrivacy::parse(&m.location_privacy)
                .ok_or_else(|| parse("location privacy", &m.location_privacy))?,
            meeting_day: m
                .meeting_day
                .as_deref()
                .map(|d| Weekday::parse(d).ok_or_else(|| parse("weekday", d)))
                .transpose()?,
            meeting_time: m
                .meeting_time
                .as_deref()
                .map(|t| {
                    NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| parse("meeting time", t))
                })
                .transpose()?,
            time_zone: m
                .time_zone
                .parse()
                .map_err(|_| parse("time zone", &m.time_zone))?,
            launched_on: m.launched_on,
        },
        status,
        closure,
        lineage: Lineage {
            parent_id: m.parent_id,
            generation: u32::try_from(m.generation)
                .map_err(|_| parse("generation", &m.generation.to_string()))?,
            stream_root_id: m.stream_root_id,
            path: stored_path(m.lineage_path)?,
        },
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// Writes the profile's columns onto a row.
pub(crate) fn set_profile(row: &mut communities::ActiveModel, p: &CommunityProfile) {
    row.name = Set(p.name.clone());
    row.vision = Set(p.vision.clone());
    row.start_mode = Set(p.start_mode.as_str().to_owned());
    row.place_kind = Set(p.place_kind.as_str().to_owned());
    row.place_description = Set(p.place_description.clone());
    row.neighbourhood = Set(p.neighbourhood.clone());
    row.latitude = Set(p.location.map(GeoPoint::latitude));
    row.longitude = Set(p.location.map(GeoPoint::longitude));
    row.location_privacy = Set(p.location_privacy.as_str().to_owned());
    row.meeting_day = Set(p.meeting_day.map(|d| d.as_str().to_owned()));
    row.meeting_time = Set(p.meeting_time.map(|t| t.format("%H:%M").to_string()));
    row.time_zone = Set(p.time_zone.name().to_owned());
    row.launched_on = Set(p.launched_on);
}

pub struct NewCommunity {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub profile: CommunityProfile,
    pub status: CommunityStatus,
    /// Becomes the community's first LEADER.
    pub leader_id: Uuid,
}

/// Plants a community: generation 1, the root of a new stream. Its first leader joins in
/// the same transaction. The same id with the same content returns the existing one.
pub async fn plant(db: &Database, actor: Uuid, new: NewCommunity) -> StoreResult<Community> {
    change_status(CommunityStatus::Forming, new.status, 1).map(|_| ())?;
    retry_on_path_race(|| plant_once(db, actor, &new)).await
}

async fn plant_once(db: &Database, actor: Uuid, new: &NewCommunity) -> StoreResult<Community> {
    let tx = db.conn().begin().await?;
    if let Some(existing) = communities::Entity::find_by_id(new.id).one(&tx).await? {
        let existing = to_community(existing)?;
        let same = existing.organization_id == new.organization_id
            && existing.profile == new.profile
            && existing.lineage.parent_id.is_none();
        return if same {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                "this id is already used by a different community",
            ))
        };
    }
    let path = next_child_path(&tx, Tree::Lineage, None).await?;
    let now = Utc::now();
    let mut row = communities::ActiveModel {
        id: Set(new.id),
        organization_id: Set(new.organization_id),
        status: Set(new.status.as_str().to_owned()),
        closed_reason: Set(None),
        closed_on: Set(None),
        parent_id: Set(None),
        generation: Set(1),
        stream_root_id: Set(new.id),
        lineage_path: Set(path.as_str().to_owned()),
        created_by: Set(Some(actor)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    set_profile(&mut row, &new.profile);
    let row = row.insert(&tx).await?;
    let started = new.profile.launched_on.unwrap_or_else(|| now.date_naive());
    crate::memberships::insert_row(
        &tx,
        Uuid::now_v7(),
        new.id,
        new.leader_id,
        MemberRole::Leader,
        Vec::new(),
        started,
    )
    .await?;
    crate::lineage_history::record_link(&tx, new.id, None, started, actor, "planted").await?;
    tx.commit().await?;
    to_community(row)
}

pub async fn get(db: &Database, id: Uuid) -> StoreResult<Option<Community>> {
    communities::Entity::find_by_id(id)
        .one(db.conn())
        .await?
        .map(to_community)
        .transpose()
}

pub async fn by_ids(db: &Database, ids: &[Uuid]) -> StoreResult<Vec<Community>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    communities::Entity::find()
        .filter(communities::Column::Id.is_in(ids.iter().copied()))
        .all(db.conn())
        .await?
        .into_iter()
        .map(to_community)
        .collect()
}

/// Reads a community inside a transaction, locking its row on PostgreSQL so that
/// concurrent changes to its members or lineage queue behind each other. (SQLite allows
/// one writer at a time, so the lock is implicit there.)
pub(crate) async fn lock<C: ConnectionTrait>(conn: &C, id: Uuid) -> StoreResult<Community> {
    let mut query = communities::Entity::find_by_id(id);
    if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    query
        .one(conn)
        .await?
        .map(to_community)
        .transpose()?
        .ok_or(StoreError::NotFound("community"))
}

pub(crate) async fn current_leader_count<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
) -> StoreResult<usize> {
    let count = memberships::Entity::find()
        .filter(memberships::Column::CommunityId.eq(id))
        .filter(memberships::Column::LeftOn.is_null())
        .filter(memberships::Column::Role.eq(MemberRole::Leader.as_str()))
        .count(conn)
        .await?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

/// Replaces the profile (the caller merged the changes into a validated profile) and,
/// when given, moves the status on.
pub async fn update(
    db: &Database,
    id: Uuid,
    profile: CommunityProfile,
    status: Option<CommunityStatus>,
) -> StoreResult<Community> {
    let tx = db.conn().begin().await?;
    let current = lock(&tx, id).await?;
    if current.status == CommunityStatus::Closed {
        return Err(
            oikos_domain::DomainError::conflict("a closed community cannot be changed").into(),
        );
    }
    let mut row = communities::ActiveModel {
        id: sea_orm::Unchanged(id),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    set_profile(&mut row, &profile);
    if let Some(to) = status.filter(|s| *s != current.status) {
        let leaders = current_leader_count(&tx, id).await?;
        row.status = Set(change_status(current.status, to, leaders)?
            .as_str()
            .to_owned());
    }
    let row = row.update(&tx).await?;
    tx.commit().await?;
    to_community(row)
}

/// Closes a community. It keeps its place in the family tree and its descendants are
/// untouched. Memberships are left as they stood: they are the record of who was in the
/// group when it closed, and let those people still read it.
pub async fn close_community(
    db: &Database,
    id: Uuid,
    reason: &str,
    closed_on: NaiveDate,
) -> StoreResult<Community> {
    let tx = db.conn().begin().await?;
    let current = lock(&tx, id).await?;
    let closure = close(
        current.status,
        current.profile.launched_on,
        reason,
        closed_on,
        Utc::now().date_naive(),
    )?;
    let row = communities::ActiveModel {
        id: sea_orm::Unchanged(id),
        status: Set(CommunityStatus::Closed.as_str().to_owned()),
        closed_reason: Set(Some(closure.reason)),
        closed_on: Set(Some(closure.closed_on)),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    tx.commit().await?;
    to_community(row)
}

#[derive(Debug, Clone, Default)]
pub struct CommunityFilter {
    /// Communities of this organization and every organization below it.
    pub organization_id: Option<Uuid>,
    pub status: Option<CommunityStatus>,
    pub name_contains: Option<String>,
}

/// Communities `viewer` may see (member of, or in a subtree where they hold a role), in
/// creation order.
pub async fn list_visible(
    db: &Database,
    viewer: Uuid,
    filter: &CommunityFilter,
    page: PageRequest,
) -> StoreResult<Page<Community>> {
    let mut q = SqlBuilder::new(
        "SELECT c.* FROM communities c JOIN organizations o ON o.id = c.organization_id WHERE (",
    );
    let v = q.bind(viewer);
    q.push(&format!(
        "c.id IN (SELECT m.community_id FROM memberships m WHERE m.person_id = {v} AND m.left_on IS NULL) \
         OR EXISTS (SELECT 1 FROM org_roles r JOIN organizations ro ON ro.id = r.organization_id \
         WHERE r.person_id = {v} AND o.tree_path >= ro.tree_path AND o.tree_path < ro.tree_path || '~'))"
    ));
    if let Some(org_id) = filter.organization_id {
        let p = q.bind(org_id);
        q.push(&format!(
            " AND EXISTS (SELECT 1 FROM organizations f WHERE f.id = {p} \
             AND o.tree_path >= f.tree_path AND o.tree_path < f.tree_path || '~')"
        ));
    }
    if let Some(status) = filter.status {
        let p = q.bind(status.as_str());
        q.push(&format!(" AND c.status = {p}"));
    }
    if let Some(name) = filter.name_contains.as_deref().filter(|n| !n.is_empty()) {
        let p = q.bind(format!("%{}%", escape_like(&name.to_lowercase())));
        q.push(&format!(" AND lower(c.name) LIKE {p} ESCAPE '\\'"));
    }
    if let Some(after) = page.after {
        let p = q.bind(after);
        q.push(&format!(" AND c.id > {p}"));
    }
    let limit = q.bind(i64::try_from(page.first + 1).unwrap_or(i64::MAX));
    q.push(&format!(" ORDER BY c.id LIMIT {limit}"));
    let rows = communities::Model::find_by_statement(q.build(db.backend()))
        .all(db.conn())
        .await?;
    Page::from_rows(rows, page.first, to_community)
}
