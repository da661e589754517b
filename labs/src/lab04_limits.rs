//! Lab 4: oversubscription and the limits of speedup.
//! Worksheet: `labs/worksheets/04-limits.md`.
//!
//! You sweep the library's strategies from 1 to 2× the logical CPUs, then
//! read the measurements with the classic tools: speedup, efficiency, the
//! Karp–Flatt serial fraction, and a fit of Amdahl's law (on a machine with too
//! few cores, of the `amdahl` workload's known answer too). Your functions do
//! the analysis; the harness does the timing.

use speedup::Measurement;
use speedup::Strategy;
use speedup::Workload;
use speedup::report::amdahl::{fit_range, too_few_points};
use speedup::strategy::Schedule;
use speedup::workloads::amdahl::Amdahl;

/// Task 1. The sweep: every worker count from 1 to twice the logical CPUs.
pub fn sweep_counts(logical_cpus: usize) -> Vec<usize> {
    // BEGIN SOLUTION hint: task 1: the worker counts a sweep should try on this machine
    (1..=2 * logical_cpus).collect()
    // END SOLUTION
}

/// Task 2a. Speedup: serial time over parallel time.
pub fn speedup(serial_s: f64, parallel_s: f64) -> f64 {
    // BEGIN SOLUTION hint: task 2: how many times faster the parallel run is
    serial_s / parallel_s
    // END SOLUTION
}

/// Task 2b. Efficiency: speedup per worker (1.0 is perfect).
pub fn efficiency(speedup: f64, workers: usize) -> f64 {
    // BEGIN SOLUTION hint: task 2: the share of perfect speedup each worker delivers
    speedup / workers as f64
    // END SOLUTION
}

/// Task 3. The Karp–Flatt metric, the experimentally determined serial
/// fraction e = (1/S - 1/p) / (1 - 1/p). Undefined (None) for p = 1.
pub fn karp_flatt(speedup: f64, workers: usize) -> Option<f64> {
    // BEGIN SOLUTION hint: task 3: the serial fraction a measured speedup implies (none at one worker)
    if workers <= 1 {
        return None;
    }
    let p = workers as f64;
    Some((1.0 / speedup - 1.0 / p) / (1.0 - 1.0 / p))
    // END SOLUTION
}

/// Task 4a. Amdahl's law: the speedup on p workers of a program whose
/// fraction f is serial: 1 / (f + (1 - f) / p).
pub fn amdahl(serial_fraction: f64, workers: usize) -> f64 {
    // BEGIN SOLUTION hint: task 4: the speedup Amdahl's law predicts
    1.0 / (serial_fraction + (1.0 - serial_fraction) / workers as f64)
    // END SOLUTION
}

/// Task 4b. Fits Amdahl's serial fraction to measured `(workers, speedup)`
/// points by least squares on 1/S. Amdahl says 1/S - 1/p = f·(1 - 1/p): a
/// line through the origin in a = 1 - 1/p, so
/// f = Σ a·(1/S - 1/p) / Σ a². Clamp to [0, 1]; with no point above one
/// worker, return 0.
pub fn fit_amdahl(points: &[(usize, f64)]) -> f64 {
    // BEGIN SOLUTION hint: task 4: the serial fraction that fits the points best
    let (mut ab, mut aa) = (0.0, 0.0);
    for &(workers, speedup) in points {
        let inverse_p = 1.0 / workers as f64;
        let a = 1.0 - inverse_p;
        ab += a * (1.0 / speedup - inverse_p);
        aa += a * a;
    }
    if aa == 0.0 {
        0.0
    } else {
        (ab / aa).clamp(0.0, 1.0)
    }
    // END SOLUTION
}

/// Task 5. The cost each extra worker adds: the slope of a least-squares line
/// through `(workers, seconds)` points (e.g. start-up times of processes).
pub fn cost_per_worker(points: &[(usize, f64)]) -> f64 {
    // BEGIN SOLUTION hint: task 5: the seconds each extra worker adds
    let n = points.len() as f64;
    let mean_p = points.iter().map(|&(p, _)| p as f64).sum::<f64>() / n;
    let mean_t = points.iter().map(|&(_, t)| t).sum::<f64>() / n;
    let covariance: f64 = points
        .iter()
        .map(|&(p, t)| (p as f64 - mean_p) * (t - mean_t))
        .sum();
    let spread: f64 = points
        .iter()
        .map(|&(p, _)| (p as f64 - mean_p).powi(2))
        .sum();
    covariance / spread
    // END SOLUTION
}

