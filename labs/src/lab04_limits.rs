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

/// Task 3. The Karp–Flatt metric: the serial fraction that a measured
/// speedup on `workers` implies, read as if Amdahl's law held exactly.
/// Derive it on paper from Amdahl's law (worksheet, task 3). Perfect
/// speedup implies none, no speedup at all implies everything; at one
/// worker nothing is shared out, so nothing can be read (None).
pub fn karp_flatt(speedup: f64, workers: usize) -> Option<f64> {
    // BEGIN SOLUTION hint: task 3: the serial fraction a measured speedup implies (none at one worker)
    if workers <= 1 {
        return None;
    }
    let p = workers as f64;
    Some((1.0 / speedup - 1.0 / p) / (1.0 - 1.0 / p))
    // END SOLUTION
}

/// Task 4a. Amdahl's law: the speedup on `workers` of a program of which
/// the share `serial_fraction` of one worker's time cannot be shared out,
/// and the rest shares out perfectly.
pub fn amdahl(serial_fraction: f64, workers: usize) -> f64 {
    // BEGIN SOLUTION hint: task 4: the speedup Amdahl's law predicts
    1.0 / (serial_fraction + (1.0 - serial_fraction) / workers as f64)
    // END SOLUTION
}

/// Task 4b. The serial fraction of Amdahl's law that fits measured
/// `(workers, speedup)` points best, by least squares. Fit on 1/S, where
/// the law is linear in the unknown (the worksheet asks you to find the
/// line). Clamp the answer to [0, 1]; with no point above one worker
/// there is nothing to fit: return 0.
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

/// Task 5. The cost each extra worker adds, from `(workers, seconds)`
/// points (start-up times of processes or threads): the slope of time
/// against workers. On a shared machine one run can be held up by
/// milliseconds, so one wild point must not decide the slope (a
/// least-squares line follows it; `lab time 4` once printed 1185.7 µs per
/// thread where the other points said 28). None with fewer than two
/// different worker counts.
pub fn cost_per_worker(points: &[(usize, f64)]) -> Option<f64> {
    // BEGIN SOLUTION hint: task 5: the seconds each extra worker adds, robust to one noisy point
    // The repeated median (Siegel): each point's median slope to the
    // others, then the median of those. A wild point moves only its own
    // slopes, fewer than half of each other point's.
    fn median(mut values: Vec<f64>) -> Option<f64> {
        values.sort_by(f64::total_cmp);
        let middle = values.len() / 2;
        match values.len() {
            0 => None,
            n if n % 2 == 1 => Some(values[middle]),
            _ => Some((values[middle - 1] + values[middle]) / 2.0),
        }
    }
    let slope =
        |(p1, t1): (usize, f64), (p2, t2): (usize, f64)| (t2 - t1) / (p2 as f64 - p1 as f64);
    let per_point = points.iter().filter_map(|&a| {
        median(
            points
                .iter()
                .filter(|b| b.0 != a.0)
                .map(|&b| slope(a, b))
                .collect(),
        )
    });
    median(per_point.collect())
    // END SOLUTION
}

/// Task 6. The size (number of items, here draws) from which `workers`
/// processes start to pay: where the time they save on the items makes up
/// for what starting (and stopping) them costs, `startup_s`. One item
/// takes `serial_s_per_item` serially. Derive it on paper first
/// (worksheet, task 6). None where nothing is shared out (one worker).
pub fn break_even_size(startup_s: f64, serial_s_per_item: f64, workers: usize) -> Option<f64> {
    // BEGIN SOLUTION hint: task 6: the size where the time the processes save equals what starting them costs
    if workers <= 1 {
        return None;
    }
    let saved_per_item = serial_s_per_item * (1.0 - 1.0 / workers as f64);
    Some(startup_s / saved_per_item)
    // END SOLUTION
}

/// How far below and above the prediction the size study must reach: its
/// smallest size at most `predicted / SIZE_SPAN`, its largest at least
/// `predicted * SIZE_SPAN`. The prediction counts only start-up, so the
/// turn may lie a few times away from it, on either side.
pub const SIZE_SPAN: f64 = 3.0;

/// The fewest sizes that show a turn: a curve, not two points.
pub const MIN_SIZES: usize = 4;

