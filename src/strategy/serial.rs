//! The baseline: one worker, chunks in order.
//!
//! Every speedup in a report is measured against this. Note that it runs the
//! very same chunks as the parallel strategies (no separate "serial
//! algorithm"), so a speedup measures parallelism, not a change of algorithm.

use crate::workload::{Job, Workload};

/// Runs every chunk in order on the calling thread.
pub fn run<W: Workload>(job: &Job<W>) -> Vec<W::Part> {
    (0..job.chunks())
        .map(|chunk| job.run_chunk(chunk))
        .collect()
}
