//! `integration`: random-interval numeric integration, as in the lecture.
//!
//! One estimate of the integral of f(x) = 1/(1+x²) over [lower, upper] with n
//! points: draw n uniform points, sort them, and add up the right-endpoint
//! rectangles on the random intervals between neighbours,
//!
//! ```text
//! area(n) = sum over i = 1..n-1 of (x_i - x_{i-1}) * f(x_i)
//! ```
//!
//! The pieces before the first and after the last point are left out, exactly
//! as in the lecture, so estimates are slightly low. The job is a *convergence
//! study*: one estimate for every n in 0..samples, in order of n.
//!
//! What a student should notice: estimate n costs ~ n log n (n draws plus a
//! sort), so chunks are **unequal**. Chunk k holds estimates 50k..50k+49; with
//! static blocks the worker that owns the last block does most of the work.
//! Compare `--strategy scoped --schedule static` with `--schedule dynamic`.

use super::bucket_sort::BucketSorter;
use crate::seeds::ChunkRng;
use crate::workload::{Outcome, Size, Workload};
use crate::{Checksum, Error, Result};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::time::Duration;

/// Estimates per chunk: enough work per chunk to hide scheduling costs, small
/// enough (200 chunks at the default size) to balance dynamically.
pub const ESTIMATES_PER_CHUNK: usize = 50;

/// The largest convergence study a run accepts (see `validate`).
pub const MAX_SAMPLES: usize = 1_000_000;

/// Uniforms are drawn as 53-bit integers (the precision of an f64 in [0, 1)).
const KEY_BITS: u32 = 53;

/// Parameters of the convergence study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
pub struct Integration {
    /// Number of estimates: one with n random points for every n in 0..SAMPLES
    #[arg(long, value_name = "SAMPLES", default_value_t = Integration::default().samples, value_parser = crate::flags::count, allow_hyphen_values = true)]
    pub samples: usize,
    /// Lower end of the integration interval
    #[arg(long, default_value_t = Integration::default().lower, value_parser = crate::flags::number, allow_hyphen_values = true)]
    pub lower: f64,
    /// Upper end of the integration interval (must exceed --lower)
    #[arg(long, default_value_t = Integration::default().upper, value_parser = crate::flags::number, allow_hyphen_values = true)]
    pub upper: f64,
}

impl Default for Integration {
    fn default() -> Self {
        Integration {
            samples: 10_000,
            lower: 0.0,
            upper: 1.0,
        }
    }
}

/// The integrand.
pub fn f(x: f64) -> f64 {
    1.0 / (1.0 + x * x)
}

impl Integration {
    /// The exact integral, from the antiderivative atan (for checking only).
    pub fn exact(&self) -> f64 {
        self.upper.atan() - self.lower.atan()
    }

    /// One estimate with `n` random points.
    fn estimate(&self, n: usize, rng: &mut ChunkRng, sorter: &mut BucketSorter) -> f64 {
        if n < 2 {
            return 0.0;
        }
        // Sorting integer keys and mapping them to [lower, upper] afterwards is
        // the same as sorting the points: the map is monotone.
        let keys = sorter.draw_sorted(n, KEY_BITS, || rng.next_u64() >> (64 - KEY_BITS));
        let scale = (self.upper - self.lower) / (1u64 << KEY_BITS) as f64;
        // Through i64: a key has 53 bits, so the value is the same, and x86-64
        // converts a signed integer in one instruction but an unsigned one in
        // several.
        let point = |key: u64| self.lower + key as i64 as f64 * scale;

        // Left to right, as the lecture (and lab 1, which checks a student's
        // sum against this one bit for bit) adds them. Four interleaved sums
        // (`lanes.rs`, as `ma2` uses) took 7.5% off a serial run, but a
        // student's plain loop would no longer match this one to the bit.
        let mut previous = point(keys[0]);
        let mut area = 0.0;
        for &key in &keys[1..] {
            let x = point(key);
            area += (x - previous) * f(x);
            previous = x;
        }
        area
    }
}

impl Workload for Integration {
    const NAME: &'static str = "integration";
    type Part = Vec<f64>;
    type Output = Convergence;

    fn validate(&self) -> Result<()> {
        if self.samples == 0 {
            return Err(Error::new("--samples must be at least 1"));
        }
        if self.samples > MAX_SAMPLES {
            return Err(Error::new(format!(
                "--samples {} is more than {MAX_SAMPLES}: the study draws about samples²/2 points, \
                 and {MAX_SAMPLES} already means 5·10^11 (hours on one core)",
                self.samples
            )));
        }
        if !self.lower.is_finite() || !self.upper.is_finite() {
            return Err(Error::new(format!(
                "--lower and --upper must be finite, got {} and {}",
                self.lower, self.upper
            )));
        }
        if self.lower >= self.upper {
            return Err(Error::new(format!(
                "--lower ({}) must be less than --upper ({})",
                self.lower, self.upper
            )));
        }
        Ok(())
    }

