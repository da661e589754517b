//! How long each worker spent running chunks: its *busy time*.
//!
//! A run's wall time says how long the user waited; the busy times say what
//! the workers did meanwhile. If one worker was busy for the whole run and
//! the other for two thirds of it, the other sat idle for a third: that is
//! *load imbalance*, and the report's efficiency split
//! (`report/efficiency.rs`) measures it as mean busy / max busy over the
//! workers (the POP Centre of Excellence's load balance).
//!
//! Every strategy times its chunks through this one clock, [`BusyClock`]:
//! threads on their own slot of it, a process child or an MPI rank on a clock
//! of one slot that it reports to the parent (`protocol.rs`, `mpi.rs`). The
//! cost is two clock reads and one addition per chunk; `benches/busy.rs`
//! measures it against runs without the clock.
//!
//! Busy time counts only `run_chunk`: taking the next chunk, sending its
//! part, folding it (`condense`) and merging are the strategy's overhead,
//! which the efficiency split puts in its "rest" factor.

use crossbeam::utils::CachePadded;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Per-worker busy time of one run, each worker on a slot of its own.
///
/// The slots are atomic so that threads can share one clock by reference;
/// each is padded to a cache line, so two workers adding their chunks' time
/// never contend for one line (false sharing).
pub struct BusyClock {
    nanos: Vec<CachePadded<AtomicU64>>,
}

impl BusyClock {
    /// A clock for `workers` workers, all idle so far.
    pub fn new(workers: usize) -> BusyClock {
        BusyClock {
            nanos: (0..workers)
                .map(|_| CachePadded::new(AtomicU64::new(0)))
                .collect(),
        }
    }

    /// Runs `chunk` and adds the time it took to worker `worker`'s busy time.
    pub fn time<T>(&self, worker: usize, chunk: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let part = chunk();
        self.add(worker, start.elapsed().as_nanos() as u64);
        part
    }

    /// Adds `nanos` nanoseconds to worker `worker`'s busy time (what a
    /// child process reported, or a scripted run in a test).
    pub fn add(&self, worker: usize, nanos: u64) {
        self.nanos[worker].fetch_add(nanos, Ordering::Relaxed);
    }

    /// Each worker's busy seconds, in worker order.
    pub fn seconds(&self) -> Vec<f64> {
        self.nanos
            .iter()
            .map(|n| n.load(Ordering::Relaxed) as f64 * 1e-9)
            .collect()
    }

    /// Worker `worker`'s busy time in nanoseconds.
    pub fn nanos(&self, worker: usize) -> u64 {
        self.nanos[worker].load(Ordering::Relaxed)
    }
}

/// What a strategy's run returns: the parts in chunk order, and how long
/// each worker was busy running them.
#[derive(Debug)]
pub struct Ran<P> {
    pub parts: Vec<P>,
    /// Busy seconds per worker, in worker order (one entry per worker).
    pub busy_s: Vec<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_worker_keeps_its_own_busy_time() {
        let clock = BusyClock::new(3);
        clock.add(0, 2_000_000_000);
        clock.add(2, 500_000_000);
        clock.add(2, 500_000_000);
        assert_eq!(clock.seconds(), vec![2.0, 0.0, 1.0]);
        let part = clock.time(1, || 7);
        assert_eq!(part, 7);
        assert_eq!(clock.nanos(0), 2_000_000_000, "other slots untouched");
    }

    #[test]
    fn a_timed_chunk_counts_at_least_its_sleep() {
        let clock = BusyClock::new(1);
        clock.time(0, || {
            std::thread::sleep(std::time::Duration::from_millis(5))
        });
        assert!(clock.seconds()[0] >= 0.005);
    }
}
