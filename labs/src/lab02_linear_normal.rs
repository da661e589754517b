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
use speedup::interval::MedianInterval;
use speedup::measure::CEILING;
use speedup::report::findings::seconds;
use speedup::seeds::{ChunkRng, chunk_rng};
use speedup::wire::Wire;

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

/// What the break-even study can say, read from the 95% intervals of the
/// speedups: a size counts as a win only where its whole interval lies
/// above 1, and as a loss only where it lies wholly below 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakEven {
    /// Parallel beats serial from this n on: at it and at every larger n.
    From(usize),
    /// Parallel loses even at the largest n measured.
    Never,
    /// The largest n's interval holds 1 (or nothing was measured): these
    /// rounds cannot tell a win from a loss.
    CannotTell,
}

/// Task 5. The break-even size: `points` are `(n, low, high)`, the 95%
/// interval of the parallel version's speedup at each n, sorted by n.
pub fn break_even(points: &[(usize, f64, f64)]) -> BreakEven {
    // BEGIN SOLUTION hint: task 5: from the speedup intervals, the smallest n from which parallel surely wins at every larger n too, or why there is none
    let wins = points
        .iter()
        .rev()
        .take_while(|&&(_, low, _)| low > 1.0)
        .last();
    match (wins, points.last()) {
        (Some(&(n, _, _)), _) => BreakEven::From(n),
        (None, Some(&(_, _, high))) if high < 1.0 => BreakEven::Never,
        _ => BreakEven::CannotTell,
    }
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

/// What the merge of a sample mean and variance needs from one chunk: how
/// many values, their sum and the sum of their squares. Three numbers,
/// whatever the chunk's length.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Moments {
    pub count: usize,
    pub sum: f64,
    pub sum_sq: f64,
}

impl Moments {
    /// Task 7a. The moments of `values`, summed in their order.
    pub fn of(values: &[f64]) -> Moments {
        // BEGIN SOLUTION hint: task 7: the count, sum and sum of squares of these values
        Moments {
            count: values.len(),
            sum: values.iter().sum(),
            sum_sq: values.iter().map(|v| v * v).sum(),
        }
        // END SOLUTION
    }

    /// Task 7b. These moments followed by `later`'s, as if their values
    /// were one list.
    pub fn merge(self, later: Moments) -> Moments {
        // BEGIN SOLUTION hint: task 7: two chunks' moments as one
        Moments {
            count: self.count + later.count,
            sum: self.sum + later.sum,
            sum_sq: self.sum_sq + later.sum_sq,
        }
        // END SOLUTION
    }

    /// Task 7c. The sample mean and sample variance (n - 1) of the values
    /// these moments describe.
    pub fn mean_and_variance(&self) -> (f64, f64) {
        // BEGIN SOLUTION hint: task 7: the sample mean and variance from count, sum and sum of squares
        let n = self.count as f64;
        let mean = self.sum / n;
        (mean, (self.sum_sq - self.sum * mean) / (n - 1.0))
        // END SOLUTION
    }
}

/// Task 7d. How moments cross a process boundary: as bytes, and back.
impl Wire for Moments {
    fn encode(&self, out: &mut Vec<u8>) {
        // BEGIN SOLUTION hint: task 7: append what a chunk's reply must carry, as bytes
        self.count.encode(out);
        self.sum.encode(out);
        self.sum_sq.encode(out);
        // END SOLUTION
    }

    fn decode(input: &mut &[u8]) -> speedup::Result<Moments> {
        // BEGIN SOLUTION hint: task 7: read back what encode wrote, in the same order
        Ok(Moments {
            count: usize::decode(input)?,
            sum: f64::decode(input)?,
            sum_sq: f64::decode(input)?,
        })
        // END SOLUTION
    }
}

/// Task 7e. The moments of all `n` values of y, computed the way the
/// library's process strategies work: every chunk is a job for one of
/// `workers` workers ([`crate::boundary::gather`]), and each job's reply is
/// **all of its y**; the parent works out the moments. Returns them and the
/// bytes that crossed. Bit-identical at every worker count.
pub fn moments_all_y_replies(n: usize, seed: u64, workers: usize) -> (Moments, usize) {
    // BEGIN SOLUTION hint: task 7: every chunk's job replies with all of its y; the parent merges in chunk order
    let crossed = crate::boundary::gather(n.div_ceil(CHUNK), workers, |chunk| {
        generate(chunk_len(chunk, n), &mut chunk_rng(seed, chunk)).y
    });
    let moments = crossed
        .replies
        .iter()
        .map(|y| Moments::of(y))
        .fold(Moments::default(), Moments::merge);
    (moments, crossed.bytes)
    // END SOLUTION
}