    fn chunk_count(&self) -> usize {
        self.samples.div_ceil(ESTIMATES_PER_CHUNK)
    }

    fn run_chunk(&self, chunk: usize, rng: &mut ChunkRng) -> Vec<f64> {
        let first = chunk * ESTIMATES_PER_CHUNK;
        let last = (first + ESTIMATES_PER_CHUNK).min(self.samples);
        let mut sorter = BucketSorter::default();
        (first..last)
            .map(|n| self.estimate(n, rng, &mut sorter))
            .collect()
    }

    fn merge(&self, parts: Vec<Vec<f64>>) -> Convergence {
        Convergence {
            exact: self.exact(),
            areas: parts.concat(),
        }
    }

    /// About samples²/2 points, each drawn, sorted and summed: 5.4 ns a
    /// point on the reference machine (10,000 samples, 0.27 s), counted as
    /// [`NANOS_PER_POINT`].
    /// `--samples`: estimate n draws n points, so the samples' work adds
    /// up to about samples²/2 and grows with the square.
    fn size(&self) -> Option<Size> {
        Some(Size {
            flag: "samples",
            value: self.samples as f64,
            work_power: 2.0,
        })
    }

    fn resized(&self, value: f64) -> Option<Self> {
        Some(Integration {
            samples: crate::flags::rounded_count(value),
            ..self.clone()
        })
    }

    fn serial_cost(&self) -> Option<Duration> {
        let samples = self.samples as f64;
        Some(crate::estimate::units(
            samples * samples / 2.0,
            NANOS_PER_POINT,
        ))
    }
}

/// What one point of the study costs, for estimates: the reference
/// machine's 5.4 ns, rounded up to allow for slower machines.
pub const NANOS_PER_POINT: f64 = 10.0;

/// The convergence study: `areas[n]` is the estimate with n points.
#[derive(Debug, Clone, PartialEq)]
pub struct Convergence {
    pub exact: f64,
    pub areas: Vec<f64>,
}

impl Convergence {
    /// The estimate with the most points.
    pub fn last(&self) -> (usize, f64) {
        let n = self.areas.len() - 1;
        (n, self.areas[n])
    }
}

impl Outcome for Convergence {
    fn summary(&self) -> serde_json::Value {
        let (n, last) = self.last();
        json!({ "n": n, "last_estimate": last, "exact": self.exact, "abs_error": (last - self.exact).abs() })
    }

    fn describe(&self) -> String {
        let (n, last) = self.last();
        format!(
            "last estimate  {last:.10}  (n = {n})\nexact          {:.10}  (atan upper - atan lower)\nabs error      {:.3e}",
            self.exact,
            (last - self.exact).abs()
        )
    }

    fn to_json(&self) -> serde_json::Value {
        json!(
            self.areas
                .iter()
                .enumerate()
                .map(|(n, area)| json!([n, area]))
                .collect::<Vec<_>>()
        )
    }

    fn checksum(&self) -> Checksum {
        Checksum::of(&self.areas)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeds::chunk_rng;

    #[test]
    fn estimate_matches_the_formula_on_sorted_points() {
        // Recompute one estimate the slow, obvious way: floats, a comparison sort.
        let study = Integration::default();
        let n = 777;
        let mut rng = chunk_rng(9, 0);
        let fast = study.estimate(n, &mut rng, &mut BucketSorter::default());
        let mut rng = chunk_rng(9, 0);
        let mut xs: Vec<f64> = (0..n)
            .map(|_| (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
            .collect();
        xs.sort_by(f64::total_cmp);
        let slow: f64 = xs.windows(2).map(|w| (w[1] - w[0]) * f(w[1])).sum();
        assert!((fast - slow).abs() < 1e-12, "{fast} vs {slow}");
    }

    #[test]
    fn fewer_than_two_points_give_zero() {
        let out = Integration {
            samples: 3,
            ..Default::default()
        };
        let parts = (0..out.chunk_count())
            .map(|c| out.run_chunk(c, &mut chunk_rng(1, c)))
            .collect();
        let areas = out.merge(parts).areas;
        assert_eq!(&areas[..2], &[0.0, 0.0]);
        assert!(areas[2] > 0.0 && areas[2] < 1.0);
    }

    #[test]
    fn exact_value_is_pi_over_four_by_default() {
        assert_eq!(Integration::default().exact(), std::f64::consts::FRAC_PI_4);
    }

    #[test]
    fn bad_parameters_are_named() {
        let bad = |study: Integration| study.validate().unwrap_err().to_string();
        assert!(
            bad(Integration {
                samples: 0,
                ..Default::default()
            })
            .contains("--samples")
        );
        assert!(
            bad(Integration {
                lower: 1.0,
                upper: 1.0,
                ..Default::default()
            })
            .contains("--lower")
        );
        assert!(
            bad(Integration {
                upper: f64::NAN,
                ..Default::default()
            })
            .contains("finite")
        );
    }
}
