//! Lab 1: integration, from serial to parallel.
//! Worksheet: `labs/worksheets/01-integration.md`.
//!
//! You estimate the integral of f(x) = 1/(1+x²) on [0, 1] (exactly π/4) with
//! random Riemann sums, for every number of points n in 0..samples, and then
//! make that convergence study parallel three ways. The chunk layout is the
//! library's: chunk `c` holds the estimates for n in
//! `c * ESTIMATES_PER_CHUNK ..` and draws from `chunk_rng(seed, c)`. Keep it,
//! and every version you write gives the *same bits* as the library's
//! `integration` workload, at every worker count.

use speedup::Measurement;
use speedup::seeds::{ChunkRng, chunk_rng};
pub use speedup::workloads::integration::{ESTIMATES_PER_CHUNK, f};

/// Task 1. One estimate with `n` random points on [0, 1).
///
/// Draw `n` uniforms with `rng.random::<f64>()` (a method of the
/// `rand::Rng` trait, so `use rand::Rng;`), in that order, sort them
/// ascending, and add the right-endpoint rectangles between neighbours:
/// `sum over i = 1..n-1 of (x_i - x_{i-1}) * f(x_i)`. Fewer than 2 points
/// give 0 and draw nothing: the chunk's next estimate uses the same stream.
pub fn integral(n: usize, rng: &mut ChunkRng) -> f64 {
    // BEGIN SOLUTION hint: task 1: one random Riemann-sum estimate of the area under f, from n sorted random points
    use rand::Rng;
    if n < 2 {
        return 0.0;
    }
    let mut xs: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
    xs.sort_by(f64::total_cmp);
    let mut area = 0.0;
    for pair in xs.windows(2) {
        area += (pair[1] - pair[0]) * f(pair[1]);
    }
    area
    // END SOLUTION
}

/// How many chunks a study of `samples` estimates has.
pub fn chunk_count(samples: usize) -> usize {
    samples.div_ceil(ESTIMATES_PER_CHUNK)
}

/// Task 2a. The estimates of chunk `chunk`: n from `chunk * ESTIMATES_PER_CHUNK`
/// up to the next chunk's first n (or `samples`), all drawn from one
/// `chunk_rng(seed, chunk)`, in order of n.
pub fn estimate_chunk(chunk: usize, samples: usize, seed: u64) -> Vec<f64> {
    // BEGIN SOLUTION hint: task 2: the estimates of one chunk, from that chunk's own random stream
    let first = chunk * ESTIMATES_PER_CHUNK;
    let last = (first + ESTIMATES_PER_CHUNK).min(samples);
    let mut rng = chunk_rng(seed, chunk);
    (first..last).map(|n| integral(n, &mut rng)).collect()
    // END SOLUTION
}

/// Task 2b. The serial convergence study: `areas[n]` is the estimate with n points.
pub fn convergence_serial(samples: usize, seed: u64) -> Vec<f64> {
    // BEGIN SOLUTION hint: task 2: every chunk's estimates, in chunk order
    (0..chunk_count(samples))
        .flat_map(|chunk| estimate_chunk(chunk, samples, seed))
        .collect()
    // END SOLUTION
}

/// Task 3. The same study on a rayon pool of exactly `workers` threads
/// (build a `rayon::ThreadPoolBuilder` pool, never the global one).
pub fn convergence_rayon(samples: usize, seed: u64, workers: usize) -> Vec<f64> {
    // BEGIN SOLUTION hint: task 3: the same study, its chunks spread over a pool of exactly `workers` threads
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .expect("a thread pool");
    let parts: Vec<Vec<f64>> = pool.install(|| {
        (0..chunk_count(samples))
            .into_par_iter()
            .map(|chunk| estimate_chunk(chunk, samples, seed))
            .collect()
    });
    parts.concat()
    // END SOLUTION
}

/// Task 4a. The chunks worker `worker` of `workers` owns under static
/// scheduling: the contiguous block `worker*chunks/workers .. (worker+1)*chunks/workers`.
pub fn static_block(worker: usize, workers: usize, chunks: usize) -> std::ops::Range<usize> {
    // BEGIN SOLUTION hint: task 4: the contiguous range of chunks this worker owns
    worker * chunks / workers..(worker + 1) * chunks / workers
    // END SOLUTION
}

