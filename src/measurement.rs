//! One point of a speedup study: a workload, a strategy, a worker count, and
//! how long it took.
//!
//! Criterion benches, `speedup sweep` and the labs all produce these, and the
//! report reads nothing else, so a figure never depends on how its numbers
//! were taken. Times are in seconds.
//!
//! A measurement keeps its raw runs: each run's time and the time of the
//! serial runs taken right beside it (`crate::measure::rounds`). The
//! speedup comes from those pairs ([`Measurement::paired_speedup`]), and
//! `speedup.json` keeps them so a report can be recomputed from scratch.

use crate::interval::MedianInterval;
use serde::{Deserialize, Serialize};

/// What starting workers (or launching an MPI job) costs beyond the work:
/// median seconds over a few tries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartupCost {
    pub workers: usize,
    pub seconds: f64,
}

/// Timing of one (workload, strategy, workers) point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    pub workload: String,
    pub strategy: String,
    pub workers: usize,
    pub median_s: f64,
    pub mean_s: f64,
    /// 95% confidence interval of the mean.
    pub ci_low_s: f64,
    pub ci_high_s: f64,
    /// How many timings the statistics summarise.
    pub samples: usize,
    /// Every timed run, in the order taken (empty in reports made before
    /// runs were kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub times_s: Vec<f64>,
    /// For each run, the serial time beside it: the mean of the serial runs
    /// just before and just after (empty when the runs were not paired).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serial_s: Vec<f64>,
}

impl Measurement {
    /// Summarises repeated wall-clock timings (seconds) of one point.
    ///
    /// The interval is Student's t interval for the mean: with the handful of
    /// repeats a sweep can afford, the normal 1.96 would be too narrow.
    pub fn from_samples(
        workload: &str,
        strategy: &str,
        workers: usize,
        times: &[f64],
    ) -> Measurement {
        assert!(!times.is_empty(), "a measurement needs at least one timing");
        let n = times.len();
        let median = MedianInterval::of(times).expect("not empty").median;
        let mean = times.iter().sum::<f64>() / n as f64;
        let half_width = if n < 2 {
            0.0
        } else {
            let variance = times.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            t_quantile_975(n - 1) * (variance / n as f64).sqrt()
        };
        Measurement {
            workload: workload.into(),
            strategy: strategy.into(),
            workers,
            median_s: median,
            mean_s: mean,
            ci_low_s: (mean - half_width).max(0.0),
            ci_high_s: mean + half_width,
            samples: n,
            times_s: Vec::new(),
            serial_s: Vec::new(),
        }
    }

    /// Summarises paired runs `(point time, serial time beside it)`.
    pub fn from_pairs(
        workload: &str,
        strategy: &str,
        workers: usize,
        pairs: &[(f64, f64)],
    ) -> Measurement {
        let (times, serial): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
        Measurement {
            times_s: times.clone(),
            serial_s: serial,
            ..Measurement::from_samples(workload, strategy, workers, &times)
        }
    }

    /// Whether every run has its serial partner.
    pub fn is_paired(&self) -> bool {
        !self.times_s.is_empty() && self.times_s.len() == self.serial_s.len()
    }

    /// The speedup over serial as the median of the per-pair ratios
    /// `serial / point`, with its interval; `None` for unpaired measurements.
    pub fn paired_speedup(&self) -> Option<MedianInterval> {
        MedianInterval::of(&self.ratios())
    }

    /// The speedup of every paired run, `serial / point`, in run order
    /// (none for unpaired measurements): what a fit's interval redraws.
    pub fn ratios(&self) -> Vec<f64> {
        if !self.is_paired() {
            return Vec::new();
        }
        pair_ratios(
            self.times_s
                .iter()
                .copied()
                .zip(self.serial_s.iter().copied()),
        )
    }
}

/// The median of the ratios `serial / point` of `(point, serial)` pairs,
/// with its interval; `None` without pairs.
pub fn speedup_of_pairs(pairs: impl IntoIterator<Item = (f64, f64)>) -> Option<MedianInterval> {
    MedianInterval::of(&pair_ratios(pairs))
}

/// The ratios `serial / point` of `(point, serial)` pairs.
fn pair_ratios(pairs: impl IntoIterator<Item = (f64, f64)>) -> Vec<f64> {
    pairs
        .into_iter()
        .map(|(point, serial)| serial / point)
        .collect()
}

/// The 97.5% quantile of Student's t distribution with `dof` degrees of freedom.
fn t_quantile_975(dof: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match dof {
        0 => f64::INFINITY,
        1..=30 => TABLE[dof - 1],
        _ => 1.96,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_of_known_samples() {
        let m = Measurement::from_samples("w", "s", 2, &[1.0, 2.0, 3.0, 10.0]);
        assert_eq!(m.median_s, 2.5);
        assert_eq!(m.mean_s, 4.0);
        // sd = sqrt(((9+4+1+36)/3)) = sqrt(50/3); half width = 3.182 * sd / 2
        let half = 3.182 * (50.0f64 / 3.0).sqrt() / 2.0;
        assert!((m.ci_high_s - (4.0 + half)).abs() < 1e-12);
        assert_eq!(m.ci_low_s, 0.0, "clamped at zero");
        assert_eq!(m.samples, 4);
    }

    #[test]
    fn paired_runs_give_the_median_of_their_ratios() {
        let pairs = [(0.5, 1.0), (0.6, 1.5), (0.25, 1.0), (1.0, 2.0), (0.5, 1.1)];
        let m = Measurement::from_pairs("w", "s", 2, &pairs);
        assert!(m.is_paired());
        assert_eq!(m.samples, 5);
        // Ratios 2.0, 2.5, 4.0, 2.0, 2.2: median 2.2; the medians' ratio would be 1.1 / 0.5.
        assert_eq!(m.paired_speedup().unwrap().median, 2.2);
        assert_eq!(m.median_s, 0.5);
        let unpaired = Measurement::from_samples("w", "s", 2, &[0.5]);
        assert_eq!(unpaired.paired_speedup(), None);
    }

    #[test]
    fn one_sample_has_a_zero_width_interval() {
        let m = Measurement::from_samples("w", "s", 1, &[0.5]);
        assert_eq!((m.median_s, m.ci_low_s, m.ci_high_s), (0.5, 0.5, 0.5));
    }
}
