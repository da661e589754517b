//! One workload as the report reads it: its serial baseline, its points, its
//! machine ceiling and its fitted laws (Amdahl, USL), gathered once.
//!
//! `speedup.json` stores flat lists (measurements, derived rows, ceiling
//! rows, fits), each row naming its workload and strategy as strings. That
//! is the right shape for a file, and the wrong one for reading: every
//! table, finding and figure would search the lists by name again.
//! [`WorkloadView::all`] sorts the rows into one view per workload, so the
//! findings, the outline and the figures each take one workload's view and
//! read it as it is.
//!
//! A point's label is a [`Label`], not a string: one of the library's
//! strategies, whose colour, family and role (serial is the baseline) the
//! strategy table knows, or any other name (a student's version from the
//! labs, `student-threads`), which the report draws and tabulates without
//! knowing more about it. The machine ceiling is not a point at all: it is
//! the view's [`ceiling`](WorkloadView::ceiling) rows.

use super::amdahl::{self, AmdahlFit, FitRange};
use super::context::Context;
use super::derived::{CeilingRow, Derived};
use super::fit_interval::rms_relative_error;
use super::gustafson::GustafsonFit;
use super::usl::UslFit;
use crate::machine::Machine;
use crate::measurement::Measurement;
use crate::scaling::Scaling;
use crate::strategy::{Strategy, TABLE};
use std::fmt;

/// What a point was measured with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    /// One of the library's strategies.
    Strategy(Strategy),
    /// Anything else: a student's version (`student-threads`).
    Other(String),
}

impl Label {
    /// The label a measurement is stored under: a library strategy when it is
    /// exactly a label of the strategy table, any other name otherwise.
    pub fn of(stored: &str) -> Label {
        match TABLE.iter().find(|e| e.label == stored) {
            Some(entry) => Label::Strategy(entry.strategy),
            None => Label::Other(stored.to_string()),
        }
    }

    /// Whether this is the strategy every speedup is measured against.
    pub fn is_baseline(&self) -> bool {
        *self == Label::Strategy(Strategy::BASELINE)
    }

    /// Whether this is a serial program: the library's baseline, or a lab's
    /// own (`student-serial`). Its speedup is a check of the noise, never a
    /// contender for the fastest point.
    pub fn is_serial(&self) -> bool {
        match self {
            Label::Strategy(_) => self.is_baseline(),
            Label::Other(name) => name == "serial" || name.ends_with("-serial"),
        }
    }
}

impl fmt::Display for Label {
    /// The label as stored and printed in reports.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Label::Strategy(strategy) => f.write_str(strategy.label()),
            Label::Other(name) => f.write_str(name),
        }
    }
}

/// One measured point with the numbers derived from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Point<'a> {
    pub label: Label,
    pub measurement: &'a Measurement,
    /// Speedup, efficiency, Karp–Flatt, share of the ceiling (absent only
    /// for a point without pairs or a serial baseline to divide by).
    pub derived: Option<&'a Derived>,
}

impl Point<'_> {
    pub fn workers(&self) -> usize {
        self.measurement.workers
    }
}

/// Amdahl's law fitted to one label's points.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit<'a> {
    pub label: Label,
    pub law: &'a AmdahlFit,
}

/// The Universal Scalability Law fitted to one label's points.
#[derive(Debug, Clone, PartialEq)]
pub struct UslCurveFit<'a> {
    pub label: Label,
    pub law: &'a UslFit,
}

/// Gustafson's law fitted to one label's weak-scaling points.
#[derive(Debug, Clone, PartialEq)]
pub struct GustafsonCurveFit<'a> {
    pub label: Label,
    pub law: &'a GustafsonFit,
}

/// A law of speedup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Law {
    Amdahl,
    Usl,
    /// Weak scaling's law (`gustafson.rs`).
    Gustafson,
}

impl Law {
    /// Its name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Law::Amdahl => "Amdahl",
            Law::Usl => "USL",
            Law::Gustafson => "Gustafson",
        }
    }
}

/// Which law describes one curve better, and how far each is off it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    pub better: Law,
    /// The root-mean-square relative error of each fitted law on every
    /// measured point of the curve (`None` where the law has no fit).
    pub amdahl_error: Option<f64>,
    pub usl_error: Option<f64>,
    /// How many points they were compared on.
    pub points: usize,
}

