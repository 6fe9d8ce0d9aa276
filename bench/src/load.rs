//! Loads a generated movement into a fresh, migrated database in large batches.

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait, Value};
use uuid::Uuid;

use crate::movement::Movement;

const BATCH_ROWS: usize = 500;

/// Placeholders for one statement: `$n` on PostgreSQL, `?` on SQLite.
fn placeholder(backend: DbBackend, n: usize) -> String {
    match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    }
}

async fn insert_rows(
    conn: &impl ConnectionTrait,
    table_and_columns: &str,
    width: usize,
    rows: Vec<Vec<Value>>,
) -> anyhow::Result<()> {
    let backend = conn.get_database_backend();
    for chunk in rows.chunks(BATCH_ROWS) {
        let mut sql = format!("INSERT INTO {table_and_columns} VALUES ");
        let mut values = Vec::with_capacity(chunk.len() * width);
        for (r, row) in chunk.iter().enumerate() {
            if r > 0 {
                sql.push(',');
            }
            sql.push('(');
            for (c, value) in row.iter().take(width).enumerate() {
                if c > 0 {
                    sql.push(',');
                }
                sql.push_str(&placeholder(backend, values.len() + 1));
                values.push(value.clone());
            }
            sql.push(')');
        }
        conn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

/// What the benchmark needs to find again after loading.
pub struct Loaded {
    pub organization: Uuid,
    pub actor: Uuid,
    /// Persons who are members (a leader and two members) of every group listed in
    /// `multipliable`, to multiply from.
    pub multipliable: Vec<(usize, Vec<Uuid>)>,
}

pub async fn load(
    conn: &DatabaseConnection,
    movement: &Movement,
    multipliable: &[usize],
) -> anyhow::Result<Loaded> {
    let now = Utc::now();
    let founded: NaiveDate = now.date_naive() - Duration::days(3650);
    let tx = conn.begin().await?;
    let organization = Uuid::now_v7();
    let actor = Uuid::now_v7();
    insert_rows(
        &tx,
        "organizations (id, kind, name, parent_id, tree_path, created_at, updated_at)",
        7,
        vec![vec![
            organization.into(),
            "NETWORK".into(),
            "Benchmark Movement".into(),
            Value::Uuid(None),
            "0001".into(),
            now.into(),
            now.into(),
        ]],
    )
    .await?;
    insert_rows(
        &tx,
        "persons (id, display_name, email, email_normalized, phone, erased_at, created_at, updated_at)",
        8,
        vec![vec![
            actor.into(),
            "Benchmark Admin".into(),
            Value::String(None),
            Value::String(None),
            Value::String(None),
            Value::ChronoDateTimeUtc(None),
            now.into(),
            now.into(),
        ]],
    )
    .await?;
    insert_rows(
        &tx,
        "org_roles (id, organization_id, person_id, role, granted_by, created_at, updated_at)",
        7,
        vec![vec![
            Uuid::now_v7().into(),
            organization.into(),
            actor.into(),
            "ADMIN".into(),
            Value::Uuid(None),
            now.into(),
            now.into(),
        ]],
    )
    .await?;

    let mut communities = Vec::with_capacity(movement.nodes.len());
    let mut links = Vec::with_capacity(movement.nodes.len());
    let mut events = Vec::with_capacity(movement.nodes.len());
    for (i, node) in movement.nodes.iter().enumerate() {
        let launched = founded + Duration::days(i64::from(node.generation) * 90);
        let (status, reason, closed_on) = if node.closed {
            (
                "CLOSED",
                Some("the group ended".to_owned()),
                Some(launched + Duration::days(200)),
            )
        } else {
            ("ACTIVE", None, None)
        };
        let parent = node.parent.map(|p| movement.nodes[p].id);
        communities.push(vec![
            node.id.into(),
            organization.into(),
            format!("Group {i}").into(),
            "COMMUNITY_FIRST".into(),
            "HOME".into(),
            "HIDDEN".into(),
            "UTC".into(),
            status.into(),
            reason.into(),
            closed_on.into(),
            Some(launched).into(),
            parent.into(),
            i32::try_from(node.generation)?.into(),
            movement.nodes[node.stream_root].id.into(),
            node.path.as_str().into(),
            now.into(),
            now.into(),
        ]);
        if let Some(parent) = parent {
            events.push(vec![
                Uuid::now_v7().into(),
                parent.into(),
                node.id.into(),
                launched.into(),
                actor.into(),
                Value::String(None),
                serde_json::Value::Null.into(),
                false.into(),
                now.into(),
                now.into(),
            ]);
        }
        links.push(vec![
            Uuid::now_v7().into(),
            node.id.into(),
            parent.into(),
            launched.into(),
            "planted".into(),
            now.into(),
            now.into(),
        ]);
    }
    insert_rows(
        &tx,
        "communities (id, organization_id, name, start_mode, place_kind, location_privacy, time_zone, \
         status, closed_reason, closed_on, launched_on, parent_id, generation, stream_root_id, lineage_path, \
         created_at, updated_at)",
        17,
        communities,
    )
    .await?;
    insert_rows(
        &tx,
        "lineage_links (id, community_id, parent_id, valid_from, reason, created_at, updated_at)",
        7,
        links,
    )
    .await?;

    insert_rows(
        &tx,
        "multiplication_events (id, parent_id, child_id, occurred_on, actor_id, notes, readiness, ready, \
         created_at, updated_at)",
        10,
        events,
    )
    .await?;

    let mut persons = Vec::new();
    let mut memberships = Vec::new();
    let mut groups = Vec::new();
    for &group in multipliable {
        let mut people = Vec::new();
        for (n, role) in ["LEADER", "LEADER", "MEMBER", "MEMBER"]
            .into_iter()
            .enumerate()
        {
            let person = Uuid::now_v7();
            persons.push(vec![
                person.into(),
                format!("Member {group}-{n}").into(),
                Value::String(None),
                Value::String(None),
                Value::String(None),
                Value::ChronoDateTimeUtc(None),
                now.into(),
                now.into(),
            ]);
            memberships.push(vec![
                Uuid::now_v7().into(),
                movement.nodes[group].id.into(),
                person.into(),
                role.into(),
                serde_json::json!([]).into(),
                founded.into(),
                now.into(),
                now.into(),
            ]);
            people.push(person);
        }
        groups.push((group, people));
    }
    insert_rows(
        &tx,
        "persons (id, display_name, email, email_normalized, phone, erased_at, created_at, updated_at)",
        8,
        persons,
    )
    .await?;
    insert_rows(
        &tx,
        "memberships (id, community_id, person_id, role, serving_roles, joined_on, created_at, updated_at)",
        8,
        memberships,
    )
    .await?;
    tx.commit().await?;
    if conn.get_database_backend() == DbBackend::Postgres {
        // Index-only scans need the visibility map; the planner needs statistics.
        conn.execute_unprepared("VACUUM ANALYZE").await?;
    } else {
        conn.execute_unprepared("ANALYZE").await?;
    }
    Ok(Loaded {
        organization,
        actor,
        multipliable: groups,
    })
}
