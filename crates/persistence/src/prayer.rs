//! Prayer requests (each with its visibility and answered mark) and prayer walks with
//! their walkers and the needs and people of peace found on the way.

use std::collections::HashMap;

use chrono::Utc;
use oikos_domain::DomainError;
use oikos_domain::prayer::{PrayerRequest, PrayerVisibility, PrayerWalk, PrayerWalkContent};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::communities::lock;
use crate::entities::{
    memberships, needs, people_of_peace, prayer_requests, prayer_walk_needs, prayer_walk_people,
    prayer_walk_walkers, prayer_walks,
};
use crate::organizations::corrupt;
use crate::sql::SqlBuilder;
use crate::{Database, Page, PageRequest, StoreError, StoreResult};

fn to_request(m: prayer_requests::Model) -> StoreResult<PrayerRequest> {
    Ok(PrayerRequest {
        id: m.id,
        community_id: m.community_id,
        author_id: m.author_id,
        body: m.body,
        visibility: PrayerVisibility::parse(&m.visibility)
            .ok_or_else(|| corrupt("prayer visibility", &m.visibility))?,
        answered_at: m.answered_at,
        answered_note: m.answered_note,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

pub struct NewPrayerRequest {
    pub id: Uuid,
    pub community_id: Uuid,
    pub author_id: Uuid,
    pub body: String,
    pub visibility: PrayerVisibility,
}

/// Shares a prayer request. The same id with the same content returns the existing one.
pub async fn create_request(db: &Database, new: NewPrayerRequest) -> StoreResult<PrayerRequest> {
    let community = crate::communities::get(db, new.community_id)
        .await?
        .ok_or(StoreError::NotFound("community"))?;
    if let Some(existing) = get_request(db, new.id).await? {
        let same = existing.community_id == new.community_id
            && existing.author_id == Some(new.author_id)
            && existing.body == new.body
            && existing.visibility == new.visibility;
        return if same {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                "this id is already used by a different prayer request",
            ))
        };
    }
    let now = Utc::now();
    let row = prayer_requests::ActiveModel {
        id: Set(new.id),
        community_id: Set(new.community_id),
        organization_id: Set(community.organization_id),
        author_id: Set(Some(new.author_id)),
        body: Set(new.body),
        visibility: Set(new.visibility.as_str().to_owned()),
        answered_at: Set(None),
        answered_note: Set(None),
        deleted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db.conn())
    .await?;
    to_request(row)
}

pub async fn get_request(db: &Database, id: Uuid) -> StoreResult<Option<PrayerRequest>> {
    prayer_requests::Entity::find_by_id(id)
        .filter(prayer_requests::Column::DeletedAt.is_null())
        .one(db.conn())
        .await?
        .map(to_request)
        .transpose()
}

/// Marks a request answered, with an optional note. Marking it again keeps the first
/// answered time and replaces the note.
pub async fn mark_answered(
    db: &Database,
    id: Uuid,
    note: Option<String>,
) -> StoreResult<PrayerRequest> {
    let current = get_request(db, id)
        .await?
        .ok_or(StoreError::NotFound("prayer request"))?;
    let now = Utc::now();
    let row = prayer_requests::ActiveModel {
        id: sea_orm::Unchanged(id),
        answered_at: Set(Some(current.answered_at.unwrap_or(now))),
        answered_note: Set(note),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db.conn())
    .await?;
    to_request(row)
}

const ANSWERED_RANK: &str = "(CASE WHEN answered_at IS NULL THEN 0 ELSE 1 END)";

/// The prayer requests of a community that `viewer` may read: those at `levels` (as the
/// domain decides from their standing) and their own. Unanswered first, newest first.
pub async fn list_requests(
    db: &Database,
    community: Uuid,
    viewer: Uuid,
    levels: &[PrayerVisibility],
    answered: Option<bool>,
    page: PageRequest,
) -> StoreResult<Page<PrayerRequest>> {
    let mut q = SqlBuilder::new("SELECT * FROM prayer_requests WHERE deleted_at IS NULL");
    let c = q.bind(community);
    let me = q.bind(viewer);
    q.push(&format!(" AND community_id = {c} AND (author_id = {me}"));
    if !levels.is_empty() {
        let levels: Vec<String> = levels.iter().map(|l| q.bind(l.as_str())).collect();
        q.push(&format!(" OR visibility IN ({})", levels.join(", ")));
    }
    q.push(")");
    if let Some(answered) = answered {
        q.push(if answered {
            " AND answered_at IS NOT NULL"
        } else {
            " AND answered_at IS NULL"
        });
    }
    if let Some(after) = page.after {
        let a = q.bind(after);
        let after_rank = format!(
            "(SELECT CASE WHEN a.answered_at IS NULL THEN 0 ELSE 1 END FROM prayer_requests a WHERE a.id = {a})"
        );
        q.push(&format!(
            " AND ({ANSWERED_RANK} > {after_rank} OR ({ANSWERED_RANK} = {after_rank} AND id < {a}))"
        ));
    }
    let limit = q.bind(i64::try_from(page.first + 1).unwrap_or(i64::MAX));
    q.push(&format!(" ORDER BY {ANSWERED_RANK}, id DESC LIMIT {limit}"));
    let rows = prayer_requests::Model::find_by_statement(q.build(db.backend()))
        .all(db.conn())
        .await?;
    Page::from_rows(rows, page.first, to_request)
}

/// Walkers must be current members, needs and people of peace must be the community's
/// own (and people of peace not removed): checked before anything is written.
async fn check_walk_links<C: ConnectionTrait>(
    conn: &C,
    community: Uuid,
    content: &PrayerWalkContent,
) -> StoreResult<()> {
    let walkers = memberships::Entity::find()
        .filter(memberships::Column::CommunityId.eq(community))
        .filter(memberships::Column::LeftOn.is_null())
        .filter(memberships::Column::PersonId.is_in(content.walker_ids.iter().copied()))
        .count(conn)
        .await?;
    if walkers != content.walker_ids.len() as u64 {
        return Err(DomainError::invalid(
            "walkerIds",
            "everyone who walked must be a current member of the community",
        )
        .into());
    }
    if !content.need_ids.is_empty() {
        let found = needs::Entity::find()
            .filter(needs::Column::CommunityId.eq(community))
            .filter(needs::Column::DeletedAt.is_null())
            .filter(needs::Column::Id.is_in(content.need_ids.iter().copied()))
            .count(conn)
            .await?;
        if found != content.need_ids.len() as u64 {
            return Err(DomainError::invalid(
                "needIds",
                "each need must be a need of this community",
            )
            .into());
        }
    }
    if !content.person_of_peace_ids.is_empty() {
        let found = people_of_peace::Entity::find()
            .filter(people_of_peace::Column::CommunityId.eq(community))
            .filter(people_of_peace::Column::ErasedAt.is_null())
            .filter(people_of_peace::Column::Id.is_in(content.person_of_peace_ids.iter().copied()))
            .count(conn)
            .await?;
        if found != content.person_of_peace_ids.len() as u64 {
            return Err(DomainError::invalid(
                "personOfPeaceIds",
                "each person of peace must be one of this community's",
            )
            .into());
        }
    }
    Ok(())
}

/// Replaces the walk's walkers and links with those of `content`.
async fn write_walk_links<C: ConnectionTrait>(
    conn: &C,
    walk: Uuid,
    content: &PrayerWalkContent,
) -> StoreResult<()> {
    prayer_walk_walkers::Entity::delete_many()
        .filter(prayer_walk_walkers::Column::WalkId.eq(walk))
        .exec(conn)
        .await?;
    prayer_walk_needs::Entity::delete_many()
        .filter(prayer_walk_needs::Column::WalkId.eq(walk))
        .exec(conn)
        .await?;
    prayer_walk_people::Entity::delete_many()
        .filter(prayer_walk_people::Column::WalkId.eq(walk))
        .exec(conn)
        .await?;
    if !content.walker_ids.is_empty() {
        prayer_walk_walkers::Entity::insert_many(content.walker_ids.iter().map(|p| {
            prayer_walk_walkers::ActiveModel {
                walk_id: Set(walk),
                person_id: Set(*p),
            }
        }))
        .exec(conn)
        .await?;
    }
    if !content.need_ids.is_empty() {
        prayer_walk_needs::Entity::insert_many(content.need_ids.iter().map(|n| {
            prayer_walk_needs::ActiveModel {
                walk_id: Set(walk),
                need_id: Set(*n),
            }
        }))
        .exec(conn)
        .await?;
    }
    if !content.person_of_peace_ids.is_empty() {
        prayer_walk_people::Entity::insert_many(content.person_of_peace_ids.iter().map(|p| {
            prayer_walk_people::ActiveModel {
                walk_id: Set(walk),
                person_of_peace_id: Set(*p),
            }
        }))
        .exec(conn)
        .await?;
    }
    Ok(())
}

#[derive(Default)]
struct WalkLinks {
    walkers: Vec<Uuid>,
    needs: Vec<Uuid>,
    people_of_peace: Vec<Uuid>,
}

/// The walkers, needs and people of peace of each of `walks`, each list sorted.
async fn walk_links<C: ConnectionTrait>(
    conn: &C,
    walks: &[Uuid],
) -> StoreResult<HashMap<Uuid, WalkLinks>> {
    let mut out: HashMap<Uuid, WalkLinks> =
        walks.iter().map(|w| (*w, WalkLinks::default())).collect();
    if walks.is_empty() {
        return Ok(out);
    }
    for row in prayer_walk_walkers::Entity::find()
        .filter(prayer_walk_walkers::Column::WalkId.is_in(walks.iter().copied()))
        .order_by_asc(prayer_walk_walkers::Column::PersonId)
        .all(conn)
        .await?
    {
        out.entry(row.walk_id)
            .or_default()
            .walkers
            .push(row.person_id);
    }
    for row in prayer_walk_needs::Entity::find()
        .filter(prayer_walk_needs::Column::WalkId.is_in(walks.iter().copied()))
        .order_by_asc(prayer_walk_needs::Column::NeedId)
        .all(conn)
        .await?
    {
        out.entry(row.walk_id).or_default().needs.push(row.need_id);
    }
    for row in prayer_walk_people::Entity::find()
        .filter(prayer_walk_people::Column::WalkId.is_in(walks.iter().copied()))
        .order_by_asc(prayer_walk_people::Column::PersonOfPeaceId)
        .all(conn)
        .await?
    {
        out.entry(row.walk_id)
            .or_default()
            .people_of_peace
            .push(row.person_of_peace_id);
    }
    Ok(out)
}

async fn walks_with_links<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<prayer_walks::Model>,
) -> StoreResult<Vec<PrayerWalk>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut links = walk_links(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|m| {
            let links = links.remove(&m.id).unwrap_or_default();
            PrayerWalk {
                id: m.id,
                community_id: m.community_id,
                content: PrayerWalkContent {
                    walked_on: m.walked_on,
                    area: m.area,
                    observations: m.observations,
                    walker_ids: links.walkers,
                    need_ids: links.needs,
                    person_of_peace_ids: links.people_of_peace,
                },
                created_by: m.created_by,
                created_at: m.created_at,
                updated_at: m.updated_at,
            }
        })
        .collect())
}

