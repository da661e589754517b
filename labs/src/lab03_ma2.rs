//! Lab 3: MA(2) rejection ABC, after the ELFI tutorial.
//! Worksheet: `labs/worksheets/03-ma2.md`.
//!
//! Approximate Bayesian computation by rejection: draw parameters from the
//! prior, simulate data with them, keep the draws whose summaries land
//! closest to the observed summaries. Simulations are independent, so the
//! job is embarrassingly parallel; the work is split into batches, and batch
//! `b` draws from `chunk_rng(seed, b)`, so the answer does not depend on who
//! ran which batch.

use speedup::Measurement;
use speedup::seeds::{ChunkRng, chunk_rng};

/// The tutorial's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Draws kept (the posterior sample).
    pub n_samples: usize,
    /// Simulations, rounded up to whole batches.
    pub n_sim: usize,
    pub batch_size: usize,
    /// Length of each simulated series.
    pub n_obs: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            n_samples: 5_000,
            n_sim: 1_000_000,
            batch_size: 10_000,
            n_obs: 100,
        }
    }
}

impl Settings {
    /// Number of batches: n_sim rounded up to whole batches.
    pub fn batches(&self) -> usize {
        self.n_sim.div_ceil(self.batch_size)
    }
}

/// One simulation's parameters and its distance; `index` numbers every
/// simulation of the run (batch * batch_size + position), to break ties.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub distance: f64,
    pub t1: f64,
    pub t2: f64,
    pub index: usize,
}

/// Task 1. A draw from the prior, uniform on the triangle (-2, 1), (2, 1),
/// (0, -1), by the inverse-CDF method from two uniforms
/// (`rng.random::<f64>()`, drawn in that order): the first becomes t1
/// through the inverse of t1's own (marginal) distribution function, the
/// second becomes t2, uniform on what the triangle allows at that t1.
/// Deriving that inverse is the task; the tests check the exact bits of
/// the method, and `labs hint 3 1` leads there in steps.
pub fn prior(rng: &mut ChunkRng) -> (f64, f64) {
    // BEGIN SOLUTION hint: task 1: one draw of (t1, t2), uniform on the triangle, from two uniforms
    use rand::Rng;
    let u: f64 = rng.random();
    let t1 = if u < 0.5 {
        (2.0 * u).sqrt() * 2.0 - 2.0
    } else {
        2.0 - (2.0 * (1.0 - u)).sqrt() * 2.0
    };
    let lo = (-1.0 - t1).max(t1 - 1.0);
    let t2 = lo + (1.0 - lo) * rng.random::<f64>();
    (t1, t2)
    // END SOLUTION
}

/// Task 2. The MA(2) simulator: `n_obs` values of the worksheet's model at
/// (t1, t2), from fresh white noise drawn with [`fill_normals`]. The
/// tests compare bits with their own draws from the same stream, so how
/// many noise values you draw, and in which order, is part of the answer.
pub fn simulate(t1: f64, t2: f64, n_obs: usize, rng: &mut ChunkRng) -> Vec<f64> {
    // BEGIN SOLUTION hint: task 2: an MA(2) series of n_obs values from t1, t2 and fresh white noise
    let mut w = vec![0.0; n_obs + 2];
    fill_normals(&mut w, rng);
    w.windows(3).map(|w| w[2] + t1 * w[1] + t2 * w[0]).collect()
    // END SOLUTION
}

/// Task 3a. The summaries (S1, S2): the series' autocovariances at lags 1
/// and 2, as the worksheet's Background defines them (no mean removed, each
/// divided by its own number of terms).
pub fn summaries(x: &[f64]) -> [f64; 2] {
    // BEGIN SOLUTION hint: task 3: the autocovariances at lags 1 and 2
    [1, 2].map(|lag| {
        let terms = x.len() - lag;
        (0..terms).map(|i| x[i + lag] * x[i]).sum::<f64>() / terms as f64
    })
    // END SOLUTION
}

