//! One timed run of a workload by a strategy: what `speedup run` prints and
//! what every sweep point measures (`speedup run` renders it in
//! `cli/record.rs`).
//!
//! The clock covers everything a user waits for: starting workers (threads or
//! processes), running the chunks, moving parts back and merging them. Only
//! validating the parameters happens before the clock starts.

use crate::Result;
use crate::run_record::RunRecord;
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
    timed_busy(workload, strategy, workers, seed, options).map(|(output, wall, _)| (output, wall))
}

/// [`timed_with`], as the [`RunRecord`] a sweep keeps: the wall time and
/// each worker's busy time (`strategy/busy.rs`).
pub fn timed_record<W: Workload>(
    workload: &W,
    strategy: Strategy,
    workers: usize,
    seed: u64,
    options: &RunOptions,
) -> Result<(W::Output, RunRecord)> {
    let (output, wall, busy_s) = timed_busy(workload, strategy, workers, seed, options)?;
    let record = RunRecord {
        seconds: wall.as_secs_f64(),
        busy_s,
        ..RunRecord::default()
    };
    Ok((output, record))
}

/// The one timed run behind both: output, wall time, busy seconds per worker.
pub fn timed_busy<W: Workload>(
    workload: &W,
    strategy: Strategy,
    workers: usize,
    seed: u64,
    options: &RunOptions,
) -> Result<(W::Output, Duration, Vec<f64>)> {
    workload.validate()?;
    let job = Job::new(workload, seed);
    let start = Instant::now();
    let ran = strategy.run_recorded(&job, workers, options)?;
    let output = workload.merge(ran.parts);
    Ok((output, start.elapsed(), ran.busy_s))
}
