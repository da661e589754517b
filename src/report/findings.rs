//! Plain-language findings, generated from the numbers.
//!
//! A figure shows; a sentence tells the reader what to look at. Each finding
//! below answers one question a student asks of a speedup study, and each is
//! computed, never written by hand, so it stays true when the numbers change.

use super::Report;
use super::amdahl;
use super::context::Context;
use super::derived::{Derived, NOISY_WIDTH};
use super::usl;
use super::view::{Label, Law, Point, WorkloadView};
use crate::Workload;
use crate::measure::interference::{DISTURBED_SHARE, Interference};
use crate::measurement::Measurement;
use crate::strategy::Strategy;

/// A slowdown smaller than this is called noise, not a cost.
const NOISE: f64 = 0.02;

/// A strategy reaching this share of the machine ceiling is limited by the
/// machine, not by its own overhead.
const AT_CEILING: f64 = 0.95;

/// Terms a report explains once, where it first uses them.
#[derive(Debug, Default)]
pub struct Explained {
    plus_minus: bool,
}

impl Explained {
    /// What "±" means, the first time it is asked for; nothing after that.
    fn plus_minus(&mut self) -> &'static str {
        if std::mem::replace(&mut self.plus_minus, true) {
            ""
        } else {
            " (± is half the interval's width, as a share of the speedup)"
        }
    }
}

/// The findings about one workload, read on their own: every term they use
/// is explained.
pub fn for_workload(view: &WorkloadView) -> Vec<String> {
    for_workload_in(view, &mut Explained::default())
}

/// The findings about one workload, in a report that has already explained
/// the terms `terms` records.
pub fn for_workload_in(view: &WorkloadView, terms: &mut Explained) -> Vec<String> {
    let mut lines = Vec::new();
    lines.extend(best(view));
    lines.extend(ceiling(view));
    lines.extend(one_worker_drift(view));
    lines.extend(noisy_points(view, terms));
    lines.extend(oversubscription(view));
    lines.extend(serial_fraction(view));
    if lines.is_empty() {
        lines.push(format!(
            "{} has no serial measurement, so no speedup could be computed.",
            view.name
        ));
    }
    lines
}