/// How much better USL must describe a curve before it is named the better
/// law: it has two parameters to Amdahl's one, so it nearly always fits a
/// little closer. Amdahl stays the better law while its error is within
/// 1.25 times USL's plus one percentage point.
pub const SIMPLER_LAW_MARGIN: (f64, f64) = (1.25, 0.01);

/// Everything the report says about one workload.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadView<'a> {
    pub name: &'a str,
    /// The machine it was measured on (its cores and CPUs bound the fits
    /// and the oversubscribed region).
    pub machine: &'a Machine,
    /// Who measured it: the commands its findings may name.
    pub context: Context,
    /// Serial at one worker, the point every speedup is measured against
    /// (also among `points`).
    pub baseline: Option<Point<'a>>,
    /// Every point in report order: strategies in table order, then workers.
    pub points: Vec<Point<'a>>,
    /// The machine ceiling by worker count: serial at one worker, then p
    /// copies at once.
    pub ceiling: Vec<&'a CeilingRow>,
    /// The Amdahl fits, one per label that has enough points.
    pub fits: Vec<Fit<'a>>,
    /// The USL fits, one per label that has enough points.
    pub usl_fits: Vec<UslCurveFit<'a>>,
    /// Weak scaling's Gustafson fits, one per label that has enough points.
    pub gustafson_fits: Vec<GustafsonCurveFit<'a>>,
    /// Strong scaling, or weak: the points grew with the workers
    /// (`crate::scaling`), and their speedups are scaled speedups.
    pub scaling: Scaling,
}

/// A report's flat rows, every workload's together, as [`WorkloadView::all`]
/// sorts them.
pub struct Rows<'a> {
    pub measurements: &'a [Measurement],
    pub derived: &'a [Derived],
    pub ceiling: &'a [CeilingRow],
    pub amdahl: &'a [AmdahlFit],
    pub usl: &'a [UslFit],
    pub gustafson: &'a [GustafsonFit],
}

impl<'a> WorkloadView<'a> {
    /// The rounds its points were measured in.
    pub fn rounds(&self) -> usize {
        crate::measurement::rounds(self.points.iter().map(|p| p.measurement))
    }