/// Task 7f. The same moments, bit for bit, but each job replies with only
/// what the merge needs. Returns them and the bytes that crossed.
pub fn moments_small_replies(n: usize, seed: u64, workers: usize) -> (Moments, usize) {
    // BEGIN SOLUTION hint: task 7: every chunk's job replies with only what the merge needs; the parent merges in chunk order
    let crossed = crate::boundary::gather(n.div_ceil(CHUNK), workers, |chunk| {
        Moments::of(&generate(chunk_len(chunk, n), &mut chunk_rng(seed, chunk)).y)
    });
    let moments = crossed
        .replies
        .into_iter()
        .fold(Moments::default(), Moments::merge);
    (moments, crossed.bytes)
    // END SOLUTION
}

/// The draws of the timed runs and of the analysis.
pub const N: usize = 100_000;

/// The sizes of the break-even study.
pub const BREAK_EVEN_SIZES: [usize; 7] =
    [1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000];

/// Workload label of one size in the break-even study.
fn sized(n: usize) -> String {
    format!("linear-normal n={n}")
}

/// Workload label of the replies study (task 7).
const REPLIES: &str = "linear-normal moments";

/// Times your versions at [`N`] draws over the worker counts, then serial
/// against 2 workers (and 2 copies of serial: the ceiling) over
/// [`BREAK_EVEN_SIZES`], then the two kinds of reply of task 7, then the
/// library reference, all in the same interleaved rounds.
pub fn measurements(options: &crate::timing::Options) -> speedup::Result<Vec<Measurement>> {
    let seed = speedup::seeds::DEFAULT_SEED;
    let mut study = crate::timing::Study::new(Some("linear-normal"));
    study.serial("linear-normal", move || y_serial(N, seed), &options.workers);
    for &workers in &options.workers {
        study.version("parallel", workers, move || y_parallel(N, seed, workers));
    }
    for n in BREAK_EVEN_SIZES {
        study
            .serial(&sized(n), move || y_serial(n, seed), &[2])
            .version("parallel", 2, move || y_parallel(n, seed, 2));
    }
    study.serial(REPLIES, move || mean_and_variance(&y_serial(N, seed)), &[]);
    for &workers in &options.workers {
        study
            .version("all-y-replies", workers, move || {
                moments_all_y_replies(N, seed, workers)
            })
            .version("moment-replies", workers, move || {
                moments_small_replies(N, seed, workers)
            });
    }
    study.measure(options)
}

/// What the worksheet's questions need, from your code and your
/// measurements: your sample's moments and the convention they support,
/// what the seeding bugs of task 4 do, the break-even verdict, and what
/// each kind of reply of task 7 sent and took.
pub fn analysis(all: &[Measurement]) -> String {
    let seed = speedup::seeds::DEFAULT_SEED;
    let (mean, variance) = mean_and_variance(&y_serial(N, seed));
    let mut out = format!(
        "your draws (n = {N}, seed {seed}): sample mean {mean:.4}, sample variance {variance:.2}\n\
         convention: sample variance {variance:.2} supports {:?}\n",
        which_convention(variance)
    );
    out.push_str(&seeding(seed));
    out.push_str(&break_even_study(all));
    out.push_str(&replies_study(all, seed));
    out
}

/// Worker counts of the seeding table.
const SEEDING_WORKERS: [usize; 4] = [1, 2, 4, 10];

/// Seeds over which the spread of the sample mean is taken.
const SPREAD_SEEDS: std::ops::RangeInclusive<u64> = 1..=20;

/// How many different values `values` holds, bit for bit.
fn distinct(values: &[f64]) -> usize {
    let mut bits: Vec<u64> = values.iter().map(|v| v.to_bits()).collect();
    bits.sort_unstable();
    bits.dedup();
    bits.len()
}

