//! Coaching: coaches assigned to leaders by an organization's admins, and the check-ins
//! they record. Who may read a check-in is decided by the caller
//! (`oikos_domain::coaching::may_read_check_in`); these functions only store and fetch.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use oikos_domain::coaching::{CheckIn, CheckInContent, CoachingAssignment, end_assignment};
use oikos_domain::community::CommunityStatus;
use oikos_domain::membership::MemberRole;
use oikos_domain::organization::OrgRole;
use oikos_domain::tree_path::TreePath;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::entities::{coaching_assignments, coaching_check_ins};
use crate::sql::{SqlBuilder, placeholders, stmt};
use crate::{Database, Page, PageRequest, StoreError, StoreResult};

fn to_assignment(m: coaching_assignments::Model) -> CoachingAssignment {
    CoachingAssignment {
        id: m.id,
        organization_id: m.organization_id,
        coach_id: m.coach_id,
        leader_id: m.leader_id,
        started_on: m.started_on,
        ended_on: m.ended_on,
        assigned_by: m.assigned_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

fn to_check_in(m: coaching_check_ins::Model) -> CheckIn {
    CheckIn {
        id: m.id,
        assignment_id: m.assignment_id,
        coach_id: m.coach_id,
        leader_id: m.leader_id,
        content: CheckInContent {
            met_on: m.met_on,
            notes: m.notes,
            next_steps: m.next_steps,
        },
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// An assignment the caller has validated (`oikos_domain::coaching::validate_assignment`).
pub struct NewAssignment {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub coach_id: Uuid,
    pub leader_id: Uuid,
    pub started_on: NaiveDate,
    pub assigned_by: Uuid,
}

/// Records an assignment. The same id with the same content returns the existing one; a
/// coach already accompanying the leader is a conflict.
pub async fn assign(db: &Database, new: NewAssignment) -> StoreResult<CoachingAssignment> {
    let tx = db.conn().begin().await?;
    if let Some(existing) = coaching_assignments::Entity::find_by_id(new.id)
        .one(&tx)
        .await?
    {
        let existing = to_assignment(existing);
        let same = existing.organization_id == new.organization_id
            && existing.coach_id == new.coach_id
            && existing.leader_id == new.leader_id
            && existing.started_on == new.started_on;
        return if same {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                "this id is already used by a different coaching assignment",
            ))
        };
    }
    let now = Utc::now();
    let row = coaching_assignments::ActiveModel {
        id: Set(new.id),
        organization_id: Set(new.organization_id),
        coach_id: Set(new.coach_id),
        leader_id: Set(new.leader_id),
        started_on: Set(new.started_on),
        ended_on: Set(None),
        assigned_by: Set(new.assigned_by),
        ended_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await
    .map_err(|e| match StoreError::from(e) {
        StoreError::Conflict(_) => StoreError::conflict(
            "this coach already accompanies this leader; end that assignment first",
        ),
        other => other,
    })?;
    tx.commit().await?;
    Ok(to_assignment(row))
}

pub async fn get(db: &Database, id: Uuid) -> StoreResult<Option<CoachingAssignment>> {
    Ok(coaching_assignments::Entity::find_by_id(id)
        .one(db.conn())
        .await?
        .map(to_assignment))
}

/// Ends an assignment on `ended_on` (validated against it by the domain, under a row lock
/// so that two admins ending it at once do not both succeed).
pub async fn end(
    db: &Database,
    id: Uuid,
    ended_on: NaiveDate,
    ended_by: Uuid,
    today: NaiveDate,
) -> StoreResult<CoachingAssignment> {
    let tx = db.conn().begin().await?;
    let mut query = coaching_assignments::Entity::find_by_id(id);
    if tx.get_database_backend() == sea_orm::DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    let current = query
        .one(&tx)
        .await?
        .map(to_assignment)
        .ok_or(StoreError::NotFound("coaching assignment"))?;
    let ended_on = end_assignment(&current, ended_on, today)?;
    let row = coaching_assignments::ActiveModel {
        id: sea_orm::Unchanged(id),
        ended_on: Set(Some(ended_on)),
        ended_by: Set(Some(ended_by)),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    tx.commit().await?;
    Ok(to_assignment(row))
}

/// Which side of an assignment a person is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Coach,
    Leader,
}

/// A person's assignments as coach or as leader, current ones first, then by start.
pub async fn of_person(
    db: &Database,
    person: Uuid,
    side: Side,
    include_ended: bool,
) -> StoreResult<Vec<CoachingAssignment>> {
    let column = match side {
        Side::Coach => coaching_assignments::Column::CoachId,
        Side::Leader => coaching_assignments::Column::LeaderId,
    };
    let mut query = coaching_assignments::Entity::find().filter(column.eq(person));
    if !include_ended {
        query = query.filter(coaching_assignments::Column::EndedOn.is_null());
    }
    let mut rows: Vec<CoachingAssignment> = query
        .order_by_asc(coaching_assignments::Column::StartedOn)
        .order_by_asc(coaching_assignments::Column::Id)
        .all(db.conn())
        .await?
        .into_iter()
        .map(to_assignment)
        .collect();
    rows.sort_by_key(|a| !a.is_current());
    Ok(rows)
}

/// Every assignment, current or ended, between one coach and one leader.
pub async fn between(
    db: &Database,
    coach: Uuid,
    leader: Uuid,
) -> StoreResult<Vec<CoachingAssignment>> {
    Ok(coaching_assignments::Entity::find()
        .filter(coaching_assignments::Column::CoachId.eq(coach))
        .filter(coaching_assignments::Column::LeaderId.eq(leader))
        .order_by_asc(coaching_assignments::Column::StartedOn)
        .all(db.conn())
        .await?
        .into_iter()
        .map(to_assignment)
        .collect())
}

/// Assignments made on `org` or any organization below it, in creation order.
pub async fn in_subtree(
    db: &Database,
    org: &TreePath,
    include_ended: bool,
    page: PageRequest,
) -> StoreResult<Page<CoachingAssignment>> {
    let (lower, upper) = org.descendant_bounds();
    let mut q = SqlBuilder::new(
        "SELECT a.* FROM coaching_assignments a JOIN organizations o ON o.id = a.organization_id ",
    );
    let (lo, hi) = (q.bind(lower), q.bind(upper));
    q.push(&format!("WHERE o.tree_path >= {lo} AND o.tree_path < {hi}"));
    if !include_ended {
        q.push(" AND a.ended_on IS NULL");
    }
    if let Some(after) = page.after {
        let p = q.bind(after);
        q.push(&format!(" AND a.id > {p}"));
    }
    let limit = q.bind(i64::try_from(page.first + 1).unwrap_or(i64::MAX));
    q.push(&format!(" ORDER BY a.id LIMIT {limit}"));
    let rows = coaching_assignments::Model::find_by_statement(q.build(db.backend()))
        .all(db.conn())
        .await?;
    let (rows, has_next) = crate::take_page(rows, page.first);
    Ok(Page {
        items: rows.into_iter().map(to_assignment).collect(),
        has_next,
    })
}

#[derive(FromQueryResult)]
struct LedRow {
    person_id: Uuid,
    community_id: Uuid,
    tree_path: String,
}

#[derive(FromQueryResult)]
struct OrgPathRow {
    id: Uuid,
    tree_path: String,
}

/// For each (leader, organization) pair, the communities that are not closed which the
/// leader currently leads in that organization or below it. Two statements for any
/// number of pairs.
pub async fn led_communities(
    db: &Database,
    pairs: &[(Uuid, Uuid)],
) -> StoreResult<HashMap<(Uuid, Uuid), Vec<Uuid>>> {
    let mut out: HashMap<(Uuid, Uuid), Vec<Uuid>> =
        pairs.iter().map(|pair| (*pair, Vec::new())).collect();
    if pairs.is_empty() {
        return Ok(out);
    }
    let mut leaders: Vec<Uuid> = pairs.iter().map(|(leader, _)| *leader).collect();
    leaders.sort_unstable();
    leaders.dedup();
    let mut orgs: Vec<Uuid> = pairs.iter().map(|(_, org)| *org).collect();
    orgs.sort_unstable();
    orgs.dedup();
    let mut values: Vec<sea_orm::Value> = vec![
        MemberRole::Leader.as_str().into(),
        CommunityStatus::Closed.as_str().into(),
    ];
    values.extend(leaders.iter().map(|l| sea_orm::Value::from(*l)));
    let led = LedRow::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT m.person_id, c.id AS community_id, o.tree_path FROM memberships m \
             JOIN communities c ON c.id = m.community_id \
             JOIN organizations o ON o.id = c.organization_id \
             WHERE m.left_on IS NULL AND m.role = $1 AND c.status <> $2 AND m.person_id IN ({}) \
             ORDER BY c.id",
            placeholders(3, leaders.len())
        ),
        values,
    ))
    .all(db.conn())
    .await?;
    let org_paths: HashMap<Uuid, String> = OrgPathRow::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT id, tree_path FROM organizations WHERE id IN ({})",
            placeholders(1, orgs.len())
        ),
        orgs.iter().map(|o| sea_orm::Value::from(*o)).collect(),
    ))
    .all(db.conn())
    .await?
    .into_iter()
    .map(|o| (o.id, o.tree_path))
    .collect();
    for ((leader, org), communities) in &mut out {
        let Some(org_path) = org_paths.get(org) else {
            continue;
        };
        communities.extend(
            led.iter()
                .filter(|row| row.person_id == *leader && row.tree_path.starts_with(org_path))
                .map(|row| row.community_id),
        );
    }
    Ok(out)
}

