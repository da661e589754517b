//! From times to the numbers a speedup study is about.
//!
//! With `p` workers:
//!
//! - **speedup** `S`: how many times faster than serial. Measured in pairs
//!   (`crate::measure::rounds`): each run's `serial / point`, and `S` is the
//!   median of those ratios, with its 95% order-statistic interval;
//! - **efficiency** `E = S / p`: the share of each worker doing useful work
//!   (1 is perfect; oversubscribed runs fall well below);
//! - **Karp–Flatt** `e = (1/S - 1/p) / (1 - 1/p)`: the *experimentally
//!   determined serial fraction*. Amdahl's law says `e` stays constant; an
//!   `e` that grows with `p` means overhead (start-up, communication) grows
//!   with the workers. Undefined at `p = 1`;
//! - **of ceiling** `S / ceiling(p)`: the share of what `p` independent
//!   serial jobs get on this machine (`crate::measure::copies`). Near 100%,
//!   the strategy's own overhead is small and the machine is the limit.
//!
//! Reports made before runs were paired have no pairs: their speedup is the
//! ratio of the two medians, and its interval combines the two times' 95%
//! intervals in the worst direction. Drift between the two measurements
//! biases that method, which is why it is kept only to read old reports.

use crate::measure::MedianInterval;
use crate::measurement::Measurement;
use crate::strategy::Strategy;
use serde::{Deserialize, Serialize};

/// A speedup interval wider than this share of its estimate is flagged noisy.
pub const NOISY_WIDTH: f64 = 0.10;

/// The derived numbers of one (workload, strategy, workers) point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Derived {
    pub workload: String,
    pub strategy: String,
    pub workers: usize,
    pub speedup: f64,
    pub speedup_ci_low: f64,
    pub speedup_ci_high: f64,
    pub efficiency: f64,
    /// `null` at one worker, where it is undefined.
    pub karp_flatt: Option<f64>,
    /// Speedup as a share of the machine ceiling at the same worker count
    /// (`null` where the ceiling was not measured).
    #[serde(default)]
    pub of_ceiling: Option<f64>,
    /// The interval is wider than [`NOISY_WIDTH`] of the speedup.
    #[serde(default)]
    pub noisy: bool,
}

/// What the ceiling is called wherever it is shown: the report's tables and
/// figures, and the terminal table of `lab time N`, so a reader who sees
/// the number in one place finds it under the same name in the other.
pub const CEILING_LABEL: &str = "machine ceiling";

/// What p independent serial copies at once deliver: `p · T_serial / T_copies`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeilingRow {
    pub workload: String,
    pub workers: usize,
    pub speedup: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// An interval that reaches zero time would give an infinite speedup bound;
/// relative bounds are kept at least this far from zero.
const MIN_RELATIVE_BOUND: f64 = 1e-3;

/// The speedup of `point` from its own pairs, or, for an unpaired point,
/// against the serial `baseline` of the same workload.
fn speedup_of(point: &Measurement, baseline: Option<&Measurement>) -> Option<MedianInterval> {
    if let Some(paired) = point.paired_speedup() {
        return Some(paired);
    }
    let baseline = baseline?;
    let speedup = baseline.median_s / point.median_s;
    let relative = |m: &Measurement, bound: f64| (bound / m.mean_s).max(MIN_RELATIVE_BOUND);
    let low = speedup * relative(baseline, baseline.ci_low_s) / relative(point, point.ci_high_s);
    let high = speedup * relative(baseline, baseline.ci_high_s) / relative(point, point.ci_low_s);
    Some(MedianInterval {
        median: speedup,
        low: low.min(speedup),
        high: high.max(speedup),
        coverage: 0.95,
    })
}

/// Derives `point`, given its speedup and the ceiling at its worker count.
fn derive(point: &Measurement, speedup: MedianInterval, ceiling: Option<&CeilingRow>) -> Derived {
    let s = speedup.median;
    Derived {
        workload: point.workload.clone(),
        strategy: point.strategy.clone(),
        workers: point.workers,
        speedup: s,
        speedup_ci_low: speedup.low,
        speedup_ci_high: speedup.high,
        efficiency: s / point.workers as f64,
        // Karp–Flatt reads a fixed job's speedup; a scaled one says nothing to it.
        karp_flatt: karp_flatt(s, point.workers).filter(|_| point.scaling.is_strong()),
        of_ceiling: ceiling.map(|c| s / c.speedup),
        noisy: speedup.relative_width() > NOISY_WIDTH,
    }
}

/// The Karp–Flatt metric; `None` at one worker.
pub fn karp_flatt(speedup: f64, workers: usize) -> Option<f64> {
    if workers < 2 {
        return None;
    }
    let p = workers as f64;
    Some((1.0 / speedup - 1.0 / p) / (1.0 - 1.0 / p))
}

/// The machine ceiling of every workload: at one worker the serial point
/// (serial against serial), above it `copies`, the runs of p copies at once
/// (stored apart from the measurements, so no strategy label marks them).
pub fn ceilings(measurements: &[Measurement], copies: &[Measurement]) -> Vec<CeilingRow> {
    let serial_points = measurements
        .iter()
        .filter(|m| m.strategy == Strategy::BASELINE.label() && m.workers == 1);
    serial_points
        .chain(copies)
        .filter_map(|m| {
            let s = m.ceiling_speedup()?;
            Some(CeilingRow {
                workload: m.workload.clone(),
                workers: m.workers,
                speedup: s.median,
                ci_low: s.low,
                ci_high: s.high,
            })
        })
        .collect()
}