/// Task 4's seedings next to the chunk seeds, at a few worker counts: the
/// distinct values and the mean of each, and the spread of the mean over
/// seeds (what a study repeated with other seeds would see).
fn seeding(seed: u64) -> String {
    let mut out = format!(
        "\nseeding (task 4), n = {N}: distinct values and sample mean\n{:>8} {:>22} {:>22} {:>22}\n",
        "workers", "chunk seeds", "same seed (4a)", "seed per worker (4b)"
    );
    let cell = |y: Vec<f64>| format!("{:>8} {:>13.4}", distinct(&y), mean_and_variance(&y).0);
    let chunk_seeds = cell(y_serial(N, seed));
    for workers in SEEDING_WORKERS {
        out.push_str(&format!(
            "{workers:>8} {chunk_seeds:>22} {:>22} {:>22}\n",
            cell(y_same_seed_bug(N, seed, workers)),
            cell(y_seed_per_worker(N, seed, workers)),
        ));
    }
    let spread = |draw: &dyn Fn(u64) -> Vec<f64>| {
        let means: Vec<f64> = SPREAD_SEEDS
            .map(|seed| mean_and_variance(&draw(seed)).0)
            .collect();
        mean_and_variance(&means).1.sqrt()
    };
    let workers = SEEDING_WORKERS[SEEDING_WORKERS.len() - 1];
    out.push_str(&format!(
        "standard deviation of the sample mean over seeds {}..={}: chunk seeds {:.4}, same seed on {workers} workers {:.4}\n",
        SPREAD_SEEDS.start(),
        SPREAD_SEEDS.end(),
        spread(&|seed| y_serial(N, seed)),
        spread(&|seed| y_same_seed_bug(N, seed, workers)),
    ));
    out
}

/// A speedup with its 95% interval, as the table prints it.
fn with_interval(s: &MedianInterval) -> String {
    format!("{:.2} ({:.2}–{:.2})", s.median, s.low, s.high)
}

/// Serial against 2 workers at each size, beside the machine's ceiling,
/// and your [`break_even`]'s verdict on them.
fn break_even_study(all: &[Measurement]) -> String {
    let row = |n: usize, strategy: &str| {
        all.iter()
            .find(|m| m.workload == sized(n) && m.strategy == strategy && m.workers == 2)
    };
    let mut out = format!(
        "\nbreak-even at 2 workers: a size beats serial only where the whole 95% interval lies above 1\n{:>9} {:>24} {:>28}\n",
        "n", "speedup (95% interval)", "ceiling at 2 (95% interval)"
    );
    let mut points = Vec::new();
    let mut ceilings = Vec::new();
    for n in BREAK_EVEN_SIZES {
        let Some(speedup) = row(n, "student-parallel").and_then(Measurement::paired_speedup) else {
            continue;
        };
        let ceiling = row(n, CEILING).and_then(Measurement::ceiling_speedup);
        out.push_str(&format!(
            "{n:>9} {:>24} {:>28}\n",
            with_interval(&speedup),
            ceiling.as_ref().map_or("-".into(), with_interval)
        ));
        points.push((n, speedup.low, speedup.high));
        ceilings.extend(ceiling.map(|c| (n, c)));
    }
    out.push_str(&format!(
        "verdict: {}\n",
        verdict(
            break_even(&points),
            &ceilings,
            speedup::measurement::rounds(all)
        )
    ));
    out
}

/// The break-even verdict in words. A machine whose ceiling at 2 is about
/// 1 (its interval reaches down to 1) gives two jobs one core's worth: no
/// size can show a win there, whatever the rounds said. So every size the
/// verdict rests on needs a ceiling above 1: the largest (where a loss or
/// "cannot tell" is read) and each from the size it names as the first
/// win. `ceilings` are by size, smallest first; `rounds` were run, and the
/// advice asks for more.
fn verdict(even: BreakEven, ceilings: &[(usize, MedianInterval)], rounds: usize) -> String {
    let from = match even {
        BreakEven::From(n) => n,
        _ => ceilings.last().map_or(0, |&(n, _)| n),
    };
    let flat = ceilings
        .iter()
        .filter(|(n, _)| *n >= from)
        .find(|(_, c)| c.low <= 1.0);
    if let Some((n, ceiling)) = flat {
        return format!(
            "cannot tell on this machine: 2 copies of your serial version at n = {n} got {}, \
             about one core's worth, so 2 workers have nothing to win here",
            with_interval(ceiling)
        );
    }
    match even {
        BreakEven::From(n) => format!("2 workers beat serial from n = {n} on"),
        BreakEven::Never => "2 workers lose to serial even at the largest n".into(),
        BreakEven::CannotTell => format!(
            "cannot tell on this machine: the interval at the largest n holds 1; run again \
             with more rounds: {}",
            speedup::report::Context::Lab(2).more_rounds(rounds)
        ),
    }
}

/// Repetitions behind the median cost of crossing the boundary.
const CROSSINGS: usize = 21;

