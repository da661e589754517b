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
//! not a serial fraction. Unless the machine ceiling shows they do not:
//! where p serial copies at once still run about p times the work (the
//! `amdahl` workload's waiting chunks need no core), the fit goes on to p
//! ([`fit_range`]). And it needs at least [`MIN_POINTS`] worker counts
//! above one (at p = 1, x = 0 and a point says nothing about f): through
//! one or two points, any law fits, and a "serial fraction" from them is
//! noise dressed as a finding. The fitted f comes with a 95% interval from
//! the points' own runs (`fit_interval.rs`).
//!
//! The Universal Scalability Law (`usl.rs`) is fitted beside it, on every
//! point: it can describe the fall past the cores that Amdahl cannot.

use super::derived::CeilingRow;
use super::fit_interval::{Curve, FitInput, interval_of_fit};
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
    /// The 95% interval of the serial fraction, from refitting on the
    /// points' resampled runs (absent for unpaired reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<[f64; 2]>,
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
pub fn serial_fraction(points: &[(f64, f64)]) -> Option<f64> {
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for &(p, speedup) in points {
        let x = 1.0 - 1.0 / p;
        let y = 1.0 / speedup - 1.0 / p;
        sxy += x * y;
        sxx += x * x;
    }
    (sxx > 0.0).then(|| (sxy / sxx).clamp(0.0, 1.0))
}

/// How far along the worker counts Amdahl's law is fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FitRange {
    /// The largest worker count a fit may use.
    pub limit: usize,
    /// Whether the limit lies past the physical cores, because the machine
    /// ceiling kept up with the workers there.
    pub past_cores: bool,
}

impl FitRange {
    /// What bounds the range, for a reader.
    pub fn bound(&self) -> &'static str {
        if self.past_cores {
            "as far as the machine ceiling keeps up with the workers"
        } else {
            "the physical cores"
        }
    }
}

/// The share of p that the machine ceiling must reach at p for a fit to use
/// points there: p copies at once running (nearly) p times the work.
pub const CEILING_KEEPS_UP: f64 = 0.9;

/// The worker counts a fit may use: up to the physical cores (or, on a
/// one-core machine, the logical CPUs), and on past them through every
/// count where the machine ceiling's interval reaches
/// [`CEILING_KEEPS_UP`]` · p`. There the workers do not compete for cores
/// (their work waits, as the `amdahl` workload's does), so a slowdown is
/// the workload's own, which is what the law describes.
pub fn fit_range<'a>(
    physical_cores: usize,
    logical_cpus: usize,
    ceiling: impl IntoIterator<Item = &'a CeilingRow>,
) -> FitRange {
    let cores = if physical_cores >= 2 {
        physical_cores
    } else {
        logical_cpus
    };
    let mut range = FitRange {
        limit: cores,
        past_cores: false,
    };
    let mut rows: Vec<&CeilingRow> = ceiling.into_iter().filter(|c| c.workers > cores).collect();
    rows.sort_by_key(|c| c.workers);
    for row in rows {
        if row.ci_high < CEILING_KEEPS_UP * row.workers as f64 {
            break;
        }
        range = FitRange {
            limit: row.workers,
            past_cores: true,
        };
    }
    range
}

/// Why a curve measured at `workers` (the worker counts of its points) has
/// no fit: too few of them within `range`. `None` when it has enough.
pub fn too_few_points(workers: &[usize], range: FitRange) -> Option<String> {
    let limit = range.limit;
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
            "a fit needs at least {MIN_POINTS} worker counts from 2 to {limit} ({}); this \
             study has {had}",
            range.bound()
        )
    })
}

/// Each curve that has at least [`MIN_POINTS`] worker counts in `2..=limit`
/// of its workload's [`fit_range`], with those points: what Amdahl's fit
/// and, on weak scaling, Gustafson's (`gustafson.rs`) are fitted on.
pub fn fit_inputs<'c, 'a>(
    curves: &'c [Curve<'a>],
    ceiling: &'c [CeilingRow],
    physical_cores: usize,
    logical_cpus: usize,
) -> impl Iterator<Item = (&'c Curve<'a>, FitInput)> + 'c {
    curves.iter().filter_map(move |curve| {
        let range = fit_range(
            physical_cores,
            logical_cpus,
            ceiling.iter().filter(|c| c.workload == curve.workload),
        );
        let input = curve.fit_input(|p| (2..=range.limit).contains(&p));
        (input.points.len() >= MIN_POINTS).then_some((curve, input))
    })
}

