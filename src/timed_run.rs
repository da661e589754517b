//! One timed run of a workload by a strategy: what `speedup run` prints and
//! what every sweep point measures (`speedup run` renders it in
//! `cli/record.rs`).
//!
//! The clock covers everything a user waits for: starting workers (threads or
//! processes), running the chunks, moving parts back and merging them. Only
//! validating the parameters happens before the clock starts.

use crate::Result;
use crate::strategy::RunOptions;
use crate::strategy::Strategy;
use crate::workload::{Job, Workload};
use std::time::{Duration, Instant};

/// Runs `workload` once and returns its result with the wall time it took.
pub fn timed<W: Workload>(
    workload: &W,
    strategy: Strategy,
    workers: usize,
    seed: u64,
) -> Result<(W::Output, Duration)> {
    timed_with(workload, strategy, workers, seed, &RunOptions::default())
}

/// [`timed`], with [`RunOptions`] (`--timeout`).
pub fn timed_with<W: Workload>(
    workload: &W,
    strategy: Strategy,
    workers: usize,
    seed: u64,
    options: &RunOptions,
) -> Result<(W::Output, Duration)> {
    workload.validate()?;
    let job = Job::new(workload, seed);
    let start = Instant::now();
    let parts = strategy.run_with(&job, workers, options)?;
    let output = workload.merge(parts);
    Ok((output, start.elapsed()))
}
