//! Child processes of the same executable, fed chunks over pipes.
//!
//! This is Python's `multiprocessing.Pool` done by hand. Each worker is a
//! separate process with its own memory, so nothing is shared: the parent
//! sends the workload's parameters once, then chunk numbers, and receives each
//! chunk's result as bytes (`protocol.rs` documents the messages). What the
//! report shows, and students should look for:
//!
//! - **start-up cost**: every run starts `workers` processes (~1 ms each);
//!   [`startup_time`] measures it on its own;
//! - **transfer cost**: results are copied through a pipe, not shared;
//! - the same [`ChunkQueue`] as the scoped strategy, so static and dynamic
//!   scheduling behave alike with processes.
//!
//! One parent thread per child (a *feeder*) keeps each pipe busy. **Children
//! never outlive a run**: each is wrapped in a guard that kills and reaps it
//! when dropped (`child.rs`), a watchdog thread kills a child that takes
//! longer than the timeout to answer (`watchdog.rs`), and the first failure
//! stops every other child at once. The `speedup` binary also stops its
//! children on Ctrl-C and SIGTERM (`interrupt.rs`), and a child whose parent
//! vanishes exits by itself (`worker.rs`).

use super::child::WorkerProcess;
use super::in_chunk_order;
use super::options::RunOptions;
use super::protocol::{Header, IN_FLIGHT};
use super::schedule::{ChunkQueue, Schedule};
use super::watchdog::Watchdog;
use crate::workload::{Job, Workload};
use crate::{Error, Result};
use std::collections::VecDeque;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Runs the chunks in `workers` child processes.
pub fn run<W: Workload>(job: &Job<W>, workers: usize, schedule: Schedule) -> Result<Vec<W::Part>> {
    run_with(job, workers, schedule, &RunOptions::default())
}

/// [`run`], with explicit [`RunOptions`] (`--timeout`).
pub fn run_with<W: Workload>(
    job: &Job<W>,
    workers: usize,
    schedule: Schedule,
    options: &RunOptions,
) -> Result<Vec<W::Part>> {
    let header = Header {
        workload: W::NAME.into(),
        seed: job.seed,
        params: serde_json::to_value(job.workload)?,
    };
    let mut children = spawn_workers(workers, options)?;
    let watchdog = Watchdog::new(
        children.iter().map(|c| c.handle().clone()).collect(),
        options.timeout,
    );
    let queue = ChunkQueue::new(schedule, job.chunks(), workers);
    // The first error is the cause; later ones are the other workers being stopped.
    let failure = OnceLock::new();
    let parts: Vec<Numbered<W::Part>> = std::thread::scope(|scope| {
        scope.spawn(|| watchdog.patrol());
        let feeders: Vec<_> = children
            .iter_mut()
            .enumerate()
            .map(|(worker, child)| {
                let (queue, watchdog, failure, header) = (&queue, &watchdog, &failure, &header);
                scope.spawn(move || {
                    let fed = feed(job.workload, child, header, queue.chunks_for(worker));
                    fed.unwrap_or_else(|err| {
                        failure.get_or_init(|| err);
                        queue.cancel();
                        watchdog.stop_all();
                        Vec::new()
                    })
                })
            })
            .collect();
        let parts = feeders
            .into_iter()
            .map(|feeder| feeder.join().expect("a feeder thread panicked"))
            .collect();
        watchdog.dismiss();
        parts
    });
    if let Some(err) = failure.into_inner() {
        return Err(err);
    }
    for child in children {
        child.finish(options.timeout)?;
    }
    Ok(in_chunk_order(job.chunks(), parts.into_iter().flatten()))
}

/// Parts tagged with their chunk numbers, as one feeder thread collected them.
type Numbered<P> = Vec<(usize, P)>;

/// One feeder's work: start its child, hand it chunks until none are left,
/// then collect what it kept back.
///
/// [`IN_FLIGHT`] requests stay sent ahead of the replies, so the child never
/// waits for the parent between chunks; the rest request goes out as soon as
/// the chunks run out, so it costs no round trip of its own either. What the
/// child kept back (the condensed parts, see `Workload::condense`) is folded
/// into the empty part of its first chunk; a workload that condenses nothing
/// gets an empty rest, which is dropped.
fn feed<W: Workload>(
    workload: &W,
    child: &mut WorkerProcess,
    header: &Header,
    mut chunks: impl Iterator<Item = usize>,
) -> Result<Numbered<W::Part>> {
    child.start(Some(header))?;
    let mut in_flight = VecDeque::with_capacity(IN_FLIGHT);
    let mut parts = Vec::new();
    let mut asked_rest = false;
    loop {
        while in_flight.len() < IN_FLIGHT && !asked_rest {
            match chunks.next() {
                Some(chunk) => {
                    child.send(chunk)?;
                    in_flight.push_back(chunk);
                }
                None => {
                    child.ask_rest()?;
                    asked_rest = true;
                }
            }
        }
        let Some(chunk) = in_flight.pop_front() else {
            break;
        };
        parts.push(child.receive(chunk)?);
    }
    let rest = child.receive_rest()?;
    child.close_input();
    if let Some((_, first)) = parts.first_mut() {
        let _ = workload.condense(first, rest);
    }
    Ok(parts)
}

/// Time to start `workers` children, see them ready, and shut them down.
pub fn startup_time(workers: usize) -> Result<Duration> {
    let options = RunOptions::default();
    let start = Instant::now();
    let mut children = spawn_workers(workers, &options)?;
    for child in &mut children {
        child.start(None)?;
    }
    for child in children {
        child.finish(options.timeout)?;
    }
    Ok(start.elapsed())
}

/// Starts every child at once: they load in parallel, and each feeder then
/// waits for its own child's READY line.
fn spawn_workers(workers: usize, options: &RunOptions) -> Result<Vec<WorkerProcess>> {
    if workers == 0 {
        return Err(Error::new("the process strategy needs at least one worker"));
    }
    (0..workers)
        .map(|id| WorkerProcess::spawn(id, &options.child_env))
        .collect()
}
