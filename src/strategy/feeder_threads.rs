//! Where a process run's own threads run: its feeders and its watchdog.
//!
//! A run on child processes needs threads in the parent too: one *feeder*
//! per child, keeping its pipe busy (`process.rs`), and a watchdog beside
//! them (`watchdog.rs`). Fresh processes get fresh threads, started and
//! joined with the run. A kept pool of processes keeps its threads as well,
//! for the reason it keeps its processes: starting a thread costs tens of
//! microseconds (about 60 µs each, start to join, on the 2-CPU reference
//! VM), and a run of linear-normal on two processes takes about 350 µs. Three
//! fresh threads a run would cost the pool half of what keeping its
//! processes saves. So a pool's threads are a rayon pool of its own, kept
//! beside its processes, and a run hands work between threads as little
//! as it can ([`on_kept_threads`]).

use super::panics;
use super::spawn;
use super::watchdog::Watchdog;
use crate::Error;
use rayon::ThreadPool;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

/// One feeder's work, run on a thread of its own.
pub(super) type Feeder<'a, T> = Box<dyn FnOnce() -> T + Send + 'a>;

/// The threads a run's feeders and watchdog run on.
pub(super) enum FeederThreads {
    /// Started for this run, joined at its end.
    Fresh,
    /// Kept with a pool of processes: at least one more thread than feeders.
    Kept(ThreadPool),
}

impl FeederThreads {
    /// Runs every feeder on a thread of its own, with the watchdog's patrol
    /// beside them until the last feeder is done, and gives back what each
    /// returned, in order. A feeder whose thread could not start, or that
    /// panicked, gives `None`, and `fail` has been told why.
    pub(super) fn run<'a, T: Send>(
        &self,
        watchdog: &Arc<Watchdog>,
        feeders: Vec<Feeder<'a, T>>,
        fail: &(dyn Fn(Error) + Sync),
    ) -> Vec<Option<T>> {
        match self {
            FeederThreads::Fresh => on_fresh_threads(watchdog, feeders, fail),
            FeederThreads::Kept(pool) => on_kept_threads(pool, watchdog, feeders, fail),
        }
    }
}

/// Scoped threads, each started through `spawn.rs` so that one the system
/// refuses fails the run instead of panicking.
fn on_fresh_threads<T: Send>(
    watchdog: &Watchdog,
    feeders: Vec<Feeder<'_, T>>,
    fail: &(dyn Fn(Error) + Sync),
) -> Vec<Option<T>> {
    let count = feeders.len();
    std::thread::scope(|scope| {
        // However the scope is left, the patrol must end, or the scope
        // would wait for it forever.
        let _dismiss = Dismiss(watchdog);
        let mut results: Vec<Option<T>> = Vec::with_capacity(count);
        if let Err(err) = spawn::scoped_helper(scope, "watchdog", || watchdog.patrol()) {
            fail(err);
        } else {
            let mut started = Vec::with_capacity(count);
            for (index, feeder) in feeders.into_iter().enumerate() {
                match spawn::scoped_thread(scope, "feeder", index, count, feeder) {
                    Ok(thread) => started.push(thread),
                    Err(err) => {
                        fail(err);
                        break;
                    }
                }
            }
            for (index, thread) in started.into_iter().enumerate() {
                let joined = thread.join().map_err(|panic| {
                    fail(panics::to_error(&format!("feeder thread {index}"), panic));
                });
                results.push(joined.ok());
            }
        }
        results.resize_with(count, || None);
        results
    })
}

/// The kept pool's threads, with as few hand-overs between threads as a
/// run allows. Waking a sleeping thread costs tens of microseconds on a
/// virtual machine, and a run of linear-normal on two processes lasts about
/// a millisecond, so the calling thread feeds the first child itself, the
/// pool's threads feed the others, and the patrol is not waited for: it is
/// dismissed at the end and notices on its own (it holds the watchdog
/// through an `Arc`, so it may outlive the run by a moment).
fn on_kept_threads<T: Send>(
    pool: &ThreadPool,
    watchdog: &Arc<Watchdog>,
    feeders: Vec<Feeder<'_, T>>,
    fail: &(dyn Fn(Error) + Sync),
) -> Vec<Option<T>> {
    let patrol = Arc::clone(watchdog);
    pool.spawn(move || patrol.patrol());
    let _dismiss = Dismiss(watchdog);
    let mut results: Vec<Option<T>> = feeders.iter().map(|_| None).collect();
    let guarded = |index: usize, feeder: Feeder<'_, T>| {
        catch_unwind(AssertUnwindSafe(feeder))
            .map_err(|panic| fail(panics::to_error(&format!("feeder thread {index}"), panic)))
            .ok()
    };
    let mut jobs = results.iter_mut().zip(feeders).enumerate();
    let first = jobs.next();
    pool.in_place_scope(|scope| {
        for (index, (result, feeder)) in jobs {
            scope.spawn(move |_| *result = guarded(index, feeder));
        }
        if let Some((index, (result, feeder))) = first {
            *result = guarded(index, feeder);
        }
    });
    results
}

/// Dismisses the watchdog when dropped, however a scope is left.
struct Dismiss<'a>(&'a Watchdog);

impl Drop for Dismiss<'_> {
    fn drop(&mut self) {
        self.0.dismiss();
    }
}