/// Task 3b. Euclidean distance between two summary pairs.
pub fn distance(a: [f64; 2], b: [f64; 2]) -> f64 {
    // BEGIN SOLUTION hint: task 3: the Euclidean distance between two summary pairs
    (a[0] - b[0]).hypot(a[1] - b[1])
    // END SOLUTION
}

/// Which generator [`fill_normals`] draws from. Yours unless `lab
/// rejection --generator library` asks for the library's, to show what the
/// generator alone costs your serial run (the worksheet's question 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Generator {
    /// `rand_distr`'s `StandardNormal`: what the tests check your bits against.
    #[default]
    RandDistr,
    /// The library's ziggurat (`src/normal.rs`), as its `ma2` workload uses.
    Library,
}

thread_local! {
    /// Per thread, so a test on one thread never changes another's draws.
    static GENERATOR: std::cell::Cell<Generator> = const { std::cell::Cell::new(Generator::RandDistr) };
}

/// Fills `noise` with standard normal draws from `rng`, in order, with the
/// generator this thread uses (`rand_distr`'s unless [`with_generator`]
/// says otherwise). Draw your simulator's noise with it: a whole series at
/// once, as the library's `ma2` does, so that the library's generator runs
/// at the rate `time 3` prints for it.
pub fn fill_normals(noise: &mut [f64], rng: &mut ChunkRng) {
    use rand::Rng;
    match GENERATOR.with(|g| g.get()) {
        Generator::RandDistr => {
            for value in noise {
                *value = rng.sample(rand_distr::StandardNormal);
            }
        }
        Generator::Library => speedup::normal::Ziggurat::new().fill(noise, rng),
    }
}

/// Runs `work` on this thread with [`fill_normals`] drawing from
/// `generator`, then restores the generator it found.
pub fn with_generator<T>(generator: Generator, work: impl FnOnce() -> T) -> T {
    /// Puts back the generator it holds when dropped: at the end of
    /// `work`, and also when `work` panics, so a failed test never leaves
    /// the next test on this thread drawing from the wrong generator.
    struct Restore(Generator);
    impl Drop for Restore {
        fn drop(&mut self) {
            GENERATOR.with(|g| g.set(self.0));
        }
    }
    let _restore = Restore(GENERATOR.with(|g| g.replace(generator)));
    work()
}

/// Sorts samples by distance, ties by index: the one order everything uses.
pub fn sort_samples(samples: &mut [Sample]) {
    samples.sort_unstable_by(|a, b| {
        a.distance
            .total_cmp(&b.distance)
            .then(a.index.cmp(&b.index))
    });
}

/// Task 4. One batch: `batch_size` simulations from `chunk_rng(seed, batch)`
/// (prior, simulate, summaries, distance to `observed`), keeping the
/// `n_samples` closest, ordered as [`sort_samples`] orders them.
pub fn run_batch(batch: usize, settings: &Settings, observed: [f64; 2], seed: u64) -> Vec<Sample> {
    // BEGIN SOLUTION hint: task 4: one batch of simulations, keeping its closest draws
    let mut rng = chunk_rng(seed, batch);
    let mut samples: Vec<Sample> = (0..settings.batch_size)
        .map(|i| {
            let (t1, t2) = prior(&mut rng);
            let x = simulate(t1, t2, settings.n_obs, &mut rng);
            Sample {
                distance: distance(summaries(&x), observed),
                t1,
                t2,
                index: batch * settings.batch_size + i,
            }
        })
        .collect();
    sort_samples(&mut samples);
    samples.truncate(settings.n_samples);
    samples
    // END SOLUTION
}

/// Task 5a. Merges per-batch results (given in batch order) into the
/// `n_samples` closest overall, ordered by distance then index.
pub fn merge(parts: Vec<Vec<Sample>>, n_samples: usize) -> Vec<Sample> {
    // BEGIN SOLUTION hint: task 5: the closest draws of all batches, in the order sort_samples gives
    let mut all = parts.concat();
    sort_samples(&mut all);
    all.truncate(n_samples);
    all
    // END SOLUTION
}

