//! Fitting Amdahl's law to measured speedups.
//!
//! Amdahl: if a fraction `f` of the work is serial, `p` workers give at best
//!
//! ```text
//! S(p) = 1 / (f + (1 - f) / p)        and never more than 1 / f.
//! ```
//!
//! Rearranged, `1/S - 1/p = f · (1 - 1/p)`: a straight line through the
//! origin in `x = 1 - 1/p`, `y = 1/S - 1/p`, so least squares gives
//! `f = Σxy / Σx²` in one line. The fit uses only points up to the physical
//! core count: past it, workers share cores, and the slowdown that causes is
//! not a serial fraction. And it needs at least [`MIN_POINTS`] worker counts
//! above one (at p = 1, x = 0 and a point says nothing about f): through
//! one or two points, any law fits, and a "serial fraction" from them is
//! noise dressed as a finding.

use super::derived::Derived;
use serde::{Deserialize, Serialize};

/// The fewest worker counts in `2..=cores` a fit is made from.
pub const MIN_POINTS: usize = 3;

/// The fitted law for one (workload, strategy).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AmdahlFit {
    pub workload: String,
    pub strategy: String,
    pub serial_fraction: f64,
    /// `1 / serial_fraction`; `null` when the fitted fraction is zero.
    pub max_speedup: Option<f64>,
}

impl AmdahlFit {
    /// The speedup the fitted law predicts at `workers`.
    pub fn predict(&self, workers: f64) -> f64 {
        1.0 / (self.serial_fraction + (1.0 - self.serial_fraction) / workers)
    }
}

/// The most points a fitted curve is drawn with.
pub const CURVE_POINTS: usize = 400;

/// Where to draw a fitted curve from 1 worker to `x_max`: every tenth of a
/// worker, smooth at the few workers a figure usually shows, but never more
/// than [`CURVE_POINTS`] + 1 points, evenly spaced. (A loaded report once
/// claimed 10^12 workers, and ten points per worker aborted on memory.)
pub fn curve_workers(x_max: f64) -> Vec<f64> {
    let x_max = x_max.max(1.0);
    if (x_max - 1.0) * 10.0 <= CURVE_POINTS as f64 {
        return (10..=(x_max * 10.0) as usize)
            .map(|tenth| tenth as f64 / 10.0)
            .collect();
    }
    (0..=CURVE_POINTS)
        .map(|i| 1.0 + (x_max - 1.0) * i as f64 / CURVE_POINTS as f64)
        .collect()
}

/// Least-squares serial fraction of `(workers, speedup)` points, in [0, 1];
/// `None` without a point above one worker.
pub fn serial_fraction(points: &[(usize, f64)]) -> Option<f64> {
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for &(workers, speedup) in points {
        let p = workers as f64;
        let x = 1.0 - 1.0 / p;
        let y = 1.0 / speedup - 1.0 / p;
        sxy += x * y;
        sxx += x * x;
    }
    (sxx > 0.0).then(|| (sxy / sxx).clamp(0.0, 1.0))
}

/// The largest worker count a fit may use: the physical cores (or, on a
/// one-core machine, the logical CPUs).
pub fn fit_limit(physical_cores: usize, logical_cpus: usize) -> usize {
    if physical_cores >= 2 {
        physical_cores
    } else {
        logical_cpus
    }
}

/// Why a curve measured at `workers` (the worker counts of its points) has
/// no fit: too few of them within the cores. `None` when it has enough.
pub fn too_few_points(workers: &[usize], limit: usize) -> Option<String> {
    let counts: Vec<String> = workers
        .iter()
        .filter(|w| (2..=limit).contains(*w))
        .map(|w| w.to_string())
        .collect();
    (counts.len() < MIN_POINTS).then(|| {
        let had = if counts.is_empty() {
            "none".to_string()
        } else {
            format!("{} ({} workers)", counts.len(), counts.join(", "))
        };
        format!(
            "a fit needs at least {MIN_POINTS} worker counts from 2 to {limit} (the physical \
             cores); this study has {had}"
        )
    })
}

