//! A measured curve as the fits read it, and how sure a fit is: the 95%
//! interval of any fitted number, by refitting on resampled rounds.
//!
//! A fitted serial fraction printed as "9.7%" says nothing about whether a
//! second study would give 9.5% or 30%. Every point of a curve keeps its
//! paired runs (`Measurement::times_s` beside `serial_s`, one speedup ratio
//! per round), so the study can be redone on paper: draw each point's
//! ratios again, with replacement, take their median as that point's
//! speedup, and fit the law again. Over [`RESAMPLES`] such redrawn studies
//! the fitted numbers spread as much as the noise lets them; the middle 95%
//! of that spread is the interval (the bootstrap's percentile interval).
//!
//! The draws come from a fixed seed, so a report redrawn from its
//! `speedup.json` states the same intervals to the last digit. One helper,
//! [`interval_of_fit`], serves every law: it knows nothing of Amdahl or USL,
//! only how to call a fit on `(x, y)` points.

use super::derived::Derived;
use crate::interval::MedianInterval;
use crate::measurement::Measurement;
use crate::scaling::Scaling;
use rand::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Redrawn studies per interval: enough that the 2.5% and 97.5% points
/// of the spread are each ten draws from the edge.
pub const RESAMPLES: usize = 400;

/// The seed of every redrawing: fixed, so reports are deterministic.
pub const SEED: u64 = 0x005e_ed0f_f175;

/// One measured point of a curve.
#[derive(Debug, Clone, PartialEq)]
pub struct CurvePoint {
    pub workers: usize,
    /// The median of the paired ratios (the report's speedup).
    pub speedup: f64,
    /// One speedup ratio per paired run (empty in reports that predate
    /// pairing: then no interval can be drawn).
    pub ratios: Vec<f64>,
}

/// The points of one (workload, strategy), by worker count.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve<'a> {
    pub workload: &'a str,
    pub strategy: &'a str,
    /// Strong scaling (Amdahl, USL) or weak (Gustafson).
    pub scaling: Scaling,
    pub points: Vec<CurvePoint>,
}

impl Curve<'_> {
    /// The worker counts measured.
    pub fn workers(&self) -> Vec<usize> {
        self.points.iter().map(|p| p.workers).collect()
    }

    /// `(workers, speedup)` of the points `keep` accepts (by worker count),
    /// and those points' per-run ratios: what a fit and its interval read.
    pub fn fit_input(&self, keep: impl Fn(usize) -> bool) -> FitInput {
        let kept: Vec<&CurvePoint> = self.points.iter().filter(|p| keep(p.workers)).collect();
        FitInput {
            points: kept.iter().map(|p| (p.workers as f64, p.speedup)).collect(),
            ratios: kept
                .iter()
                .map(|p| (p.workers as f64, p.ratios.clone()))
                .collect(),
        }
    }
}

/// The points a fit is made from, and the runs behind each.
#[derive(Debug, Clone, PartialEq)]
pub struct FitInput {
    pub points: Vec<(f64, f64)>,
    pub ratios: Vec<(f64, Vec<f64>)>,
}

/// Every (workload, strategy) of `derived`, in report order, with the runs
/// of its measurement.
pub fn curves<'a>(derived: &'a [Derived], measurements: &[Measurement]) -> Vec<Curve<'a>> {
    let mut curves: Vec<Curve> = Vec::new();
    for d in derived {
        let measurement = measurements.iter().find(|m| {
            m.workload == d.workload && m.strategy == d.strategy && m.workers == d.workers
        });
        let ratios = measurement.map(Measurement::ratios).unwrap_or_default();
        let scaling = measurement.map_or(Scaling::Strong, |m| m.scaling);
        let point = CurvePoint {
            workers: d.workers,
            speedup: d.speedup,
            ratios,
        };
        match curves
            .iter_mut()
            .find(|c| c.workload == d.workload && c.strategy == d.strategy)
        {
            Some(curve) => curve.points.push(point),
            None => curves.push(Curve {
                workload: &d.workload,
                strategy: &d.strategy,
                scaling,
                points: vec![point],
            }),
        }
    }
    for curve in &mut curves {
        curve.points.sort_by_key(|p| p.workers);
    }
    curves
}

