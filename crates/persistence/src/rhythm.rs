//! Reads the facts the rhythm grid, health and readiness are computed from: each
//! gathering's time, outcome, practices and how many members and guests came.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use oikos_domain::practice::Practice;
use oikos_domain::rhythm::{GatheringFact, GatheringOutcome};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use crate::organizations::corrupt;
use crate::sql::{placeholders, stmt};
use crate::{Database, StoreResult};

#[derive(FromQueryResult)]
struct FactRow {
    id: Uuid,
    community_id: Uuid,
    starts_at: DateTime<Utc>,
    outcome: String,
    anonymous_guests: i32,
    members_present: i64,
    guests_present: i64,
}

#[derive(FromQueryResult)]
struct PracticeRow {
    gathering_id: Uuid,
    practice: String,
}

/// Gathering facts per community for gatherings starting in `[from, to)`, deleted ones
/// left out. Two statements whatever the number of communities.
pub async fn gathering_facts(
    db: &Database,
    communities: &[Uuid],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<HashMap<Uuid, Vec<GatheringFact>>> {
    let mut out: HashMap<Uuid, Vec<GatheringFact>> =
        communities.iter().map(|c| (*c, Vec::new())).collect();
    if communities.is_empty() {
        return Ok(out);
    }
    let mut values: Vec<sea_orm::Value> = vec![from.into(), to.into()];
    values.extend(communities.iter().map(|c| sea_orm::Value::from(*c)));
    let rows = FactRow::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT g.id, g.community_id, g.starts_at, g.outcome, g.anonymous_guests, \
             (SELECT COUNT(*) FROM gathering_attendance a WHERE a.gathering_id = g.id AND a.kind = 'MEMBER') AS members_present, \
             (SELECT COUNT(*) FROM gathering_attendance a WHERE a.gathering_id = g.id AND a.kind = 'GUEST') AS guests_present \
             FROM gatherings g \
             WHERE g.deleted_at IS NULL AND g.starts_at >= $1 AND g.starts_at < $2 AND g.community_id IN ({}) \
             ORDER BY g.starts_at",
            placeholders(3, communities.len())
        ),
        values.clone(),
    ))
    .all(db.conn())
    .await?;
    let practices = PracticeRow::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT p.gathering_id, p.practice FROM gathering_practices p JOIN gatherings g ON g.id = p.gathering_id \
             WHERE g.deleted_at IS NULL AND g.starts_at >= $1 AND g.starts_at < $2 AND g.community_id IN ({})",
            placeholders(3, communities.len())
        ),
        values,
    ))
    .all(db.conn())
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
    for row in rows {
        let outcome = GatheringOutcome::parse(&row.outcome)
            .ok_or_else(|| corrupt("outcome", &row.outcome))?;
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        out.entry(row.community_id)
            .or_default()
            .push(GatheringFact {
                starts_at: row.starts_at,
                practices: by_gathering.remove(&row.id).unwrap_or_default(),
                outcome,
                member_count_present: count(row.members_present),
                guest_count: count(i64::from(row.anonymous_guests) + row.guests_present),
            });
    }
    Ok(out)
}

#[derive(FromQueryResult)]
struct NeedsMetRow {
    community_id: Uuid,
    met: i64,
}

/// Needs each of `communities` closed as MET at or after `since`. One statement.
pub async fn needs_met_since(
    db: &Database,
    communities: &[Uuid],
    since: DateTime<Utc>,
) -> StoreResult<HashMap<Uuid, u32>> {
    let mut out: HashMap<Uuid, u32> = communities.iter().map(|c| (*c, 0)).collect();
    if communities.is_empty() {
        return Ok(out);
    }
    let mut values: Vec<sea_orm::Value> = vec![since.into()];
    values.extend(communities.iter().map(|c| sea_orm::Value::from(*c)));
    let rows = NeedsMetRow::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT community_id, COUNT(*) AS met FROM needs \
             WHERE status = 'CLOSED' AND outcome = 'MET' AND deleted_at IS NULL \
             AND closed_at >= $1 AND community_id IN ({}) GROUP BY community_id",
            placeholders(2, communities.len())
        ),
        values,
    ))
    .all(db.conn())
    .await?;
    for row in rows {
        out.insert(row.community_id, u32::try_from(row.met).unwrap_or(u32::MAX));
    }
    Ok(out)
}
