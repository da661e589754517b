//! Fitting Gunther's Universal Scalability Law to measured speedups.
//!
//! ```text
//! S(p) = p / (1 + σ(p - 1) + κ p(p - 1))
//! ```
//!
//! σ (contention) is the share of the work that waits in line, as Amdahl's
//! serial fraction does; κ (coherency) is a cost that grows with every pair
//! of workers, keeping shared data in step. With κ = 0 it is Amdahl's law;
//! with κ > 0 the curve peaks at `p* = √((1 - σ) / κ)` workers and then
//! falls: retrograde scaling, which Amdahl cannot describe.
//!
//! Rearranged, `p/S - 1 = σ(p - 1) + κ p(p - 1)`: linear in σ and κ, so least
//! squares on `x = (p - 1, p(p - 1))`, `y = p/S - 1` fits both at once,
//! with both kept at or above zero ([`fit`]).
//!
//! **Unlike Amdahl's fit, USL's uses every point, past the cores too**:
//! that is where workers fight over cores and caches, and where the fall
//! shows. It needs [`MIN_POINTS`] worker counts (1 among them): two
//! parameters from fewer points would fit anything.

use super::fit_interval::{Curve, interval_of_fit};
use serde::{Deserialize, Serialize};

/// The fewest worker counts (1 included) a USL fit is made from.
pub const MIN_POINTS: usize = 4;

/// The fitted law for one (workload, strategy), each number with its 95%
/// interval from the points' resampled runs (absent for unpaired reports).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UslFit {
    pub workload: String,
    pub strategy: String,
    /// σ, contention.
    pub sigma: f64,
    /// κ, coherency.
    pub kappa: f64,
    /// p*, the worker count of the highest speedup; `null` when κ = 0 (no peak).
    pub peak_workers: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sigma_interval: Option<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kappa_interval: Option<[f64; 2]>,
    /// p*'s interval; its upper end is infinite when some redrawn studies
    /// show no peak (`null` in JSON, which has no infinity).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "infinite_as_null"
    )]
    pub peak_interval: Option<[f64; 2]>,
}

/// An interval whose ends may be infinite, written with `null` for an
/// infinite end (JSON has no infinity: serde_json would write `null` and
/// then refuse to read it back).
mod infinite_as_null {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<[f64; 2]>, s: S) -> Result<S::Ok, S::Error> {
        v.map(|ends| ends.map(|x| x.is_finite().then_some(x)))
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<[f64; 2]>, D::Error> {
        let v: Option<[Option<f64>; 2]> = Deserialize::deserialize(d)?;
        Ok(v.map(|ends| ends.map(|x| x.unwrap_or(f64::INFINITY))))
    }
}

impl UslFit {
    /// The speedup the fitted law predicts at `workers`.
    pub fn predict(&self, workers: f64) -> f64 {
        speedup(self.sigma, self.kappa, workers)
    }
}

/// S(p) for contention `sigma` and coherency `kappa`.
pub fn speedup(sigma: f64, kappa: f64, p: f64) -> f64 {
    p / (1.0 + sigma * (p - 1.0) + kappa * p * (p - 1.0))
}

/// p* = √((1 - σ) / κ), where S(p) peaks; `None` without a peak (κ = 0,
/// or σ ≥ 1, where more workers never help).
pub fn peak(sigma: f64, kappa: f64) -> Option<f64> {
    (kappa > 0.0 && sigma < 1.0).then(|| ((1.0 - sigma) / kappa).sqrt())
}

/// Least-squares (σ, κ), both at or above zero, of `(workers, speedup)`
/// points; `None` without a point above one worker.
///
/// The normal equations of the two-parameter line give the unconstrained
/// answer; when one of them comes out negative, the best answer with both
/// at or above zero lies on an edge (σ = 0 or κ = 0), where the other is a
/// one-line fit: the smaller squared error of the two edges wins.
pub fn fit(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let (mut saa, mut sab, mut sbb, mut say, mut sby, mut syy) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for &(p, s) in points {
        let (a, b, y) = (p - 1.0, p * (p - 1.0), p / s - 1.0);
        saa += a * a;
        sab += a * b;
        sbb += b * b;
        say += a * y;
        sby += b * y;
        syy += y * y;
    }
    if saa <= 0.0 {
        return None;
    }
    let error = |sigma: f64, kappa: f64| {
        syy - 2.0 * sigma * say - 2.0 * kappa * sby
            + sigma * sigma * saa
            + 2.0 * sigma * kappa * sab
            + kappa * kappa * sbb
    };
    let det = saa * sbb - sab * sab;
    if det > 1e-12 * saa * sbb {
        let sigma = (say * sbb - sby * sab) / det;
        let kappa = (sby * saa - say * sab) / det;
        if sigma >= 0.0 && kappa >= 0.0 {
            return Some((sigma, kappa));
        }
    }
    let sigma_only = ((say / saa).max(0.0), 0.0);
    let kappa_only = (0.0, (sby / sbb).max(0.0));
    Some(if error(sigma_only.0, 0.0) <= error(0.0, kappa_only.1) {
        sigma_only
    } else {
        kappa_only
    })
}

