//! A rayon thread pool: parallel iterators and work stealing.
//!
//! `into_par_iter().map(..).collect()` reads like the serial version and still
//! returns the parts in chunk order: rayon splits the index range recursively
//! and idle threads steal halves of other threads' ranges, so unequal chunks
//! balance themselves without a schedule to choose.
//!
//! Two things to notice:
//! - We build a pool per worker count instead of using rayon's global pool,
//!   whose size is fixed at first use (and which criterion uses for its own
//!   statistics).
//! - Pools are kept and reused: starting threads costs tens of microseconds
//!   each, and amortising that start-up over many runs is the whole point of a
//!   pool. The scoped strategy, by contrast, starts fresh threads every run.

use super::panics;
use crate::workload::{Job, Workload};
use crate::{Error, Result};
use rayon::prelude::*;
use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, OnceLock};

/// Runs the chunks on a rayon pool of `workers` threads.
///
/// rayon re-raises a pool thread's panic in the caller of `install`; catching
/// it there turns it into an error.
pub fn run<W: Workload>(job: &Job<W>, workers: usize) -> Result<Vec<W::Part>> {
    let pool = pool(workers)?;
    let ran = panic::catch_unwind(AssertUnwindSafe(|| {
        pool.install(|| {
            (0..job.chunks())
                .into_par_iter()
                .map(|chunk| job.run_chunk(chunk))
                .collect()
        })
    }));
    ran.map_err(|payload| panics::to_error("a thread-pool worker", payload))
}

/// The shared pool with `workers` threads, built on first use.
fn pool(workers: usize) -> Result<Arc<rayon::ThreadPool>> {
    static POOLS: OnceLock<Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>> = OnceLock::new();
    let mut pools = crate::lock::lock(POOLS.get_or_init(Default::default));
    if let Some(pool) = pools.get(&workers) {
        return Ok(Arc::clone(pool));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .thread_name(move |i| format!("speedup-pool{workers}-{i}"))
        .build()
        .map_err(|e| Error::new(format!("cannot start a pool of {workers} threads: {e}")))?;
    let pool = Arc::new(pool);
    pools.insert(workers, Arc::clone(&pool));
    Ok(pool)
}
