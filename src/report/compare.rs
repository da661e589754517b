//! Two reports in one figure: two machines, or before and after a change.
//!
//! Each workload both reports measured gets a panel; each strategy keeps its
//! colour, report A is drawn solid and report B dashed, so "same colour,
//! dashed above solid" reads as "B scales better".

use super::Report;
use super::figures::{
    Colors, Quantity, both_formats, ceiling_band, measured_series, overview_size,
};
use crate::atomic_file::write_folder;
use crate::folder_lock::LockedFolder;
use crate::plot::{CurveChart, CurvePoint, Ideal, NEUTRAL, Panels, Series, XAxis};
use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// The comparison figure's file name, without extension.
pub const STEM: &str = "compare";

/// Names for the two reports in legends: machine slugs, or directory names
/// when both ran on the same kind of machine.
pub fn labels(a: (&Report, &Path), b: (&Report, &Path)) -> [String; 2] {
    let (sa, sb) = (a.0.machine.slug(), b.0.machine.slug());
    if sa != sb {
        return [sa, sb];
    }
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let (na, nb) = (name(a.1), name(b.1));
    if na != nb && !na.is_empty() && !nb.is_empty() {
        [na, nb]
    } else {
        ["A".into(), "B".into()]
    }
}

/// The comparison figure of two loaded reports.
pub fn figure(a: &Report, b: &Report, labels: &[String; 2]) -> Result<Panels> {
    let (views_a, views_b) = (a.views(), b.views());
    // Each workload of A that B measured too, as the pair of their views.
    let common: Vec<_> = views_a
        .iter()
        .filter_map(|va| Some((va, views_b.iter().find(|vb| vb.name == va.name)?)))
        .collect();
    if common.is_empty() {
        return Err(Error::new("the two reports share no workload to compare"));
    }
    let same_machine = (a.machine.physical_cores, a.machine.logical_cpus)
        == (b.machine.physical_cores, b.machine.logical_cpus);
    let charts = common
        .iter()
        .map(|&(va, vb)| {
            let mut series = Vec::new();
            let mut x_max: f64 = 1.0;
            // One set of colours for both reports: a label is one colour.
            let mut colors = Colors::default();
            for (view, label, dashed) in [(va, &labels[0], false), (vb, &labels[1], true)] {
                for strategy in view.labels() {
                    if strategy.is_baseline() {
                        continue;
                    }
                    let color = colors.of(strategy);
                    let mut s = measured_series(view, strategy, Quantity::Speedup, color);
                    x_max = s.points.iter().map(|p| p.x).fold(x_max, f64::max);
                    s.label = Some(format!("{strategy} · {label}"));
                    s.dashed = dashed;
                    series.push(s);
                }
                // Each report's own ceiling, as a grey line: a second band
                // would hide the first.
                if let Some(band) = ceiling_band(view, Quantity::Speedup) {
                    series.push(Series {
                        label: Some(format!("machine ceiling · {label}")),
                        color: NEUTRAL,
                        points: band
                            .points
                            .iter()
                            .map(|&(x, _, mid, _)| CurvePoint {
                                x,
                                y: mid,
                                ci: None,
                            })
                            .collect(),
                        dashed,
                        markers: false,
                    });
                }
            }
            CurveChart {
                title: va.name.to_string(),
                x_label: "workers (threads or processes)".into(),
                y_label: "speedup over serial (×)".into(),
                series,
                ideal: Some(Ideal::Diagonal),
                physical_cores: same_machine.then_some(a.machine.physical_cores),
                logical_cpus: same_machine.then_some(a.machine.logical_cpus),
                x_max,
                x_axis: XAxis::Workers,
                band: None,
            }
        })
        .collect();
    Ok(Panels {
        title: format!("{} (solid) against {} (dashed)", labels[0], labels[1]),
        charts,
    })
}

/// Compares the reports in directories `a` and `b`, writing `compare.svg`
/// and `compare.png` to `out`; returns the PNG's path and the workloads
/// left out because only one of the two measured them.
pub fn compare(a: &Path, b: &Path, out: &Path) -> Result<(PathBuf, Vec<String>)> {
    let (ra, rb) = (Report::load(a)?, Report::load(b)?);
    let labels = labels((&ra, a), (&rb, b));
    let panels = figure(&ra, &rb, &labels)?;
    let files = both_formats(STEM, &panels, overview_size(panels.charts.len()))?;
    // Beside whatever `out` holds (it may be a report folder): adds, removes nothing.
    let folder = LockedFolder::take(out)?;
    write_folder(folder.path(), &files, &[])?;
    Ok((out.join(format!("{STEM}.png")), unshared(&ra, &rb)))
}

/// The workloads only one of `a` and `b` measured, in report order: a
/// size study whose sizes were chosen afresh each run (lab 4's) shares
/// none of them, and a reader should hear why its panels are missing.
pub fn unshared(a: &Report, b: &Report) -> Vec<String> {
    let (views_a, views_b) = (a.views(), b.views());
    let names_a: Vec<&str> = views_a.iter().map(|v| v.name).collect();
    let names_b: Vec<&str> = views_b.iter().map(|v| v.name).collect();
    let only_a = names_a.iter().filter(|n| !names_b.contains(n));
    let only_b = names_b.iter().filter(|n| !names_a.contains(n));
    only_a.chain(only_b).map(|n| n.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::Machine;
    use crate::measurement::Measurement;

    fn report(workloads: &[&str]) -> Report {
        let all = workloads
            .iter()
            .flat_map(|w| {
                [
                    Measurement::from_pairs(w, "serial", 1, &[(1.0, 1.0); 3]),
                    Measurement::from_pairs(w, "thread-pool", 2, &[(0.6, 1.0); 3]),
                ]
            })
            .collect();
        Report::new(Machine::imagined(2, 2), all, Vec::new()).unwrap()
    }

    #[test]
    fn workloads_only_one_report_measured_are_named_and_shared_ones_drawn() {
        let a = report(&["ma2", "linear-normal n=363858"]);
        let b = report(&["ma2", "linear-normal n=741000"]);
        assert_eq!(
            unshared(&a, &b),
            ["linear-normal n=363858", "linear-normal n=741000"]
        );
        let panels = figure(&a, &b, &["A".into(), "B".into()]).unwrap();
        assert_eq!(panels.charts.len(), 1, "ma2 only");
        assert!(unshared(&a, &a).is_empty());
    }
}