/// Task 4b. Scoped threads (`std::thread::scope`), one per worker, each
/// running its static block; join them in worker order and concatenate.
/// Run each chunk through `crate::timing::busy` so that `lab time 1` can
/// show how long each thread worked (its load balance).
pub fn convergence_scoped_static(samples: usize, seed: u64, workers: usize) -> Vec<f64> {
    // BEGIN SOLUTION hint: task 4: one scoped thread per worker, each running its own block
    let chunks = chunk_count(samples);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                scope.spawn(move || {
                    static_block(worker, workers, chunks)
                        .flat_map(|chunk| {
                            crate::timing::busy(|| estimate_chunk(chunk, samples, seed))
                        })
                        .collect::<Vec<f64>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().expect("a worker thread panicked"))
            .collect()
    })
    // END SOLUTION
}

/// Task 5. Scoped threads with dynamic scheduling: each thread repeatedly takes
/// the next unclaimed chunk from a shared `AtomicUsize` counter
/// (`fetch_add(1, Relaxed)`) until none is left, and returns its
/// `(chunk, estimates)` pairs; put the parts back in chunk order. Run each
/// chunk through `crate::timing::busy`, as in task 4b.
pub fn convergence_scoped_dynamic(samples: usize, seed: u64, workers: usize) -> Vec<f64> {
    // BEGIN SOLUTION hint: task 5: threads that each take the next unclaimed chunk until none is left
    use std::sync::atomic::{AtomicUsize, Ordering};
    let chunks = chunk_count(samples);
    let next = AtomicUsize::new(0);
    let mut pairs: Vec<(usize, Vec<f64>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let chunk = next.fetch_add(1, Ordering::Relaxed);
                        if chunk >= chunks {
                            break mine;
                        }
                        mine.push((
                            chunk,
                            crate::timing::busy(|| estimate_chunk(chunk, samples, seed)),
                        ));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().expect("a worker thread panicked"))
            .collect()
    });
    pairs.sort_unstable_by_key(|(chunk, _)| *chunk);
    pairs.into_iter().flat_map(|(_, part)| part).collect()
    // END SOLUTION
}

/// Task 8a. Your balanced static schedule: the worker (of `workers`) that
/// runs chunk `chunk` of `chunks`. Static means decided before the run,
/// from these three numbers alone: the same answer whenever and wherever
/// it is asked. Balanced means every worker gets about the same *work*, not
/// the same number of chunks (chunk c's estimates cost more as c grows).
/// Cyclic or by estimated cost: your choice, justified in the worksheet.
pub fn balanced_owner(chunk: usize, chunks: usize, workers: usize) -> usize {
    // BEGIN SOLUTION hint: task 8: which worker runs this chunk, decided before the run, so that every worker gets about the same work
    // Cyclic: neighbouring chunks cost nearly the same, so dealing them out
    // like cards gives every worker a slice of the cheap start and of the
    // dear end. (A schedule by cost would sort chunks by n·log n and deal
    // each to the least loaded worker so far: better balanced at a few
    // chunks per worker, and more to explain.)
    let _ = chunks;
    chunk % workers
    // END SOLUTION
}

/// The chunks worker `worker` runs under [`balanced_owner`], in chunk order.
pub fn balanced_chunks(worker: usize, workers: usize, chunks: usize) -> Vec<usize> {
    (0..chunks)
        .filter(|&chunk| balanced_owner(chunk, chunks, workers) == worker)
        .collect()
}

