//! Oikos benchmarks. Each prints its figures; `bench/RESULTS.md` records them.
//!
//! `cargo run --release -p oikos-bench -- lineage [--nodes 100000] [--depth 30]
//!   [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--only sqlite|postgres]`

mod lineage;
mod load;
mod measure;
mod movement;

use anyhow::{Context as _, bail};

pub struct Options {
    pub nodes: usize,
    pub depth: u32,
    pub postgres_admin: String,
    pub only: Option<String>,
}

fn parse(args: &[String]) -> anyhow::Result<Options> {
    let mut options = Options {
        nodes: 100_000,
        depth: 30,
        postgres_admin: std::env::var("OIKOS_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned()),
        only: None,
    };
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = || rest.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--nodes" => options.nodes = value()?.parse().context("--nodes")?,
            "--depth" => options.depth = value()?.parse().context("--depth")?,
            "--postgres" => options.postgres_admin = value()?.clone(),
            "--only" => options.only = Some(value()?.clone()),
            other => bail!("unknown flag {other}"),
        }
    }
    if options.nodes < options.depth as usize * 2 {
        bail!("--nodes must be at least twice --depth");
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("lineage") => lineage::run(&parse(&args[1..])?).await,
        _ => bail!(
            "usage: oikos-bench lineage [--nodes N] [--depth D] [--postgres URL] [--only sqlite|postgres]"
        ),
    }
}