/// Whether `coach`, still holding COACH where the assignment was made (or above), is
/// currently assigned to a leader who leads `community` under that organization.
pub async fn coaches_a_leader_of(db: &Database, coach: Uuid, community: Uuid) -> StoreResult<bool> {
    Ok(db
        .conn()
        .query_one_raw(stmt(
        db.backend(),
        "SELECT a.id FROM coaching_assignments a \
         JOIN organizations ao ON ao.id = a.organization_id \
         JOIN memberships m ON m.person_id = a.leader_id AND m.community_id = $2 \
              AND m.left_on IS NULL AND m.role = $3 \
         JOIN communities c ON c.id = m.community_id \
         JOIN organizations co ON co.id = c.organization_id \
         WHERE a.coach_id = $1 AND a.ended_on IS NULL \
           AND co.tree_path >= ao.tree_path AND co.tree_path < ao.tree_path || '~' \
           AND EXISTS (SELECT 1 FROM org_roles r JOIN organizations ro ON ro.id = r.organization_id \
                       WHERE r.person_id = a.coach_id AND r.role = $4 \
                         AND ao.tree_path >= ro.tree_path AND ao.tree_path < ro.tree_path || '~') \
         LIMIT 1",
        vec![
            coach.into(),
            community.into(),
            MemberRole::Leader.as_str().into(),
            OrgRole::Coach.as_str().into(),
        ],
    ))
    .await?
    .is_some())
}