/// Task 6. The size at which `workers` processes start to pay: the number
/// of items (draws) whose serial time, saved down to 1/p by the processes,
/// saves as much as starting them costs. `startup_s` is what starting (and
/// stopping) the processes takes, `serial_s_per_item` the serial time of
/// one item. None where nothing is shared out (one worker).
pub fn break_even_size(startup_s: f64, serial_s_per_item: f64, workers: usize) -> Option<f64> {
    // BEGIN SOLUTION hint: task 6: the size where the time the processes save equals what starting them costs
    if workers <= 1 {
        return None;
    }
    let saved_per_item = serial_s_per_item * (1.0 - 1.0 / workers as f64);
    Some(startup_s / saved_per_item)
    // END SOLUTION
}

/// Task 7. Your size study: the numbers of draws `time 4` measures
/// linear-normal at, with the processes against serial, to see where they
/// start to pay. Your prediction from task 6 is `predicted`; the sizes must
/// show the turn, on both sides of it, and the study must finish while you
/// wait (each size is run dozens of times).
pub fn sizes_to_measure(predicted: f64) -> Vec<usize> {
    // BEGIN SOLUTION hint: task 7: the sizes that show where processes start to pay, around your prediction
    // Four per decade, from a tenth of the prediction to ten times it: the
    // turn lies inside, and a size is never more than ~1.8x its neighbour.
    // Kept within 1e4..=3e7 draws: below, a run is all start-up; above, a
    // run of serial takes ~0.2 s, and the study minutes.
    let predicted = predicted.clamp(1e5, 3e6);
    (-4..=4)
        .map(|step| (predicted * 10f64.powf(f64::from(step) / 4.0)).round() as usize)
        .collect()
    // END SOLUTION
}

/// The strategies the sweep times.
pub const SWEPT: [Strategy; 3] = [
    Strategy::ThreadPool,
    Strategy::Scoped(Schedule::Dynamic),
    Strategy::Process(Schedule::Dynamic),
];

/// Workload label of the start-up study.
pub const STARTUP: &str = "startup";

/// The workload of the size study (tasks 6 and 7): short at its default
/// size, so processes lose there, and its size is one flag, `--n`.
pub const SIZED: &str = "linear-normal";

/// The strategies of the size study: processes started for every run, the
/// pool that keeps them, and threads beside them.
pub const SIZE_STRATEGIES: [Strategy; 3] = [
    Strategy::Process(Schedule::Dynamic),
    Strategy::ProcessPool,
    Strategy::ThreadPool,
];

/// `(workers, speedup)` of one strategy on one workload, against its serial
/// run: the median of the paired ratios where the runs were paired (as `lab
/// time` pairs them), else the ratio of the two median times.
pub fn speedup_curve(all: &[Measurement], workload: &str, strategy: &str) -> Vec<(usize, f64)> {
    let baseline = Strategy::BASELINE.label();
    let Some(serial) = all
        .iter()
        .find(|m| m.workload == workload && m.strategy == baseline)
    else {
        return Vec::new();
    };
    all.iter()
        .filter(|m| m.workload == workload && m.strategy == strategy)
        .map(|m| {
            let s = m
                .paired_speedup()
                .map_or_else(|| speedup(serial.median_s, m.median_s), |p| p.median);
            (m.workers, s)
        })
        .collect()
}

/// The workloads the sweep measures on a machine: `integration`, and where
/// its worker counts leave too few points within the cores for an Amdahl
/// fit (a 2-core laptop), the `amdahl` workload too: its chunks wait, so it
/// shows the law past the cores, with a serial fraction known in advance.
pub fn swept_workloads(
    counts: &[usize],
    physical_cores: usize,
    logical_cpus: usize,
) -> Vec<String> {
    let mut workloads = vec!["integration".to_string()];
    let within_cores = fit_range(physical_cores, logical_cpus, &[]);
    if too_few_points(counts, within_cores).is_some() {
        workloads.push(Amdahl::NAME.to_string());
    }
    workloads
}

