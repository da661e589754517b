//! The rayon pools the thread-pool strategy runs on, one per worker count,
//! built on first use and kept.
//!
//! Kept, because starting threads costs tens of microseconds each, and
//! amortising that over many runs is the whole point of a pool. One per
//! worker count, because rayon's global pool has its size fixed at first use
//! (and criterion uses it for its own statistics).

use crate::lock::lock;
use crate::{Error, Result};
use rayon::ThreadPool;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

static POOLS: Mutex<Option<HashMap<usize, Arc<ThreadPool>>>> = Mutex::new(None);

/// The pool of exactly `workers` threads.
pub fn pool(workers: usize) -> Result<Arc<ThreadPool>> {
    let mut pools = lock(&POOLS);
    let pools = pools.get_or_insert_with(HashMap::new);
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
