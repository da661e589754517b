//! A panic inside a thread-pool or scoped worker becomes an error that names
//! it, not an abort of the whole program; the other workers stop early.

use serde::{Deserialize, Serialize};
use speedup::checksum::Checksum;
use speedup::seeds::ChunkRng;
use speedup::workload::{Outcome, Workload};
use speedup::{Job, Result, Schedule, Strategy};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many chunks ran, across every test in this file.
static CHUNKS_RUN: AtomicUsize = AtomicUsize::new(0);

/// The tests of this file one at a time: they share [`CHUNKS_RUN`], and
/// the pool test's chunks must not be counted as the scoped test's.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A workload with a bug: chunk `bad` panics.
#[derive(Debug, Serialize, Deserialize)]
struct Fragile {
    chunks: usize,
    bad: usize,
}

struct Count(usize);

impl Outcome for Count {
    fn summary(&self) -> serde_json::Value {
        self.0.into()
    }
    fn describe(&self) -> String {
        self.0.to_string()
    }
    fn to_json(&self) -> serde_json::Value {
        self.0.into()
    }
    fn checksum(&self) -> Checksum {
        Checksum::of(&(self.0 as u64))
    }
}

impl Workload for Fragile {
    const NAME: &'static str = "fragile";
    type Part = u64;
    type Output = Count;

    fn validate(&self) -> Result<()> {
        Ok(())
    }
    fn chunk_count(&self) -> usize {
        self.chunks
    }
    fn run_chunk(&self, chunk: usize, _rng: &mut ChunkRng) -> u64 {
        CHUNKS_RUN.fetch_add(1, Ordering::Relaxed);
        if chunk == self.bad {
            panic!("chunk {chunk} found a bug");
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
        chunk as u64
    }
    fn merge(&self, parts: Vec<u64>) -> Count {
        Count(parts.len())
    }
}

fn panicking_run(strategy: Strategy) -> String {
    let fragile = Fragile {
        chunks: 400,
        bad: 3,
    };
    let error = strategy
        .run(&Job::new(&fragile, 1), 2)
        .expect_err("a panicking chunk must fail the run");
    error.to_string()
}

#[test]
fn a_panic_on_a_scoped_thread_is_an_error_naming_the_thread() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    for schedule in Schedule::ALL {
        let before = CHUNKS_RUN.load(Ordering::Relaxed);
        let message = panicking_run(Strategy::Scoped(schedule));
        assert!(
            message.starts_with("scoped thread ") && message.contains(" panicked: "),
            "{message}"
        );
        assert!(message.contains("chunk 3 found a bug"), "{message}");
        // The other thread stopped early instead of running its 200 chunks.
        let ran = CHUNKS_RUN.load(Ordering::Relaxed) - before;
        assert!(ran < 400, "{ran} chunks ran after the panic");
    }
}

#[test]
fn a_panic_on_a_pool_thread_is_an_error() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let message = panicking_run(Strategy::ThreadPool);
    assert!(
        message.contains("thread-pool worker panicked: chunk 3 found a bug"),
        "{message}"
    );
    // The pool survives its worker's panic and runs the next job.
    let fine = Fragile {
        chunks: 8,
        bad: usize::MAX,
    };
    let parts = Strategy::ThreadPool.run(&Job::new(&fine, 1), 2).unwrap();
    assert_eq!(parts, (0..8).collect::<Vec<u64>>());
}
