//! One point of a speedup study: a workload, a strategy, a worker count, and
//! how long it took.
//!
//! Criterion benches, `speedup sweep` and the labs all produce these, and the
//! report reads nothing else, so a figure never depends on how its numbers
//! were taken. Times are in seconds.

use serde::{Deserialize, Serialize};

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
        let mut sorted = times.to_vec();
        sorted.sort_by(f64::total_cmp);
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
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
        }
    }
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
    fn one_sample_has_a_zero_width_interval() {
        let m = Measurement::from_samples("w", "s", 1, &[0.5]);
        assert_eq!((m.median_s, m.ci_low_s, m.ci_high_s), (0.5, 0.5, 0.5));
    }
}
