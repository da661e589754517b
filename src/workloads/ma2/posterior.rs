//! The result of rejection ABC: the accepted draws and what they say.
//!
//! The accepted (t1, t2) are a sample from the approximate posterior. Its
//! summary is printed in ELFI's layout, number for number, so a student can
//! set our output beside the tutorial's. Two of ELFI's choices are kept on
//! purpose:
//!
//! - the standard deviation divides by n (numpy's default, ddof = 0);
//! - the 2.5% and 97.5% quantiles are *sample points*, not interpolations:
//!   ELFI sorts the sample, adds up equal weights 1/n one by one, and takes the
//!   first point where the running total reaches the level ([`elfi_quantile`]).

use super::best::Candidate;
use super::model::{Summaries, Theta};
use super::python_g::format_g;
use crate::Checksum;
use crate::workload::{Outcome, PairSamples};
use serde_json::{Value, json};

/// What one rejection run accepted, and about what data.
#[derive(Debug, Clone, PartialEq)]
pub struct Posterior {
    /// The accepted draws, best (smallest distance) first.
    pub accepted: Vec<Candidate>,
    /// Simulations run: the requested number rounded up to whole batches.
    pub n_sim: usize,
    pub n_batches: usize,
    /// The observed series and its summaries.
    pub observed: Vec<f64>,
    pub observed_summaries: Summaries,
    /// The parameters the observed data were simulated from; `None` for a
    /// user's own series.
    pub true_params: Option<Theta>,
}

/// One statistic of each parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PerParameter {
    pub t1: f64,
    pub t2: f64,
}

impl PerParameter {
    fn json(&self) -> Value {
        json!({ "t1": self.t1, "t2": self.t2 })
    }
}

impl Posterior {
    /// Number of accepted draws.
    pub fn n_samples(&self) -> usize {
        self.accepted.len()
    }

    /// The largest accepted distance.
    pub fn threshold(&self) -> f64 {
        self.accepted.last().map_or(f64::NAN, |c| c.distance)
    }

    /// Accepted draws per simulation.
    pub fn accept_rate(&self) -> f64 {
        self.n_samples() as f64 / self.n_sim as f64
    }

    /// The accepted t1 values, best first.
    pub fn t1(&self) -> Vec<f64> {
        self.accepted.iter().map(|c| c.t1).collect()
    }

    /// The accepted t2 values, best first.
    pub fn t2(&self) -> Vec<f64> {
        self.accepted.iter().map(|c| c.t2).collect()
    }

    fn per_parameter(&self, statistic: impl Fn(&[f64]) -> f64) -> PerParameter {
        PerParameter {
            t1: statistic(&self.t1()),
            t2: statistic(&self.t2()),
        }
    }

    /// Posterior means.
    pub fn mean(&self) -> PerParameter {
        self.per_parameter(mean)
    }

    /// Posterior standard deviations (divided by n).
    pub fn std(&self) -> PerParameter {
        self.per_parameter(|x| {
            let m = mean(x);
            (x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / x.len() as f64).sqrt()
        })
    }

    /// Posterior quantiles at `level`, as ELFI computes them.
    pub fn quantile(&self, level: f64) -> PerParameter {
        self.per_parameter(|x| elfi_quantile(x, level))
    }
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// ELFI's `weighted_sample_quantile` with equal weights: the smallest sample
/// point whose cumulative weight (a running float sum of 1/n, the last set to
/// exactly 1) reaches `level`. NaN for an empty sample.
pub fn elfi_quantile(x: &[f64], level: f64) -> f64 {
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let weight = 1.0 / sorted.len() as f64;
    let mut cumulative = 0.0;
    for (i, &value) in sorted.iter().enumerate() {
        cumulative += weight;
        if cumulative >= level || i + 1 == sorted.len() {
            return value;
        }
    }
    f64::NAN
}

impl Outcome for Posterior {
    fn summary(&self) -> Value {
        json!({
            "threshold": self.threshold(),
            "accept_rate": self.accept_rate(),
            "n_sim": self.n_sim,
            "n_batches": self.n_batches,
            "n_samples": self.n_samples(),
            "mean": self.mean().json(),
            "std": self.std().json(),
            "q025": self.quantile(0.025).json(),
            "q975": self.quantile(0.975).json(),
        })
    }

