//! The rayon pools the thread-pool strategy runs on, one per worker count,
//! built on first use and kept.
//!
//! Kept, because starting threads costs tens of microseconds each, and
//! amortising that over many runs is the whole point of a pool. One per
//! worker count, because rayon's global pool has its size fixed at first use
//! (and criterion uses it for its own statistics).

use super::spawn;
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
    let pool = Arc::new(build(workers, &format!("pool{workers}"))?);
    pools.insert(workers, Arc::clone(&pool));
    Ok(pool)
}

/// A new rayon pool of `threads` threads named `speedup-NAME-INDEX` (names
/// show in debuggers and `top -H`).
pub fn build(threads: usize, name: &str) -> Result<ThreadPool> {
    // rayon starts the threads through this handler, so a thread the system
    // refuses is named like everywhere else (`spawn.rs`), not as rayon's
    // bare io error.
    let refused = Mutex::new(None);
    let built = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .spawn_handler(|thread| {
            let index = thread.index();
            std::thread::Builder::new()
                .name(format!("speedup-{name}-{index}"))
                .spawn(|| thread.run())
                .map(drop)
                .inspect_err(|err| {
                    lock(&refused).get_or_insert(spawn::thread_failed(index, threads, err));
                })
        })
        .build();
    built.map_err(|e| {
        lock(&refused)
            .take()
            .unwrap_or_else(|| Error::new(format!("cannot start a pool of {threads} threads: {e}")))
    })
}