/// Median seconds, over [`CROSSINGS`] runs, that `replies` take to cross
/// the boundary: encoded, then decoded, as [`crate::boundary::gather`]
/// does, without the work that made them.
fn crossing_s<R: Wire>(replies: &[R]) -> f64 {
    (0..CROSSINGS)
        .map(|_| {
            crate::timing::time_once(|| {
                replies
                    .iter()
                    .filter(|reply| R::from_bytes(&reply.to_bytes()).is_ok())
                    .count()
            })
        })
        .collect::<crate::timing::Tries>()
        .median()
}

/// Task 7's two replies: the bytes each sends per run, what crossing alone
/// costs, and the timed runs of both.
fn replies_study(all: &[Measurement], seed: u64) -> String {
    let (_, all_y) = moments_all_y_replies(N, seed, 2);
    let (_, small) = moments_small_replies(N, seed, 2);
    let y = y_serial(N, seed);
    let parts: Vec<Vec<f64>> = y.chunks(CHUNK).map(<[f64]>::to_vec).collect();
    let moments: Vec<Moments> = y.chunks(CHUNK).map(Moments::of).collect();
    let mut out = format!(
        "\nreplies (task 7), one run of n = {N}: all of y sends {all_y} bytes, moments {small} bytes\n\
         crossing alone (encode + decode, median of {CROSSINGS}): all of y {:.1} µs, moments {:.1} µs\n\
         {:>8} {:>30} {:>30}\n",
        1e6 * crossing_s(&parts),
        1e6 * crossing_s(&moments),
        "workers",
        "all-y: median, speedup",
        "moments: median, speedup"
    );
    // Each version's median and its paired speedup with the interval that
    // says whether the two differ (question 6).
    let median = |strategy: &str, workers: usize| {
        all.iter()
            .find(|m| m.workload == REPLIES && m.strategy == strategy && m.workers == workers)
            .map_or("-".into(), |m| {
                let speedup = m.paired_speedup().map_or("-".into(), |s| with_interval(&s));
                format!("{}, {speedup}", seconds(m.median_s))
            })
    };
    let mut workers: Vec<usize> = all
        .iter()
        .filter(|m| m.workload == REPLIES && m.workers > 0)
        .map(|m| m.workers)
        .collect();
    workers.sort_unstable();
    workers.dedup();
    for p in workers {
        let (a, b) = (
            median("student-all-y-replies", p),
            median("student-moment-replies", p),
        );
        if a != "-" || b != "-" {
            out.push_str(&format!("{p:>8} {a:>30} {b:>30}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interval(median: f64, low: f64, high: f64) -> MedianInterval {
        MedianInterval {
            median,
            low,
            high,
            coverage: 0.95,
        }
    }

    #[test]
    fn a_ceiling_of_about_one_leaves_the_break_even_undecided() {
        let flat = [(1_000_000, interval(1.01, 0.98, 1.31))];
        let text = verdict(BreakEven::From(100_000), &flat, 7);
        assert!(text.starts_with("cannot tell on this machine"), "{text}");
        assert!(text.contains("1.01 (0.98–1.31)"), "{text}");
        let roomy = [(1_000_000, interval(1.9, 1.8, 2.0))];
        assert_eq!(
            verdict(BreakEven::From(100_000), &roomy, 7),
            "2 workers beat serial from n = 100000 on"
        );
        let undecided = verdict(BreakEven::CannotTell, &roomy, 15);
        assert!(undecided.starts_with("cannot tell"), "{undecided}");
        assert!(undecided.contains("time 2 --rounds 30"), "{undecided}");
        assert!(verdict(BreakEven::Never, &[], 7).contains("lose"));
        // A trial's busy machine: a win named at 300,000 where the ceiling
        // reached below 1, though it was roomy at the largest n.
        let busy_at_the_win = [
            (100_000, interval(0.9, 0.7, 1.0)),
            (300_000, interval(1.09, 0.97, 1.2)),
            (1_000_000, interval(1.6, 1.3, 1.8)),
        ];
        let text = verdict(BreakEven::From(300_000), &busy_at_the_win, 30);
        assert!(
            text.starts_with("cannot tell on this machine") && text.contains("n = 300000"),
            "{text}"
        );
        // Below the named size, the ceiling does not matter.
        let text = verdict(BreakEven::From(1_000_000), &busy_at_the_win, 30);
        assert_eq!(text, "2 workers beat serial from n = 1000000 on");
    }

    #[test]
    fn distinct_counts_values_bit_for_bit() {
        assert_eq!(distinct(&[1.0, 2.0, 1.0, -0.0, 0.0]), 4);
        assert_eq!(distinct(&[]), 0);
    }
}
