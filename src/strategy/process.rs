//! Child processes of the same executable, started for each run and fed
//! chunks over pipes.
//!
//! This is the lecture's pattern: a `multiprocessing.Pool` created inside the
//! function that uses it, so every call starts its worker processes afresh
//! and stops them at the end. Each worker is a separate process with its own
//! memory, so nothing is shared: the parent sends the workload's parameters
//! once, then chunk numbers, a few to a message (as `Pool.map` sends its
//! `chunksize`), and receives each chunk's result as bytes (`protocol.rs`
//! documents the messages). What the report shows, and
//! students should look for:
//!
//! - **start-up cost**: every run starts `workers` processes (~1 ms each);
//!   [`startup_time`] measures it on its own. `process_pool.rs` keeps its
//!   processes between runs instead, as Python's documentation advises
//!   (create the `Pool` once, reuse it), and pays this once;
//! - **transfer cost**: nothing is shared, so every result is encoded,
//!   moved and decoded. Each child puts its parts in a memory region it
//!   shares with its parent (`shared_replies.rs`), and only a frame saying
//!   where goes down the pipe; still, the parent decodes every part into
//!   memory of its own, which threads never pay;
//! - the same [`ChunkQueue`] as the scoped strategy, so static and dynamic
//!   scheduling behave alike with processes.
//!
//! One parent thread per child (a *feeder*) keeps each pipe busy; here
//! they are started for the run, as the processes are (a kept pool keeps
//! both, and its calling thread feeds one child itself: `feeder_threads.rs`). **Children
//! never outlive a run**: each is wrapped in a guard that kills and reaps it
//! when dropped (`child.rs`), a watchdog thread kills a child that takes
//! longer than the timeout to answer (`watchdog.rs`), and the first failure
//! stops every other child at once. The `speedup` binary also stops its
//! children on Ctrl-C and SIGTERM (`interrupt.rs`), and a child whose parent
//! vanishes exits by itself (`worker.rs`).

use super::busy::{BusyClock, Ran};
use super::child::WorkerProcess;
use super::feeder_threads::{Feeder, FeederThreads};
use super::in_chunk_order;
use super::options::RunOptions;
use super::protocol::{self, Header, IN_FLIGHT};
use super::schedule::{ChunkQueue, Schedule};
use super::watchdog::Watchdog;
use super::worker;
use crate::wire::Wire;
use crate::workload::{Job, Workload};
use crate::{Error, Result};
use std::collections::VecDeque;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Runs the chunks in `workers` child processes.
pub fn run<W: Workload>(job: &Job<W>, workers: usize, schedule: Schedule) -> Result<Ran<W::Part>> {
    run_with(job, workers, schedule, &RunOptions::default())
}

/// [`run`], with explicit [`RunOptions`] (`--timeout`).
pub fn run_with<W: Workload>(
    job: &Job<W>,
    workers: usize,
    schedule: Schedule,
    options: &RunOptions,
) -> Result<Ran<W::Part>> {
    let mut children = spawn_workers(workers, options)?;
    let threads = FeederThreads::Fresh;
    let ran = run_on(
        &mut children,
        job,
        schedule,
        options,
        Children::Fresh,
        &threads,
    )?;
    for child in children {
        child.finish(options.timeout)?;
    }
    Ok(ran)
}

/// Whether a run's children were started for it or are kept between runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Children {
    /// Started for this run: each must first be seen ready, and its input is
    /// closed after its last reply, so it exits while the others finish.
    Fresh,
    /// Ready already, and kept: they wait for the next run's job.
    Kept,
}

