//! Policies (rhythm targets, healthy size, readiness thresholds) set on organizations and
//! communities, read as the chain the domain resolves: the community's own, then its
//! organization's, then each organization above.

use std::collections::HashMap;

use chrono::Utc;
use oikos_domain::DomainResult;
use oikos_domain::policy::{Policy, PolicyOverride, resolve};
use oikos_domain::readiness::ReadinessThresholdsOverride;
use oikos_domain::rhythm::RhythmTargetsOverride;
use sea_orm::{ConnectionTrait, FromQueryResult, TransactionTrait};
use uuid::Uuid;

use crate::sql::{placeholders, stmt};
use crate::{Database, StoreError, StoreResult};

#[derive(FromQueryResult)]
struct PolicyRow {
    organization_id: Option<Uuid>,
    community_id: Option<Uuid>,
    communion_target: Option<i32>,
    mission_target: Option<i32>,
    inclusion_target: Option<i32>,
    healthy_size_min: Option<i32>,
    healthy_size_max: Option<i32>,
    ready_min_months_meeting: Option<i32>,
    ready_min_members: Option<i32>,
    ready_grid_window_months: Option<i32>,
    ready_min_months_kept: Option<i32>,
    ready_guest_window_months: Option<i32>,
    ready_min_gatherings_with_guests: Option<i32>,
    ready_min_needs_met: Option<i32>,
    ready_needs_window_months: Option<i32>,
}

fn u(v: Option<i32>) -> Option<u32> {
    v.and_then(|v| u32::try_from(v).ok())
}

impl From<&PolicyRow> for PolicyOverride {
    fn from(r: &PolicyRow) -> Self {
        PolicyOverride {
            targets: RhythmTargetsOverride {
                communion: u(r.communion_target),
                mission: u(r.mission_target),
                inclusion: u(r.inclusion_target),
            },
            healthy_size_min: u(r.healthy_size_min),
            healthy_size_max: u(r.healthy_size_max),
            readiness: ReadinessThresholdsOverride {
                min_months_meeting: u(r.ready_min_months_meeting),
                min_members: u(r.ready_min_members),
                grid_window_months: u(r.ready_grid_window_months),
                min_months_kept: u(r.ready_min_months_kept),
                guest_window_months: u(r.ready_guest_window_months),
                min_gatherings_with_guests: u(r.ready_min_gatherings_with_guests),
                min_needs_met: u(r.ready_min_needs_met),
                needs_window_months: u(r.ready_needs_window_months),
            },
        }
    }
}

#[derive(FromQueryResult)]
struct CommunityOrgPath {
    id: Uuid,
    tree_path: String,
}

#[derive(FromQueryResult)]
struct OrgAtPath {
    id: Uuid,
    tree_path: String,
}

/// The policy in force for each of `communities`, in four statements whatever their number.
pub async fn for_communities(
    db: &Database,
    communities: &[Uuid],
) -> StoreResult<HashMap<Uuid, Policy>> {
    if communities.is_empty() {
        return Ok(HashMap::new());
    }
    let conn = db.conn();
    let ids: Vec<sea_orm::Value> = communities.iter().map(|c| (*c).into()).collect();
    let paths = CommunityOrgPath::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT c.id, o.tree_path FROM communities c JOIN organizations o ON o.id = c.organization_id \
             WHERE c.id IN ({})",
            placeholders(1, communities.len())
        ),
        ids.clone(),
    ))
    .all(conn)
    .await?;
    let mut ancestor_paths: Vec<String> = paths
        .iter()
        .flat_map(|p| {
            (1..=p.tree_path.len() / oikos_domain::tree_path::SEGMENT_WIDTH)
                .map(|n| p.tree_path[..n * oikos_domain::tree_path::SEGMENT_WIDTH].to_owned())
        })
        .collect();
    ancestor_paths.sort_unstable();
    ancestor_paths.dedup();
    let orgs = OrgAtPath::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT id, tree_path FROM organizations WHERE tree_path IN ({})",
            placeholders(1, ancestor_paths.len().max(1))
        ),
        if ancestor_paths.is_empty() {
            vec![sea_orm::Value::from(String::new())]
        } else {
            ancestor_paths.iter().map(|p| p.clone().into()).collect()
        },
    ))
    .all(conn)
    .await?;
    let org_by_path: HashMap<&str, Uuid> =
        orgs.iter().map(|o| (o.tree_path.as_str(), o.id)).collect();
    let mut owner_ids: Vec<sea_orm::Value> = ids;
    owner_ids.extend(orgs.iter().map(|o| sea_orm::Value::from(o.id)));
    let rows = PolicyRow::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT * FROM policies WHERE community_id IN ({}) OR organization_id IN ({})",
            placeholders(1, owner_ids.len()),
            placeholders(1, owner_ids.len())
        ),
        owner_ids,
    ))
    .all(conn)
    .await?;
    let by_community: HashMap<Uuid, &PolicyRow> = rows
        .iter()
        .filter_map(|r| r.community_id.map(|c| (c, r)))
        .collect();
    let by_org: HashMap<Uuid, &PolicyRow> = rows
        .iter()
        .filter_map(|r| r.organization_id.map(|o| (o, r)))
        .collect();
    Ok(paths
        .iter()
        .map(|p| {
            let mut chain: Vec<PolicyOverride> = Vec::new();
            if let Some(own) = by_community.get(&p.id) {
                chain.push((*own).into());
            }
            let depth = p.tree_path.len() / oikos_domain::tree_path::SEGMENT_WIDTH;
            for n in (1..=depth).rev() {
                let prefix = &p.tree_path[..n * oikos_domain::tree_path::SEGMENT_WIDTH];
                if let Some(row) = org_by_path.get(prefix).and_then(|org| by_org.get(org)) {
                    chain.push((*row).into());
                }
            }
            (p.id, resolve(&chain))
        })
        .collect())
}

