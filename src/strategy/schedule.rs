//! Who runs which chunk: static blocks or dynamic self-scheduling.
//!
//! With **static** scheduling, worker `w` of `p` gets the contiguous block of
//! chunks `w*n/p .. (w+1)*n/p`, decided before anything runs. No coordination
//! is needed, but if chunks cost different amounts (the integration workload's
//! estimate `n` costs ~ n log n) the worker with the expensive block finishes
//! last and everyone else waits: *load imbalance*.
//!
//! With **dynamic** scheduling, workers take the next unclaimed chunk from a
//! shared counter whenever they are free. An expensive chunk then delays only
//! its own worker, at the price of one atomic increment per chunk.
//!
//! The scoped-thread and process strategies both use this one queue, so the
//! lesson is the same whether the workers are threads or processes.

use crossbeam::utils::CachePadded;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// How chunks are assigned to workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Schedule {
    /// Contiguous blocks fixed up front.
    Static,
    /// Next free chunk from a shared counter.
    Dynamic,
}

impl Schedule {
    pub const ALL: [Schedule; 2] = [Schedule::Static, Schedule::Dynamic];

    pub fn name(self) -> &'static str {
        match self {
            Schedule::Static => "static",
            Schedule::Dynamic => "dynamic",
        }
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Schedule {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        Schedule::ALL
            .into_iter()
            .find(|schedule| schedule.name() == s)
            .ok_or_else(|| {
                crate::Error::new(format!("unknown schedule '{s}' (choose static or dynamic)"))
            })
    }
}

/// Hands out chunk indices to `workers` workers under a [`Schedule`].
pub struct ChunkQueue {
    schedule: Schedule,
    chunks: usize,
    workers: usize,
    // Every worker hammers this counter; padding it to a cache line keeps it
    // from sharing a line with other data (false sharing).
    next: CachePadded<AtomicUsize>,
    cancelled: AtomicBool,
}

impl ChunkQueue {
    pub fn new(schedule: Schedule, chunks: usize, workers: usize) -> Self {
        assert!(workers > 0, "a queue needs at least one worker");
        ChunkQueue {
            schedule,
            chunks,
            workers,
            next: CachePadded::new(AtomicUsize::new(0)),
            cancelled: AtomicBool::new(false),
        }
    }

    /// The chunks worker `worker` should run, in the order it should run them.
    pub fn chunks_for(&self, worker: usize) -> impl Iterator<Item = usize> + '_ {
        let mut block = self.static_block(worker);
        std::iter::from_fn(move || {
            if self.cancelled.load(Ordering::Relaxed) {
                return None;
            }
            match self.schedule {
                Schedule::Static => block.next(),
                Schedule::Dynamic => {
                    let chunk = self.next.fetch_add(1, Ordering::Relaxed);
                    (chunk < self.chunks).then_some(chunk)
                }
            }
        })
    }

    /// Stops handing out chunks (a worker failed; the others need not go on).
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    fn static_block(&self, worker: usize) -> std::ops::Range<usize> {
        let start = worker * self.chunks / self.workers;
        let end = (worker + 1) * self.chunks / self.workers;
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assignment(schedule: Schedule, chunks: usize, workers: usize) -> Vec<Vec<usize>> {
        let queue = ChunkQueue::new(schedule, chunks, workers);
        (0..workers)
            .map(|w| queue.chunks_for(w).collect())
            .collect()
    }

    #[test]
    fn static_blocks_are_contiguous_and_cover_every_chunk_once() {
        let blocks = assignment(Schedule::Static, 10, 3);
        assert_eq!(blocks, vec![vec![0, 1, 2], vec![3, 4, 5], vec![6, 7, 8, 9]]);
        assert_eq!(assignment(Schedule::Static, 2, 4).concat(), vec![0, 1]);
    }

    #[test]
    fn dynamic_hands_out_every_chunk_exactly_once() {
        // Drained one worker after another, the first takes everything.
        let queue = ChunkQueue::new(Schedule::Dynamic, 5, 2);
        let mut first = queue.chunks_for(0);
        assert_eq!(first.next(), Some(0));
        assert_eq!(queue.chunks_for(1).next(), Some(1));
        let rest: Vec<usize> = first.collect();
        assert_eq!(rest, vec![2, 3, 4]);
    }

    #[test]
    fn cancel_stops_every_worker() {
        let queue = ChunkQueue::new(Schedule::Static, 10, 2);
        let mut worker = queue.chunks_for(0);
        assert_eq!(worker.next(), Some(0));
        queue.cancel();
        assert_eq!(worker.next(), None);
        assert_eq!(queue.chunks_for(1).next(), None);
    }

    #[test]
    fn schedules_parse_by_name() {
        assert_eq!("static".parse::<Schedule>().unwrap(), Schedule::Static);
        assert!(
            "guided"
                .parse::<Schedule>()
                .unwrap_err()
                .to_string()
                .contains("guided")
        );
    }
}
