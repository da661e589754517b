//! A rayon thread pool: parallel iterators and work stealing.
//!
//! `into_par_iter().map(..).collect()` reads like the serial version and still
//! returns the parts in chunk order: rayon splits the index range recursively
//! and idle threads steal halves of other threads' ranges, so unequal chunks
//! balance themselves without a schedule to choose.
//!
//! The pool of exactly `workers` threads is built once and kept
//! (`pools.rs`): a pool's threads outlive a run, so their start-up is paid
//! once. The scoped strategy, by contrast, starts fresh threads every run.

use super::busy::{BusyClock, Ran};
use super::{panics, pools};
use crate::Result;
use crate::workload::{Job, Workload};
use rayon::prelude::*;
use std::panic::{self, AssertUnwindSafe};

/// Runs the chunks on a rayon pool of `workers` threads.
///
/// rayon re-raises a pool thread's panic in the caller of `install`; catching
/// it there turns it into an error.
///
/// A chunk's busy time goes to the pool thread that ran it (rayon numbers
/// its threads 0..workers), whichever range it stole the chunk from.
pub fn run<W: Workload>(job: &Job<W>, workers: usize) -> Result<Ran<W::Part>> {
    let pool = pools::pool(workers)?;
    let clock = BusyClock::new(workers);
    let ran = panic::catch_unwind(AssertUnwindSafe(|| {
        pool.install(|| {
            (0..job.chunks())
                .into_par_iter()
                .map(|chunk| {
                    let worker = rayon::current_thread_index().unwrap_or(0);
                    clock.time(worker, || job.run_chunk(chunk))
                })
                .collect()
        })
    }));
    let parts = ran.map_err(|payload| panics::to_error("a thread-pool worker", payload))?;
    Ok(Ran {
        parts,
        busy_s: clock.seconds(),
    })
}
