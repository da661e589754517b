//! The median of a handful of numbers, and a 95% interval for it that
//! assumes nothing about their distribution.
//!
//! Sort the n values: `x(1) <= ... <= x(n)`. Each value falls below the true
//! median with probability 1/2, so the number below it is Binomial(n, 1/2),
//! and the interval `[x(k), x(n+1-k)]` misses the median only when fewer than
//! k values fall on one side. Choosing the largest k that keeps that chance
//! at or below 5% gives an exact interval from order statistics alone: no
//! normality, no bootstrap, and one slow outlier cannot widen it much.
//!
//! What a student should notice: with n < 6 no such interval reaches 95%
//! (even `[min, max]` covers only `1 - 2/2^n`), which is why a measurement
//! needs at least six rounds before its interval means what it says. The
//! interval records the coverage it really has.

use serde::{Deserialize, Serialize};

/// The median of some values and a distribution-free interval for it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MedianInterval {
    pub median: f64,
    pub low: f64,
    pub high: f64,
    /// The probability that `[low, high]` holds the true median (≥ 0.95
    /// from six values on; less with fewer).
    pub coverage: f64,
}

impl MedianInterval {
    /// The median of `values` and its interval; `None` for no values.
    pub fn of(values: &[f64]) -> Option<MedianInterval> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        let (k, coverage) = rank_for_95(n);
        Some(MedianInterval {
            median,
            low: sorted[k - 1],
            high: sorted[n - k],
            coverage,
        })
    }

    /// The interval scaled by a constant (a speedup times p, say).
    pub fn scaled(self, factor: f64) -> MedianInterval {
        MedianInterval {
            median: self.median * factor,
            low: self.low * factor,
            high: self.high * factor,
            ..self
        }
    }

    /// The larger distance from the median to an end, as a share of the
    /// median: "within 5%" means this is at most 0.05.
    pub fn relative_half_width(&self) -> f64 {
        (self.high - self.median).max(self.median - self.low) / self.median
    }

    /// The whole width as a share of the median.
    pub fn relative_width(&self) -> f64 {
        (self.high - self.low) / self.median
    }

    /// Whether `value` lies inside the interval.
    pub fn contains(&self, value: f64) -> bool {
        self.low <= value && value <= self.high
    }
}

/// The largest rank k (1-based) whose interval `[x(k), x(n+1-k)]` still
/// covers the median with probability ≥ 95%, and that coverage. Below six
/// values no rank reaches 95%, and k = 1 (the range) is the best there is.
pub fn rank_for_95(n: usize) -> (usize, f64) {
    let mut best = (1, coverage(n, 1));
    let mut k = 2;
    while 2 * k <= n + 1 {
        let c = coverage(n, k);
        if c < 0.95 {
            break;
        }
        best = (k, c);
        k += 1;
    }
    best
}

/// P(x(k) <= median <= x(n+1-k)) = 1 - 2·P(Binomial(n, 1/2) < k).
fn coverage(n: usize, k: usize) -> f64 {
    let mut below = 0.0;
    let mut term = 0.5f64.powi(n as i32); // C(n, 0) / 2^n
    for i in 0..k {
        below += term;
        term *= (n - i) as f64 / (i + 1) as f64;
    }
    (1.0 - 2.0 * below).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_match_the_binomial_tables() {
        // Textbook values (e.g. Conover, Practical Nonparametric Statistics).
        assert_eq!(rank_for_95(5).0, 1);
        assert!((rank_for_95(5).1 - 0.9375).abs() < 1e-12);
        assert_eq!(rank_for_95(6).0, 1);
        assert!((rank_for_95(6).1 - 0.96875).abs() < 1e-12);
        assert_eq!(rank_for_95(9).0, 2);
        assert_eq!(rank_for_95(10).0, 2);
        assert!((rank_for_95(10).1 - 0.978515625).abs() < 1e-12);
        assert_eq!(rank_for_95(20).0, 6);
        for n in 6..200 {
            let (k, c) = rank_for_95(n);
            assert!(c >= 0.95, "n={n}");
            assert!(coverage(n, k + 1) < 0.95 || 2 * (k + 1) > n + 1, "n={n}");
        }
    }

    #[test]
    fn median_and_interval_of_known_values() {
        let m = MedianInterval::of(&[5.0, 1.0, 4.0, 2.0, 3.0, 9.0, 7.0, 8.0, 6.0, 10.0]).unwrap();
        assert_eq!(m.median, 5.5);
        assert_eq!((m.low, m.high), (2.0, 9.0), "k = 2 of 10");
        assert!(m.contains(5.5) && !m.contains(1.0));
        assert!((m.relative_half_width() - 3.5 / 5.5).abs() < 1e-12);
        assert_eq!(MedianInterval::of(&[]), None);
        let one = MedianInterval::of(&[2.0]).unwrap();
        assert_eq!((one.median, one.low, one.high), (2.0, 2.0, 2.0));
        assert_eq!(one.coverage, 0.0, "one value says nothing about spread");
    }

    #[test]
    fn an_outlier_moves_the_interval_by_one_rank_at_most() {
        let calm: Vec<f64> = (0..12).map(|i| 1.0 + i as f64 * 0.001).collect();
        let mut wild = calm.clone();
        wild[11] = 100.0;
        let (a, b) = (
            MedianInterval::of(&calm).unwrap(),
            MedianInterval::of(&wild).unwrap(),
        );
        assert_eq!(a, b, "the top value is outside the interval's ranks");
    }

    #[test]
    fn simulated_coverage_is_at_least_95_percent() {
        // Deterministic pseudo-random skewed samples (exponential), true median ln 2.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            -(1.0 - (state >> 11) as f64 / (1u64 << 53) as f64).ln()
        };
        let trials = 4000;
        let hits = (0..trials)
            .filter(|_| {
                let values: Vec<f64> = (0..10).map(|_| next()).collect();
                MedianInterval::of(&values)
                    .unwrap()
                    .contains(std::f64::consts::LN_2)
            })
            .count();
        let rate = hits as f64 / trials as f64;
        assert!((0.96..0.995).contains(&rate), "coverage {rate}");
    }
}
