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
//! vanishes is killed with it (`worker.rs`). A thread or child the system
//! refuses fails the run with one line (`spawn.rs`), like a worker that fails.

use super::child::WorkerProcess;
use super::in_chunk_order;
use super::panics;
use super::protocol::{Header, IN_FLIGHT};
use super::schedule::{ChunkQueue, Schedule};
use super::spawn;
use super::watchdog::Watchdog;
use super::worker;
use crate::workload::{Job, Workload};
use crate::{Error, Result};
use std::collections::VecDeque;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long a worker may take to start or to answer one request, unless
/// `--timeout` says otherwise: generous, since a chunk of a big run may take
/// minutes; a hung worker is still caught.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// What a run may be told beyond its job: how long to wait for a worker
/// (`--timeout`, handed down from the command line through
/// `Strategy::run_with`), and extra environment variables for the children
/// (a test seam: see `worker::FAULT_ENV`).
#[derive(Debug, Clone)]
pub struct Options {
    pub timeout: Duration,
    pub child_env: Vec<(String, String)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: DEFAULT_TIMEOUT,
            child_env: Vec::new(),
        }
    }
}

/// Runs the chunks in `workers` child processes.
pub fn run<W: Workload>(job: &Job<W>, workers: usize, schedule: Schedule) -> Result<Vec<W::Part>> {
    run_with(job, workers, schedule, &Options::default())
}

/// [`run`], with explicit [`Options`].
pub fn run_with<W: Workload>(
    job: &Job<W>,
    workers: usize,
    schedule: Schedule,
    options: &Options,
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
    // Every thread here starts through `spawn.rs`: one the system refuses
    // fails the run like a worker that fails. The watchdog is dismissed on
    // every path out of the scope (a guard), else the scope would wait for
    // its patrol forever.
    let fail = |err: Error| {
        failure.get_or_init(|| err);
        queue.cancel();
        watchdog.stop_all();
    };
    let parts: Vec<Numbered<W::Part>> = std::thread::scope(|scope| {
        let _dismiss = Dismiss(&watchdog);
        if let Err(err) = spawn::scoped_helper(scope, "watchdog", || watchdog.patrol()) {
            fail(err);
            return Vec::new();
        }
        let mut feeders = Vec::with_capacity(workers);
        for (worker, child) in children.iter_mut().enumerate() {
            let (queue, header, fail) = (&queue, &header, &fail);
            let body = move || {
                let fed = feed(job.workload, child, header, queue.chunks_for(worker));
                fed.unwrap_or_else(|err| {
                    fail(err);
                    Vec::new()
                })
            };
            match spawn::scoped_thread(scope, "feeder", worker, workers, body) {
                Ok(feeder) => feeders.push(feeder),
                Err(err) => {
                    fail(err);
                    break;
                }
            }
        }
        feeders
            .into_iter()
            .enumerate()
            .map(|(worker, feeder)| {
                feeder.join().unwrap_or_else(|panic| {
                    fail(panics::to_error(&format!("feeder thread {worker}"), panic));
                    Vec::new()
                })
            })
            .collect()
    });
    if let Some(err) = failure.into_inner() {
        return Err(err);
    }
    for child in children {
        child.finish(options.timeout)?;
    }
    Ok(in_chunk_order(job.chunks(), parts.into_iter().flatten()))
}

/// Dismisses the watchdog when dropped, however the scope is left.
struct Dismiss<'a>(&'a Watchdog);

impl Drop for Dismiss<'_> {
    fn drop(&mut self) {
        self.0.dismiss();
    }
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
    let options = Options::default();
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
fn spawn_workers(workers: usize, options: &Options) -> Result<Vec<WorkerProcess>> {
    if workers == 0 {
        return Err(Error::new("the process strategy needs at least one worker"));
    }
    worker::check_fault(&options.child_env)?;
    (0..workers)
        .map(|id| WorkerProcess::spawn(id, workers, &options.child_env))
        .collect()
}
