//! The baseline: one worker, chunks in order.
//!
//! Every speedup in a report is measured against this. Note that it runs the
//! very same chunks as the parallel strategies (no separate "serial
//! algorithm"), so a speedup measures parallelism, not a change of algorithm.

use super::busy::{BusyClock, Ran};
use crate::workload::{Job, Workload};

/// Runs every chunk in order on the calling thread, its one worker.
pub fn run<W: Workload>(job: &Job<W>) -> Ran<W::Part> {
    let clock = BusyClock::new(1);
    let parts = (0..job.chunks())
        .map(|chunk| clock.time(0, || job.run_chunk(chunk)))
        .collect();
    Ran {
        parts,
        busy_s: clock.seconds(),
    }
}