/// Why a curve measured at `workers` has no USL fit; `None` when it has enough.
pub fn too_few_points(workers: &[usize]) -> Option<String> {
    (workers.len() < MIN_POINTS).then(|| {
        let counts: Vec<String> = workers.iter().map(|w| w.to_string()).collect();
        format!(
            "a USL fit needs at least {MIN_POINTS} worker counts, 1 included (it has two \
             parameters); this study has {} ({} workers)",
            workers.len(),
            counts.join(", ")
        )
    })
}

/// Fits every curve with at least [`MIN_POINTS`] worker counts, on all its
/// points, with the intervals of σ, κ and p*.
pub fn fit_all(curves: &[Curve]) -> Vec<UslFit> {
    let mut fits = Vec::new();
    for curve in curves {
        if too_few_points(&curve.workers()).is_some() {
            continue;
        }
        let input = curve.fit_input(|_| true);
        let Some((sigma, kappa)) = fit(&input.points) else {
            continue;
        };
        let interval =
            |of: fn((f64, f64)) -> f64| interval_of_fit(&input.ratios, |pts| fit(pts).map(of));
        fits.push(UslFit {
            workload: curve.workload.to_string(),
            strategy: curve.strategy.to_string(),
            sigma,
            kappa,
            peak_workers: peak(sigma, kappa),
            sigma_interval: interval(|(s, _)| s),
            kappa_interval: interval(|(_, k)| k),
            peak_interval: interval(|(s, k)| peak(s, k).unwrap_or(f64::INFINITY)),
        });
    }
    fits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_sigma_and_kappa_of_exact_points_and_the_peak() {
        let points: Vec<(f64, f64)> = [1.0, 2.0, 4.0, 8.0, 16.0]
            .map(|p| (p, speedup(0.05, 0.002, p)))
            .to_vec();
        let (sigma, kappa) = fit(&points).unwrap();
        assert!((sigma - 0.05).abs() < 1e-9 && (kappa - 0.002).abs() < 1e-9);
        let p_star = peak(sigma, kappa).unwrap();
        assert!((p_star - (0.95f64 / 0.002).sqrt()).abs() < 1e-6);
        // S is highest at p*: a step either side is lower.
        let s = |p| speedup(sigma, kappa, p);
        assert!(s(p_star) > s(p_star - 1.0) && s(p_star) > s(p_star + 1.0));
    }

    #[test]
    fn amdahl_curves_fit_with_no_coherency_and_no_peak() {
        let points: Vec<(f64, f64)> = [1.0, 2.0, 3.0, 4.0]
            .map(|p| (p, 1.0 / (0.2 + 0.8 / p)))
            .to_vec();
        let (sigma, kappa) = fit(&points).unwrap();
        assert!(
            (sigma - 0.2).abs() < 1e-9 && kappa.abs() < 1e-9,
            "{sigma} {kappa}"
        );
        assert_eq!(peak(sigma, 0.0), None);
    }

    #[test]
    fn better_than_ideal_speedups_clamp_sigma_and_kappa_at_zero() {
        let (sigma, kappa) = fit(&[(1.0, 1.0), (2.0, 2.2), (3.0, 3.3), (4.0, 4.4)]).unwrap();
        assert_eq!((sigma, kappa), (0.0, 0.0));
        assert_eq!(fit(&[(1.0, 1.0)]), None);
    }

    #[test]
    fn recovers_known_sigma_and_kappa_from_noisy_runs_inside_their_intervals() {
        use crate::report::fit_interval::noisy_curve;
        for (sigma, kappa, seed) in [(0.05, 0.01, 1), (0.2, 0.003, 2)] {
            let curve = noisy_curve(
                |p| speedup(sigma, kappa, p),
                &[1, 2, 4, 8, 16],
                7,
                0.03,
                seed,
            );
            let fit = &fit_all(&[curve])[0];
            let [s_low, s_high] = fit.sigma_interval.unwrap();
            let [k_low, k_high] = fit.kappa_interval.unwrap();
            assert!(s_low <= sigma && sigma <= s_high, "σ {sigma}: {fit:?}");
            assert!(k_low <= kappa && kappa <= k_high, "κ {kappa}: {fit:?}");
            let p_star = peak(sigma, kappa).unwrap();
            let [p_low, p_high] = fit.peak_interval.unwrap();
            assert!(p_low <= p_star && p_star <= p_high, "p* {p_star}: {fit:?}");
        }
    }

    #[test]
    fn an_unbounded_peak_interval_survives_json() {
        let fit = UslFit {
            workload: "w".into(),
            strategy: "thread-pool".into(),
            sigma: 0.1,
            kappa: 0.01,
            peak_workers: peak(0.1, 0.01),
            sigma_interval: None,
            kappa_interval: Some([0.0, 0.02]),
            peak_interval: Some([6.0, f64::INFINITY]),
        };
        let json = serde_json::to_string(&fit).unwrap();
        assert!(json.contains("\"peak_interval\":[6.0,null]"), "{json}");
        assert_eq!(serde_json::from_str::<UslFit>(&json).unwrap(), fit);
    }

    #[test]
    fn too_few_worker_counts_say_why() {
        assert_eq!(too_few_points(&[1, 2, 3, 4]), None);
        let why = too_few_points(&[1, 2]).unwrap();
        assert!(
            why.contains("at least 4") && why.contains("has 2 (1, 2 workers)"),
            "{why}"
        );
    }
}