/// Runs the chunks of `job` on `children`, one feeder thread each on
/// `threads`, with a watchdog; each child's busy time comes back with its
/// last reply. On an error every child has been stopped.
pub(super) fn run_on<W: Workload>(
    children: &mut [WorkerProcess],
    job: &Job<W>,
    schedule: Schedule,
    options: &RunOptions,
    kind: Children,
    threads: &FeederThreads,
) -> Result<Ran<W::Part>> {
    let header = Header {
        workload: W::NAME.into(),
        seed: job.seed,
        params: serde_json::to_value(job.workload)?,
    };
    let watchdog = Arc::new(Watchdog::new(
        children.iter().map(|c| c.handle().clone()).collect(),
        options.timeout,
    ));
    let workers = children.len();
    let queue = ChunkQueue::new(schedule, job.chunks(), workers);
    let most_per_message = protocol::chunks_per_message(job.chunks(), workers);
    let clock = BusyClock::new(workers);
    // The first error is the cause; later ones are the other workers being stopped.
    let failure = OnceLock::new();
    // A thread the system refuses, or a feeder that panics, fails the run
    // like a worker that fails (`feeder_threads.rs`).
    let fail = |err: Error| {
        failure.get_or_init(|| err);
        queue.cancel();
        watchdog.stop_all();
    };
    let mut feeds: Vec<Feed<_>> = children
        .iter_mut()
        .enumerate()
        .map(|(worker, child)| Feed::new(child, queue.chunks_for(worker), most_per_message))
        .collect();
    // A kept pool's children are ready and waiting: this thread hands each
    // of them its job and first batches now, so they all start working at
    // once, before any feeder has woken up. (Fresh children must first be
    // seen ready, which their feeders wait for, under the watchdog.)
    if kind == Children::Kept {
        for feed in &mut feeds {
            if let Err(err) = feed.start(&header, kind) {
                fail(err);
            }
        }
    }
    let feeders: Vec<Feeder<Numbered<W::Part>>> = feeds
        .into_iter()
        .enumerate()
        .map(|(worker, mut feed)| {
            let (header, fail, clock) = (&header, &fail, &clock);
            let body = move || {
                let started = match kind {
                    Children::Fresh => feed.start(header, kind),
                    Children::Kept => Ok(()), // above, on the calling thread
                };
                let fed = started.and_then(|()| feed.finish(job.workload, kind));
                fed.map(|(parts, busy_nanos)| {
                    clock.add(worker, busy_nanos);
                    parts
                })
                .unwrap_or_else(|err| {
                    fail(err);
                    Vec::new()
                })
            };
            Box::new(body) as Feeder<_>
        })
        .collect();
    let parts = threads.run(&watchdog, feeders, &fail);
    if let Some(err) = failure.into_inner() {
        return Err(err);
    }
    Ok(Ran {
        parts: in_chunk_order(job.chunks(), parts.into_iter().flatten().flatten()),
        busy_s: clock.seconds(),
    })
}

/// Parts tagged with their chunk numbers, as one feeder thread collected them.
type Numbered<P> = Vec<(usize, P)>;

/// One child's share of a run, as its feeder sees it: start the child's
/// job, hand it chunks until none are left, then collect what it kept back
/// and its busy time (nanoseconds).
///
/// Chunks go out in batches (`protocol.rs`: one wake-up per batch instead
/// of per chunk): the first ones of `most` chunks, Python's rule; later
/// ones hold about [`protocol::WORK_PER_MESSAGE`] of work, as the time
/// between replies tells ([`protocol::batch_for`]). [`IN_FLIGHT`] batches
/// stay sent ahead of the replies, so the child never waits for the parent
/// between them; the rest request goes out as soon as the chunks run out,
/// so it costs no round trip of its own either.
struct Feed<'a, I> {
    child: &'a mut WorkerProcess,
    chunks: I,
    /// The size of the next batch.
    batch: usize,
    most: usize,
    in_flight: VecDeque<Vec<usize>>,
    /// When the last batch's replies were in (or the job was sent).
    last_reply: Instant,
    asked_rest: bool,
}

impl<'a, I: Iterator<Item = usize>> Feed<'a, I> {
    fn new(child: &'a mut WorkerProcess, chunks: I, most: usize) -> Self {
        Feed {
            child,
            chunks,
            batch: most,
            most,
            in_flight: VecDeque::with_capacity(IN_FLIGHT),
            last_reply: Instant::now(),
            asked_rest: false,
        }
    }

