//! Lab 2: 100,000 linear-normal draws (the lecture's lab).
//! Worksheet: `labs/worksheets/02-linear-normal.md`.
//!
//! y = alpha + x1 + 2·x2 + 0.5·x3 + eps with alpha ~ N(15, 2), x1 ~ N(3, 5),
//! x2 ~ N(10, 1), x3 ~ N(8, 8), eps ~ N(0, 1). Whether the second number is a
//! standard deviation or a variance is the question of task 6; the code reads
//! it as a standard deviation, as `rand_distr::Normal::new(mean, std_dev)`
//! and numpy's `normal(loc, scale)` do.
//!
//! The draws are split into chunks of [`CHUNK`] draws; chunk `c` draws from
//! `chunk_rng(seed, c)`. That is what makes the parallel version reproducible.

use speedup::Measurement;
use speedup::seeds::{ChunkRng, chunk_rng};

/// Draws per chunk, fixed whatever the worker count.
pub const CHUNK: usize = 10_000;

/// Every value of a batch of draws, and y.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Draws {
    pub alpha: Vec<f64>,
    pub x1: Vec<f64>,
    pub x2: Vec<f64>,
    pub x3: Vec<f64>,
    pub eps: Vec<f64>,
    pub y: Vec<f64>,
}

/// Task 1. Generates `n` draws from `rng`. For each draw, sample alpha, x1,
/// x2, x3, eps in that order (one `rand_distr::Normal` each, built once), then
/// y = alpha + x1 + 2·x2 + 0.5·x3 + eps.
pub fn generate(n: usize, rng: &mut ChunkRng) -> Draws {
    // BEGIN SOLUTION hint: task 1: n draws, each five normal values in a fixed order and y made from them
    use rand_distr::{Distribution, Normal};
    let normal = |mean, sd| Normal::new(mean, sd).expect("a valid normal");
    let dists = [
        normal(15.0, 2.0),
        normal(3.0, 5.0),
        normal(10.0, 1.0),
        normal(8.0, 8.0),
        normal(0.0, 1.0),
    ];
    let mut draws = Draws::default();
    for _ in 0..n {
        let [alpha, x1, x2, x3, eps] = dists.map(|dist| dist.sample(rng));
        draws.alpha.push(alpha);
        draws.x1.push(x1);
        draws.x2.push(x2);
        draws.x3.push(x3);
        draws.eps.push(eps);
        draws.y.push(alpha + x1 + 2.0 * x2 + 0.5 * x3 + eps);
    }
    draws
    // END SOLUTION
}

/// The number of draws in chunk `chunk` of `n`.
pub fn chunk_len(chunk: usize, n: usize) -> usize {
    CHUNK.min(n - chunk * CHUNK)
}

/// Task 2. All `n` values of y, serially: chunk after chunk, each chunk's
/// draws from `chunk_rng(seed, chunk)`.
pub fn y_serial(n: usize, seed: u64) -> Vec<f64> {
    // BEGIN SOLUTION hint: task 2: every chunk's y, chunk after chunk, each from its own stream
    (0..n.div_ceil(CHUNK))
        .flat_map(|chunk| generate(chunk_len(chunk, n), &mut chunk_rng(seed, chunk)).y)
        .collect()
    // END SOLUTION
}

/// Task 3. The same on a rayon pool of `workers` threads: bit-identical to
/// [`y_serial`] at every worker count.
pub fn y_parallel(n: usize, seed: u64, workers: usize) -> Vec<f64> {
    // BEGIN SOLUTION hint: task 3: the same chunks spread over a pool of `workers` threads, in chunk order
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .expect("a thread pool");
    let parts: Vec<Vec<f64>> = pool.install(|| {
        (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|chunk| generate(chunk_len(chunk, n), &mut chunk_rng(seed, chunk)).y)
            .collect()
    });
    parts.concat()
    // END SOLUTION
}

/// Task 4a. **The classic bug, on purpose.** Split the n draws into `workers`
/// equal blocks (`w*n/workers .. (w+1)*n/workers`), one per worker, and give
/// every worker a generator seeded the *same* way: `chunk_rng(seed, 0)`.
/// (Sequentially is fine: the bug is in the seeding, not in the threads.)
pub fn y_same_seed_bug(n: usize, seed: u64, workers: usize) -> Vec<f64> {
    // BEGIN SOLUTION hint: task 4: one block per worker, every worker seeded the same way (the bug, on purpose)
    (0..workers)
        .flat_map(|w| {
            let len = (w + 1) * n / workers - w * n / workers;
            generate(len, &mut chunk_rng(seed, 0)).y
        })
        .collect()
    // END SOLUTION
}

