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

use super::schedule::{ChunkQueue, Schedule};
use super::{in_chunk_order, panics};
use crate::Result;
use crate::workload::{Job, Workload};
use std::panic::{self, AssertUnwindSafe};

/// Runs the chunks on `workers` freshly started scoped threads.
///
/// A panic in one thread cancels the queue, so the others stop after their
/// current chunk, and comes back as an error naming the thread.
pub fn run<W: Workload>(job: &Job<W>, workers: usize, schedule: Schedule) -> Result<Vec<W::Part>> {
    let queue = ChunkQueue::new(schedule, job.chunks(), workers);
    let finished = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..workers)
            .map(|worker| {
                let queue = &queue;
                scope.spawn(move || {
                    let chunks = queue.chunks_for(worker);
                    let ran = panic::catch_unwind(AssertUnwindSafe(|| {
                        chunks
                            .map(|chunk| (chunk, job.run_chunk(chunk)))
                            .collect::<Vec<_>>()
                    }));
                    ran.map_err(|payload| {
                        queue.cancel();
                        panics::to_error(&format!("scoped thread {worker}"), payload)
                    })
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|thread| thread.join().expect("the panic was caught inside"))
            .collect::<Result<Vec<_>>>()
    })?;
    Ok(in_chunk_order(job.chunks(), finished.into_iter().flatten()))
}