/// The whole rejection run, serially.
pub fn rejection_serial(settings: &Settings, observed: [f64; 2], seed: u64) -> Vec<Sample> {
    let parts = (0..settings.batches())
        .map(|batch| run_batch(batch, settings, observed, seed))
        .collect();
    merge(parts, settings.n_samples)
}

/// Task 5b. The whole rejection run on a rayon pool of `workers` threads,
/// identical to [`rejection_serial`] whatever the worker count.
pub fn rejection_threads(
    settings: &Settings,
    observed: [f64; 2],
    seed: u64,
    workers: usize,
) -> Vec<Sample> {
    // BEGIN SOLUTION hint: task 5: the batches on a pool of `workers` threads, merged in batch order
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .expect("a thread pool");
    let parts = pool.install(|| {
        (0..settings.batches())
            .into_par_iter()
            .map(|batch| run_batch(batch, settings, observed, seed))
            .collect()
    });
    merge(parts, settings.n_samples)
    // END SOLUTION
}

/// Task 8. The whole rejection run on `workers` scoped threads that talk by
/// messages: each thread takes the next batch nobody has taken yet, runs it,
/// and sends what the batch keeps as one message over a channel; the calling
/// thread receives the messages and merges them. Identical to
/// [`rejection_serial`] for every batch size and worker count. Each message
/// costs something (sending, and merging what it carries): task 9 weighs
/// that cost against the batch's work.
pub fn rejection_channel(
    settings: &Settings,
    observed: [f64; 2],
    seed: u64,
    workers: usize,
) -> Vec<Sample> {
    // BEGIN SOLUTION hint: task 8: the batches on scoped threads, each batch's kept draws sent back as one message and merged by the caller
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    let batches = settings.batches();
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<Vec<Sample>>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let batch = next.fetch_add(1, Ordering::Relaxed);
                    if batch >= batches {
                        break;
                    }
                    let kept = run_batch(batch, settings, observed, seed);
                    sender
                        .send(kept)
                        .expect("the receiver waits for every batch");
                }
            });
        }
        // Only the workers' senders are left: the loop ends when they finish.
        drop(sender);
        // Merged as they arrive: the best so far and one message at a time.
        receiver.iter().fold(Vec::new(), |best, kept| {
            merge(vec![best, kept], settings.n_samples)
        })
    })
    // END SOLUTION
}

/// Task 9. The batch size you choose for the tutorial's 1,000,000
/// simulations on this machine, from what `time 3` measured: each batch's
/// work against the cost of its message, and enough batches to keep every
/// worker busy. The worksheet asks you to justify it.
pub fn chosen_batch_size() -> usize {
    // BEGIN SOLUTION hint: task 9: the batch size your measurements argue for
    // Measured on the 2-core machine (busy, load 6): a message (up to 5,000
    // draws, merged into the caller's best 5,000) costs about 0.2-0.4 ms
    // whatever the batch; a batch of 100 works 0.08 ms (message 74%: 10,000
    // messages are 2-3 s of merging in one thread), of 10,000 ~10 ms (3.4%),
    // of 50,000 ~78 ms (0.5%). 50,000 makes 20 batches, 10 a worker at 2 and
    // enough for 3 or 4; at 100,000 the 10 batches leave 3 workers unevenly
    // loaded at the end, for a message share already negligible.
    50_000
    // END SOLUTION
}

/// What one batch and its message cost ([`batch_costs`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchCost {
    /// Seconds of one batch's work ([`run_batch`]).
    pub work_s: f64,
    /// Seconds of one message: sending what the batch keeps over a channel
    /// and merging it into the best so far.
    pub message_s: f64,
    /// Draws the message carries: the batch's best, up to `n_samples`.
    pub kept: usize,
    /// Draws of the best so far it was merged into: `n_samples`.
    pub merged_into: usize,
}

