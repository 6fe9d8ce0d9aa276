//! Schema migrations, applied at server start (`oikos serve`) or by `oikos migrate`.
//!
//! Migrations are history: they never import the domain crate, so an old migration keeps
//! meaning what it meant when it ran.

pub use sea_orm_migration::prelude::*;

mod m20261121_000001_create_foundation;
mod m20261121_000002_create_lineage_history;
mod m20261121_000003_create_community_life;
mod m20261121_000004_create_outreach;
mod m20261121_000008_create_coaching;
mod support;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_create_foundation::Migration),
            Box::new(m20261121_000002_create_lineage_history::Migration),
            Box::new(m20261121_000003_create_community_life::Migration),
            Box::new(m20261121_000004_create_outreach::Migration),
            Box::new(m20261121_000008_create_coaching::Migration),
        ]
    }
}
