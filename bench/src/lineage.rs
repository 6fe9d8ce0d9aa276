//! The lineage benchmark: a movement of 100,000 communities over 25+ generations, on
//! PostgreSQL and on SQLite, and the lineage operations timed against it.

use std::time::{Duration, Instant};

use anyhow::Context as _;
use chrono::Utc;
use oikos_domain::community::{CommunityProfile, CommunityProfileDraft, CommunityStatus};
use oikos_persistence::lineage::{self, NewChild, ParentCorrection, PathPage};
use oikos_persistence::{Database, communities};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::Options;
use crate::load::{Loaded, load};
use crate::measure::{Timing, ms, time};
use crate::movement::Movement;

pub async fn run(options: &Options) -> anyhow::Result<()> {
    let started = Instant::now();
    let movement = Movement::generate(options.nodes, options.depth, 7)?;
    println!(
        "movement: {} communities, {} generations deep, generated in {}",
        movement.nodes.len(),
        movement.max_generation(),
        ms(started.elapsed())
    );
    for backend in ["postgres", "sqlite"] {
        if options.only.as_deref().is_some_and(|only| only != backend) {
            continue;
        }
        let (url, scratch) = match backend {
            "postgres" => fresh_postgres(&options.postgres_admin).await?,
            _ => fresh_sqlite(),
        };
        println!("\n== {backend}");
        let db = Database::connect(&url, None).await?;
        db.migrate().await?;
        let raw = sea_orm::Database::connect(&url).await?;
        let started = Instant::now();
        let multipliable: Vec<usize> = (0..movement.nodes.len())
            .step_by(movement.nodes.len() / 200)
            .collect();
        let loaded = load(&raw, &movement, &multipliable).await?;
        println!("loaded in {}", ms(started.elapsed()));
        measure(&db, &movement, &loaded).await?;
        raw.close().await?;
        db.close().await?;
        scratch.remove(&options.postgres_admin).await?;
    }
    Ok(())
}

/// Where a benchmark database lives, to remove it afterwards.
enum Scratch {
    Postgres(String),
    Sqlite(std::path::PathBuf),
}

impl Scratch {
    async fn remove(self, admin: &str) -> anyhow::Result<()> {
        match self {
            Scratch::Postgres(name) => {
                let conn = sea_orm::Database::connect(admin).await?;
                conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await?;
                conn.close().await?;
            }
            Scratch::Sqlite(dir) => std::fs::remove_dir_all(dir)?,
        }
        Ok(())
    }
}

fn target(ms: u64) -> Option<Duration> {
    Some(Duration::from_millis(ms))
}

async fn community(db: &Database, id: Uuid) -> anyhow::Result<oikos_domain::community::Community> {
    communities::get(db, id)
        .await?
        .context("a loaded community is missing")
}

