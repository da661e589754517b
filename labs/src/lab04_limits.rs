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

/// The strategies the sweep times.
pub const SWEPT: [Strategy; 3] = [
    Strategy::ThreadPool,
    Strategy::Scoped(Schedule::Dynamic),
    Strategy::Process(Schedule::Dynamic),
];

/// Workload label of the start-up study.
pub const STARTUP: &str = "startup";

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
    Ok(out)
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
