//! Gatherings: scheduling, logging what happened (members present, named and anonymous
//! guests), did-not-meet and cancellation, corrections and deletion (a tombstone, so that
//! synced systems learn of it); RSVPs and sign-ups. Each write is one transaction that
//! checks the domain's rules (`oikos_domain::gathering`) before it writes anything.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use oikos_domain::calendar::{YearMonth, local_month};
use oikos_domain::community::PlaceKind;
use oikos_domain::gathering::{
    self as rules, AttendanceKind, Attendee, Gathering, GatheringDetails, Rsvp, RsvpResponse,
    Signup,
};
use oikos_domain::practice::Practice;
use oikos_domain::rhythm::GatheringOutcome;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::entities::{
    gathering_attendance, gathering_practices, gathering_rsvps, gathering_signups, gatherings,
};
use crate::organizations::corrupt;
use crate::sql::{SqlBuilder, placeholders, stmt};
use crate::{Database, Page, PageRequest, StoreError, StoreResult};

fn to_gathering(m: gatherings::Model, practices: Vec<Practice>) -> StoreResult<Gathering> {
    Ok(Gathering {
        id: m.id,
        community_id: m.community_id,
        organization_id: m.organization_id,
        details: GatheringDetails {
            title: m.title,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            place_kind: PlaceKind::parse(&m.place_kind)
                .ok_or_else(|| corrupt("place kind", &m.place_kind))?,
            place_description: m.place_description,
            plan: m.plan,
            practices,
        },
        local_month: YearMonth::parse(&m.local_month)
            .map_err(|_| corrupt("local month", &m.local_month))?,
        outcome: GatheringOutcome::parse(&m.outcome)
            .ok_or_else(|| corrupt("outcome", &m.outcome))?,
        did_not_meet_reason: m.did_not_meet_reason,
        notes: m.notes,
        anonymous_guests: u32::try_from(m.anonymous_guests)
            .map_err(|_| corrupt("guest count", &m.anonymous_guests.to_string()))?,
        created_by: m.created_by,
        deleted_at: m.deleted_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// Maps rows to gatherings, reading the practices of all of them in one statement.
async fn with_practices<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<gatherings::Model>,
) -> StoreResult<Vec<Gathering>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let practices = gathering_practices::Entity::find()
        .filter(gathering_practices::Column::GatheringId.is_in(rows.iter().map(|r| r.id)))
        .all(conn)
        .await?;
    let mut by_gathering: HashMap<Uuid, Vec<Practice>> = HashMap::new();
    for p in practices {
        let practice =
            Practice::parse(&p.practice).ok_or_else(|| corrupt("practice", &p.practice))?;
        by_gathering
            .entry(p.gathering_id)
            .or_default()
            .push(practice);
    }
    rows.into_iter()
        .map(|row| {
            let mut practices = by_gathering.remove(&row.id).unwrap_or_default();
            // Stored as a set; read in the domain's order, as `GatheringDetails` keeps it.
            practices.sort_unstable();
            to_gathering(row, practices)
        })
        .collect()
}

async fn replace_practices<C: ConnectionTrait>(
    conn: &C,
    gathering: Uuid,
    practices: &[Practice],
) -> StoreResult<()> {
    gathering_practices::Entity::delete_many()
        .filter(gathering_practices::Column::GatheringId.eq(gathering))
        .exec(conn)
        .await?;
    gathering_practices::Entity::insert_many(practices.iter().map(|p| {
        gathering_practices::ActiveModel {
            gathering_id: Set(gathering),
            practice: Set(p.as_str().to_owned()),
        }
    }))
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Who came to a held gathering, as the client listed them (checked on write).
#[derive(Debug, Clone, Default)]
pub struct AttendanceDraft {
    pub present_member_ids: Vec<Uuid>,
    pub guest_ids: Vec<Uuid>,
    pub anonymous_guests: i64,
}

/// What a held gathering records.
#[derive(Debug, Clone, Default)]
pub struct HeldRecord {
    pub notes: Option<String>,
    pub attendance: AttendanceDraft,
}

/// The validated attendance of one gathering.
struct Attendance {
    members: Vec<Uuid>,
    guests: Vec<Uuid>,
    anonymous: u32,
}

/// Checks attendance against the community: members present must have been members on
/// the day of the gathering (or be members now), named guests must be its people of peace.
async fn check_attendance<C: ConnectionTrait>(
    conn: &C,
    community: Uuid,
    day: NaiveDate,
    draft: &AttendanceDraft,
) -> StoreResult<Attendance> {
    #[derive(FromQueryResult)]
    struct PersonRow {
        person_id: Uuid,
    }
    let backend = conn.get_database_backend();
    let members: HashSet<Uuid> = if draft.present_member_ids.is_empty() {
        HashSet::new()
    } else {
        PersonRow::find_by_statement(stmt(
            backend,
            "SELECT person_id FROM memberships WHERE community_id = $1 \
             AND (left_on IS NULL OR (joined_on <= $2 AND left_on >= $2))",
            vec![community.into(), day.into()],
        ))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| r.person_id)
        .collect()
    };
    let members = rules::attendance(&draft.present_member_ids, |p| members.contains(&p))?;
    let people_of_peace: HashSet<Uuid> = if draft.guest_ids.is_empty() {
        HashSet::new()
    } else {
        let mut values: Vec<sea_orm::Value> = vec![community.into()];
        values.extend(draft.guest_ids.iter().map(|g| sea_orm::Value::from(*g)));
        PersonRow::find_by_statement(stmt(
            backend,
            &format!(
                "SELECT person_id FROM people_of_peace WHERE community_id = $1 \
                 AND erased_at IS NULL AND person_id IN ({})",
                placeholders(2, draft.guest_ids.len())
            ),
            values,
        ))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| r.person_id)
        .collect()
    };
    let guests = rules::named_guests(&draft.guest_ids, &members, |p| people_of_peace.contains(&p))?;
    let anonymous = rules::guest_count(draft.anonymous_guests)?;
    Ok(Attendance {
        members,
        guests,
        anonymous,
    })
}