/// What one batch of `batch_size` simulations costs, and one message of
/// what it keeps, at the tutorial's `n_samples` and `n_obs`: the medians of
/// `repeats` tries of each.
///
/// The message is merged into a best so far of a full `n_samples` draws,
/// because that is what the caller of [`rejection_channel`] holds after its
/// first few messages, for every later one. (Merging into a best as small
/// as one batch would make small batches' messages look cheap: at 100
/// simulations, 100 draws into 100 instead of into 5,000.)
pub fn batch_costs(batch_size: usize, repeats: usize) -> BatchCost {
    use crate::timing::{Tries, time_once};
    let settings = Settings {
        batch_size,
        ..Settings::default()
    };
    let seed = speedup::seeds::DEFAULT_SEED;
    let observed = observed_summaries(settings.n_obs, seed);
    let repeats = repeats.max(1);
    let mut kept = Vec::new();
    let work_s = (0..repeats)
        .map(|b| time_once(|| kept = run_batch(b, &settings, observed, seed)))
        .collect::<Tries>()
        .median();
    // A best of n_samples: the closest n_samples of one batch that large,
    // from a stream the timed batches did not use.
    let full = Settings {
        batch_size: settings.n_samples,
        ..settings
    };
    let best = run_batch(repeats, &full, observed, seed);
    let (sender, receiver) = std::sync::mpsc::channel();
    let message_s = (0..repeats)
        .map(|_| {
            let (best, part) = (best.clone(), kept.clone());
            time_once(|| {
                sender.send(part).unwrap();
                let part = receiver.recv().unwrap();
                merge(vec![best, part], settings.n_samples)
            })
        })
        .collect::<Tries>()
        .median();
    BatchCost {
        work_s,
        message_s,
        kept: kept.len(),
        merged_into: best.len(),
    }
}

/// The table `time 3` prints for task 9: per batch size, the batches,
/// each batch's work and its message's cost, the message's share of the
/// two, and how many batches each of `workers` workers gets.
pub fn batch_cost_table(sizes: &[usize], workers: usize) -> String {
    let n_sim = Settings::default().n_sim;
    let mut out = format!(
        "{:>10} {:>8} {:>16} {:>16} {:>14} {:>18}\n",
        "batch size",
        "batches",
        "work/batch (ms)",
        "message (ms)",
        "message share",
        format!("batches/worker@{workers}")
    );
    for &size in sizes {
        let cost = batch_costs(size, 3);
        let batches = n_sim.div_ceil(size);
        out.push_str(&format!(
            "{size:>10} {batches:>8} {:>16.3} {:>16.3} {:>13.1}% {:>18.1}\n",
            cost.work_s * 1e3,
            cost.message_s * 1e3,
            cost.message_s / (cost.work_s + cost.message_s) * 100.0,
            batches as f64 / workers as f64
        ));
    }
    out
}

/// The observed data: one series simulated at the true parameters (0.6, 0.2)
/// from its own stream, so it never overlaps the batches' streams.
pub fn observed_summaries(n_obs: usize, seed: u64) -> [f64; 2] {
    let mut rng = chunk_rng(seed ^ 0x0B5E_87ED, usize::MAX);
    summaries(&simulate(0.6, 0.2, n_obs, &mut rng))
}

/// The `q` quantile of sorted `values`, interpolating linearly between
/// neighbours (numpy's default, which ELFI uses).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let (low, high) = (position.floor() as usize, position.ceil() as usize);
    sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64)
}