/// Fits every (workload, strategy) of `derived` that has at least
/// [`MIN_POINTS`] worker counts in `2..=fit_limit(..)`, on those points.
pub fn fit_all(derived: &[Derived], physical_cores: usize, logical_cpus: usize) -> Vec<AmdahlFit> {
    let limit = fit_limit(physical_cores, logical_cpus);
    let mut fits = Vec::new();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for d in derived {
        let key = (d.workload.as_str(), d.strategy.as_str());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let points: Vec<(usize, f64)> = derived
            .iter()
            .filter(|o| (o.workload.as_str(), o.strategy.as_str()) == key)
            .filter(|o| (2..=limit).contains(&o.workers))
            .map(|o| (o.workers, o.speedup))
            .collect();
        if points.len() < MIN_POINTS {
            continue;
        }
        if let Some(f) = serial_fraction(&points) {
            fits.push(AmdahlFit {
                workload: d.workload.clone(),
                strategy: d.strategy.clone(),
                serial_fraction: f,
                max_speedup: (f > 0.0).then(|| 1.0 / f),
            });
        }
    }
    fits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amdahl(f: f64, p: usize) -> f64 {
        1.0 / (f + (1.0 - f) / p as f64)
    }

    #[test]
    fn recovers_the_serial_fraction_of_exact_amdahl_points() {
        let points: Vec<_> = [1, 2, 4, 8].map(|p| (p, amdahl(0.1, p))).to_vec();
        assert!((serial_fraction(&points).unwrap() - 0.1).abs() < 1e-12);
    }

    #[test]
    fn curves_are_drawn_in_tenths_but_with_a_bounded_number_of_points() {
        let small = curve_workers(4.0);
        assert_eq!(small.len(), 31);
        assert!((small[1] - 1.1).abs() < 1e-12 && small[30] == 4.0);
        for x_max in [1024.0, 1e7, 1e12] {
            let xs = curve_workers(x_max);
            assert_eq!(xs.len(), CURVE_POINTS + 1, "{x_max}");
            assert_eq!((xs[0], *xs.last().unwrap()), (1.0, x_max));
            assert!(xs.windows(2).all(|w| w[0] < w[1]));
        }
        assert_eq!(curve_workers(1.0), vec![1.0]);
    }

    #[test]
    fn perfect_scaling_fits_zero_and_no_cap() {
        assert_eq!(serial_fraction(&[(2, 2.0), (4, 4.0)]), Some(0.0));
        assert_eq!(serial_fraction(&[(1, 1.0)]), None);
        assert_eq!(
            serial_fraction(&[(2, 0.5)]),
            Some(1.0),
            "slowdowns clamp to 1"
        );
    }

    fn d(p: usize, s: f64) -> Derived {
        Derived {
            workload: "w".into(),
            strategy: "scoped-static".into(),
            workers: p,
            speedup: s,
            speedup_ci_low: s,
            speedup_ci_high: s,
            efficiency: s / p as f64,
            karp_flatt: None,
            of_ceiling: None,
            noisy: false,
        }
    }

    #[test]
    fn fits_ignore_points_past_the_physical_cores() {
        // Up to 4 cores the law holds with f = 0.2; at 8 workers it collapses.
        let derived = vec![
            d(1, 1.0),
            d(2, amdahl(0.2, 2)),
            d(3, amdahl(0.2, 3)),
            d(4, amdahl(0.2, 4)),
            d(8, 1.0),
        ];
        assert_eq!(too_few_points(&[1, 2, 3, 4, 8], 4), None);
        let fits = fit_all(&derived, 4, 8);
        assert_eq!(fits.len(), 1);
        assert!((fits[0].serial_fraction - 0.2).abs() < 1e-12);
        assert!((fits[0].max_speedup.unwrap() - 5.0).abs() < 1e-9);
        assert!((fits[0].predict(4.0) - amdahl(0.2, 4)).abs() < 1e-12);
    }

    #[test]
    fn two_points_within_the_cores_give_no_fit_and_say_why() {
        // A 2-core machine: 1 and 2 workers within the cores, 3 and 4 beyond.
        let derived = vec![d(1, 1.0), d(2, 1.6), d(3, 1.5), d(4, 1.4)];
        assert!(fit_all(&derived, 2, 2).is_empty());
        let why = too_few_points(&[1, 2, 3, 4], 2).unwrap();
        assert!(
            why.contains("at least 3") && why.contains("has 1 (2 workers)"),
            "{why}"
        );
    }
}
