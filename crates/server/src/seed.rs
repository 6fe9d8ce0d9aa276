//! `oikos seed-demo`: a believable network to explore.

use oikos_persistence::Database;

pub async fn seed_demo(_db: &Database) -> anyhow::Result<String> {
    anyhow::bail!("seed-demo is being written")
}