/// Fits every curve of [`fit_inputs`] on its points, with the interval of
/// its serial fraction.
pub fn fit_all(
    curves: &[Curve],
    ceiling: &[CeilingRow],
    physical_cores: usize,
    logical_cpus: usize,
) -> Vec<AmdahlFit> {
    fit_inputs(curves, ceiling, physical_cores, logical_cpus)
        .filter_map(|(curve, input)| {
            let f = serial_fraction(&input.points)?;
            Some(AmdahlFit {
                workload: curve.workload.to_string(),
                strategy: curve.strategy.to_string(),
                serial_fraction: f,
                max_speedup: (f > 0.0).then(|| 1.0 / f),
                interval: interval_of_fit(&input.ratios, serial_fraction),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fit_interval::noisy_curve;

    fn amdahl(f: f64, p: f64) -> f64 {
        1.0 / (f + (1.0 - f) / p)
    }

    #[test]
    fn recovers_the_serial_fraction_of_exact_amdahl_points() {
        let points: Vec<_> = [1.0, 2.0, 4.0, 8.0].map(|p| (p, amdahl(0.1, p))).to_vec();
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
        assert_eq!(serial_fraction(&[(2.0, 2.0), (4.0, 4.0)]), Some(0.0));
        assert_eq!(serial_fraction(&[(1.0, 1.0)]), None);
        assert_eq!(
            serial_fraction(&[(2.0, 0.5)]),
            Some(1.0),
            "slowdowns clamp to 1"
        );
    }

    fn ceiling(p: usize, s: f64) -> CeilingRow {
        CeilingRow {
            workload: "w".into(),
            workers: p,
            speedup: s,
            ci_low: s,
            ci_high: s,
        }
    }

    #[test]
    fn fits_ignore_points_past_the_physical_cores() {
        // Up to 4 cores the law holds with f = 0.2; at 8 workers it collapses.
        let curve = noisy_curve(
            |p| if p > 4.0 { 1.0 } else { amdahl(0.2, p) },
            &[1, 2, 3, 4, 8],
            7,
            0.0,
            1,
        );
        let range = fit_range(4, 8, &[ceiling(8, 4.5)]);
        assert_eq!(range.limit, 4);
        assert_eq!(too_few_points(&[1, 2, 3, 4, 8], range), None);
        let fits = fit_all(&[curve], &[ceiling(8, 4.5)], 4, 8);
        assert_eq!(fits.len(), 1);
        assert!((fits[0].serial_fraction - 0.2).abs() < 1e-12);
        assert!((fits[0].max_speedup.unwrap() - 5.0).abs() < 1e-9);
        assert!((fits[0].predict(4.0) - amdahl(0.2, 4.0)).abs() < 1e-12);
    }

    #[test]
    fn two_points_within_the_cores_give_no_fit_and_say_why() {
        // A 2-core machine: 1 and 2 workers within the cores, 3 and 4 beyond,
        // where two cores' ceiling stays near 2.
        let curve = noisy_curve(|p| p.min(1.6), &[1, 2, 3, 4], 7, 0.0, 1);
        let rows = [ceiling(3, 1.9), ceiling(4, 1.9)];
        assert!(fit_all(&[curve], &rows, 2, 2).is_empty());
        let why = too_few_points(&[1, 2, 3, 4], fit_range(2, 2, &rows)).unwrap();
        assert!(
            why.contains("at least 3")
                && why.contains("has 1 (2 workers)")
                && why.contains("physical cores"),
            "{why}"
        );
    }

    #[test]
    fn where_the_ceiling_keeps_up_past_the_cores_the_fit_goes_on() {
        // Waiting work on 2 cores: 16 copies at once still run 16 times the work.
        let rows = [ceiling(4, 3.95), ceiling(8, 7.9), ceiling(16, 15.6)];
        let range = fit_range(2, 2, &rows);
        assert_eq!((range.limit, range.past_cores), (16, true));
        // The range stops at the first count where the ceiling falls behind.
        let rows = [ceiling(4, 3.95), ceiling(8, 5.0), ceiling(16, 15.6)];
        assert_eq!(fit_range(2, 2, &rows).limit, 4);
    }

    #[test]
    fn recovers_a_known_serial_fraction_from_noisy_runs_inside_its_interval() {
        for (f, seed) in [(0.1, 1), (0.3, 2), (0.05, 3)] {
            let curve = noisy_curve(|p| amdahl(f, p), &[1, 2, 4, 8, 16], 7, 0.05, seed);
            let rows = [ceiling(4, 4.0), ceiling(8, 8.0), ceiling(16, 16.0)];
            let fits = fit_all(std::slice::from_ref(&curve), &rows, 2, 2);
            let fit = &fits[0];
            let [low, high] = fit.interval.unwrap();
            assert!(low <= f && f <= high, "f = {f}: {fit:?}");
            assert!(low <= fit.serial_fraction && fit.serial_fraction <= high);
            assert!(
                high - low < 0.1,
                "5% noise leaves a narrow interval: {fit:?}"
            );
            // Deterministic: the same data give the same interval.
            assert_eq!(fit_all(&[curve], &rows, 2, 2)[0].interval, fit.interval);
        }
    }
}
