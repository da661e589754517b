//! From times to the numbers a speedup study is about.
//!
//! With `T1` the serial median time and `Tp` a median time with `p` workers:
//!
//! - **speedup** `S = T1 / Tp`: how many times faster than serial;
//! - **efficiency** `E = S / p`: the share of each worker doing useful work
//!   (1 is perfect; oversubscribed runs fall well below);
//! - **Karp–Flatt** `e = (1/S - 1/p) / (1 - 1/p)`: the *experimentally
//!   determined serial fraction*. Amdahl's law says `e` stays constant; an
//!   `e` that grows with `p` means overhead (start-up, communication) grows
//!   with the workers. Undefined at `p = 1`.
//!
//! The speedup's interval combines the two times' 95% intervals in the worst
//! direction (fast serial over slow parallel, and the reverse), scaled to the
//! medians. It is conservative, and it always contains the speedup itself.

use crate::measurement::Measurement;
use serde::{Deserialize, Serialize};

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
}

/// An interval that reaches zero time would give an infinite speedup bound;
/// relative bounds are kept at least this far from zero.
const MIN_RELATIVE_BOUND: f64 = 1e-3;

/// Derives `point` against the serial `baseline` of the same workload.
pub fn derive(point: &Measurement, baseline: &Measurement) -> Derived {
    let p = point.workers as f64;
    let speedup = baseline.median_s / point.median_s;
    let relative = |m: &Measurement, bound: f64| (bound / m.mean_s).max(MIN_RELATIVE_BOUND);
    let low = speedup * relative(baseline, baseline.ci_low_s) / relative(point, point.ci_high_s);
    let high = speedup * relative(baseline, baseline.ci_high_s) / relative(point, point.ci_low_s);
    Derived {
        workload: point.workload.clone(),
        strategy: point.strategy.clone(),
        workers: point.workers,
        speedup,
        speedup_ci_low: low.min(speedup),
        speedup_ci_high: high.max(speedup),
        efficiency: speedup / p,
        karp_flatt: karp_flatt(speedup, point.workers),
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

/// Derives every measurement whose workload has a serial baseline.
pub fn derive_all(measurements: &[Measurement]) -> Vec<Derived> {
    measurements
        .iter()
        .filter_map(|m| baseline(measurements, &m.workload).map(|base| derive(m, base)))
        .collect()
}

/// The serial measurement of `workload` (one worker), if it was measured.
pub fn baseline<'a>(measurements: &'a [Measurement], workload: &str) -> Option<&'a Measurement> {
    measurements
        .iter()
        .find(|m| m.workload == workload && m.strategy == "serial" && m.workers == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(strategy: &str, workers: usize, median: f64, low: f64, high: f64) -> Measurement {
        Measurement {
            workload: "w".into(),
            strategy: strategy.into(),
            workers,
            median_s: median,
            mean_s: median,
            ci_low_s: low,
            ci_high_s: high,
            samples: 10,
        }
    }

    #[test]
    fn speedup_efficiency_and_karp_flatt_of_known_times() {
        let serial = m("serial", 1, 8.0, 8.0, 8.0);
        let d = derive(&m("scoped-static", 4, 2.5, 2.5, 2.5), &serial);
        assert_eq!(d.speedup, 3.2);
        assert_eq!(d.efficiency, 0.8);
        // (1/3.2 - 1/4) / (1 - 1/4) = 0.0625 / 0.75
        assert!((d.karp_flatt.unwrap() - 0.0625 / 0.75).abs() < 1e-12);
        assert_eq!((d.speedup_ci_low, d.speedup_ci_high), (3.2, 3.2));
    }

    #[test]
    fn perfect_scaling_has_zero_serial_fraction() {
        assert_eq!(karp_flatt(4.0, 4), Some(0.0));
        assert_eq!(karp_flatt(1.0, 1), None);
    }

    #[test]
    fn the_speedup_interval_combines_worst_cases() {
        let serial = m("serial", 1, 10.0, 9.0, 11.0);
        let d = derive(&m("thread-pool", 2, 5.0, 4.0, 6.0), &serial);
        assert_eq!(d.speedup, 2.0);
        assert!((d.speedup_ci_low - 2.0 * 0.9 / 1.2).abs() < 1e-12);
        assert!((d.speedup_ci_high - 2.0 * 1.1 / 0.8).abs() < 1e-12);
    }

    #[test]
    fn an_interval_reaching_zero_stays_finite() {
        let serial = m("serial", 1, 1.0, 1.0, 1.0);
        let d = derive(&m("process-static", 2, 0.5, 0.0, 1.0), &serial);
        assert!(d.speedup_ci_high.is_finite() && d.speedup_ci_high >= d.speedup);
    }

    #[test]
    fn workloads_without_a_serial_baseline_are_left_out() {
        let mut other = m("thread-pool", 2, 1.0, 1.0, 1.0);
        other.workload = "other".into();
        let all = [
            m("serial", 1, 2.0, 2.0, 2.0),
            m("thread-pool", 2, 1.0, 1.0, 1.0),
            other,
        ];
        let derived = derive_all(&all);
        assert_eq!(derived.len(), 2);
        assert!(derived.iter().all(|d| d.workload == "w"));
    }
}