/// The sizes linear-normal is measured at: below, a run is all start-up
/// and timer; above, one serial run takes seconds.
pub const SIZE_LIMITS: (usize, usize) = (1_000, 100_000_000);

/// The time budget of the size study: every size run once serially must
/// take at most this many seconds. `time 4` runs each size dozens of
/// times (each round: serial, three strategies at two worker counts, the
/// ceiling), so one second here is a study of a few minutes.
pub const SIZE_BUDGET_S: f64 = 1.0;

/// Task 7. Your size study: the numbers of draws `time 4` measures
/// linear-normal at, with the processes against serial, to see where they
/// start to pay. `predicted` is your task 6 prediction from `time 4`'s own
/// measurements, `seconds_per_draw` the serial time of one draw it
/// measured (so the budget is in seconds, fair to a slow machine). The
/// rules your sizes must keep (the test checks each):
///
/// - at least [`MIN_SIZES`] of them, growing, none twice;
/// - from `predicted / SIZE_SPAN` or less up to `predicted * SIZE_SPAN` or
///   more ([`SIZE_SPAN`]);
/// - each within [`SIZE_LIMITS`];
/// - all of them together, run once serially, within [`SIZE_BUDGET_S`]:
///   `sum of sizes × seconds_per_draw <= SIZE_BUDGET_S` (so at 6 ns a draw
///   about 1.7e8 draws in all, at 15 ns about 6.7e7).
///
/// Within those rules, where you put them is your decision.
pub fn sizes_to_measure(predicted: f64, seconds_per_draw: f64) -> Vec<usize> {
    // BEGIN SOLUTION hint: task 7: the sizes that show where processes start to pay, around your prediction
    // Doubling from an eighth of the prediction to eight times it: the
    // turn lies inside, a size is never more than 2x its neighbour, and
    // the sizes add up to about 16x the prediction (about 32x start-up in
    // serial time). Where that is over budget, the span narrows to 4x.
    let (low, high) = (SIZE_LIMITS.0 as f64, SIZE_LIMITS.1 as f64);
    let sizes = |span: i32| -> Vec<usize> {
        let predicted = predicted.clamp(low * 2f64.powi(span), high / 2f64.powi(span));
        (-span..=span)
            .map(|step| (predicted * 2f64.powi(step)).round() as usize)
            .collect()
    };
    let cost = |sizes: &[usize]| sizes.iter().sum::<usize>() as f64 * seconds_per_draw;
    let wide = sizes(3);
    if cost(&wide) <= SIZE_BUDGET_S {
        wide
    } else {
        sizes(2)
    }
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
        break_even_size(0.002, 1e-8, 2).map(|n| sizes_to_measure(n, 1e-8))
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
    let sizes: Vec<String> = sizes_to_measure(predicted, per_draw)
        .iter()
        .map(usize::to_string)
        .collect();
    println!(
        "{}",
        size_study_line(startup_s, per_draw, predicted, &sizes)
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

/// What `time 4` says before its size study: the two measured inputs of
/// task 6, its prediction, and the sizes of task 7.
pub fn size_study_line(
    startup_s: f64,
    per_draw_s: f64,
    predicted: f64,
    sizes: &[String],
) -> String {
    format!(
        "size study: start-up {:.2} ms, {:.1} ns a draw, so processes predicted faster than serial from n = {predicted:.0} (task 6); measuring n = {}",
        startup_s * 1e3,
        per_draw_s * 1e9,
        sizes.join(", ")
    )
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
                if workload != Amdahl::NAME && all.iter().any(|m| m.workload == Amdahl::NAME) {
                    out.push_str(&format!(
                        "(On this machine, read the fitted f from the {} workload below.)\n",
                        Amdahl::NAME
                    ));
                }
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
    out.push_str(&chunk_line(all));
    out.push_str(&size_table(all, physical_cores, logical_cpus));
    for kind in ["process", "threads"] {
        let points: Vec<(usize, f64)> = all
            .iter()
            .filter(|m| m.workload == STARTUP && m.strategy == kind)
            .map(|m| (m.workers, m.median_s))
            .collect();
        // Only where there is a slope to read: the lab's own tests of the
        // harness run before task 5 is written.
        if points.len() < 2 {
            continue;
        }
        if let Some(slope) = cost_per_worker(&points) {
            out.push_str(&format!(
                "\nstarting {kind}: {:.1} µs per extra worker",
                slope * 1e6
            ));
        }
    }
    out.push('\n');
    out
}

/// What question 5 needs: how many chunks integration is cut into, how
/// long one of them takes serially (serial time / chunks), and what
/// starting the processes costs at as many workers as there are chunks'
/// takers, so a chunk's time can be set against a start-up.
fn chunk_line(all: &[Measurement]) -> String {
    use speedup::workloads::integration::Integration;
    let chunks = Integration::default().chunk_count();
    let Some(serial) = all
        .iter()
        .find(|m| m.workload == "integration" && m.strategy == Strategy::BASELINE.label())
    else {
        return String::new();
    };
    let mut out = format!(
        "\nintegration: {chunks} chunks; one chunk takes {:.3} ms serially ({:.3} s / {chunks})",
        serial.median_s / chunks as f64 * 1e3,
        serial.median_s
    );
    let startups: Vec<String> = all
        .iter()
        .filter(|m| m.workload == STARTUP && m.strategy == "process")
        .map(|m| format!("{:.2} ms at {}", m.median_s * 1e3, m.workers))
        .collect();
    if !startups.is_empty() {
        out.push_str(&format!(
            "; starting the processes takes {}",
            startups.join(", ")
        ));
    }
    out.push('\n');
    out
}

/// The size study as a table: each strategy's paired speedup (with its 95%
/// interval) and its share of the machine ceiling at each size, then where
/// each breaks even, in the report's own words and by its own rule (the
/// smallest size that reaches `BREAK_EVEN` of the ceiling and beats
/// serial): one definition, so the terminal and `report.md` name the same
/// sizes.
fn size_table(all: &[Measurement], physical_cores: usize, logical_cpus: usize) -> String {
    use speedup::report::sizes::SizeStudy;
    let sized: Vec<Measurement> = all
        .iter()
        .filter(|m| m.size.as_ref().is_some_and(|s| s.workload == SIZED))
        .cloned()
        .collect();
    if sized.is_empty() {
        return String::new();
    }
    let machine = speedup::machine::Machine::imagined(physical_cores, logical_cpus);
    let report = match speedup::report::Report::new(machine, sized, Vec::new()) {
        Ok(report) => report,
        Err(err) => return format!("\nsize study: not read ({err})\n"),
    };
    let views = report.views();
    let studies = SizeStudy::all(&views);
    let Some(study) = studies.iter().find(|s| s.workload == SIZED) else {
        return String::new();
    };
    let mut out = String::new();
    for workers in study.worker_counts() {
        out.push_str(&format!(
            "\nsize study: {SIZED} at {workers} workers, speedup (95% interval) and its share of the machine ceiling\n{:>10} {:>8}",
            "n", "ceiling"
        ));
        let labels = study.labels();
        for label in &labels {
            out.push_str(&format!(" {:>26}", label.to_string()));
        }
        out.push('\n');
        let ceiling = study.ceiling(workers);
        for &(n, _) in &study.sizes {
            let at_n = ceiling.iter().find(|(size, _)| *size == n);
            let cell = at_n.map_or("-".to_string(), |(_, c)| format!("{:.2}", c.speedup));
            out.push_str(&format!("{n:>10.0} {cell:>8}"));
            for label in &labels {
                let point = study
                    .speedups(label, workers)
                    .into_iter()
                    .find(|(size, _)| *size == n);
                let cell = point.map_or("-".to_string(), |(_, d)| {
                    let share = d
                        .of_ceiling
                        .map_or(String::new(), |s| format!(" {:.0}%", s * 100.0));
                    format!(
                        "{:.2} ({:.2}–{:.2}){share}",
                        d.speedup, d.speedup_ci_low, d.speedup_ci_high
                    )
                });
                out.push_str(&format!(" {cell:>26}"));
            }
            out.push('\n');
        }
    }
    for finding in study.findings() {
        out.push_str(&finding);
        out.push('\n');
    }
    out
}