/// Task 4b. The half-fix: blocks as in 4a, but worker `w` seeded with
/// `chunk_rng(seed, w)`. No duplicates now, yet the answer depends on the
/// number of workers.
pub fn y_seed_per_worker(n: usize, seed: u64, workers: usize) -> Vec<f64> {
    // BEGIN SOLUTION hint: task 4: one block per worker, each seeded by its worker number
    (0..workers)
        .flat_map(|w| {
            let len = (w + 1) * n / workers - w * n / workers;
            generate(len, &mut chunk_rng(seed, w)).y
        })
        .collect()
    // END SOLUTION
}

/// Task 5. The break-even size: given `(n, serial_s, parallel_s)` sorted by n,
/// the smallest n from which the parallel version is faster at that n *and
/// every larger one*; `None` if it never settles into winning.
pub fn break_even(points: &[(usize, f64, f64)]) -> Option<usize> {
    // BEGIN SOLUTION hint: task 5: the smallest n from which parallel wins at every larger n too
    let wins = points
        .iter()
        .rev()
        .take_while(|(_, serial, parallel)| parallel < serial)
        .last();
    wins.map(|(n, _, _)| *n)
    // END SOLUTION
}

/// How to read the second parameter of N(m, s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convention {
    StandardDeviation,
    Variance,
}

/// Task 6a. The theoretical (mean, variance) of y under each reading.
pub fn theory(convention: Convention) -> (f64, f64) {
    // BEGIN SOLUTION hint: task 6: the mean and variance of y under this reading of a normal's second number
    let coefficients = [1.0, 1.0, 2.0, 0.5, 1.0];
    let means = [15.0, 3.0, 10.0, 8.0, 0.0];
    let seconds: [f64; 5] = [2.0, 5.0, 1.0, 8.0, 1.0];
    let mean = coefficients.iter().zip(means).map(|(c, m)| c * m).sum();
    let variance = coefficients
        .iter()
        .zip(seconds)
        .map(|(c, s)| match convention {
            Convention::StandardDeviation => c * c * s * s,
            Convention::Variance => c * c * s,
        })
        .sum();
    (mean, variance)
    // END SOLUTION
}

/// Task 6b. Sample mean and sample variance (divide by n - 1).
pub fn mean_and_variance(values: &[f64]) -> (f64, f64) {
    // BEGIN SOLUTION hint: task 6: the sample mean and the sample variance (n - 1)
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, variance)
    // END SOLUTION
}

/// Task 6c. The reading whose theoretical variance is nearer `sample_variance`.
pub fn which_convention(sample_variance: f64) -> Convention {
    // BEGIN SOLUTION hint: task 6: the reading whose theory is nearer the data
    let gap = |c| (sample_variance - theory(c).1).abs();
    if gap(Convention::StandardDeviation) <= gap(Convention::Variance) {
        Convention::StandardDeviation
    } else {
        Convention::Variance
    }
    // END SOLUTION
}

/// The sizes of the break-even study.
pub const BREAK_EVEN_SIZES: [usize; 7] =
    [1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000];

/// Workload label of one size in the break-even study.
fn sized(n: usize) -> String {
    format!("linear-normal n={n}")
}

/// Times your versions at 100,000 draws over the worker counts, then serial
/// against 2 workers over [`BREAK_EVEN_SIZES`], then the library reference,
/// all in the same interleaved rounds.
pub fn measurements(options: &crate::timing::Options) -> speedup::Result<Vec<Measurement>> {
    let seed = speedup::seeds::DEFAULT_SEED;
    let mut study = crate::timing::Study::new(Some("linear-normal"));
    study.serial(
        "linear-normal",
        move || y_serial(100_000, seed),
        &options.workers,
    );
    for &workers in &options.workers {
        study.version("parallel", workers, move || {
            y_parallel(100_000, seed, workers)
        });
    }
    for n in BREAK_EVEN_SIZES {
        study
            .serial(&sized(n), move || y_serial(n, seed), &[])
            .version("parallel", 2, move || y_parallel(n, seed, 2));
    }
    study.measure(options)
}

/// Your break-even size at 2 workers, and the convention the data support.
pub fn analysis(all: &[Measurement]) -> String {
    // Each parallel run was paired with serial runs beside it: serial time
    // 1 and parallel time 1/speedup say who wins, free of drift.
    let speedup = |n: usize| {
        all.iter()
            .find(|m| m.workload == sized(n) && m.strategy == "student-parallel")
            .and_then(crate::timing::speedup)
    };
    let points: Vec<(usize, f64, f64)> = BREAK_EVEN_SIZES
        .iter()
        .filter_map(|&n| Some((n, 1.0, 1.0 / speedup(n)?)))
        .collect();
    let (_, variance) = mean_and_variance(&y_serial(100_000, speedup::seeds::DEFAULT_SEED));
    let even = match break_even(&points) {
        Some(n) => format!("2 workers beat serial from n = {n} on"),
        None => "2 workers never settled into beating serial".into(),
    };
    format!(
        "break-even: {even}\nconvention: sample variance {variance:.2} supports {:?}\n",
        which_convention(variance)
    )
}