/// Records a check-in under `assignment` (chosen by the caller with
/// `oikos_domain::coaching::assignment_for_check_in`). The same id with the same content
/// returns the existing check-in; with other content it is a conflict.
pub async fn record_check_in(
    db: &Database,
    id: Uuid,
    assignment: &CoachingAssignment,
    content: CheckInContent,
) -> StoreResult<CheckIn> {
    let tx = db.conn().begin().await?;
    if let Some(existing) = coaching_check_ins::Entity::find_by_id(id).one(&tx).await? {
        let existing = to_check_in(existing);
        return if existing.assignment_id == assignment.id && existing.content == content {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                "this id is already used by a different check-in",
            ))
        };
    }
    let now = Utc::now();
    let row = coaching_check_ins::ActiveModel {
        id: Set(id),
        assignment_id: Set(assignment.id),
        coach_id: Set(assignment.coach_id),
        leader_id: Set(assignment.leader_id),
        met_on: Set(content.met_on),
        notes: Set(content.notes),
        next_steps: Set(content.next_steps),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await?;
    tx.commit().await?;
    Ok(to_check_in(row))
}

/// Whose check-ins to list.
#[derive(Debug, Clone, Copy)]
pub enum CheckInsOf {
    Assignment(Uuid),
    /// As coach or as leader.
    Person(Uuid),
}

/// Check-ins, the most recent conversation first.
pub async fn check_ins(
    db: &Database,
    of: CheckInsOf,
    page: PageRequest,
) -> StoreResult<Page<CheckIn>> {
    let mut q = SqlBuilder::new("SELECT c.* FROM coaching_check_ins c WHERE ");
    match of {
        CheckInsOf::Assignment(id) => {
            let p = q.bind(id);
            q.push(&format!("c.assignment_id = {p}"));
        }
        CheckInsOf::Person(id) => {
            let p = q.bind(id);
            q.push(&format!("(c.coach_id = {p} OR c.leader_id = {p})"));
        }
    }
    if let Some(after) = page.after {
        let p = q.bind(after);
        q.push(&format!(
            " AND EXISTS (SELECT 1 FROM coaching_check_ins k WHERE k.id = {p} \
             AND (c.met_on < k.met_on OR (c.met_on = k.met_on AND c.id < k.id)))"
        ));
    }
    let limit = q.bind(i64::try_from(page.first + 1).unwrap_or(i64::MAX));
    q.push(&format!(" ORDER BY c.met_on DESC, c.id DESC LIMIT {limit}"));
    let rows = coaching_check_ins::Model::find_by_statement(q.build(db.backend()))
        .all(db.conn())
        .await?;
    let (rows, has_next) = crate::take_page(rows, page.first);
    Ok(Page {
        items: rows.into_iter().map(to_check_in).collect(),
        has_next,
    })
}