/// Task 6. ELFI's summary block for `accepted` out of `n_sim` simulations:
///
/// ```text
/// Method: Rejection
/// Number of samples: 5000
/// Number of simulations: 1000000
/// Threshold: 0.0826
/// Parameter                Mean               2.5%              97.5%
/// t1:                     0.694              0.360              1.030
/// t2:                     0.226             -0.180              0.650
/// ```
///
/// Threshold: the largest accepted distance with 3 significant digits (write
/// it with [`three_significant`]). Header `format!("{:<24} {:<18} {:<17} {:<5}", ..)`,
/// rows `format!("{:<10} {:>18.3} {:>18.3} {:>18.3}", "t1:", mean, q025, q975)`.
/// Seven lines separated by newlines, with **no newline after the last**:
/// the tests compare the whole text, and the caller adds its own.
pub fn summary_text(accepted: &[Sample], n_sim: usize) -> String {
    // BEGIN SOLUTION hint: task 6: ELFI's summary block of the accepted draws
    let threshold = accepted.last().map_or(0.0, |s| s.distance);
    let mut lines = vec![
        "Method: Rejection".to_string(),
        format!("Number of samples: {}", accepted.len()),
        format!("Number of simulations: {n_sim}"),
        format!("Threshold: {}", three_significant(threshold)),
        format!(
            "{:<24} {:<18} {:<17} {:<5}",
            "Parameter", "Mean", "2.5%", "97.5%"
        ),
    ];
    for (name, values) in [
        ("t1:", accepted.iter().map(|s| s.t1).collect::<Vec<f64>>()),
        ("t2:", accepted.iter().map(|s| s.t2).collect()),
    ] {
        let mut values = values;
        values.sort_by(f64::total_cmp);
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        lines.push(format!(
            "{:<10} {:>18.3} {:>18.3} {:>18.3}",
            name,
            mean,
            quantile(&values, 0.025),
            quantile(&values, 0.975)
        ));
    }
    lines.join("\n")
    // END SOLUTION
}

