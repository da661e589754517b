//! Child processes started once and kept between runs: a pool.
//!
//! `process.rs` starts its processes for every run, as the lecture's code
//! does when it creates its `multiprocessing.Pool` inside the function that
//! uses it. Python's documentation advises the other way: create the pool
//! once and reuse it. This strategy does that, as the rayon pool keeps its
//! threads (`pools.rs`): the first run with `workers` processes starts them,
//! every later run with that many hands the same processes a new job
//! (`protocol.rs`: the rest request ends a job, and the next header starts
//! one). Compare the two in a report: on a short workload the fresh
//! processes spend most of each run starting up, the pool does not.
//!
//! A pool of processes must still never outlive the program, and a broken
//! process must never serve another run: a run that fails stops all of its
//! processes (the next run starts new ones, as it does when a kept process
//! has died), the Ctrl-C handler stops kept processes like any other
//! (`interrupt.rs`), and when the program ends their input closes, so they
//! exit; a worker whose parent dies is killed with it (`worker.rs`).
//!
//! One subtlety of that last guarantee: Linux kills a worker when the
//! *thread* that started it ends, not the process. Fresh processes are
//! started and reaped by one run on one thread, but kept ones must outlive
//! the run, and the thread, that first needed them (a test, a labs timing
//! thread). So kept processes are started from a thread of their own that
//! lives as long as the program ([`on_starter_thread`]).

use super::busy::Ran;
use super::child::WorkerProcess;
use super::feeder_threads::FeederThreads;
use super::options::RunOptions;
use super::pools;
use super::process::{Children, run_on, spawn_workers};
use super::schedule::Schedule;
use crate::lock::lock;
use crate::workload::{Job, Workload};
use crate::{Error, Result};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::mpsc::{self, Sender};

/// A pool: its processes, and the parent's threads that feed them and watch
/// them (`feeder_threads.rs`), kept as long as the processes are.
struct Pool {
    children: Vec<WorkerProcess>,
    threads: FeederThreads,
}

/// The kept pools, by size. A pool is taken out for a run and put back
/// after it, so two runs never share a process.
static POOLS: Mutex<Option<HashMap<usize, Pool>>> = Mutex::new(None);

/// Runs the chunks on the kept pool of `workers` processes, starting it on
/// first use; chunks go to whichever process is free (dynamic schedule).
pub fn run_with<W: Workload>(
    job: &Job<W>,
    workers: usize,
    options: &RunOptions,
) -> Result<Vec<W::Part>> {
    run_recorded(job, workers, options).map(|ran| ran.parts)
}

/// [`run_with`], with each process's busy time (`busy.rs`).
pub fn run_recorded<W: Workload>(
    job: &Job<W>,
    workers: usize,
    options: &RunOptions,
) -> Result<Ran<W::Part>> {
    let mut pool = take(workers, options)?;
    let ran = run_on(
        &mut pool.children,
        job,
        Schedule::Dynamic,
        options,
        Children::Kept,
        &pool.threads,
    )?;
    put_back(workers, pool);
    Ok(ran)
}

/// Starts the pool of `workers` processes now, if it is not running, so the
/// first measured run does not pay for it.
pub fn warm_up(workers: usize, options: &RunOptions) -> Result<()> {
    let pool = take(workers, options)?;
    put_back(workers, pool);
    Ok(())
}

/// The kept pool of `workers` processes if all still run, or new
/// processes, seen ready, with the pool's threads. (A pool with a dead
/// process is dropped whole, which stops the rest.)
fn take(workers: usize, options: &RunOptions) -> Result<Pool> {
    let kept = lock(&POOLS)
        .get_or_insert_with(HashMap::new)
        .remove(&workers);
    let threads = match kept {
        Some(pool) if pool.children.iter().all(|c| c.handle().is_running()) => return Ok(pool),
        Some(pool) => pool.threads,
        // The feeders but the first (the caller feeds that one), the
        // watchdog, and room for the last run's watchdog still leaving.
        None => FeederThreads::Kept(pools::build(workers + 1, "feeders")?),
    };
    let options = options.clone();
    let children = on_starter_thread(move || -> Result<Vec<WorkerProcess>> {
        let mut children = spawn_workers(workers, &options)?;
        for child in &mut children {
            child.wait_ready()?;
        }
        Ok(children)
    })??;
    Ok(Pool { children, threads })
}

/// A task for the starter thread.
type Task = Box<dyn FnOnce() + Send>;

/// Runs `task` on the one thread that starts kept processes, and waits for
/// its result. The thread is started on first use and never ends.
fn on_starter_thread<T: Send + 'static>(task: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    static STARTER: Mutex<Option<Sender<Task>>> = Mutex::new(None);
    let mut starter = lock(&STARTER);
    if starter.is_none() {
        let (sender, tasks) = mpsc::channel::<Task>();
        std::thread::Builder::new()
            .name("speedup-pool-starter".into())
            .spawn(move || tasks.into_iter().for_each(|task| task()))
            .map_err(|e| {
                Error::new(format!(
                    "cannot start the process pool's starter thread: {e}; raise ulimit -u"
                ))
            })?;
        *starter = Some(sender);
    }
    let (done, result) = mpsc::channel();
    let task: Task = Box::new(move || {
        let _ = done.send(task());
    });
    starter
        .as_ref()
        .expect("started above")
        .send(task)
        .map_err(|_| Error::new("the process pool's starter thread has ended"))?;
    drop(starter);
    result
        .recv()
        .map_err(|_| Error::new("the process pool's starter thread failed to start processes"))
}

fn put_back(workers: usize, pool: Pool) {
    lock(&POOLS)
        .get_or_insert_with(HashMap::new)
        .insert(workers, pool);
}