/// The sweep (integration, and `amdahl` on a machine with too few cores;
/// 1..=2×CPUs) plus the start-up of bare processes and threads at the same
/// counts.
pub fn measurements(options: &crate::timing::Options) -> speedup::Result<Vec<Measurement>> {
    use crate::timing::repeat_timed;
    let counts = sweep_counts(num_cpus::get());
    let grid = speedup::sweep::Grid {
        workloads: swept_workloads(&counts, num_cpus::get_physical(), num_cpus::get()),
        strategies: [Strategy::Serial].into_iter().chain(SWEPT).collect(),
        workers: counts.clone(),
    };
    let seed = speedup::seeds::DEFAULT_SEED;
    let plan = speedup::measure::Plan::rounds(options.rounds);
    let runs = grid.points().len() + grid.ceiling_counts().len();
    let mut bar = speedup::measure::RoundsBar::new(plan.rounds, runs);
    let measured = speedup::sweep::measure(&grid, &plan, seed, |e| bar.on(e));
    bar.finish();
    let mut out = measured?;
    for &workers in &counts {
        let mut failed = None;
        out.push(repeat_timed(
            STARTUP,
            "process",
            workers,
            options.rounds,
            || {
                if let Err(err) = speedup::strategy::process::startup_time(workers) {
                    failed = Some(err);
                }
            },
        ));
        if let Some(err) = failed {
            return Err(err);
        }
        out.push(repeat_timed(
            STARTUP,
            "threads",
            workers,
            options.rounds,
            || {
                std::thread::scope(|scope| {
                    for _ in 0..workers {
                        scope.spawn(|| {});
                    }
                })
            },
        ));
    }
    // At as many processes as logical CPUs (two at least: one shares nothing).
    let workers = num_cpus::get().max(2);
    let written = crate::timing::written("size study", || {
        break_even_size(0.002, 1e-8, 2).map(sizes_to_measure)
    });
    let startup = out
        .iter()
        .find(|m| m.workload == STARTUP && m.strategy == "process" && m.workers == workers)
        .map(|m| m.median_s);
    if let (true, Some(startup)) = (written, startup) {
        out.extend(size_study(options, startup, workers)?);
    }
    Ok(out)
}

/// The size study: linear-normal at the sizes of task 7, around the
/// break-even of task 6 (from the start-up just measured and the serial
/// time of one draw), with serial, the processes and threads at 1 and
/// `workers`, in the same paired rounds as the sweep. Every point carries
/// its size, so the report draws speedup against size and names the
/// break-even it measured.
fn size_study(
    options: &crate::timing::Options,
    startup_s: f64,
    workers: usize,
) -> speedup::Result<Vec<Measurement>> {
    use speedup::workloads::linear_normal::LinearNormal;
    let draws = LinearNormal::default();
    let job = speedup::Job::new(&draws, speedup::seeds::DEFAULT_SEED);
    let serial = crate::timing::repeat_timed(SIZED, "serial", 1, options.rounds, || {
        Strategy::Serial.run(&job, 1)
    });
    let per_draw = serial.median_s / draws.n as f64;
    let Some(predicted) = break_even_size(startup_s, per_draw, workers) else {
        return Ok(Vec::new());
    };
    let sizes: Vec<String> = sizes_to_measure(predicted)
        .iter()
        .map(usize::to_string)
        .collect();
    println!(
        "size study: start-up {:.2} ms, {:.1} ns a draw, so break-even predicted at n = {predicted:.0};          measuring n = {}",
        startup_s * 1e3,
        per_draw * 1e9,
        sizes.join(", ")
    );
    let spec = format!("{SIZED}:n={}", sizes.join(","));
    let study = speedup::sweep::Study {
        sizes: vec![speedup::sweep::parse_sizes::<speedup::AnyWorkload>(&spec)?],
        ..Default::default()
    };
    let families = study.families::<speedup::AnyWorkload>(&[SIZED.to_string()])?;
    let grid = speedup::sweep::Grid {
        workloads: families.iter().map(|f| f.name.clone()).collect(),
        strategies: [Strategy::Serial]
            .into_iter()
            .chain(SIZE_STRATEGIES)
            .collect(),
        workers: vec![1, workers],
    };
    let plan = speedup::measure::Plan::rounds(options.rounds);
    let runs = families.len() * (grid.points_of("").len() + grid.ceiling_counts().len());
    let mut bar = speedup::measure::RoundsBar::new(plan.rounds, runs);
    let run_options = speedup::strategy::RunOptions::default();
    let seed = speedup::seeds::DEFAULT_SEED;
    let measured = speedup::sweep::groups_of_families(&families, &grid, None, &run_options, seed)
        .and_then(|mut groups| speedup::measure::run_rounds(&mut groups, &plan, |e| bar.on(e)));
    bar.finish();
    let mut measured = measured?;
    for family in &families {
        family.annotate(&mut measured);
    }
    Ok(measured)
}

/// Speedup, efficiency and Karp–Flatt per point; the Amdahl fit on the points
/// up to the physical core count; the start-up cost per worker.
pub fn analysis(all: &[Measurement]) -> String {
    analysis_on(all, num_cpus::get_physical(), num_cpus::get())
}