/// The 95% interval `[low, high]` of the number `fit` computes from
/// `(x, y)` points, where each point's y is the median of its `ratios`
/// (x, then one ratio per run): `fit` is called on [`RESAMPLES`] redrawn
/// sets of points, each point's ratios drawn again with replacement.
///
/// `None` when a point has fewer than two runs (nothing to redraw), or
/// when the fit fails on more than half of the redrawn sets.
pub fn interval_of_fit(
    ratios: &[(f64, Vec<f64>)],
    fit: impl Fn(&[(f64, f64)]) -> Option<f64>,
) -> Option<[f64; 2]> {
    if ratios.is_empty() || ratios.iter().any(|(_, r)| r.len() < 2) {
        return None;
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(SEED);
    let mut drawn = Vec::new();
    let mut fitted = Vec::with_capacity(RESAMPLES);
    for _ in 0..RESAMPLES {
        let points: Vec<(f64, f64)> = ratios
            .iter()
            .map(|(x, runs)| {
                drawn.clear();
                drawn.extend(
                    (0..runs.len()).map(|_| runs[(rng.next_u64() % runs.len() as u64) as usize]),
                );
                let median = MedianInterval::of(&drawn).expect("two runs or more").median;
                (*x, median)
            })
            .collect();
        // An infinite value is an answer (a USL peak that never comes).
        fitted.extend(fit(&points).filter(|v| !v.is_nan()));
    }
    if fitted.len() * 2 < RESAMPLES {
        return None;
    }
    fitted.sort_by(f64::total_cmp);
    let last = (fitted.len() - 1) as f64;
    let at = |q: f64| fitted[(q * last).round() as usize];
    Some([at(0.025), at(0.975)])
}

/// The root-mean-square relative error of `predict` on `points`
/// `(workers, speedup)`: how well a fitted law describes a curve, in the
/// same units whatever the speedups (0.05 = off by 5% on average).
pub fn rms_relative_error(points: &[(f64, f64)], predict: impl Fn(f64) -> f64) -> Option<f64> {
    if points.is_empty() {
        return None;
    }
    let sum: f64 = points
        .iter()
        .map(|&(p, s)| ((predict(p) - s) / s).powi(2))
        .sum();
    Some((sum / points.len() as f64).sqrt())
}

/// A curve that follows `law` (workers to speedup), each of its `runs`
/// ratios off by up to `noise` (a share) either way: synthetic data with a
/// known answer, from a fixed seed.
#[cfg(test)]
pub fn noisy_curve(
    law: impl Fn(f64) -> f64,
    workers: &[usize],
    runs: usize,
    noise: f64,
    seed: u64,
) -> Curve<'static> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let points = workers
        .iter()
        .map(|&p| {
            let ratios: Vec<f64> = (0..runs)
                .map(|_| {
                    let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                    law(p as f64) * (1.0 + noise * (2.0 * u - 1.0))
                })
                .collect();
            CurvePoint {
                workers: p,
                speedup: MedianInterval::of(&ratios).unwrap().median,
                ratios,
            }
        })
        .collect();
    Curve {
        workload: "w",
        strategy: "thread-pool",
        scaling: Scaling::Strong,
        points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_of_a_mean_holds_the_mean_and_is_deterministic() {
        // Points whose runs scatter around 2.0: a "fit" of their mean y.
        let runs = vec![1.8, 1.9, 2.0, 2.0, 2.1, 2.2, 2.0];
        let ratios = vec![(2.0, runs.clone()), (3.0, runs)];
        let mean = |pts: &[(f64, f64)]| Some(pts.iter().map(|p| p.1).sum::<f64>() / 2.0);
        let [low, high] = interval_of_fit(&ratios, mean).unwrap();
        assert!(low <= 2.0 && 2.0 <= high && low < high, "{low} {high}");
        assert!(low >= 1.8 && high <= 2.2);
        assert_eq!(interval_of_fit(&ratios, mean), Some([low, high]));
    }

    #[test]
    fn no_interval_without_runs_to_redraw_or_when_the_fit_fails() {
        let mean = |_: &[(f64, f64)]| Some(1.0);
        assert_eq!(interval_of_fit(&[(2.0, vec![1.0])], mean), None);
        assert_eq!(interval_of_fit(&[], mean), None);
        assert_eq!(
            interval_of_fit(&[(2.0, vec![1.0, 2.0])], |_: &[(f64, f64)]| None),
            None
        );
    }

    #[test]
    fn rms_relative_error_is_zero_for_a_perfect_law() {
        let points = [(2.0, 2.0), (4.0, 4.0)];
        assert_eq!(rms_relative_error(&points, |p| p), Some(0.0));
        let half = rms_relative_error(&points, |p| p / 2.0).unwrap();
        assert!((half - 0.5).abs() < 1e-12);
    }
}