/// Derives every measurement that has pairs or a serial baseline.
pub fn derive_all(measurements: &[Measurement], ceiling: &[CeilingRow]) -> Vec<Derived> {
    measurements
        .iter()
        .filter_map(|m| {
            let speedup = speedup_of(m, baseline(measurements, &m.workload))?;
            let at = ceiling
                .iter()
                .find(|c| c.workload == m.workload && c.workers == m.workers);
            Some(derive(m, speedup, at))
        })
        .collect()
}

/// The serial measurement of `workload` (one worker), if it was measured.
pub fn baseline<'a>(measurements: &'a [Measurement], workload: &str) -> Option<&'a Measurement> {
    measurements.iter().find(|m| {
        m.workload == workload && m.strategy == Strategy::BASELINE.label() && m.workers == 1
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::CEILING;

    fn m(strategy: &str, workers: usize, median: f64, low: f64, high: f64) -> Measurement {
        Measurement {
            ci_low_s: low,
            ci_high_s: high,
            ..Measurement::from_samples("w", strategy, workers, &[median])
        }
    }

    fn paired(strategy: &str, workers: usize, ratios: &[f64]) -> Measurement {
        let pairs: Vec<(f64, f64)> = ratios.iter().map(|r| (1.0 / r, 1.0)).collect();
        Measurement::from_pairs("w", strategy, workers, &pairs)
    }

    #[test]
    fn speedup_efficiency_and_karp_flatt_of_known_times() {
        let serial = m("serial", 1, 8.0, 8.0, 8.0);
        let all = [serial, m("scoped-static", 4, 2.5, 2.5, 2.5)];
        let d = &derive_all(&all, &[])[1];
        assert_eq!(d.speedup, 3.2);
        assert_eq!(d.efficiency, 0.8);
        // (1/3.2 - 1/4) / (1 - 1/4) = 0.0625 / 0.75
        assert!((d.karp_flatt.unwrap() - 0.0625 / 0.75).abs() < 1e-12);
        assert_eq!((d.speedup_ci_low, d.speedup_ci_high), (3.2, 3.2));
        assert_eq!((d.of_ceiling, d.noisy), (None, false));
    }

    #[test]
    fn perfect_scaling_has_zero_serial_fraction() {
        assert_eq!(karp_flatt(4.0, 4), Some(0.0));
        assert_eq!(karp_flatt(1.0, 1), None);
    }

    #[test]
    fn unpaired_intervals_combine_worst_cases() {
        let all = [
            m("serial", 1, 10.0, 9.0, 11.0),
            m("thread-pool", 2, 5.0, 4.0, 6.0),
        ];
        let d = &derive_all(&all, &[])[1];
        assert_eq!(d.speedup, 2.0);
        assert!((d.speedup_ci_low - 2.0 * 0.9 / 1.2).abs() < 1e-12);
        assert!((d.speedup_ci_high - 2.0 * 1.1 / 0.8).abs() < 1e-12);
        assert!(d.noisy, "an interval of ±40% is noisy");
    }

    #[test]
    fn an_interval_reaching_zero_stays_finite() {
        let all = [
            m("serial", 1, 1.0, 1.0, 1.0),
            m("process-static", 2, 0.5, 0.0, 1.0),
        ];
        let d = &derive_all(&all, &[])[1];
        assert!(d.speedup_ci_high.is_finite() && d.speedup_ci_high >= d.speedup);
    }

    #[test]
    fn paired_points_need_no_baseline_and_meet_their_ceiling() {
        let serial = paired("serial", 1, &[0.99, 1.0, 1.01, 1.0, 1.0, 1.0]);
        // Two copies at once took 1.25× one serial run: the machine gives 1.6× at 2.
        let copies = paired(CEILING, 2, &[0.8; 6]);
        let point = paired("thread-pool", 2, &[1.5, 1.52, 1.56, 1.5, 1.55, 1.6]);
        let ceiling = ceilings(&[serial.clone(), point.clone()], &[copies]);
        assert_eq!(ceiling.len(), 2);
        assert_eq!((ceiling[0].workers, ceiling[0].speedup), (1, 1.0));
        assert_eq!((ceiling[1].workers, ceiling[1].speedup), (2, 1.6));
        let derived = derive_all(&[point], &ceiling);
        let d = &derived[0];
        assert!((d.speedup - 1.535).abs() < 1e-12, "{d:?}");
        assert!((d.of_ceiling.unwrap() - 1.535 / 1.6).abs() < 1e-12);
        assert_eq!((d.speedup_ci_low, d.speedup_ci_high), (1.5, 1.6));
        assert!(!d.noisy, "(1.6 - 1.5) / 1.535 is under 10%");
    }

    #[test]
    fn unpaired_workloads_without_a_serial_baseline_are_left_out() {
        let mut other = m("thread-pool", 2, 1.0, 1.0, 1.0);
        other.workload = "other".into();
        let all = [
            m("serial", 1, 2.0, 2.0, 2.0),
            m("thread-pool", 2, 1.0, 1.0, 1.0),
            other,
        ];
        let derived = derive_all(&all, &[]);
        assert_eq!(derived.len(), 2);
        assert!(derived.iter().all(|d| d.workload == "w"));
    }
}