async fn replace_attendance<C: ConnectionTrait>(
    conn: &C,
    gathering: Uuid,
    attendance: &Attendance,
) -> StoreResult<()> {
    gathering_attendance::Entity::delete_many()
        .filter(gathering_attendance::Column::GatheringId.eq(gathering))
        .exec(conn)
        .await?;
    let now = Utc::now();
    let rows: Vec<gathering_attendance::ActiveModel> = attendance
        .members
        .iter()
        .map(|p| (p, AttendanceKind::Member))
        .chain(attendance.guests.iter().map(|p| (p, AttendanceKind::Guest)))
        .map(|(person, kind)| gathering_attendance::ActiveModel {
            gathering_id: Set(gathering),
            person_id: Set(*person),
            kind: Set(kind.as_str().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .collect();
    if !rows.is_empty() {
        gathering_attendance::Entity::insert_many(rows)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

fn guest_column(anonymous: u32) -> i32 {
    // The domain caps anonymous guests far below i32::MAX.
    i32::try_from(anonymous).unwrap_or(i32::MAX)
}

/// A gathering to write: planned (SCHEDULED) or logged at once as HELD.
pub struct NewGathering {
    pub id: Uuid,
    pub community_id: Uuid,
    pub details: GatheringDetails,
    /// Present for a gathering logged as held without having been scheduled.
    pub held: Option<HeldRecord>,
}

/// Schedules a gathering, or logs one that was never scheduled. The same id with the
/// same content returns the existing gathering (a retried request).
pub async fn create(
    db: &Database,
    actor: Uuid,
    new: NewGathering,
    now: DateTime<Utc>,
) -> StoreResult<Gathering> {
    let outcome = if new.held.is_some() {
        GatheringOutcome::Held
    } else {
        GatheringOutcome::Scheduled
    };
    let tx = db.conn().begin().await?;
    let community = crate::communities::lock(&tx, new.community_id).await?;
    if let Some(existing) = find(&tx, new.id).await? {
        let same = existing.community_id == new.community_id
            && existing.details == new.details
            && existing.outcome == outcome;
        return if same && existing.deleted_at.is_none() {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                "this id is already used by a different gathering",
            ))
        };
    }
    rules::ensure_open_for_gatherings(community.status)?;
    let d = &new.details;
    rules::validate_times(d.starts_at, d.ends_at, outcome, now)?;
    let tz = community.profile.time_zone;
    let attendance = match &new.held {
        Some(held) => {
            let day = d.starts_at.with_timezone(&tz).date_naive();
            Some(check_attendance(&tx, community.id, day, &held.attendance).await?)
        }
        None => None,
    };
    let notes = new.held.as_ref().and_then(|h| h.notes.clone());
    gatherings::ActiveModel {
        id: Set(new.id),
        community_id: Set(community.id),
        organization_id: Set(community.organization_id),
        title: Set(d.title.clone()),
        starts_at: Set(d.starts_at),
        ends_at: Set(d.ends_at),
        local_month: Set(local_month(d.starts_at, tz).to_string()),
        place_kind: Set(d.place_kind.as_str().to_owned()),
        place_description: Set(d.place_description.clone()),
        plan: Set(d.plan.clone()),
        outcome: Set(outcome.as_str().to_owned()),
        did_not_meet_reason: Set(None),
        notes: Set(notes),
        anonymous_guests: Set(guest_column(attendance.as_ref().map_or(0, |a| a.anonymous))),
        created_by: Set(Some(actor)),
        deleted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await?;
    replace_practices(&tx, new.id, &d.practices).await?;
    if let Some(attendance) = &attendance {
        replace_attendance(&tx, new.id, attendance).await?;
    }
    let created = find(&tx, new.id)
        .await?
        .ok_or(StoreError::NotFound("gathering"))?;
    tx.commit().await?;
    Ok(created)
}

/// Reads the gathering as the transaction left it, then commits.
async fn commit_and_read(tx: sea_orm::DatabaseTransaction, id: Uuid) -> StoreResult<Gathering> {
    let gathering = find(&tx, id)
        .await?
        .ok_or(StoreError::NotFound("gathering"))?;
    tx.commit().await?;
    Ok(gathering)
}

async fn find<C: ConnectionTrait>(conn: &C, id: Uuid) -> StoreResult<Option<Gathering>> {
    let Some(row) = gatherings::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    Ok(with_practices(conn, vec![row]).await?.pop())
}

/// Reads a gathering inside a transaction for a change the caller authorized against
/// `seen` (its outcome when the caller looked), locking the row on PostgreSQL. A
/// gathering that moved on meanwhile is a conflict: the authorization may no longer hold.
async fn lock_seen<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
    seen: GatheringOutcome,
) -> StoreResult<Gathering> {
    let gathering = lock_live(conn, id).await?;
    if gathering.outcome != seen {
        return Err(StoreError::conflict(
            "the gathering was changed by someone else meanwhile; reload it and try again",
        ));
    }
    Ok(gathering)
}

/// Reads a gathering that has not been deleted inside a transaction, locking its row on
/// PostgreSQL so that changes to it queue behind each other.
async fn lock_live<C: ConnectionTrait>(conn: &C, id: Uuid) -> StoreResult<Gathering> {
    let mut query =
        gatherings::Entity::find_by_id(id).filter(gatherings::Column::DeletedAt.is_null());
    if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    let row = query
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("gathering"))?;
    with_practices(conn, vec![row])
        .await?
        .pop()
        .ok_or(StoreError::NotFound("gathering"))
}

async fn time_zone_of<C: ConnectionTrait>(conn: &C, community: Uuid) -> StoreResult<chrono_tz::Tz> {
    let row = crate::entities::communities::Entity::find_by_id(community)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("community"))?;
    row.time_zone
        .parse()
        .map_err(|_| corrupt("time zone", &row.time_zone))
}

/// Logs a gathering as held (or corrects what was logged): notes and who came.
pub async fn log(
    db: &Database,
    id: Uuid,
    seen: GatheringOutcome,
    held: HeldRecord,
    now: DateTime<Utc>,
) -> StoreResult<Gathering> {
    let tx = db.conn().begin().await?;
    let current = lock_seen(&tx, id, seen).await?;
    let outcome = rules::change_outcome(current.outcome, GatheringOutcome::Held)?;
    let d = &current.details;
    rules::validate_times(d.starts_at, d.ends_at, outcome, now)?;
    let tz = time_zone_of(&tx, current.community_id).await?;
    let day = d.starts_at.with_timezone(&tz).date_naive();
    let attendance = check_attendance(&tx, current.community_id, day, &held.attendance).await?;
    replace_attendance(&tx, id, &attendance).await?;
    gatherings::ActiveModel {
        id: sea_orm::Unchanged(id),
        outcome: Set(outcome.as_str().to_owned()),
        did_not_meet_reason: Set(None),
        notes: Set(held.notes),
        anonymous_guests: Set(guest_column(attendance.anonymous)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    commit_and_read(tx, id).await
}

/// Records that a gathering did not take place, and why. It counts as a missed rhythm;
/// whatever attendance was logged before goes, since nobody attended.
pub async fn mark_did_not_meet(
    db: &Database,
    id: Uuid,
    seen: GatheringOutcome,
    reason: String,
    now: DateTime<Utc>,
) -> StoreResult<Gathering> {
    let tx = db.conn().begin().await?;
    let current = lock_seen(&tx, id, seen).await?;
    let outcome = rules::change_outcome(current.outcome, GatheringOutcome::DidNotMeet)?;
    let d = &current.details;
    rules::validate_times(d.starts_at, d.ends_at, outcome, now)?;
    gathering_attendance::Entity::delete_many()
        .filter(gathering_attendance::Column::GatheringId.eq(id))
        .exec(&tx)
        .await?;
    gatherings::ActiveModel {
        id: sea_orm::Unchanged(id),
        outcome: Set(outcome.as_str().to_owned()),
        did_not_meet_reason: Set(Some(reason)),
        anonymous_guests: Set(0),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    commit_and_read(tx, id).await
}

/// Cancels a scheduled gathering: it stays in calendars, marked cancelled, and counts
/// toward nothing.
pub async fn cancel(
    db: &Database,
    id: Uuid,
    seen: GatheringOutcome,
    now: DateTime<Utc>,
) -> StoreResult<Gathering> {
    let tx = db.conn().begin().await?;
    let current = lock_seen(&tx, id, seen).await?;
    let outcome = rules::change_outcome(current.outcome, GatheringOutcome::Cancelled)?;
    gatherings::ActiveModel {
        id: sea_orm::Unchanged(id),
        outcome: Set(outcome.as_str().to_owned()),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    commit_and_read(tx, id).await
}

/// A correction: the caller merged the changes into validated details.
pub struct GatheringCorrection {
    pub details: GatheringDetails,
    pub notes: Option<String>,
    /// Only kept for a gathering that did not meet.
    pub did_not_meet_reason: Option<String>,
}

/// Corrects a gathering's details. Its month is worked out again in the community's time
/// zone, so moved gatherings count where they now fall.
pub async fn correct(
    db: &Database,
    id: Uuid,
    seen: GatheringOutcome,
    correction: GatheringCorrection,
    now: DateTime<Utc>,
) -> StoreResult<Gathering> {
    let tx = db.conn().begin().await?;
    let current = lock_seen(&tx, id, seen).await?;
    let d = &correction.details;
    rules::validate_times(d.starts_at, d.ends_at, current.outcome, now)?;
    let tz = time_zone_of(&tx, current.community_id).await?;
    if current.outcome == GatheringOutcome::Held && d.starts_at != current.details.starts_at {
        // Members present were checked against the day they came.
        let day = d.starts_at.with_timezone(&tz).date_naive();
        let present = attendance_of_in(&tx, &[id]).await?;
        let draft = AttendanceDraft {
            present_member_ids: present
                .iter()
                .filter(|a| a.kind == AttendanceKind::Member)
                .map(|a| a.person_id)
                .collect(),
            guest_ids: present
                .iter()
                .filter(|a| a.kind == AttendanceKind::Guest)
                .map(|a| a.person_id)
                .collect(),
            anonymous_guests: i64::from(current.anonymous_guests),
        };
        check_attendance(&tx, current.community_id, day, &draft).await?;
    }
    let reason = if current.outcome == GatheringOutcome::DidNotMeet {
        correction
            .did_not_meet_reason
            .or(current.did_not_meet_reason)
    } else {
        None
    };
    gatherings::ActiveModel {
        id: sea_orm::Unchanged(id),
        title: Set(d.title.clone()),
        starts_at: Set(d.starts_at),
        ends_at: Set(d.ends_at),
        local_month: Set(local_month(d.starts_at, tz).to_string()),
        place_kind: Set(d.place_kind.as_str().to_owned()),
        place_description: Set(d.place_description.clone()),
        plan: Set(d.plan.clone()),
        notes: Set(correction.notes),
        did_not_meet_reason: Set(reason),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    if d.practices != current.details.practices {
        replace_practices(&tx, id, &d.practices).await?;
    }
    commit_and_read(tx, id).await
}

/// Deletes a gathering. The row stays as a tombstone (`deleted_at`) so that incremental
/// sync can tell other systems; every list, count and scorecard leaves it out.
pub async fn delete(
    db: &Database,
    id: Uuid,
    seen: GatheringOutcome,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let tx = db.conn().begin().await?;
    lock_seen(&tx, id, seen).await?;
    gatherings::ActiveModel {
        id: sea_orm::Unchanged(id),
        deleted_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A gathering that has not been deleted.
pub async fn get(db: &Database, id: Uuid) -> StoreResult<Option<Gathering>> {
    Ok(find(db.conn(), id)
        .await?
        .filter(|g| g.deleted_at.is_none()))
}

/// Which way a list of gatherings runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeOrder {
    OldestFirst,
    NewestFirst,
}

/// A community's gatherings starting in `[from, to)` (either end open), in time order,
/// keyset-paginated on (start, id).
pub async fn list(
    db: &Database,
    community: Uuid,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    order: TimeOrder,
    page: PageRequest,
) -> StoreResult<Page<Gathering>> {
    let mut q = SqlBuilder::new("SELECT g.* FROM gatherings g WHERE g.deleted_at IS NULL");
    let c = q.bind(community);
    q.push(&format!(" AND g.community_id = {c}"));
    if let Some(from) = from {
        let p = q.bind(from);
        q.push(&format!(" AND g.starts_at >= {p}"));
    }
    if let Some(to) = to {
        let p = q.bind(to);
        q.push(&format!(" AND g.starts_at < {p}"));
    }
    let (cmp, dir) = match order {
        TimeOrder::OldestFirst => (">", "ASC"),
        TimeOrder::NewestFirst => ("<", "DESC"),
    };
    if let Some(after) = page.after {
        let p = q.bind(after);
        q.push(&format!(
            " AND EXISTS (SELECT 1 FROM gatherings a WHERE a.id = {p} \
             AND (g.starts_at {cmp} a.starts_at OR (g.starts_at = a.starts_at AND g.id {cmp} a.id)))"
        ));
    }
    let limit = q.bind(i64::try_from(page.first + 1).unwrap_or(i64::MAX));
    q.push(&format!(
        " ORDER BY g.starts_at {dir}, g.id {dir} LIMIT {limit}"
    ));
    let rows = gatherings::Model::find_by_statement(q.build(db.backend()))
        .all(db.conn())
        .await?;
    let (rows, has_next) = crate::take_page(rows, page.first);
    Ok(Page {
        items: with_practices(db.conn(), rows).await?,
        has_next,
    })
}

/// Each community's next scheduled gathering starting at or after `now`: one statement
/// for the gatherings of any number of communities, one for their practices.
pub async fn next_of_communities(
    db: &Database,
    communities: &[Uuid],
    now: DateTime<Utc>,
) -> StoreResult<HashMap<Uuid, Gathering>> {
    if communities.is_empty() {
        return Ok(HashMap::new());
    }
    let mut values: Vec<sea_orm::Value> = vec![now.into()];
    values.extend(communities.iter().map(|c| sea_orm::Value::from(*c)));
    let rows = gatherings::Model::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT g.* FROM gatherings g \
             WHERE g.community_id IN ({}) AND g.deleted_at IS NULL \
             AND g.outcome = 'SCHEDULED' AND g.starts_at >= $1 \
             AND NOT EXISTS (SELECT 1 FROM gatherings e WHERE e.community_id = g.community_id \
               AND e.deleted_at IS NULL AND e.outcome = 'SCHEDULED' AND e.starts_at >= $1 \
               AND (e.starts_at < g.starts_at OR (e.starts_at = g.starts_at AND e.id < g.id)))",
            placeholders(2, communities.len())
        ),
        values,
    ))
    .all(db.conn())
    .await?;
    Ok(with_practices(db.conn(), rows)
        .await?
        .into_iter()
        .map(|g| (g.community_id, g))
        .collect())
}

/// What calendar feeds show: the gatherings of `communities` starting at or after
/// `since`, whatever became of them, deleted ones left out.
pub async fn for_feed(
    db: &Database,
    communities: &[Uuid],
    since: DateTime<Utc>,
) -> StoreResult<Vec<Gathering>> {
    if communities.is_empty() {
        return Ok(Vec::new());
    }
    let rows = gatherings::Entity::find()
        .filter(gatherings::Column::CommunityId.is_in(communities.iter().copied()))
        .filter(gatherings::Column::DeletedAt.is_null())
        .filter(gatherings::Column::StartsAt.gte(since))
        .all(db.conn())
        .await?;
    let mut feed = with_practices(db.conn(), rows).await?;
    feed.sort_by_key(|g| (g.details.starts_at, g.id));
    Ok(feed)
}

async fn attendance_of_in<C: ConnectionTrait>(
    conn: &C,
    gatherings: &[Uuid],
) -> StoreResult<Vec<Attendee>> {
    if gatherings.is_empty() {
        return Ok(Vec::new());
    }
    gathering_attendance::Entity::find()
        .filter(gathering_attendance::Column::GatheringId.is_in(gatherings.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| {
            Ok(Attendee {
                gathering_id: a.gathering_id,
                person_id: a.person_id,
                kind: AttendanceKind::parse(&a.kind)
                    .ok_or_else(|| corrupt("attendance kind", &a.kind))?,
            })
        })
        .collect()
}

/// Who was at each of `gatherings` (for DataLoaders).
pub async fn attendance_of(db: &Database, gatherings: &[Uuid]) -> StoreResult<Vec<Attendee>> {
    attendance_of_in(db.conn(), gatherings).await
}

/// The RSVPs to each of `gatherings` (for DataLoaders).
pub async fn rsvps_of(db: &Database, gatherings: &[Uuid]) -> StoreResult<Vec<Rsvp>> {
    if gatherings.is_empty() {
        return Ok(Vec::new());
    }
    gathering_rsvps::Entity::find()
        .filter(gathering_rsvps::Column::GatheringId.is_in(gatherings.iter().copied()))
        .all(db.conn())
        .await?
        .into_iter()
        .map(|r| {
            Ok(Rsvp {
                gathering_id: r.gathering_id,
                person_id: r.person_id,
                response: RsvpResponse::parse(&r.response)
                    .ok_or_else(|| corrupt("RSVP response", &r.response))?,
                updated_at: r.updated_at,
            })
        })
        .collect()
}

/// Answers a scheduled gathering for `person`; a later answer replaces an earlier one.
pub async fn rsvp(
    db: &Database,
    gathering: Uuid,
    person: Uuid,
    response: RsvpResponse,
    now: DateTime<Utc>,
) -> StoreResult<Gathering> {
    let tx = db.conn().begin().await?;
    let current = lock_live(&tx, gathering).await?;
    rules::ensure_still_planned(current.outcome)?;
    gathering_rsvps::Entity::insert(gathering_rsvps::ActiveModel {
        gathering_id: Set(gathering),
        person_id: Set(person),
        response: Set(response.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            gathering_rsvps::Column::GatheringId,
            gathering_rsvps::Column::PersonId,
        ])
        .update_columns([
            gathering_rsvps::Column::Response,
            gathering_rsvps::Column::UpdatedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(&tx)
    .await?;
    tx.commit().await?;
    Ok(current)
}

fn to_signup(m: gathering_signups::Model) -> Signup {
    Signup {
        id: m.id,
        gathering_id: m.gathering_id,
        label: m.label,
        claimed_by: m.claimed_by,
        claimed_at: m.claimed_at,
        created_at: m.created_at,
    }
}

/// The sign-ups of each of `gatherings` (for DataLoaders), in the order they were added.
pub async fn signups_of(db: &Database, gatherings: &[Uuid]) -> StoreResult<Vec<Signup>> {
    if gatherings.is_empty() {
        return Ok(Vec::new());
    }
    let mut signups: Vec<Signup> = gathering_signups::Entity::find()
        .filter(gathering_signups::Column::GatheringId.is_in(gatherings.iter().copied()))
        .all(db.conn())
        .await?
        .into_iter()
        .map(to_signup)
        .collect();
    signups.sort_by_key(|s| (s.created_at, s.id));
    Ok(signups)
}

pub async fn signup(db: &Database, id: Uuid) -> StoreResult<Option<Signup>> {
    Ok(gathering_signups::Entity::find_by_id(id)
        .one(db.conn())
        .await?
        .map(to_signup))
}

/// Adds something to bring. The same id with the same item returns it (a retried
/// request); the same item twice on one gathering is a conflict.
pub async fn add_signup(
    db: &Database,
    id: Uuid,
    gathering: Uuid,
    label: String,
    now: DateTime<Utc>,
) -> StoreResult<Signup> {
    let tx = db.conn().begin().await?;
    if let Some(existing) = gathering_signups::Entity::find_by_id(id).one(&tx).await? {
        return if existing.gathering_id == gathering && existing.label == label {
            Ok(to_signup(existing))
        } else {
            Err(StoreError::conflict(
                "this id is already used by a different sign-up",
            ))
        };
    }
    let current = gatherings::Entity::find_by_id(gathering)
        .filter(gatherings::Column::DeletedAt.is_null())
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound("gathering"))?;
    let outcome = GatheringOutcome::parse(&current.outcome)
        .ok_or_else(|| corrupt("outcome", &current.outcome))?;
    rules::ensure_still_planned(outcome)?;
    let row = gathering_signups::ActiveModel {
        id: Set(id),
        gathering_id: Set(gathering),
        label: Set(label),
        claimed_by: Set(None),
        claimed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await
    .map_err(|e| match StoreError::from(e) {
        StoreError::Conflict(_) => {
            StoreError::conflict("this item is already on the list for this gathering")
        }
        other => other,
    })?;
    tx.commit().await?;
    Ok(to_signup(row))
}

async fn planned_gathering_of(db: &Database, signup: &Signup) -> StoreResult<()> {
    let outcome = gatherings::Entity::find_by_id(signup.gathering_id)
        .filter(gatherings::Column::DeletedAt.is_null())
        .one(db.conn())
        .await?
        .ok_or(StoreError::NotFound("sign-up"))?
        .outcome;
    let outcome = GatheringOutcome::parse(&outcome).ok_or_else(|| corrupt("outcome", &outcome))?;
    Ok(rules::ensure_still_planned(outcome)?)
}

/// Claims an item for `person`. Of two people claiming the same item at once, exactly
/// one gets it: the claim only lands on an unclaimed row.
pub async fn claim_signup(
    db: &Database,
    id: Uuid,
    person: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<Signup> {
    let signup = signup(db, id)
        .await?
        .ok_or(StoreError::NotFound("sign-up"))?;
    planned_gathering_of(db, &signup).await?;
    let claimed = gathering_signups::Entity::update_many()
        .col_expr(gathering_signups::Column::ClaimedBy, Expr::value(person))
        .col_expr(gathering_signups::Column::ClaimedAt, Expr::value(now))
        .col_expr(gathering_signups::Column::UpdatedAt, Expr::value(now))
        .filter(gathering_signups::Column::Id.eq(id))
        .filter(gathering_signups::Column::ClaimedBy.is_null())
        .exec(db.conn())
        .await?;
    let after = crate::gatherings::signup(db, id)
        .await?
        .ok_or(StoreError::NotFound("sign-up"))?;
    if claimed.rows_affected == 0 {
        rules::claim_signup(after.claimed_by, person)?;
    }
    Ok(after)
}

/// Gives a claimed item back, provided it is still claimed by `claimer` (whom the caller
/// authorized against).
pub async fn unclaim_signup(
    db: &Database,
    id: Uuid,
    claimer: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<Signup> {
    let signup = signup(db, id)
        .await?
        .ok_or(StoreError::NotFound("sign-up"))?;
    planned_gathering_of(db, &signup).await?;
    let released = gathering_signups::Entity::update_many()
        .col_expr(
            gathering_signups::Column::ClaimedBy,
            Expr::value(Option::<Uuid>::None),
        )
        .col_expr(
            gathering_signups::Column::ClaimedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(gathering_signups::Column::UpdatedAt, Expr::value(now))
        .filter(gathering_signups::Column::Id.eq(id))
        .filter(gathering_signups::Column::ClaimedBy.eq(claimer))
        .exec(db.conn())
        .await?;
    if released.rows_affected == 0 {
        return Err(StoreError::conflict(
            "the item was claimed or given back by someone else meanwhile; reload and try again",
        ));
    }
    crate::gatherings::signup(db, id)
        .await?
        .ok_or(StoreError::NotFound("sign-up"))
}

/// Takes an item off the list.
pub async fn remove_signup(db: &Database, id: Uuid) -> StoreResult<bool> {
    let removed = gathering_signups::Entity::delete_by_id(id)
        .exec(db.conn())
        .await?;
    Ok(removed.rows_affected > 0)
}
