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

use super::busy::{BusyClock, Ran};
use super::in_chunk_order;
use super::panics::{self, OnPanic};
use super::schedule::{ChunkQueue, Schedule};
use super::spawn;
use crate::Result;
use crate::workload::{Job, Workload};

/// Runs the chunks on `workers` freshly started scoped threads.
///
/// A thread the system refuses (`spawn.rs`) fails the run: the queue is
/// cancelled, so the threads already started stop after their current chunk
/// and are joined, and the refusal is the error.
pub fn run<W: Workload>(job: &Job<W>, workers: usize, schedule: Schedule) -> Result<Ran<W::Part>> {
    let queue = &ChunkQueue::new(schedule, job.chunks(), workers);
    let clock = &BusyClock::new(workers);
    let (joined, refused) = std::thread::scope(|scope| {
        let mut threads = Vec::with_capacity(workers);
        let mut refused = None;
        for worker in 0..workers {
            let body = move || run_worker(job, queue, clock, worker);
            match spawn::scoped_thread(scope, "scoped", worker, workers, body) {
                Ok(thread) => threads.push(thread),
                Err(err) => {
                    queue.cancel();
                    refused = Some(err);
                    break;
                }
            }
        }
        let joined: Vec<_> = threads.into_iter().map(|thread| thread.join()).collect();
        (joined, refused)
    });
    if let Some(err) = refused {
        return Err(err);
    }
    let mut parts = Vec::with_capacity(job.chunks());
    for (worker, result) in joined.into_iter().enumerate() {
        let pairs =
            result.map_err(|panic| panics::to_error(&format!("scoped thread {worker}"), panic))?;
        parts.extend(pairs);
    }
    Ok(Ran {
        parts: in_chunk_order(job.chunks(), parts),
        busy_s: clock.seconds(),
    })
}

/// What one thread does: take its chunks from the queue, return them as
/// `(chunk, part)` pairs, timing each chunk on its own slot of `clock`.
///
/// If a chunk panics, the guard cancels the queue as the thread unwinds, so
/// the other threads stop after their current chunk; the panic itself comes
/// back from `join` and becomes an error naming the thread.
fn run_worker<W: Workload>(
    job: &Job<W>,
    queue: &ChunkQueue,
    clock: &BusyClock,
    worker: usize,
) -> Vec<(usize, W::Part)> {
    let _stop_the_others = OnPanic(|| queue.cancel());
    queue
        .chunks_for(worker)
        .map(|chunk| (chunk, clock.time(worker, || job.run_chunk(chunk))))
        .collect()
}