    /// One view per workload, in the order the workloads were measured,
    /// from the flat rows of a report.
    pub fn all(machine: &'a Machine, context: Context, rows: Rows<'a>) -> Vec<WorkloadView<'a>> {
        let Rows {
            measurements,
            derived,
            ceiling,
            amdahl: fits,
            usl: usl_fits,
            gustafson: gustafson_fits,
        } = rows;
        let mut names: Vec<&str> = Vec::new();
        for m in measurements {
            if !names.contains(&m.workload.as_str()) {
                names.push(&m.workload);
            }
        }
        names
            .into_iter()
            .map(|name| {
                let derived: Vec<&Derived> =
                    derived.iter().filter(|d| d.workload == name).collect();
                let points: Vec<Point> = measurements
                    .iter()
                    .filter(|m| m.workload == name)
                    .map(|m| {
                        let label = Label::of(&m.strategy);
                        let derived = derived
                            .iter()
                            .find(|d| d.strategy == m.strategy && d.workers == m.workers)
                            .copied();
                        Point {
                            label,
                            measurement: m,
                            derived,
                        }
                    })
                    .collect();
                let scaling = match points.iter().any(|p| !p.measurement.scaling.is_strong()) {
                    true => Scaling::Weak,
                    false => Scaling::Strong,
                };
                WorkloadView {
                    name,
                    machine,
                    context,
                    scaling,
                    baseline: points
                        .iter()
                        .find(|p| p.label.is_baseline() && p.workers() == 1)
                        .cloned(),
                    points,
                    ceiling: ceiling.iter().filter(|c| c.workload == name).collect(),
                    fits: fits
                        .iter()
                        .filter(|f| f.workload == name)
                        .map(|law| Fit {
                            label: Label::of(&law.strategy),
                            law,
                        })
                        .collect(),
                    usl_fits: usl_fits
                        .iter()
                        .filter(|f| f.workload == name)
                        .map(|law| UslCurveFit {
                            label: Label::of(&law.strategy),
                            law,
                        })
                        .collect(),
                    gustafson_fits: gustafson_fits
                        .iter()
                        .filter(|f| f.workload == name)
                        .map(|law| GustafsonCurveFit {
                            label: Label::of(&law.strategy),
                            law,
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// The labels measured, in report order.
    pub fn labels(&self) -> Vec<&Label> {
        let mut labels: Vec<&Label> = Vec::new();
        for point in &self.points {
            if !labels.contains(&&point.label) {
                labels.push(&point.label);
            }
        }
        labels
    }

    /// The points of one label (a curve), by worker count.
    pub fn curve<'v>(&'v self, label: &'v Label) -> impl Iterator<Item = &'v Point<'a>> {
        self.points.iter().filter(move |p| p.label == *label)
    }

    /// The point of one label at `workers`, if measured.
    pub fn point(&self, label: &Label, workers: usize) -> Option<&Point<'a>> {
        self.points
            .iter()
            .find(|p| p.label == *label && p.workers() == workers)
    }

    /// Every point that has a speedup, with its derived numbers.
    pub fn speedups(&self) -> impl Iterator<Item = (&Point<'a>, &'a Derived)> {
        self.points.iter().filter_map(|p| Some((p, p.derived?)))
    }

    /// The Amdahl fit of one label, if it has one.
    pub fn fit(&self, label: &Label) -> Option<&'a AmdahlFit> {
        self.fits.iter().find(|f| f.label == *label).map(|f| f.law)
    }

    /// The USL fit of one label, if it has one.
    pub fn usl_fit(&self, label: &Label) -> Option<&'a UslFit> {
        self.usl_fits
            .iter()
            .find(|f| f.label == *label)
            .map(|f| f.law)
    }

    /// The Gustafson fit of one label, if it has one (weak scaling only).
    pub fn gustafson_fit(&self, label: &Label) -> Option<&'a GustafsonFit> {
        self.gustafson_fits
            .iter()
            .find(|f| f.label == *label)
            .map(|f| f.law)
    }

    /// Whether the points grew with the workers (weak scaling).
    pub fn is_weak(&self) -> bool {
        self.scaling == Scaling::Weak
    }

    /// The worker counts Amdahl's law is fitted on (see [`amdahl::fit_range`]).
    pub fn fit_range(&self) -> FitRange {
        amdahl::fit_range(
            self.machine.physical_cores,
            self.machine.logical_cpus,
            self.ceiling.iter().copied(),
        )
    }

    /// Which fitted law describes one label's curve better, on every measured
    /// point of it (Amdahl's too, though it is fitted within
    /// [`fit_range`](Self::fit_range) only: a law that cannot follow the
    /// curve past the cores describes it worse). `None` without any fit.
    pub fn comparison(&self, label: &Label) -> Option<Comparison> {
        let points: Vec<(f64, f64)> = self
            .curve(label)
            .filter_map(|p| Some((p.workers() as f64, p.derived?.speedup)))
            .collect();
        let amdahl_error = self
            .fit(label)
            .and_then(|f| rms_relative_error(&points, |p| f.predict(p)));
        let usl_error = self
            .usl_fit(label)
            .and_then(|f| rms_relative_error(&points, |p| f.predict(p)));
        let better = match (amdahl_error, usl_error) {
            (Some(a), Some(u)) => {
                let (factor, plus) = SIMPLER_LAW_MARGIN;
                if a <= factor * u + plus {
                    Law::Amdahl
                } else {
                    Law::Usl
                }
            }
            (Some(_), None) => Law::Amdahl,
            (None, Some(_)) => Law::Usl,
            (None, None) => return None,
        };
        Some(Comparison {
            better,
            amdahl_error,
            usl_error,
            points: points.len(),
        })
    }

