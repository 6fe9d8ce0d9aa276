//! Readiness to multiply: gathers what `oikos_domain::readiness::assess_readiness` judges
//! (how long the group has met, its size, its apprentices' stages, the grid kept over the
//! last complete months, guests, needs met) together with the thresholds in force.
//!
//! [`snapshots`] reads any number of communities in the same fixed number of statements,
//! so a list of communities with their readiness costs no more than one. Multiplication
//! records [`report`] with its event, so the reasons a group was judged ready (or not)
//! stay part of its history.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use oikos_domain::membership::MemberRole;
use oikos_domain::need::{NeedOutcome, NeedStatus};
use oikos_domain::readiness::{
    ApprenticeProgress, ReadinessFacts, ReadinessInput, ReadinessReport, ReadinessThresholds,
    ReadinessWindows, assess_readiness, assess_readiness_without_names, readiness_input,
};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use crate::sql::{placeholders, stmt};
use crate::{Database, StoreError, StoreResult, communities, development, policies, rhythm};

/// Everything readiness is judged on for one community, as it stood when read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadinessSnapshot {
    pub input: ReadinessInput,
    pub thresholds: ReadinessThresholds,
}

impl ReadinessSnapshot {
    /// The report with apprentices named, for those who may see the community's people.
    pub fn report(&self) -> ReadinessReport {
        assess_readiness(&self.input, &self.thresholds)
    }

    /// The same verdicts with no names in any reason, for those who see numbers only.
    pub fn report_without_names(&self) -> ReadinessReport {
        assess_readiness_without_names(&self.input, &self.thresholds)
    }
}

#[derive(FromQueryResult)]
struct CountRow {
    community_id: Uuid,
    n: i64,
}

#[derive(FromQueryResult)]
struct ClosedRow {
    community_id: Uuid,
    closed_at: DateTime<Utc>,
}

/// The readiness snapshot of each of `communities` that exists, as of `now` (each judged
/// on its own calendar: "today" and "the last complete months" are local to its time
/// zone). The same nine statements whatever the number of communities.
pub async fn snapshots(
    db: &Database,
    ids: &[Uuid],
    now: DateTime<Utc>,
) -> StoreResult<HashMap<Uuid, ReadinessSnapshot>> {
    let found = communities::by_ids(db, ids).await?;
    if found.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<Uuid> = found.iter().map(|c| c.id).collect();
    let policies = policies::for_communities(db, &ids).await?;
    let windows: HashMap<Uuid, ReadinessWindows> = found
        .iter()
        .filter_map(|c| {
            let policy = policies.get(&c.id)?;
            Some((
                c.id,
                ReadinessWindows::new(&policy.readiness, now, c.profile.time_zone),
            ))
        })
        .collect();
    let earliest =
        |f: fn(&ReadinessWindows) -> DateTime<Utc>| windows.values().map(f).min().unwrap_or(now);
    let mut gatherings =
        rhythm::gathering_facts(db, &ids, earliest(ReadinessWindows::gatherings_from), now).await?;
    let members = member_counts(db, &ids).await?;
    let mut on_the_path = development::on_the_path(db, &ids).await?;
    let mut needs_met = needs_met_since(db, &ids, earliest(|w| w.needs_since)).await?;

    let mut out = HashMap::with_capacity(found.len());
    for community in found {
        let (Some(policy), Some(windows)) =
            (policies.get(&community.id), windows.get(&community.id))
        else {
            continue;
        };
        let apprentices = on_the_path
            .remove(&community.id)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.role == MemberRole::Apprentice)
            .map(|p| ApprenticeProgress {
                name: p.display_name,
                stages: p.stages.iter().map(|s| (s.skill, s.stage)).collect(),
            })
            .collect();
        let facts = ReadinessFacts {
            launched_on: community.profile.launched_on,
            members: members.get(&community.id).copied().unwrap_or(0),
            apprentices,
            gatherings: gatherings.remove(&community.id).unwrap_or_default(),
            needs_met_at: needs_met.remove(&community.id).unwrap_or_default(),
        };
        let input = readiness_input(facts, windows, policy.targets)?;
        out.insert(
            community.id,
            ReadinessSnapshot {
                input,
                thresholds: policy.readiness,
            },
        );
    }
    Ok(out)
}

/// The readiness snapshot of one community as of `now`.
pub async fn snapshot(
    db: &Database,
    community: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<ReadinessSnapshot> {
    snapshots(db, &[community], now)
        .await?
        .remove(&community)
        .ok_or(StoreError::NotFound("community"))
}

/// The readiness report of one community as of `now`, apprentices named: what a
/// multiplication event records.
pub async fn report(
    db: &Database,
    community: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<ReadinessReport> {
    Ok(snapshot(db, community, now).await?.report())
}

fn id_values(ids: &[Uuid]) -> Vec<sea_orm::Value> {
    ids.iter().map(|id| sea_orm::Value::from(*id)).collect()
}

async fn member_counts(db: &Database, ids: &[Uuid]) -> StoreResult<HashMap<Uuid, u32>> {
    Ok(CountRow::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT community_id, COUNT(*) AS n FROM memberships \
             WHERE left_on IS NULL AND community_id IN ({}) GROUP BY community_id",
            placeholders(1, ids.len())
        ),
        id_values(ids),
    ))
    .all(db.conn())
    .await?
    .into_iter()
    .map(|r| (r.community_id, u32::try_from(r.n).unwrap_or(u32::MAX)))
    .collect())
}

/// When each need of `ids` closed as MET since `since` was closed (needs deleted from
/// the board are left out).
async fn needs_met_since(
    db: &Database,
    ids: &[Uuid],
    since: DateTime<Utc>,
) -> StoreResult<HashMap<Uuid, Vec<DateTime<Utc>>>> {
    let mut values: Vec<sea_orm::Value> = vec![
        NeedStatus::Closed.as_str().into(),
        NeedOutcome::Met.as_str().into(),
        since.into(),
    ];
    values.extend(id_values(ids));
    let mut out: HashMap<Uuid, Vec<DateTime<Utc>>> = HashMap::new();
    for row in ClosedRow::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT community_id, closed_at FROM needs \
             WHERE status = $1 AND outcome = $2 AND closed_at >= $3 AND deleted_at IS NULL \
             AND community_id IN ({})",
            placeholders(4, ids.len())
        ),
        values,
    ))
    .all(db.conn())
    .await?
    {
        out.entry(row.community_id).or_default().push(row.closed_at);
    }
    Ok(out)
}
