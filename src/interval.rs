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
///
/// One pass over the binomial's lower half: O(n), so a point with millions
/// of runs costs no more than sorting them.
pub fn rank_for_95(n: usize) -> (usize, f64) {
    let half = HalfBinomial::new(n);
    let mut best = (1, half.coverage(1));
    let mut below = half.weight(0);
    let mut k = 2;
    while 2 * k <= n + 1 {
        below += half.weight(k - 1);
        let c = half.coverage_from(below);
        if c < 0.95 {
            break;
        }
        best = (k, c);
        k += 1;
    }
    best
}

/// P(x(k) <= median <= x(n+1-k)) = 1 - 2·P(Binomial(n, 1/2) < k).
#[cfg(test)]
fn coverage(n: usize, k: usize) -> f64 {
    HalfBinomial::new(n).coverage(k)
}

/// Binomial(n, 1/2), as weights relative to its middle term.
///
/// The textbook sum starts from `C(n, 0) / 2^n = 0.5^n`, which underflows to
/// zero above about 1,074 values: every term becomes zero, the coverage
/// comes out as 1 for every rank, and the interval collapses onto the
/// median. Here the middle term is 1 and the others follow from it by the
/// ratio `C(n, i-1) / C(n, i) = i / (n - i + 1)`, going outwards until a
/// term is below [`NEGLIGIBLE`] of the middle one (about 6·√n terms for
/// large n; every term for small n). Dividing by the total of all terms
/// (the two halves are mirror images) gives the probabilities: exact up to
/// rounding for any n, with no `0.5^n` and no factorials.
struct HalfBinomial {
    n: usize,
    /// The first index with a non-negligible weight.
    lowest: usize,
    /// The weights of `lowest..=n/2`, relative to the middle term.
    weights: Vec<f64>,
    /// The sum of all n + 1 weights.
    total: f64,
}

/// A term this small beside the middle one changes no probability in the
/// 16 digits of an `f64`.
const NEGLIGIBLE: f64 = 1e-40;

impl HalfBinomial {
    fn new(n: usize) -> HalfBinomial {
        let middle = n / 2;
        let mut weights = vec![1.0];
        let mut i = middle;
        while i > 0 && *weights.last().expect("never empty") >= NEGLIGIBLE {
            let next = weights.last().expect("never empty") * i as f64 / (n - i + 1) as f64;
            weights.push(next);
            i -= 1;
        }
        weights.reverse();
        let half: f64 = weights.iter().sum();
        // Index i mirrors n - i; for even n the middle term is its own mirror.
        let total = 2.0 * half - if n % 2 == 0 { 1.0 } else { 0.0 };
        HalfBinomial {
            n,
            lowest: i,
            weights,
            total,
        }
    }

    /// The weight of index `i` of the lower half (0 below the negligible).
    fn weight(&self, i: usize) -> f64 {
        debug_assert!(i <= self.n / 2);
        i.checked_sub(self.lowest)
            .map_or(0.0, |at| self.weights[at])
    }

    /// The coverage of rank k, summing the weights below it.
    fn coverage(&self, k: usize) -> f64 {
        let below: f64 = (0..k.min(self.n / 2 + 1)).map(|i| self.weight(i)).sum();
        self.coverage_from(below)
    }

    /// The coverage of a rank whose weights below sum to `below`.
    fn coverage_from(&self, below: f64) -> f64 {
        (1.0 - 2.0 * below / self.total).max(0.0)
    }
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

    /// The textbook sum, from `0.5^n`: right wherever `0.5^n` is a normal number.
    fn textbook_coverage(n: usize, k: usize) -> f64 {
        let mut below = 0.0;
        let mut term = 0.5f64.powi(n as i32);
        for i in 0..k {
            below += term;
            term *= (n - i) as f64 / (i + 1) as f64;
        }
        (1.0 - 2.0 * below).max(0.0)
    }

    #[test]
    fn coverage_agrees_with_the_textbook_sum_where_that_works() {
        for n in (1usize..60).chain((60..1000).step_by(7)) {
            for k in 1..=n.div_ceil(2) {
                let (ours, theirs) = (coverage(n, k), textbook_coverage(n, k));
                assert!(
                    (ours - theirs).abs() < 1e-12,
                    "n={n} k={k}: {ours} vs {theirs}"
                );
            }
        }
    }

    /// The rank the normal approximation (with continuity correction) gives:
    /// within one of the exact rank once n is in the hundreds.
    fn normal_rank(n: usize) -> f64 {
        (n as f64 + 1.0) / 2.0 - 1.959_964 * (n as f64).sqrt() / 2.0
    }

    #[test]
    fn two_thousand_spread_out_runs_give_a_wide_interval_of_the_right_ranks() {
        // Above 1,074 values 0.5^n underflows: the textbook sum made every
        // rank cover 100%, and 2,000 runs printed an interval of one value.
        let values: Vec<f64> = (1..=2000).rev().map(f64::from).collect();
        let m = MedianInterval::of(&values).unwrap();
        let (k, c) = rank_for_95(2000);
        assert!((k as f64 - normal_rank(2000)).abs() <= 1.0, "k = {k}");
        assert!(c >= 0.95 && coverage(2000, k + 1) < 0.95, "{c}");
        // The values are their own ranks.
        assert_eq!((m.low, m.high), (k as f64, (2001 - k) as f64));
        assert!(m.high - m.low > 80.0, "{m:?}");
        assert_eq!(m.median, 1000.5);
    }

    #[test]
    fn a_hundred_thousand_runs_get_their_exact_rank_at_once() {
        let n = 100_000;
        let (k, c) = rank_for_95(n);
        assert!((k as f64 - normal_rank(n)).abs() <= 1.0, "k = {k}");
        assert!((0.95..0.951).contains(&c), "{c}");
        assert!(coverage(n, k + 1) < 0.95);
        let values: Vec<f64> = (0..n).map(|i| ((i * 7919) % n) as f64).collect();
        let m = MedianInterval::of(&values).unwrap();
        assert_eq!((m.low, m.high), ((k - 1) as f64, (n - k) as f64));
    }

    #[test]
    fn millions_of_runs_take_one_pass() {
        // Quadratic before: a point of 2.5 million runs took minutes. The
        // lower half's weights are kept only where they are not negligible.
        let n = 2_500_000;
        let half = HalfBinomial::new(n);
        assert!(half.weights.len() < 20 * 1600, "{}", half.weights.len());
        let (k, _) = rank_for_95(n);
        assert!((k as f64 - normal_rank(n)).abs() <= 1.0, "k = {k}");
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
