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
//! processes saves. So a pool's threads are a rayon pool of its own, one
//! thread per child and one for the watchdog, kept beside its processes.

use super::panics;
use super::spawn;
use super::watchdog::Watchdog;
use crate::Error;
use rayon::ThreadPool;
use std::panic::{AssertUnwindSafe, catch_unwind};

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
        watchdog: &Watchdog,
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

/// The kept pool's threads: the patrol in an outer scope, the feeders in an
/// inner one that ends when the last feeder does; then the patrol is
/// dismissed and the outer scope ends too.
fn on_kept_threads<T: Send>(
    pool: &ThreadPool,
    watchdog: &Watchdog,
    feeders: Vec<Feeder<'_, T>>,
    fail: &(dyn Fn(Error) + Sync),
) -> Vec<Option<T>> {
    let mut results: Vec<Option<T>> = feeders.iter().map(|_| None).collect();
    pool.in_place_scope(|outer| {
        outer.spawn(|_| watchdog.patrol());
        let _dismiss = Dismiss(watchdog);
        pool.in_place_scope(|inner| {
            for (index, (result, feeder)) in results.iter_mut().zip(feeders).enumerate() {
                inner.spawn(move |_| {
                    *result = catch_unwind(AssertUnwindSafe(feeder))
                        .map_err(|panic| {
                            fail(panics::to_error(&format!("feeder thread {index}"), panic));
                        })
                        .ok();
                });
            }
        });
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