async fn walk_in<C: ConnectionTrait>(conn: &C, id: Uuid) -> StoreResult<Option<PrayerWalk>> {
    let Some(row) = prayer_walks::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    Ok(walks_with_links(conn, vec![row]).await?.pop())
}

pub struct NewPrayerWalk {
    pub id: Uuid,
    pub community_id: Uuid,
    pub content: PrayerWalkContent,
    pub created_by: Uuid,
}

/// Records a prayer walk. The same id with the same content returns the existing one.
pub async fn create_walk(db: &Database, new: NewPrayerWalk) -> StoreResult<PrayerWalk> {
    let tx = db.conn().begin().await?;
    lock(&tx, new.community_id).await?;
    if let Some(existing) = walk_in(&tx, new.id).await? {
        return if existing.community_id == new.community_id && existing.content == new.content {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                "this id is already used by a different prayer walk",
            ))
        };
    }
    check_walk_links(&tx, new.community_id, &new.content).await?;
    let now = Utc::now();
    prayer_walks::ActiveModel {
        id: Set(new.id),
        community_id: Set(new.community_id),
        walked_on: Set(new.content.walked_on),
        area: Set(new.content.area.clone()),
        observations: Set(new.content.observations.clone()),
        created_by: Set(Some(new.created_by)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await?;
    write_walk_links(&tx, new.id, &new.content).await?;
    let walk = walk_in(&tx, new.id)
        .await?
        .ok_or(StoreError::NotFound("prayer walk"))?;
    tx.commit().await?;
    Ok(walk)
}

/// Replaces what a walk records (the caller merged the changes into valid content).
pub async fn update_walk(
    db: &Database,
    id: Uuid,
    content: PrayerWalkContent,
) -> StoreResult<PrayerWalk> {
    let tx = db.conn().begin().await?;
    let current = walk_in(&tx, id)
        .await?
        .ok_or(StoreError::NotFound("prayer walk"))?;
    check_walk_links(&tx, current.community_id, &content).await?;
    prayer_walks::ActiveModel {
        id: sea_orm::Unchanged(id),
        walked_on: Set(content.walked_on),
        area: Set(content.area.clone()),
        observations: Set(content.observations.clone()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    write_walk_links(&tx, id, &content).await?;
    let walk = walk_in(&tx, id)
        .await?
        .ok_or(StoreError::NotFound("prayer walk"))?;
    tx.commit().await?;
    Ok(walk)
}

pub async fn get_walk(db: &Database, id: Uuid) -> StoreResult<Option<PrayerWalk>> {
    walk_in(db.conn(), id).await
}

/// The prayer walks of a community, oldest first; four statements per page.
pub async fn list_walks(
    db: &Database,
    community: Uuid,
    page: PageRequest,
) -> StoreResult<Page<PrayerWalk>> {
    let mut query =
        prayer_walks::Entity::find().filter(prayer_walks::Column::CommunityId.eq(community));
    if let Some(after) = page.after {
        query = query.filter(prayer_walks::Column::Id.gt(after));
    }
    let rows = query
        .order_by_asc(prayer_walks::Column::Id)
        .limit(page.first + 1)
        .all(db.conn())
        .await?;
    let (rows, has_next) = crate::take_page(rows, page.first);
    Ok(Page {
        items: walks_with_links(db.conn(), rows).await?,
        has_next,
    })
}

/// Unanswered prayer requests in each of several communities that `viewer` may read
/// (their own, and those at the levels given per community), newest first: one statement
/// for the whole home screen.
pub async fn unanswered_in_communities(
    db: &Database,
    viewer: Uuid,
    readable: &[(Uuid, Vec<PrayerVisibility>)],
) -> StoreResult<HashMap<Uuid, Vec<PrayerRequest>>> {
    let mut out: HashMap<Uuid, Vec<PrayerRequest>> =
        readable.iter().map(|(c, _)| (*c, Vec::new())).collect();
    if readable.is_empty() {
        return Ok(out);
    }
    let mut q = SqlBuilder::new(
        "SELECT * FROM prayer_requests WHERE deleted_at IS NULL AND answered_at IS NULL AND (",
    );
    let me = q.bind(viewer);
    for (i, (community, levels)) in readable.iter().enumerate() {
        let c = q.bind(*community);
        let mut readers = vec![format!("author_id = {me}")];
        if !levels.is_empty() {
            let levels: Vec<String> = levels.iter().map(|l| q.bind(l.as_str())).collect();
            readers.push(format!("visibility IN ({})", levels.join(", ")));
        }
        q.push(&format!(
            "{}(community_id = {c} AND ({}))",
            if i > 0 { " OR " } else { "" },
            readers.join(" OR ")
        ));
    }
    q.push(") ORDER BY id DESC");
    for row in prayer_requests::Model::find_by_statement(q.build(db.backend()))
        .all(db.conn())
        .await?
    {
        let request = to_request(row)?;
        out.entry(request.community_id).or_default().push(request);
    }
    Ok(out)
}