    /// The speedup the better law of `label` predicts at `workers`, and
    /// which law that is: what a figure draws dashed. Under weak scaling
    /// that is Gustafson's, the one law fitted there.
    pub fn better_prediction(&self, label: &Label) -> Option<(Law, impl Fn(f64) -> f64 + 'a)> {
        let gustafson = self.gustafson_fit(label);
        let better = match gustafson {
            Some(_) => Law::Gustafson,
            None => self.comparison(label)?.better,
        };
        let amdahl = self.fit(label);
        let usl = self.usl_fit(label);
        Some((better, move |x: f64| {
            match (better, amdahl, usl, gustafson) {
                (Law::Gustafson, _, _, Some(f)) => f.predict(x),
                (Law::Amdahl, Some(f), _, _) => f.predict(x),
                (Law::Usl, _, Some(f), _) => f.predict(x),
                _ => f64::NAN,
            }
        }))
    }

    /// The most workers any point ran with.
    pub fn max_workers(&self) -> usize {
        self.points.iter().map(Point::workers).max().unwrap_or(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Report;

    #[test]
    fn the_strategy_tables_labels_are_strategies_and_other_names_are_kept() {
        for entry in &TABLE {
            assert_eq!(Label::of(entry.label), Label::Strategy(entry.strategy));
            assert_eq!(Label::of(entry.label).to_string(), entry.label);
        }
        let student = Label::of("student-threads");
        assert_eq!(student, Label::Other("student-threads".into()));
        assert_eq!(student.to_string(), "student-threads");
        assert!(Label::of("serial").is_baseline() && !Label::of("student-serial").is_baseline());
    }

    fn paired(workload: &str, strategy: &str, workers: usize, ratio: f64) -> Measurement {
        Measurement::from_pairs(workload, strategy, workers, &[(1.0 / ratio, 1.0); 7])
    }

    #[test]
    fn each_workload_gets_its_own_points_baseline_ceiling_and_fits() {
        let machine = Machine::imagined(4, 8);
        let mut all = vec![
            paired("a", "serial", 1, 1.0),
            paired("b", "serial", 1, 1.0),
            paired("b", "student-threads", 2, 1.5),
            paired("a", crate::measure::CEILING, 2, 0.9),
        ];
        for p in 2..=4 {
            all.push(paired("a", "thread-pool", p, p as f64 * 0.9));
        }
        let report = Report::new(machine, all, Vec::new()).unwrap();
        let views = report.views();
        let names: Vec<&str> = views.iter().map(|v| v.name).collect();
        assert_eq!(names, ["a", "b"]);
        let (a, b) = (&views[0], &views[1]);

        let pool = Label::Strategy(Strategy::ThreadPool);
        assert_eq!(a.labels(), [&Label::Strategy(Strategy::Serial), &pool]);
        assert_eq!(a.baseline.as_ref().unwrap().measurement.workload, "a");
        assert_eq!(
            a.curve(&pool).map(Point::workers).collect::<Vec<_>>(),
            [2, 3, 4]
        );
        let at_3 = a.point(&pool, 3).unwrap().derived.unwrap();
        assert!((at_3.speedup - 2.7).abs() < 1e-12, "{at_3:?}");
        // The ceiling is rows of its own, never a point with a made-up label.
        assert!(
            a.points
                .iter()
                .all(|p| matches!(p.label, Label::Strategy(_)))
        );
        let ceiling: Vec<usize> = a.ceiling.iter().map(|c| c.workers).collect();
        assert_eq!(ceiling, [1, 2]);
        assert!(
            (a.ceiling[1].speedup - 1.8).abs() < 1e-12,
            "{:?}",
            a.ceiling[1]
        );
        assert!(a.fit(&pool).is_some() && a.fits.len() == 1);
        // Three worker counts: no USL fit (it needs four), so Amdahl is the better law.
        assert!(a.usl_fits.is_empty());
        assert_eq!(a.comparison(&pool).unwrap().better, Law::Amdahl);
        assert_eq!(a.max_workers(), 4);

        let student = Label::Other("student-threads".into());
        assert_eq!(b.speedups().count(), 2);
        let student_at_2 = b.point(&student, 2).unwrap().derived.unwrap();
        assert!(
            (student_at_2.speedup - 1.5).abs() < 1e-12,
            "{student_at_2:?}"
        );
        assert!(b.ceiling.len() == 1 && b.fits.is_empty() && b.fit(&student).is_none());
    }
}