/// What a sweep says in the terminal when it ends, each line naming its
/// workload: the fastest point, the machine ceiling and the fitted laws of
/// each. The report holds the rest; these are what a reader checks first.
pub fn headline(report: &Report) -> Vec<String> {
    let views = report.views();
    views
        .iter()
        .flat_map(|view| {
            best(view)
                .into_iter()
                .chain(ceiling(view))
                .chain(serial_fraction(view))
                .map(|line| format!("{}: {line}", view.name))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Which strategy and worker count ran fastest, by paired speedup. A serial
/// program is not a contender: its "speedup" measures the noise (a lab's
/// student-serial read 1.24× on a loaded machine, and was called fastest).
fn best(view: &WorkloadView) -> Option<String> {
    let (point, fastest) = view
        .speedups()
        .filter(|(point, _)| !point.label.is_serial())
        .max_by(|a, b| a.1.speedup.total_cmp(&b.1.speedup))?;
    let time = point.measurement;
    if view.is_weak() {
        return Some(format!(
            "Most work per second: {} with {} worker{}, {} for {} times the one-worker job \
             (scaled speedup {:.2}×, weak-scaling efficiency {:.0}%).",
            point.label,
            fastest.workers,
            if fastest.workers == 1 { "" } else { "s" },
            seconds(time.median_s),
            fastest.workers,
            fastest.speedup,
            fastest.efficiency * 100.0
        ));
    }
    Some(format!(
        "Fastest: {} with {} worker{}, {} ({:.2}× the serial speed, efficiency {:.0}%).",
        point.label,
        fastest.workers,
        if fastest.workers == 1 { "" } else { "s" },
        seconds(time.median_s),
        fastest.speedup,
        fastest.efficiency * 100.0
    ))
}

/// Where running more workers than logical CPUs starts to cost.
fn oversubscription(view: &WorkloadView) -> Option<String> {
    let logical = view.machine.logical_cpus;
    let mut beyond: Vec<usize> = view
        .speedups()
        .filter(|(_, d)| d.workers > logical)
        .map(|(_, d)| d.workers)
        .collect();
    beyond.sort_unstable();
    beyond.dedup();
    if beyond.is_empty() {
        return Some(format!(
            "The sweep stopped at {logical} logical CPUs, so oversubscription was not measured."
        ));
    }
    // For each strategy: its best speedup within the CPUs, against each count beyond.
    let slowdown_at = |workers: usize| -> Option<(f64, Label)> {
        view.speedups()
            .filter(|(_, d)| d.workers == workers)
            .filter_map(|(point, d)| {
                let within = view
                    .curve(&point.label)
                    .filter_map(|o| o.derived)
                    .filter(|o| o.workers <= logical)
                    .map(|o| o.speedup)
                    .fold(f64::NAN, f64::max);
                within
                    .is_finite()
                    .then(|| (within / d.speedup - 1.0, point.label.clone()))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0))
    };
    let last = *beyond.last()?;
    for &workers in &beyond {
        if let Some((slowdown, strategy)) = slowdown_at(workers).filter(|s| s.0 > NOISE) {
            return Some(format!(
                "Oversubscription starts to cost at {workers} workers on {logical} logical CPUs: \
                 {strategy} runs {:.0}% slower there than at its best within the CPUs.",
                slowdown * 100.0
            ));
        }
    }
    Some(format!(
        "Oversubscription up to {last} workers on {logical} logical CPUs cost nothing \
         measurable (every strategy within {:.0}% of its best).",
        NOISE * 100.0
    ))
}

/// What the machine itself delivers at the most workers within the logical
/// CPUs, and how close each strategy comes to it there.
pub fn ceiling(view: &WorkloadView) -> Option<String> {
    let logical = view.machine.logical_cpus;
    let top = view
        .ceiling
        .iter()
        .copied()
        .filter(|c| c.workers > 1 && c.workers <= logical)
        .max_by_key(|c| c.workers)?;
    let p = top.workers;
    let mut at_p: Vec<(&Label, &Derived, f64)> = view
        .speedups()
        .filter(|(_, d)| d.workers == p)
        .filter_map(|(point, d)| Some((&point.label, d, d.of_ceiling?)))
        .filter(|(label, ..)| !label.is_baseline())
        .collect();
    at_p.sort_by(|a, b| b.2.total_cmp(&a.2));
    // "gives 2.00×, not 2×" would contradict itself: say "not p×" only
    // where the printed ceiling falls short of p.
    let short_of_p = match (top.speedup * 100.0).round() < (p * 100) as f64 {
        true => format!(", not {p}×"),
        false => String::new(),
    };
    let machine = format!(
        "The machine itself gives {:.2}× at {p} ({p} independent serial copies at once; \
         95% interval {:.2}–{:.2}×){short_of_p}",
        top.speedup, top.ci_low, top.ci_high
    );
    let Some((label, best, share)) = at_p.first() else {
        return Some(format!("{machine}."));
    };
    let verdict = if *share > 1.0 + NOISE {
        // Above the ceiling reads as a contradiction unless it says how:
        // noise, or copies that compete for what one parallel run shares.
        let how = if best.speedup_ci_low <= top.ci_high {
            format!(
                "but within the noise (its interval {:.2}–{:.2}× overlaps the ceiling's)",
                best.speedup_ci_low, best.speedup_ci_high
            )
        } else {
            format!(
                "beyond the noise (its interval {:.2}–{:.2}× lies above the ceiling's): the \
                 {p} serial copies compete for caches and memory bandwidth that one parallel \
                 run shares",
                best.speedup_ci_low, best.speedup_ci_high
            )
        };
        format!(
            "above the ceiling {how}, so {label} is at the machine's limit, with no overhead \
             of its own to measure"
        )
    } else if *share >= AT_CEILING {
        format!("so {label} is limited by the machine, not by its own overhead")
    } else {
        format!(
            "so {:.0}% is lost to {label}'s own overhead (start-up, scheduling, moving results)",
            (1.0 - share) * 100.0,
        )
    };
    let wide = best.noisy || (top.ci_high - top.ci_low) / top.speedup > NOISY_WIDTH;
    let caveat = if wide {
        let more = match view.context {
            // The sweep's own words, as its reports have always said them.
            Context::Sweep => "`--until 5%`".to_string(),
            other => other.more_rounds(view.rounds()),
        };
        format!(" The intervals here are wide, so read these shares loosely (more rounds: {more}).")
    } else {
        String::new()
    };
    let shares: Vec<String> = at_p
        .iter()
        .map(|(label, _, share)| format!("{label} {:.0}%", share * 100.0))
        .collect();
    Some(format!(
        "{machine}. {label} reaches {:.0}% of that ({:.2}×), {verdict}. Share of the ceiling at {p}: {}.{caveat}",
        share * 100.0,
        best.speedup,
        shares.join(", ")
    ))
}

/// Thread strategies at one worker do the serial work plus almost nothing;
/// an interval that excludes 1.0 there is overhead or drift.
///
/// The serial point, timed against its own neighbours in the same rounds,
/// tells the two apart: drift moves serial against serial as much as
/// anything else. A one-worker point slower than serial's whole interval
/// is therefore the strategy's own cost; one that merely misses 1.0 may be
/// either. Differences under [`NOISE`] are not worth a sentence.
fn one_worker_drift(view: &WorkloadView) -> Option<String> {
    let floor = view.baseline.as_ref().and_then(|b| b.derived);
    let (overhead, unclear): (Vec<_>, Vec<_>) = view
        .speedups()
        .filter(|(_, d)| d.workers == 1)
        .filter(|(point, _)| is_thread_strategy(&point.label))
        .filter(|(_, d)| d.speedup_ci_low > 1.0 || d.speedup_ci_high < 1.0)
        .filter(|(_, d)| (d.speedup - 1.0).abs() >= NOISE)
        .partition(|(_, d)| floor.is_some_and(|f| d.speedup_ci_high < f.speedup_ci_low));
    let list = |points: &[(&Point, &Derived)]| {
        points
            .iter()
            .map(|(point, d)| {
                format!(
                    "{} {:.2}× ({:.2}–{:.2})",
                    point.label, d.speedup, d.speedup_ci_low, d.speedup_ci_high
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut sentences = Vec::new();
    if let (false, Some(f)) = (overhead.is_empty(), floor) {
        sentences.push(format!(
            "At one worker {} {} slower than serial beyond this machine's noise (serial \
             against serial: {:.3}–{:.3} in the same rounds): that is the strategy's own \
             cost of starting, waking or joining threads and moving results, not drift.",
            list(&overhead),
            if overhead.len() == 1 { "is" } else { "are" },
            f.speedup_ci_low,
            f.speedup_ci_high
        ));
    }
    if !unclear.is_empty() {
        sentences.push(format!(
            "At one worker these thread strategies differ from serial beyond their interval: {}. \
             One thread does the serial work, so this is overhead or drift: rerun with more \
             rounds to tell which.",
            list(&unclear)
        ));
    }
    (!sentences.is_empty()).then(|| sentences.join(" "))
}

fn is_thread_strategy(label: &Label) -> bool {
    matches!(label, Label::Strategy(strategy) if strategy.kind().is_threads())
}

/// Points whose interval is wider than [`NOISY_WIDTH`] of the estimate,
/// each with whether the machine's interference explains its width.
fn noisy_points(view: &WorkloadView, terms: &mut Explained) -> Option<String> {
    let noisy: Vec<String> = view
        .speedups()
        .filter(|(_, d)| d.noisy)
        .map(|(point, d)| {
            format!(
                "{} at {} (±{:.0}%{})",
                point.label,
                d.workers,
                (d.speedup_ci_high - d.speedup_ci_low) / d.speedup * 50.0,
                explained(point.measurement)
            )
        })
        .collect();
    (!noisy.is_empty()).then(|| {
        format!(
            "Noisy: {} point{} with an interval wider than {:.0}% of the speedup{}: {}. More \
             rounds narrow them ({}).",
            noisy.len(),
            if noisy.len() == 1 { "" } else { "s" },
            NOISY_WIDTH * 100.0,
            terms.plus_minus(),
            noisy.join(", "),
            view.context.more_rounds(view.rounds())
        )
    })
}

/// Whether interference explains a noisy point's width: its disturbed runs
/// counted, and the interval without them; empty where interference was
/// not read (older reports read as before).
fn explained(m: &Measurement) -> String {
    let disturbed = m.disturbed().iter().filter(|&&d| d).count();
    if m.disturbed().is_empty() {
        return String::new();
    }
    if disturbed == 0 {
        return "; no run disturbed: not the machine's interference".into();
    }
    let of = format!("; {disturbed} of {} runs disturbed", m.samples);
    match m.undisturbed_speedup().filter(|s| s.coverage >= 0.95) {
        Some(quiet) if quiet.relative_width() <= NOISY_WIDTH => format!(
            "{of}, ±{:.0}% without them: interference explains it",
            quiet.relative_width() * 50.0
        ),
        Some(quiet) => format!(
            "{of}, still ±{:.0}% without them: not interference alone",
            quiet.relative_width() * 50.0
        ),
        None => format!("{of}, too few left to tell"),
    }
}

/// What the machine took from the study's timed runs, in one sentence, or
/// that it was not measured; nothing for reports made before it was read.
fn interference(report: &Report) -> Option<String> {
    let runs: Vec<(f64, &Interference)> = report
        .measurements
        .iter()
        .flat_map(|m| m.times_s.iter().copied().zip(&m.interference))
        .collect();
    if runs.is_empty() {
        let source = report.conditions.as_ref()?.interference.as_ref()?;
        return Some(format!(" Interference from the machine: {source}."));
    }
    let wall: f64 = runs.iter().map(|(s, _)| s).sum();
    let cpu_time: f64 = runs.iter().map(|(s, i)| s * i.cpus as f64).sum();
    let steal: f64 = runs.iter().map(|(_, i)| i.steal_s).sum();
    let others: f64 = runs.iter().map(|(_, i)| i.others_s).sum();
    let delay: Option<f64> = runs.iter().map(|(_, i)| i.delay_s).sum();
    let waited = match delay {
        Some(delay) => format!(
            "this study's own threads waited runnable {:.1}% of their runs' time",
            delay / wall * 100.0
        ),
        None => format!(
            "run delay was not measured (no schedstat), {:.0} involuntary switches a run",
            runs.iter().map(|(_, i)| i.switches as f64).sum::<f64>() / runs.len() as f64
        ),
    };
    let marks: Vec<bool> = report
        .measurements
        .iter()
        .flat_map(Measurement::disturbed)
        .collect();
    let disturbed = marks.iter().filter(|&&d| d).count();
    Some(format!(
        " Interference over the timed runs: the hypervisor stole {:.1}% of the CPUs' time, \
         other processes kept {:.2} CPUs busy on average, and {waited}. {disturbed} of {} runs \
         lost more than {:.0}% of their time (run delay and steal) or ran beside serial runs \
         that did, and are marked disturbed: the medians keep them, and a noisy point says \
         whether they explain its width.",
        steal / cpu_time * 100.0,
        others / wall,
        marks.len(),
        DISTURBED_SHARE * 100.0
    ))
}

/// How steady the machine was: serial against serial, per workload (each
/// view's baseline), and the load around the measurements.
pub fn noise(report: &Report, views: &[WorkloadView]) -> Option<String> {
    if !report.is_paired() {
        return None;
    }
    let serial: Vec<String> = views
        .iter()
        .filter_map(|view| Some((view.name, view.baseline.as_ref()?.derived?)))
        .map(|(workload, d)| {
            format!(
                "{workload} {:.3}× ({:.3}–{:.3})",
                d.speedup, d.speedup_ci_low, d.speedup_ci_high
            )
        })
        .collect();
    let load = report.conditions.as_ref().and_then(|c| {
        Some(format!(
            " The 1-minute load average was {:.2} before and {:.2} after measuring, on {} logical CPUs.",
            c.load_before?, c.load_after?, report.machine.logical_cpus
        ))
    });
    if serial.is_empty() {
        return None;
    }
    let fewest = report
        .measurements
        .iter()
        .map(|m| m.samples)
        .min()
        .unwrap_or(0);
    let (_, coverage) = crate::interval::rank_for_95(fewest);
    let short = if coverage < 0.95 {
        format!(
            " With {fewest} run{} per point the intervals hold the true median with only {:.0}% \
             probability, not 95%: six rounds or more are needed for that.",
            if fewest == 1 { "" } else { "s" },
            coverage * 100.0
        )
    } else {
        String::new()
    };
    Some(format!(
        "Noise: serial timed against the serial runs beside it should give 1.000×; here {}. \
         The interval's width is this machine's noise floor for every speedup below.{}{}{short}",
        serial.join(", "),
        load.unwrap_or_default(),
        interference(report).unwrap_or_default()
    ))
}

/// The laws fitted to the fastest strategy, in words: Amdahl's, USL's,
/// which describes the curve better, or why a law has no fit.
fn serial_fraction(view: &WorkloadView) -> Vec<String> {
    let Some((best, _)) = view
        .speedups()
        .filter(|(_, d)| d.workers > 1)
        .max_by(|a, b| a.1.speedup.total_cmp(&b.1.speedup))
    else {
        return Vec::new();
    };
    let label = &best.label;
    let workers: Vec<usize> = view
        .curve(label)
        .filter(|p| p.derived.is_some())
        .map(Point::workers)
        .collect();
    let range = view.fit_range();
    if view.is_weak() {
        return gustafson_fit(view, label, &workers).into_iter().collect();
    }
    let mut lines = Vec::new();
    if let Some(why) = amdahl::too_few_points(&workers, range) {
        // Point only to what the reader can run (the `amdahl` workload
        // itself cannot be told to run itself).
        // Nor in each section of a size study: one family of many, read for
        // its size, would repeat the advice once a size.
        let in_size_study = view.points.iter().any(|p| p.measurement.size.is_some());
        let instead = if view.name == crate::workloads::amdahl::Amdahl::NAME || in_size_study {
            String::new()
        } else {
            format!(" {}", laws_on_any_machine(view.context))
        };
        lines.push(format!(
            "No Amdahl fit: {why}. Through one or two points any serial fraction fits.{instead}"
        ));
    } else if let Some(fit) = view.fit(label) {
        let cap = match fit.max_speedup {
            Some(max) => format!("no number of workers can make it more than {max:.1}× faster"),
            None => "the fit sees no serial part at all".to_string(),
        };
        lines.push(format!(
            "Amdahl fit for {label} (points from 2 to {} workers, {}): serial fraction {}, so {cap}.",
            range.limit,
            range.bound(),
            percent_with_interval(fit.serial_fraction, fit.interval)
        ));
    }
    match (view.usl_fit(label), usl::too_few_points(&workers)) {
        (_, Some(why)) => lines.push(format!("No USL fit: {why}.")),
        (Some(fit), None) => {
            let peak = match fit.peak_workers {
                Some(p) => format!(
                    "its speedup peaks at p* = {} workers and falls past them",
                    number_with_interval(p, fit.peak_interval, 1)
                ),
                None if fit.kappa > 0.0 => {
                    "no peak: with σ at 1 or more, no number of workers helps".to_string()
                }
                None => {
                    "no peak (κ = 0), so USL reads the curve as Amdahl's law with f = σ".to_string()
                }
            };
            lines.push(format!(
                "USL fit for {label} (all {} worker counts, past the cores too, where \
                 retrograde scaling shows): contention σ = {}, coherency κ = {}: {peak}.",
                workers.len(),
                number_with_interval(fit.sigma, fit.sigma_interval, 3),
                number_with_interval(fit.kappa, fit.kappa_interval, 4),
            ));
        }
        (None, None) => {}
    }
    let compared = view.comparison(label);
    if let Some((c, a, u)) = compared.and_then(|c| Some((c, c.amdahl_error?, c.usl_error?))) {
        let why = match c.better {
            Law::Amdahl => "USL's second parameter buys little here",
            // Only strong scaling compares laws: Gustafson is weak scaling's one.
            Law::Usl | Law::Gustafson => {
                "Amdahl's curve only rises with more workers, and USL's can level off or fall"
            }
        };
        lines.push(format!(
            "{} describes the curve better: off by {:.1}% (Amdahl) against {:.1}% (USL) on \
             average over its {} worker counts; {why}.",
            c.better.name(),
            a * 100.0,
            u * 100.0,
            c.points
        ));
    }
    lines
}

/// Gustafson's law fitted to the best strategy's weak-scaling curve, in
/// words, or why it has no fit.
fn gustafson_fit(view: &WorkloadView, label: &Label, workers: &[usize]) -> Option<String> {
    let range = view.fit_range();
    if let Some(why) = amdahl::too_few_points(workers, range) {
        return Some(format!(
            "No Gustafson fit: {why}. Through one or two points any serial share fits."
        ));
    }
    let fit = view.gustafson_fit(label)?;
    Some(format!(
        "Gustafson fit for {label} (points from 2 to {} workers, {}): serial share {} of the \
         grown job's time, so each worker adds {:.2} of the one-worker job's work: scaled \
         speedup p − f(p − 1), with no cap, for Gustafson's law assumes that the serial part \
         does not grow with the job.",
        range.limit,
        range.bound(),
        percent_with_interval(fit.serial_fraction, fit.interval),
        1.0 - fit.serial_fraction
    ))
}

/// What the reader can run to see the laws on any machine: the `amdahl`
/// workload, whose chunks wait and so scale past the cores.
pub fn laws_on_any_machine(context: Context) -> String {
    // A student's results live under labs/results, not in the
    // sweep's default reports/<machine>.
    let out = match context {
        Context::Lab(_) => " --out labs/results/amdahl",
        _ => "",
    };
    format!(
        "{} shows the laws on any machine: its serial fraction is set, and its chunks wait, \
         so they need no core.",
        context.speedup(&format!(
            "sweep --workloads amdahl --workers 1,2,4,8,16{out}"
        ))
    )
}

/// A share as a percentage, with its 95% interval where there is one:
/// `9.7% (95% interval 9.1–10.3%)`.
pub fn percent_with_interval(value: f64, interval: Option<[f64; 2]>) -> String {
    match interval {
        Some([low, high]) => format!(
            "{:.1}% (95% interval {:.1}–{:.1}%)",
            value * 100.0,
            low * 100.0,
            high * 100.0
        ),
        None => format!("{:.1}%", value * 100.0),
    }
}

/// A number to `digits` decimals, with its 95% interval where there is one
/// (an infinite end written as ∞): `0.012 (0.008–0.020)`.
pub fn number_with_interval(value: f64, interval: Option<[f64; 2]>, digits: usize) -> String {
    let show = |x: f64| {
        if x.is_infinite() {
            "∞".to_string()
        } else {
            format!("{x:.digits$}")
        }
    };
    match interval {
        Some([low, high]) => format!("{} ({}–{})", show(value), show(low), show(high)),
        None => show(value),
    }
}

/// What starting worker processes costs, against the shortest serial run
/// (of the workloads' baselines): for as many processes as logical CPUs
/// where that was measured, the count a size study and a full machine use,
/// else for the most measured.
pub fn process_startup(report: &Report, views: &[WorkloadView]) -> Option<String> {
    let logical = report.machine.logical_cpus;
    let cost = report
        .process_startup
        .iter()
        .filter(|c| c.workers <= logical)
        .max_by_key(|c| c.workers)
        .or_else(|| report.process_startup.iter().max_by_key(|c| c.workers))?;
    let shortest = views
        .iter()
        .filter_map(|view| Some(view.baseline.as_ref()?.measurement))
        .min_by(|a, b| a.median_s.total_cmp(&b.median_s));
    let share = shortest
        .map(|m| {
            format!(
                ", {:.1}% of the serial run time of {} ({})",
                cost.seconds / m.median_s * 100.0,
                m.workload,
                seconds(m.median_s)
            )
        })
        .unwrap_or_default();
    // Who pays it: strategies that start processes for every run, or once.
    let mut process_strategies: Vec<Strategy> = Vec::new();
    for label in views.iter().flat_map(|view| view.labels()) {
        if let Label::Strategy(s) = label {
            if s.kind().pays_process_startup() && !process_strategies.contains(s) {
                process_strategies.push(*s);
            }
        }
    }
    let (kept, fresh): (Vec<Strategy>, Vec<Strategy>) = process_strategies
        .into_iter()
        .partition(|s| s.entry().keeps_workers);
    let names = |list: &[Strategy]| {
        list.iter()
            .map(|s| s.label())
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let kept_pays = |kept: &[Strategy]| {
        format!(
            "{} pays it once, when its processes start, and keeps them",
            names(kept)
        )
    };
    let payers = match (fresh.is_empty(), kept.is_empty()) {
        (_, true) => "Every process-strategy run pays it".to_string(),
        (true, false) => kept_pays(&kept),
        (false, false) => format!(
            "Every run of {} pays it; {}",
            names(&fresh),
            kept_pays(&kept)
        ),
    };
    Some(format!(
        "Process start-up cost: starting and stopping {} worker process{} takes {} \
         ({} each){share}. {payers}; thread strategies do not.",
        cost.workers,
        if cost.workers == 1 { "" } else { "es" },
        seconds(cost.seconds),
        seconds(cost.seconds / cost.workers as f64)
    ))
}

/// What launching an MPI job costs, which the mpi timings leave out.
pub fn mpi_launch(report: &Report) -> Option<String> {
    let costs: Vec<String> = report
        .mpi_launch
        .iter()
        .map(|c| {
            format!(
                "{} with {} rank{}",
                seconds(c.seconds),
                c.workers,
                if c.workers == 1 { "" } else { "s" }
            )
        })
        .collect();
    if costs.is_empty() {
        return None;
    }
    Some(format!(
        "MPI launch cost: starting an MPI job (the launcher, MPI_Init, MPI_Finalize) takes {} \
         beyond its work. The mpi times leave it out: they run from all ranks ready to the \
         merged result on rank 0.",
        costs.join(", ")
    ))
}

/// A duration in the unit that reads best.
pub fn seconds(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{:.0} µs", s * 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::Machine;
    use crate::measurement::Measurement;
    use crate::measurement::StartupCost;

    fn machine(logical: usize) -> Machine {
        Machine::imagined(logical, logical)
    }

    fn point(strategy: &str, workers: usize, t: f64) -> Measurement {
        Measurement::from_samples("w", strategy, workers, &[t])
    }

    fn report(points: Vec<Measurement>) -> Report {
        let startup = vec![StartupCost {
            workers: 2,
            seconds: 0.004,
        }];
        Report::new(machine(2), points, startup).unwrap()
    }

    #[test]
    fn names_the_fastest_point_and_its_numbers() {
        let r = report(vec![
            point("serial", 1, 1.0),
            point("scoped-static", 1, 1.0),
            point("scoped-static", 2, 0.5),
            point("thread-pool", 2, 0.8),
        ]);
        let lines = for_workload(&r.views()[0]);
        assert!(
            lines[0].contains("scoped-static with 2 workers"),
            "{lines:?}"
        );
        assert!(
            lines[0].contains("2.00×") && lines[0].contains("100%"),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("No Amdahl fit") && l.contains("at least 3")),
            "two cores leave one worker count to fit: {lines:?}"
        );
    }

    #[test]
    fn a_serial_program_is_never_the_fastest_however_noisy() {
        let r = report(vec![
            paired("serial", 1, &[1.0; 7]),
            paired("student-serial", 1, &[1.24; 7]),
            paired("student-threads", 2, &[1.1; 7]),
        ]);
        let lines = for_workload(&r.views()[0]);
        assert!(
            lines[0].starts_with("Fastest: student-threads with 2 workers"),
            "{lines:?}"
        );
    }

    fn paired(strategy: &str, workers: usize, ratios: &[f64]) -> Measurement {
        let pairs: Vec<(f64, f64)> = ratios.iter().map(|r| (1.0 / r, 1.0)).collect();
        Measurement::from_pairs("w", strategy, workers, &pairs)
    }

    #[test]
    fn the_ceiling_finding_says_who_is_limited_by_what() {
        let steady = |s: f64| [s; 7];
        let r = report(vec![
            paired("serial", 1, &steady(1.0)),
            paired("thread-pool", 2, &steady(1.58)),
            paired("process-static", 2, &steady(1.2)),
            paired(crate::measure::CEILING, 2, &steady(0.8)),
        ]);
        let text = ceiling(&r.views()[0]).unwrap();
        assert!(
            text.contains("The machine itself gives 1.60× at 2") && text.contains("), not 2×"),
            "{text}"
        );
        // A ceiling of the full 2× is not also "not 2×".
        let full = report(vec![
            paired("serial", 1, &steady(1.0)),
            paired("thread-pool", 2, &steady(1.9)),
            paired(crate::measure::CEILING, 2, &steady(1.0)),
        ]);
        let text_full = ceiling(&full.views()[0]).unwrap();
        assert!(
            text_full.contains("gives 2.00× at 2") && !text_full.contains("not 2×"),
            "{text_full}"
        );
        assert!(
            text.contains(
                "thread-pool reaches 99% of that (1.58×), so thread-pool is limited by the machine"
            ),
            "{text}"
        );
        assert!(text.contains("process-static 75%"), "{text}");
        assert!(!text.contains("loosely"), "steady pairs: {text}");

        // Above the ceiling: said as such, and how, never "limited by" alone.
        let r = report(vec![
            paired("serial", 1, &steady(1.0)),
            paired("process-pool", 2, &steady(2.0)),
            paired(crate::measure::CEILING, 2, &steady(0.8)),
        ]);
        let text = ceiling(&r.views()[0]).unwrap();
        assert!(
            text.contains(
                "process-pool reaches 125% of that (2.00×), above the ceiling beyond the noise \
                 (its interval 2.00–2.00× lies above the ceiling's)"
            ) && text.contains("process-pool is at the machine's limit"),
            "{text}"
        );
        assert!(!text.contains("limited by the machine"), "{text}");

        let r = report(vec![
            paired("serial", 1, &steady(1.0)),
            paired("process-static", 2, &steady(1.2)),
            paired(crate::measure::CEILING, 2, &steady(0.8)),
        ]);
        let text = ceiling(&r.views()[0]).unwrap();
        assert!(
            text.contains("so 25% is lost to process-static's own overhead"),
            "{text}"
        );
    }

    #[test]
    fn one_worker_thread_runs_off_one_and_wide_intervals_are_flagged() {
        let r = report(vec![
            paired("serial", 1, &[1.0; 7]),
            // Every pair says 13% slower: outside any interval around 1.0.
            paired(
                "thread-pool",
                1,
                &[0.86, 0.87, 0.88, 0.87, 0.86, 0.88, 0.87],
            ),
            paired("scoped-static", 1, &[0.98, 1.01, 1.0, 0.99, 1.02, 1.0, 1.0]),
            paired("scoped-dynamic", 2, &[1.5, 1.9, 1.7, 1.3, 1.8, 1.6, 1.7]),
        ]);
        let lines = for_workload(&r.views()[0]);
        // Serial against serial stayed at exactly 1.0: the 13% is overhead.
        let drift = lines.iter().find(|l| l.contains("own")).unwrap();
        assert!(
            drift.contains("thread-pool 0.87× (0.86–0.88) is slower than serial beyond")
                && drift.contains("1.000–1.000")
                && !drift.contains("scoped-static")
                && !drift.contains("overhead or drift"),
            "{drift}"
        );
        let noisy = lines.iter().find(|l| l.starts_with("Noisy")).unwrap();
        assert!(
            noisy.contains("1 point") && noisy.contains("scoped-dynamic at 2"),
            "{noisy}"
        );
        let floor = noise(&r, &r.views()).unwrap();
        assert!(floor.contains("w 1.000× (1.000–1.000)"), "{floor}");
        assert!(!floor.contains("not 95%"), "seven runs: {floor}");
        let r = report(vec![
            paired("serial", 1, &[1.0; 3]),
            paired("thread-pool", 2, &[1.9; 3]),
        ]);
        let floor = noise(&r, &r.views()).unwrap();
        assert!(
            floor.contains("With 3 runs per point") && floor.contains("only 75%"),
            "{floor}"
        );
    }

    #[test]
    fn a_labs_findings_name_the_lab_command_and_say_what_plus_minus_means_once() {
        let wide = [1.5, 1.9, 1.7, 1.3, 1.8, 1.6, 1.7];
        let points = vec![
            paired("serial", 1, &[1.0; 7]),
            paired("student-threads", 2, &wide),
            paired(crate::measure::CEILING, 2, &wide),
        ];
        let sweep = report(points.clone());
        let lab = report(points).with_context(Context::Lab(3));
        let lines = for_workload(&lab.views()[0]).join("\n");
        assert!(
            lines.contains("`cargo run -p speedup-labs --release -- time 3 --rounds 15`"),
            "{lines}"
        );
        assert!(
            !lines.contains("--until") && !lines.contains("`speedup "),
            "{lines}"
        );
        assert!(lines.contains("(± is half the interval's width"), "{lines}");
        let sweep_lines = for_workload(&sweep.views()[0]).join("\n");
        assert!(
            sweep_lines.contains("`speedup sweep --until 5%`"),
            "{sweep_lines}"
        );

        // Explained where it first appears, and only there.
        let mut explained = Explained::default();
        let views = lab.views();
        let first = for_workload_in(&views[0], &mut explained).join("\n");
        let second = for_workload_in(&views[0], &mut explained).join("\n");
        assert!(
            first.contains("± is half") && second.contains("(±"),
            "{second}"
        );
        assert!(!second.contains("± is half"), "{second}");
    }

    #[test]
    fn a_one_worker_point_within_serials_own_wander_may_be_drift() {
        let r = report(vec![
            paired("serial", 1, &[0.85, 0.9, 1.0, 1.1, 0.95, 1.05, 1.0]),
            paired("thread-pool", 1, &[0.95; 7]),
        ]);
        let drift = for_workload(&r.views()[0]).join(" ");
        assert!(
            drift.contains("thread-pool 0.95× (0.95–0.95). One thread does the serial work, so this is overhead or drift"),
            "{drift}"
        );
    }

    #[test]
    fn finds_where_oversubscription_starts_to_cost() {
        let r = report(vec![
            point("serial", 1, 1.0),
            point("thread-pool", 2, 0.5),
            point("thread-pool", 3, 0.505),
            point("thread-pool", 4, 0.6),
        ]);
        let text = oversubscription(&r.views()[0]).unwrap();
        assert!(text.contains("at 4 workers"), "{text}");
        assert!(text.contains("20% slower"), "{text}");
    }

    #[test]
    fn free_oversubscription_is_called_free() {
        let r = report(vec![
            point("serial", 1, 1.0),
            point("thread-pool", 2, 0.5),
            point("thread-pool", 4, 0.5),
        ]);
        assert!(
            oversubscription(&r.views()[0])
                .unwrap()
                .contains("cost nothing")
        );
    }

    #[test]
    fn startup_cost_is_put_against_the_serial_time() {
        let r = report(vec![point("serial", 1, 0.4)]);
        let text = process_startup(&r, &r.views()).unwrap();
        assert!(
            text.contains("4.0 ms") && text.contains("1.0% of the serial run"),
            "{text}"
        );
        // Measured past the CPUs too (lab 4 starts 1 to 4 on 2 CPUs): the
        // cost at the CPUs is the one stated, as the size study uses it.
        let mut r = report(vec![point("serial", 1, 0.4)]);
        r.process_startup = [(1, 0.002), (2, 0.004), (4, 0.011)]
            .map(|(workers, seconds)| StartupCost { workers, seconds })
            .to_vec();
        let text = process_startup(&r, &r.views()).unwrap();
        assert!(
            text.contains("starting and stopping 2 worker processes"),
            "{text}"
        );
        r.process_startup.retain(|c| c.workers == 4);
        let text = process_startup(&r, &r.views()).unwrap();
        assert!(
            text.contains("starting and stopping 4 worker processes"),
            "{text}"
        );
    }

    #[test]
    fn startup_cost_names_who_pays_it_per_run_and_who_once() {
        let says = |strategies: &[&str]| {
            let mut points = vec![point("serial", 1, 0.4)];
            points.extend(strategies.iter().map(|s| point(s, 2, 0.3)));
            let r = report(points);
            process_startup(&r, &r.views()).unwrap()
        };
        let both = says(&["process-dynamic", "process-pool"]);
        assert!(
            both.contains("Every run of process-dynamic pays it; process-pool pays it once"),
            "{both}"
        );
        let pool = says(&["process-pool"]);
        assert!(
            pool.contains(
                "(2.0 ms each), 1.0% of the serial run time of w (400.0 ms). \
                 process-pool pays it once"
            ),
            "{pool}"
        );
        assert!(says(&["process-static"]).contains("Every process-strategy run pays it"));
    }

    #[test]
    fn mpi_launch_cost_is_stated_only_when_measured() {
        let mut r = report(vec![point("serial", 1, 0.4), point("mpi", 2, 0.3)]);
        assert_eq!(mpi_launch(&r), None);
        r.mpi_launch = vec![
            StartupCost {
                workers: 1,
                seconds: 0.1,
            },
            StartupCost {
                workers: 2,
                seconds: 0.12,
            },
        ];
        let text = mpi_launch(&r).unwrap();
        assert!(
            text.contains("100.0 ms with 1 rank,") && text.contains("120.0 ms with 2 ranks"),
            "{text}"
        );
    }

    #[test]
    fn durations_pick_their_unit() {
        assert_eq!(seconds(2.5), "2.50 s");
        assert_eq!(seconds(0.0123), "12.3 ms");
        assert_eq!(seconds(0.000_02), "20 µs");
    }

    /// Paired runs of the given ratios (serial 1 s), each run losing
    /// `delay` seconds to waiting and 0.1 CPU-seconds to steal.
    fn interfered(strategy: &str, workers: usize, runs: &[(f64, f64)]) -> Measurement {
        use crate::measure::{Interference, RunRecord};
        let record = |seconds: f64, delay: f64| {
            RunRecord::of_seconds(seconds).with_interference(Some(Interference {
                steal_s: 0.1,
                others_s: 0.5,
                delay_s: Some(delay),
                switches: 3,
                cpus: 2,
            }))
        };
        let runs: Vec<(RunRecord, RunRecord)> = runs
            .iter()
            .map(|&(ratio, delay)| (record(1.0 / ratio, delay), record(1.0, 0.0)))
            .collect();
        Measurement::from_runs("w", strategy, workers, &runs)
    }

    #[test]
    fn a_noisy_point_says_whether_interference_explains_its_width() {
        let quiet = |ratio| (ratio, 0.0);
        let r = report(vec![
            interfered("serial", 1, &[quiet(1.0); 8]),
            // Two runs waited 0.3 s of their ~0.6 s: they hold the width.
            interfered(
                "scoped-static",
                2,
                &[
                    quiet(1.9),
                    (1.2, 0.3),
                    quiet(1.9),
                    quiet(1.91),
                    (1.4, 0.3),
                    quiet(1.89),
                    quiet(1.9),
                    quiet(1.9),
                ],
            ),
            // Wide, and no run disturbed: the program's own spread.
            interfered(
                "thread-pool",
                2,
                &[1.5, 1.9, 1.7, 1.3, 1.8, 1.6, 1.7, 1.4].map(quiet),
            ),
        ]);
        let lines = for_workload(&r.views()[0]);
        let noisy = lines.iter().find(|l| l.starts_with("Noisy")).unwrap();
        assert!(
            noisy.contains("scoped-static at 2 (±")
                && noisy
                    .contains("2 of 8 runs disturbed, ±1% without them: interference explains it"),
            "{noisy}"
        );
        assert!(
            noisy.contains("thread-pool at 2 (±") && noisy.contains("no run disturbed"),
            "{noisy}"
        );
        let floor = noise(&r, &r.views()).unwrap();
        // Steal: 0.1 CPU-s per run over 2 CPUs; others' 0.5 CPU-s per run.
        let wall: f64 = r.measurements.iter().flat_map(|m| &m.times_s).sum();
        let expected = format!(
            "stole {:.1}% of the CPUs' time, other processes kept {:.2} CPUs busy",
            24.0 * 0.1 / (2.0 * wall) * 100.0,
            24.0 * 0.5 / wall
        );
        assert!(floor.contains(&expected), "{expected} in {floor}");
        assert!(floor.contains("2 of 24 runs lost more than 10%"), "{floor}");
    }

    #[test]
    fn where_interference_was_not_read_the_report_says_so_and_old_reports_say_nothing() {
        let points = || {
            vec![
                paired("serial", 1, &[1.0; 7]),
                paired("thread-pool", 2, &[1.9; 7]),
            ]
        };
        let old = report(points());
        assert!(!noise(&old, &old.views()).unwrap().contains("nterference"));
        let conditions = crate::measure::Conditions {
            interference: Some("not measured: this system has no /proc/stat".into()),
            ..crate::measure::Conditions::now("test")
        };
        let elsewhere = report(points()).with_conditions(conditions);
        let floor = noise(&elsewhere, &elsewhere.views()).unwrap();
        assert!(
            floor.contains(
                "Interference from the machine: not measured: this system has no /proc/stat."
            ),
            "{floor}"
        );
    }
}