    /// ELFI's `Sample.summary()` block, line for line (without its final
    /// blank line).
    fn describe(&self) -> String {
        let (mean, low, high) = (self.mean(), self.quantile(0.025), self.quantile(0.975));
        let mut text = format!(
            "Method: Rejection\nNumber of samples: {}\nNumber of simulations: {}\nThreshold: {}\n",
            self.n_samples(),
            self.n_sim,
            format_g(self.threshold(), 3)
        );
        text += &format!(
            "{:24} {:18} {:17} {:5}",
            "Parameter", "Mean", "2.5%", "97.5%"
        );
        for (name, m, l, h) in [
            ("t1", mean.t1, low.t1, high.t1),
            ("t2", mean.t2, low.t2, high.t2),
        ] {
            text += &format!("\n{:10} {m:18.3} {l:18.3} {h:18.3}", format!("{name}:"));
        }
        text
    }

    fn to_json(&self) -> Value {
        let accepted: Vec<[f64; 3]> = self
            .accepted
            .iter()
            .map(|c| [c.distance, c.t1, c.t2])
            .collect();
        json!({
            "summary": self.summary(),
            "columns": ["distance", "t1", "t2"],
            "accepted": accepted,
            "observed": {
                "y": self.observed,
                "s1": self.observed_summaries.s1,
                "s2": self.observed_summaries.s2,
            },
            "true_params": self.true_params.map(|t| json!({ "t1": t.t1, "t2": t.t2 })),
        })
    }

    fn checksum(&self) -> Checksum {
        Checksum::of(&self.accepted)
    }

    const HAS_PLOT: bool = true;

    /// ELFI's `plot_pairs` of t1 and t2, the truth marked where it is known.
    fn pair_samples(&self) -> Option<PairSamples> {
        Some(PairSamples {
            names: ["t1", "t2"],
            samples: self.accepted.iter().map(|c| (c.t1, c.t2)).collect(),
            truth: self.true_params.map(|theta| (theta.t1, theta.t2)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_sample_points_like_elfis() {
        // numpy.percentile would interpolate 2.75 and 8.25 here.
        let x: Vec<f64> = (1..=10).rev().map(f64::from).collect();
        assert_eq!(elfi_quantile(&x, 0.025), 1.0);
        assert_eq!(elfi_quantile(&x, 0.975), 10.0);
        assert_eq!(elfi_quantile(&x, 0.5), 5.0);
        // With 200 points, 2.5% is the 5th smallest and 97.5% the 195th.
        let y: Vec<f64> = (0..200).map(f64::from).collect();
        assert_eq!(elfi_quantile(&y, 0.025), 4.0);
        assert_eq!(elfi_quantile(&y, 0.975), 194.0);
    }

    #[test]
    fn std_divides_by_n() {
        let posterior = Posterior {
            accepted: [(1.0, 2.0), (3.0, 2.0)]
                .iter()
                .enumerate()
                .map(|(i, &(t1, t2))| Candidate {
                    distance: i as f64,
                    index: i as u64,
                    t1,
                    t2,
                })
                .collect(),
            n_sim: 4,
            n_batches: 1,
            observed: vec![],
            observed_summaries: Summaries { s1: 0.0, s2: 0.0 },
            true_params: None,
        };
        assert_eq!(posterior.std(), PerParameter { t1: 1.0, t2: 0.0 });
        assert_eq!(posterior.mean(), PerParameter { t1: 2.0, t2: 2.0 });
        assert_eq!(posterior.threshold(), 1.0);
        assert_eq!(posterior.accept_rate(), 0.5);
    }
}