    /// Sends the job's header and the first batches: a fresh child's on its
    /// feeder thread, once it is seen ready; a kept child's on the run's
    /// calling thread, before any feeder runs.
    fn start(&mut self, header: &Header, kind: Children) -> Result<()> {
        if kind == Children::Fresh {
            self.child.wait_ready()?;
        }
        self.child.begin(header)?;
        self.last_reply = Instant::now();
        self.top_up()
    }

    /// Keeps [`IN_FLIGHT`] batches sent, then the rest request.
    fn top_up(&mut self) -> Result<()> {
        while self.in_flight.len() < IN_FLIGHT && !self.asked_rest {
            let batch: Vec<usize> = self.chunks.by_ref().take(self.batch).collect();
            if batch.is_empty() {
                self.child.ask_rest()?;
                self.asked_rest = true;
            } else {
                self.child.send(&batch)?;
                self.in_flight.push_back(batch);
            }
        }
        Ok(())
    }

    /// Collects every reply, sending more batches as replies come in. What
    /// the child kept back (the condensed parts, see `Workload::condense`)
    /// is folded into the empty part of its first chunk; a workload that
    /// condenses nothing gets an empty rest, which is dropped.
    fn finish<W: Workload<Part = P>, P: Wire>(
        mut self,
        workload: &W,
        kind: Children,
    ) -> Result<(Numbered<P>, u64)> {
        let mut parts = Vec::new();
        while let Some(batch) = self.in_flight.pop_front() {
            for &chunk in &batch {
                parts.push(self.child.receive(chunk)?);
            }
            // The child ran this batch while the parent waited (the next was
            // already queued), so the time between replies is its work.
            let now = Instant::now();
            let chunk_seconds = (now - self.last_reply).as_secs_f64() / batch.len() as f64;
            self.batch = protocol::batch_for(chunk_seconds, self.most);
            self.last_reply = now;
            self.top_up()?;
        }
        let (rest, busy_nanos) = self.child.receive_rest()?;
        if kind == Children::Fresh {
            self.child.close_input();
        }
        fold_rest(workload, &mut parts, rest)?;
        Ok((parts, busy_nanos))
    }
}

/// Folds what a child kept back into the empty part of its first chunk.
///
/// A workload that condenses nothing sends an empty rest, which its
/// `condense` refuses; that is dropped. A non-empty rest that `condense`
/// refuses would be results lost, so it is an error: the workload condensed
/// in the child what it will not fold in the parent.
fn fold_rest<W: Workload>(
    workload: &W,
    parts: &mut Numbered<W::Part>,
    rest: W::Part,
) -> Result<()> {
    let refused = match parts.first_mut() {
        Some((_, first)) => workload.condense(first, rest),
        None => Err(rest),
    };
    match refused {
        Ok(()) => Ok(()),
        Err(rest) if rest.to_bytes() == W::Part::default().to_bytes() => Ok(()),
        Err(_) => Err(Error::new(format!(
            "{}: a worker kept back condensed results that condense() then refused to fold \
             (the workload's condense must accept what it condensed)",
            W::NAME
        ))),
    }
}

/// Time to start `workers` children, see them ready, and shut them down.
pub fn startup_time(workers: usize) -> Result<Duration> {
    let options = RunOptions::default();
    let start = Instant::now();
    let mut children = spawn_workers(workers, &options)?;
    for child in &mut children {
        child.wait_ready()?;
    }
    for child in children {
        child.finish(options.timeout)?;
    }
    Ok(start.elapsed())
}

/// Starts every child at once: they load in parallel, and each feeder then
/// waits for its own child's READY line.
pub(super) fn spawn_workers(workers: usize, options: &RunOptions) -> Result<Vec<WorkerProcess>> {
    if workers == 0 {
        return Err(Error::new("the process strategy needs at least one worker"));
    }
    worker::check_fault(&options.child_env)?;
    (0..workers)
        .map(|id| WorkerProcess::spawn(id, workers, &options.child_env))
        .collect()
}
