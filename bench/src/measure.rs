//! Timing: run an operation a number of times and report percentiles.

use std::future::Future;
use std::time::{Duration, Instant};

pub struct Timing {
    pub name: String,
    pub runs: usize,
    pub p50: Duration,
    pub p99: Duration,
    pub target: Option<Duration>,
}

impl Timing {
    pub fn line(&self) -> String {
        let verdict = match self.target {
            Some(t) if self.p50 <= t => format!("target {} ✓", ms(t)),
            Some(t) => format!("target {} ✗", ms(t)),
            None => String::new(),
        };
        format!(
            "{:<58} runs {:>4}  p50 {:>10}  p99 {:>10}  {verdict}",
            self.name,
            self.runs,
            ms(self.p50),
            ms(self.p99)
        )
    }
}

pub fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// Runs `op` `warmup + runs` times (the warm-up runs are not counted).
pub async fn time<F, Fut, T>(
    name: &str,
    warmup: usize,
    runs: usize,
    target: Option<Duration>,
    mut op: F,
) -> anyhow::Result<Timing>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    for i in 0..warmup {
        op(i).await?;
    }
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs {
        let start = Instant::now();
        op(warmup + i).await?;
        samples.push(start.elapsed());
    }
    samples.sort_unstable();
    let pick = |q: f64| {
        let index = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples.get(index).copied().unwrap_or_default()
    };
    Ok(Timing {
        name: name.to_owned(),
        runs,
        p50: pick(0.50),
        p99: pick(0.99),
        target,
    })
}