pub async fn for_community(db: &Database, community: Uuid) -> StoreResult<Policy> {
    for_communities(db, &[community])
        .await?
        .remove(&community)
        .ok_or(StoreError::NotFound("community"))
}

/// Whose policy is being set.
#[derive(Debug, Clone, Copy)]
pub enum PolicyOwner {
    Organization(Uuid),
    Community(Uuid),
}

/// What one owner sets itself (not inherited); all `None` when it sets nothing.
pub async fn own(db: &Database, owner: PolicyOwner) -> StoreResult<PolicyOverride> {
    own_in(db.conn(), owner, false).await
}

async fn own_in<C: ConnectionTrait>(
    conn: &C,
    owner: PolicyOwner,
    lock: bool,
) -> StoreResult<PolicyOverride> {
    let (col, id) = owner_col(owner);
    let lock = if lock && conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let row = PolicyRow::find_by_statement(stmt(
        conn.get_database_backend(),
        &format!("SELECT * FROM policies WHERE {col} = $1{lock}"),
        vec![id.into()],
    ))
    .one(conn)
    .await?;
    Ok(row.as_ref().map(PolicyOverride::from).unwrap_or_default())
}

fn owner_col(owner: PolicyOwner) -> (&'static str, Uuid) {
    match owner {
        PolicyOwner::Organization(id) => ("organization_id", id),
        PolicyOwner::Community(id) => ("community_id", id),
    }
}

/// Changes what `owner` sets: `change` gets the current settings and returns the new
/// ones (validated through the domain). Read and write are one transaction with the row
/// locked, so two administrators changing different knobs at once both keep theirs.
pub async fn change(
    db: &Database,
    owner: PolicyOwner,
    change: impl FnOnce(PolicyOverride) -> DomainResult<PolicyOverride>,
) -> StoreResult<PolicyOverride> {
    let tx = db.conn().begin().await?;
    let (col, id) = owner_col(owner);
    // A row to lock, even for an owner that set nothing yet.
    tx.execute_raw(stmt(
        db.backend(),
        &format!(
            "INSERT INTO policies (id, {col}, created_at, updated_at) VALUES ($1, $2, $3, $3) \
             ON CONFLICT ({col}) DO NOTHING"
        ),
        vec![Uuid::now_v7().into(), id.into(), Utc::now().into()],
    ))
    .await?;
    let current = own_in(&tx, owner, true).await?;
    let policy = change(current)?;
    write_in(&tx, owner, &policy).await?;
    let written = own_in(&tx, owner, false).await?;
    tx.commit().await?;
    Ok(written)
}

async fn write_in<C: ConnectionTrait>(
    conn: &C,
    owner: PolicyOwner,
    policy: &PolicyOverride,
) -> StoreResult<()> {
    let (col, id) = owner_col(owner);
    let int = |v: Option<u32>| sea_orm::Value::from(v.and_then(|v| i32::try_from(v).ok()));
    let r = &policy.readiness;
    let t = &policy.targets;
    let values = vec![
        int(t.communion),
        int(t.mission),
        int(t.inclusion),
        int(policy.healthy_size_min),
        int(policy.healthy_size_max),
        int(r.min_months_meeting),
        int(r.min_members),
        int(r.grid_window_months),
        int(r.min_months_kept),
        int(r.guest_window_months),
        int(r.min_gatherings_with_guests),
        int(r.min_needs_met),
        int(r.needs_window_months),
        Utc::now().into(),
        id.into(),
        Uuid::now_v7().into(),
    ];
    // One statement on both backends: insert, or update the owner's existing row.
    let sql = format!(
        "INSERT INTO policies (communion_target, mission_target, inclusion_target, healthy_size_min, \
         healthy_size_max, ready_min_months_meeting, ready_min_members, ready_grid_window_months, \
         ready_min_months_kept, ready_guest_window_months, ready_min_gatherings_with_guests, \
         ready_min_needs_met, ready_needs_window_months, created_at, updated_at, {col}, id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16) \
         ON CONFLICT ({col}) DO UPDATE SET communion_target = $1, mission_target = $2, \
         inclusion_target = $3, healthy_size_min = $4, healthy_size_max = $5, \
         ready_min_months_meeting = $6, ready_min_members = $7, ready_grid_window_months = $8, \
         ready_min_months_kept = $9, ready_guest_window_months = $10, \
         ready_min_gatherings_with_guests = $11, ready_min_needs_met = $12, \
         ready_needs_window_months = $13, updated_at = $14"
    );
    conn.execute_raw(stmt(conn.get_database_backend(), &sql, values))
        .await?;
    Ok(())
}
