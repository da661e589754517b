//! Scoped threads with an explicit partition of the chunks.
//!
//! `std::thread::scope` starts threads that may borrow from the caller's stack
//! (here: the job and the queue) because the scope guarantees they are joined
//! before it returns. No `Arc`, no `'static` bounds, no channels: each thread
//! returns its `(chunk, part)` pairs from its closure, and the main thread puts
//! them in chunk order. (`crossbeam::scope` offered the same before Rust 1.63
//! made it part of the standard library.)
//!
//! Unlike the thread pool, this strategy makes the partition visible: with
//! `Schedule::Static` each thread owns a block of chunks, with
//! `Schedule::Dynamic` threads pull chunks from a shared counter
//! (`schedule.rs`). Run the integration workload both ways and compare.

use super::in_chunk_order;
use super::schedule::{ChunkQueue, Schedule};
use crate::workload::{Job, Workload};

/// Runs the chunks on `workers` freshly started scoped threads.
pub fn run<W: Workload>(job: &Job<W>, workers: usize, schedule: Schedule) -> Vec<W::Part> {
    let queue = ChunkQueue::new(schedule, job.chunks(), workers);
    let finished: Vec<Vec<(usize, W::Part)>> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..workers)
            .map(|worker| {
                let queue = &queue;
                scope.spawn(move || {
                    queue
                        .chunks_for(worker)
                        .map(|chunk| (chunk, job.run_chunk(chunk)))
                        .collect()
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|thread| {
                thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    in_chunk_order(job.chunks(), finished.into_iter().flatten())
}