/// Task 8b. Scoped threads, one per worker, each running the chunks your
/// balanced schedule gives it ([`balanced_chunks`]), each chunk through
/// `crate::timing::busy` as in task 4b; the result in chunk order.
pub fn convergence_scoped_balanced(samples: usize, seed: u64, workers: usize) -> Vec<f64> {
    // BEGIN SOLUTION hint: task 8: one scoped thread per worker, each running the chunks your schedule gives it, the estimates back in chunk order
    let chunks = chunk_count(samples);
    let mut parts: Vec<Option<Vec<f64>>> = vec![None; chunks];
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                scope.spawn(move || {
                    balanced_chunks(worker, workers, chunks)
                        .into_iter()
                        .map(|chunk| {
                            let part = crate::timing::busy(|| estimate_chunk(chunk, samples, seed));
                            (chunk, part)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            for (chunk, part) in handle.join().expect("a worker thread panicked") {
                parts[chunk] = Some(part);
            }
        }
    });
    parts.into_iter().flatten().flatten().collect()
    // END SOLUTION
}

/// Task 7. Load imbalance of static blocks: the largest block's work over the
/// mean block's work, when estimate n costs `n * log2(n)` (0 for n < 2).
/// 1.0 means perfectly balanced; the static schedule can be no faster than
/// serial time × imbalance / workers.
pub fn static_imbalance(samples: usize, workers: usize) -> f64 {
    // BEGIN SOLUTION hint: task 7: how much more work the busiest static block has than the average one
    let cost = |n: usize| {
        if n < 2 {
            0.0
        } else {
            n as f64 * (n as f64).log2()
        }
    };
    let chunks = chunk_count(samples);
    let work: Vec<f64> = (0..workers)
        .map(|worker| {
            static_block(worker, workers, chunks)
                .flat_map(|chunk| {
                    let first = chunk * ESTIMATES_PER_CHUNK;
                    first..(first + ESTIMATES_PER_CHUNK).min(samples)
                })
                .map(cost)
                .sum()
        })
        .collect();
    let mean = work.iter().sum::<f64>() / workers as f64;
    work.iter().cloned().fold(0.0, f64::max) / mean
    // END SOLUTION
}

/// Task 6 (and 8c): times your five versions at the default size (10,000 estimates),
/// then the library's strategies on its `integration` workload, all in the
/// same interleaved rounds.
pub fn measurements(options: &crate::timing::Options) -> speedup::Result<Vec<Measurement>> {
    let (samples, seed) = (10_000, speedup::seeds::DEFAULT_SEED);
    let mut study = crate::timing::Study::new(Some("integration"));
    study.serial(
        "integration",
        move || convergence_serial(samples, seed),
        &options.workers,
    );
    type Version = fn(usize, u64, usize) -> Vec<f64>;
    let versions: [(&str, Version); 4] = [
        ("rayon", convergence_rayon),
        ("scoped-static", convergence_scoped_static),
        ("scoped-dynamic", convergence_scoped_dynamic),
        ("scoped-balanced", convergence_scoped_balanced),
    ];
    for (label, version) in versions {
        if !crate::timing::written(label, || version(100, seed, 2)) {
            continue;
        }
        for &workers in &options.workers {
            study.version(label, workers, move || version(samples, seed, workers));
        }
    }
    study.measure(options)
}

/// What `time 1` prints under its table: your cost model's imbalance of
/// static blocks (task 7, for questions 2 and 6), and which way your
/// estimates miss π/4 (question 5). A task still at its `todo!` is left out.
pub fn analysis(_all: &[Measurement]) -> String {
    let mut out = String::new();
    use crate::timing::still_todo;
    if still_todo(|| static_imbalance(100, 2)).is_none() {
        out.push_str(&format!(
            "task 7: static_imbalance(10000, 2) = {:.4}, static_imbalance(10000, 4) = {:.4}\n",
            static_imbalance(10_000, 2),
            static_imbalance(10_000, 4)
        ));
    }
    let (samples, seed) = (10_000, speedup::seeds::DEFAULT_SEED);
    if still_todo(|| convergence_serial(100, seed)).is_none() {
        let exact = std::f64::consts::FRAC_PI_4;
        let areas = convergence_serial(samples, seed);
        // Estimates with fewer than 2 points are 0 by definition, not estimates.
        let estimates = &areas[2.min(areas.len())..];
        let below = estimates.iter().filter(|&&a| a < exact).count();
        let last = areas.last().copied().unwrap_or(f64::NAN);
        out.push_str(&format!(
            "estimates against pi/4 = {exact:.6}: {below} of {} below it (n = 2 to {}); \
             with n = {} points: {last:.6}\n",
            estimates.len(),
            samples - 1,
            samples - 1
        ));
    }
    out
}