/// [`analysis`] for a machine of `physical_cores` and `logical_cpus`.
///
/// The Amdahl fit follows the report's rules, with the report's own
/// functions: points from 2 workers up to the physical cores (or past
/// them, where the machine ceiling keeps up, as it does for the `amdahl`
/// workload's waiting chunks), and at least `MIN_POINTS` of them, or no
/// fit and the reason why. Through one point any serial fraction fits.
pub fn analysis_on(all: &[Measurement], physical_cores: usize, logical_cpus: usize) -> String {
    let (copies, points): (Vec<Measurement>, Vec<Measurement>) = all
        .iter()
        .cloned()
        .partition(|m| m.strategy == speedup::measure::CEILING);
    let ceiling = speedup::report::derived::ceilings(&points, &copies);
    let mut out = String::new();
    for workload in ["integration", Amdahl::NAME] {
        for strategy in SWEPT {
            let curve = speedup_curve(all, workload, strategy.label());
            if curve.is_empty() {
                continue;
            }
            out.push_str(&format!(
                "\n{workload}, {}\n{:>7} {:>8} {:>10} {:>11}\n",
                strategy.label(),
                "workers",
                "speedup",
                "efficiency",
                "karp-flatt"
            ));
            for &(workers, s) in &curve {
                let kf = karp_flatt(s, workers).map_or("-".into(), |e| format!("{e:.3}"));
                out.push_str(&format!(
                    "{workers:>7} {s:>8.2} {:>10.2} {kf:>11}\n",
                    efficiency(s, workers)
                ));
            }
            let range = fit_range(
                physical_cores,
                logical_cpus,
                ceiling.iter().filter(|c| c.workload == workload),
            );
            let workers: Vec<usize> = curve.iter().map(|&(p, _)| p).collect();
            if let Some(why) = too_few_points(&workers, range) {
                out.push_str(&format!("No Amdahl fit: {why}.\n"));
                continue;
            }
            let fitted: Vec<(usize, f64)> = curve
                .into_iter()
                .filter(|&(p, _)| p <= range.limit)
                .collect();
            let f = fit_amdahl(&fitted);
            let set = if workload == Amdahl::NAME {
                format!(
                    " (the workload's set f is {})",
                    Amdahl::default().serial_fraction
                )
            } else {
                String::new()
            };
            out.push_str(&format!(
                "Amdahl fit on 2..={} workers: serial fraction {f:.3}{set}, so at most {:.1}× on any number of workers\n",
                range.limit,
                if f > 0.0 { 1.0 / f } else { f64::INFINITY }
            ));
        }
    }
    out.push_str(&size_table(all));
    for kind in ["process", "threads"] {
        let points: Vec<(usize, f64)> = all
            .iter()
            .filter(|m| m.workload == STARTUP && m.strategy == kind)
            .map(|m| (m.workers, m.median_s))
            .collect();
        if points.len() > 1 {
            out.push_str(&format!(
                "\nstarting {kind}: {:.1} µs per extra worker",
                cost_per_worker(&points) * 1e6
            ));
        }
    }
    out.push('\n');
    out
}

/// The size study as a table: each strategy's paired speedup (with its 95%
/// interval) at each size, and the smallest size from which it pays: the
/// interval's lower end above 1, so that noise cannot make a size pay.
fn size_table(all: &[Measurement]) -> String {
    let sized: Vec<&Measurement> = all
        .iter()
        .filter(|m| m.size.as_ref().is_some_and(|s| s.workload == SIZED) && m.workers > 1)
        .collect();
    let mut sizes: Vec<f64> = sized
        .iter()
        .filter_map(|m| Some(m.size.as_ref()?.value))
        .collect();
    sizes.sort_by(f64::total_cmp);
    sizes.dedup();
    let Some(workers) = sized.first().map(|m| m.workers) else {
        return String::new();
    };
    let mut out = format!("\nsize study: {SIZED} at {workers} workers, speedup (95% interval)\n");
    out.push_str(&format!("{:>10}", "n"));
    for strategy in SIZE_STRATEGIES {
        out.push_str(&format!(" {:>20}", strategy.label()));
    }
    out.push('\n');
    let at = |strategy: Strategy, n: f64| {
        sized
            .iter()
            .find(|m| {
                m.strategy == strategy.label() && m.size.as_ref().is_some_and(|s| s.value == n)
            })
            .and_then(|m| m.paired_speedup())
    };
    for &n in &sizes {
        out.push_str(&format!("{n:>10.0}"));
        for strategy in SIZE_STRATEGIES {
            let cell = at(strategy, n).map_or("-".to_string(), |s| {
                format!("{:.2} ({:.2}–{:.2})", s.median, s.low, s.high)
            });
            out.push_str(&format!(" {cell:>20}"));
        }
        out.push('\n');
    }
    for strategy in SIZE_STRATEGIES {
        let pays = sizes
            .iter()
            .find(|&&n| at(strategy, n).is_some_and(|s| s.low > 1.0));
        out.push_str(&match pays {
            Some(n) => format!("{} pays from n = {n:.0}\n", strategy.label()),
            None => format!(
                "{} never surely pays here (no interval above 1)\n",
                strategy.label()
            ),
        });
    }
    out
}