async fn measure(db: &Database, movement: &Movement, loaded: &Loaded) -> anyhow::Result<()> {
    let viewer = loaded.actor;
    let root = community(db, movement.nodes[0].id).await?;
    let deepest = community(db, movement.nodes[movement.deepest()].id).await?;
    let mut timings = Printed;

    timings.push(
        time(
            "descendants of the stream root: counted per generation",
            5,
            50,
            target(50),
            |_| async {
                let stats = lineage::subtree_stats(db, &root).await?;
                anyhow::ensure!(
                    stats.total() == movement.nodes.len() as u64,
                    "stats counted {}",
                    stats.total()
                );
                Ok(())
            },
        )
        .await?,
    );
    timings.push(
        time(
            "descendants of the stream root: first page of 50",
            5,
            100,
            target(20),
            |_| async {
                let page = lineage::descendants(
                    db,
                    viewer,
                    &root,
                    None,
                    &PathPage {
                        first: 50,
                        after: None,
                    },
                )
                .await?;
                anyhow::ensure!(
                    page.items.len() == 50 && page.has_next,
                    "first page is short"
                );
                Ok(())
            },
        )
        .await?,
    );
    timings.push(
        time(
            &format!(
                "ancestors of the deepest leaf (generation {})",
                deepest.lineage.generation
            ),
            5,
            200,
            target(2),
            |_| async {
                let path = lineage::ancestors(db, viewer, &deepest).await?;
                anyhow::ensure!(
                    path.len() + 1 == deepest.lineage.generation as usize,
                    "ancestors: {}",
                    path.len()
                );
                Ok(())
            },
        )
        .await?,
    );
    timings.push(
        time(
            "groups per generation for the whole movement",
            5,
            50,
            target(50),
            |_| async {
                let stats = lineage::organization_stats(db, loaded.organization).await?;
                anyhow::ensure!(
                    stats.total() >= movement.nodes.len() as u64,
                    "movement counted {}",
                    stats.total()
                );
                Ok(())
            },
        )
        .await?,
    );

    timings.push(
        time(
            "streams' deepest generations across the organization (no target)",
            2,
            20,
            None,
            |_| async {
                let depths = lineage::organization_stream_depths(db, loaded.organization).await?;
                anyhow::ensure!(!depths.is_empty(), "no stream");
                Ok(())
            },
        )
        .await?,
    );

    let parents: Vec<(Uuid, Vec<Uuid>)> = loaded
        .multipliable
        .iter()
        .map(|(group, people)| (movement.nodes[*group].id, people.clone()))
        .collect();
    let open: Vec<(Uuid, Vec<Uuid>)> = {
        let mut open = Vec::new();
        for (id, people) in parents {
            if community(db, id).await?.status == CommunityStatus::Active {
                open.push((id, people));
            }
        }
        open
    };
    anyhow::ensure!(open.len() >= 20, "too few active groups to multiply from");
    let profile = CommunityProfile::parse(CommunityProfileDraft {
        name: "New group".into(),
        ..Default::default()
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let runs = open.len() - 5;
    timings.push(
        time("a multiply inside the tree", 5, runs, target(15), |i| {
            let (parent, people) = open[i].clone();
            let profile = profile.clone();
            async move {
                // The second leader starts the child with one member; the first stays.
                lineage::multiply(
                    db,
                    viewer,
                    NewChild {
                        id: Uuid::now_v7(),
                        parent_id: parent,
                        organization_id: loaded.organization,
                        profile,
                        status: CommunityStatus::Active,
                        leader_ids: vec![people[1]],
                        member_ids: vec![people[2]],
                        multiplied_on: Utc::now().date_naive(),
                        notes: None,
                        requested_at: Utc::now(),
                    },
                )
                .await?;
                Ok(())
            }
        })
        .await?,
    );

    let moving = movement
        .subtree_near(10_000)
        .context("no subtree to move")?;
    let size = movement.subtree_size(moving);
    let moving_id = movement.nodes[moving].id;
    // Alternate between two parents outside the moving subtree.
    let prefix = movement.nodes[moving].path.as_str().to_owned();
    let homes: Vec<Uuid> = movement
        .nodes
        .iter()
        .filter(|n| !n.path.as_str().starts_with(&prefix))
        .take(2)
        .map(|n| n.id)
        .collect();
    timings.push(
        time(
            &format!("a lineage correction moving {size} groups"),
            1,
            6,
            target(2_000),
            |i| {
                let home = homes[i % homes.len()];
                async move {
                    let moved = lineage::correct_parent(
                        db,
                        viewer,
                        ParentCorrection {
                            community_id: moving_id,
                            new_parent_id: Some(home),
                            reason: "benchmark".into(),
                            effective_on: None,
                        },
                    )
                    .await?;
                    // Multiplications above may have added children inside the subtree.
                    anyhow::ensure!(
                        moved.moved_count as usize >= size,
                        "moved {} of {size}",
                        moved.moved_count
                    );
                    Ok(())
                }
            },
        )
        .await?,
    );
    Ok(())
}

/// Prints each figure as soon as it is measured.
struct Printed;

impl Printed {
    fn push(&mut self, timing: Timing) {
        println!("{}", timing.line());
    }
}

async fn fresh_postgres(admin: &str) -> anyhow::Result<(String, Scratch)> {
    let name = format!("oikos_bench_{}", Uuid::now_v7().simple());
    let conn = sea_orm::Database::connect(admin).await?;
    conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    conn.close().await?;
    let base = admin.rsplit_once('/').map_or(admin, |(head, _)| head);
    Ok((format!("{base}/{name}"), Scratch::Postgres(name)))
}

fn fresh_sqlite() -> (String, Scratch) {
    let dir = std::env::temp_dir().join(format!("oikos-bench-{}", Uuid::now_v7().simple()));
    (
        format!("sqlite://{}/bench.db", dir.display()),
        Scratch::Sqlite(dir),
    )
}