/// `x` with three significant digits, like Python's `{:.3g}` for numbers
/// between 1e-4 and 1e3 (the only range a threshold takes here).
pub fn three_significant(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let decimals = (2 - x.abs().log10().floor() as i32).max(0) as usize;
    let text = format!("{x:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// Times your serial and threaded rejection at the tutorial's settings, then
/// the library's strategies (processes included) on its `ma2` workload, all
/// in the same interleaved rounds.
pub fn measurements(options: &crate::timing::Options) -> speedup::Result<Vec<Measurement>> {
    let (settings, seed) = (Settings::default(), speedup::seeds::DEFAULT_SEED);
    let observed = observed_summaries(settings.n_obs, seed);
    let mut study = crate::timing::Study::new(Some("ma2"));
    study.serial(
        "ma2",
        move || rejection_serial(&settings, observed, seed),
        &options.workers,
    );
    for &workers in &options.workers {
        study.version("threads", workers, move || {
            rejection_threads(&settings, observed, seed, workers)
        });
    }
    let small = Settings {
        n_samples: 10,
        n_sim: 100,
        batch_size: 10,
        n_obs: 10,
    };
    let written = crate::timing::written("channel", || {
        rejection_channel(&small, observed, seed, 2);
        chosen_batch_size()
    });
    if written {
        let chosen = Settings {
            batch_size: chosen_batch_size(),
            ..settings
        };
        for &workers in &options.workers {
            study.version("channel", workers, move || {
                rejection_channel(&chosen, observed, seed, workers)
            });
        }
    }
    study.measure(options)
}

/// The batch sizes whose costs `time 3` measures for task 9.
pub const BATCH_SIZES: [usize; 5] = [100, 1_000, 10_000, 50_000, 100_000];

/// Your posterior at the tutorial's settings, in ELFI's layout, the rates
/// of the two normal generators in play, and what a batch and its message
/// cost at each of [`BATCH_SIZES`] (task 9).
pub fn analysis(all: &[Measurement]) -> String {
    let (settings, seed) = (Settings::default(), speedup::seeds::DEFAULT_SEED);
    let observed = observed_summaries(settings.n_obs, seed);
    let accepted = rejection_serial(&settings, observed, seed);
    let n_sim = settings.batches() * settings.batch_size;
    let (yours, library) = normal_rates(10_000_000);
    let workers = all.iter().map(|m| m.workers).max().unwrap_or(1);
    format!(
        "{}\n\nLike with like: your simulator draws its noise from rand_distr's \
         StandardNormal, the library's ma2 from its own ziggurat (src/normal.rs). They are \
         different numbers (so a different posterior) at a different speed: here \
         {yours:.0} million normals a second against {library:.0} million. Compare your \
         speedups with the library's, each against its own serial version; never your \
         times with its times.\n\n\
         A process worker of the library's ma2 sends its parent one message: the best \
         {kept} draws of all its batches, {bytes} bytes encoded (src/wire.rs).\n\n\
         Other settings, or the library's generator under your own simulator (questions 4, \
         5 and 7): cargo run -p speedup-labs --release -- rejection --help\n\n\
         Task 9, a batch's work against its message (your run_batch; your merge into a \
         best of {kept} so far, after a channel's send and receive), the medians of 3 \
         tries:\n{}",
        summary_text(&accepted, n_sim),
        batch_cost_table(&BATCH_SIZES, workers),
        kept = settings.n_samples,
        bytes = process_message_bytes(settings.n_samples),
    )
}

/// Bytes a process worker of the library's `ma2` sends its parent for
/// `n_samples` kept draws: its condensed best list, encoded as the process
/// strategies encode every part (`src/wire.rs`).
pub fn process_message_bytes(n_samples: usize) -> usize {
    use speedup::wire::Wire;
    use speedup::workloads::ma2::best::Candidate;
    let kept = Candidate {
        distance: 0.0,
        index: 0,
        t1: 0.0,
        t2: 0.0,
    };
    vec![kept; n_samples].to_bytes().len()
}

/// What `lab rejection` prints: your serial rejection at `settings` with
/// `generator`'s noise, its summary block, and the median of `repeats`
/// timed runs. With the library's generator it first checks that your
/// simulator draws through [`fill_normals`]; one that does not would
/// time your generator under the library's name.
pub fn rejection_experiment(
    settings: &Settings,
    generator: Generator,
    repeats: usize,
) -> speedup::Result<String> {
    let seed = speedup::seeds::DEFAULT_SEED;
    if generator == Generator::Library {
        let probe = |g| with_generator(g, || simulate(0.6, 0.2, 4, &mut chunk_rng(seed, 0)));
        if probe(Generator::Library) == probe(Generator::RandDistr) {
            return Err(speedup::Error::new(
                "--generator library changes nothing: your simulate does not draw its noise \
                 with fill_normals",
            ));
        }
    }
    let observed = observed_summaries(settings.n_obs, seed);
    let mut accepted = Vec::new();
    let times: crate::timing::Tries = (0..repeats.max(1))
        .map(|_| {
            crate::timing::time_once(|| {
                accepted = with_generator(generator, || rejection_serial(settings, observed, seed))
            })
        })
        .collect();
    let generator = match generator {
        Generator::RandDistr => "rand_distr's StandardNormal (yours)",
        Generator::Library => "the library's ziggurat",
    };
    Ok(format!(
        "Your serial rejection: {} simulations in batches of {}, noise from {generator}.\n\
         {}\n\
         time: median {:.3} s of {} run{} ({:.3}–{:.3} s)\n",
        settings.batches() * settings.batch_size,
        settings.batch_size,
        summary_text(&accepted, settings.batches() * settings.batch_size),
        times.median(),
        times.count(),
        if times.count() == 1 { "" } else { "s" },
        times.fastest(),
        times.slowest(),
    ))
}

/// Millions of standard normals a second, single-threaded: `rand_distr`'s
/// sampler (the student's) and the library's buffered ziggurat, `count` each.
pub fn normal_rates(count: usize) -> (f64, f64) {
    use rand::Rng;
    use std::hint::black_box;
    use std::time::Instant;
    let mut rng = chunk_rng(0, 0);
    let start = Instant::now();
    let mut sum = 0.0;
    for _ in 0..count {
        sum += rng.sample::<f64, _>(rand_distr::StandardNormal);
    }
    black_box(sum);
    let yours = count as f64 / start.elapsed().as_secs_f64() / 1e6;
    let ziggurat = speedup::normal::Ziggurat::new();
    let mut buffer = vec![0.0; 102];
    let start = Instant::now();
    for _ in 0..count / buffer.len() {
        ziggurat.fill(&mut buffer, &mut rng);
        black_box(&buffer);
    }
    let library =
        (count / buffer.len() * buffer.len()) as f64 / start.elapsed().as_secs_f64() / 1e6;
    (yours, library)
}
