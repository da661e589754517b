//! The speedup report: measurements in, a directory a teacher can use out.
//!
//! ```text
//! Vec<Measurement> + Machine ──> Report ──> speedup.json   (the data, alone)
//!                                        ├─> report.md      (tables, findings, figures)
//!                                        ├─> report.html    (the same, one self-contained page)
//!                                        └─> <workload>-speedup.svg/.png,
//!                                            <workload>-efficiency.svg/.png, overview.svg/.png
//! ```
//!
//! `speedup.json` is the single source: [`regenerate`] redraws everything
//! else from it, recomputing the derived numbers so figures and tables never
//! disagree with the measurements. Every file is rendered in memory first and
//! then written atomically: a failed run leaves an earlier report intact.
//!
//! Rooms: [`derived`] (speedup, efficiency, Karp–Flatt), [`amdahl`] and
//! [`usl`] (the laws fitted), [`fit_interval`] (the curves they read and
//! their intervals), [`view`] (one workload's points, baseline, ceiling and fits,
//! gathered once from the flat rows), [`findings`] (sentences), [`figures`]
//! (charts), [`outline`] (what the report says, as blocks), [`document`]
//! (Markdown and HTML from those blocks), [`compare`] (two reports, one
//! figure). Findings, outline and figures each read one workload's view;
//! the machine, conditions, noise and start-up costs stay on the [`Report`].

pub mod amdahl;
pub mod commands;
pub mod compare;
pub mod context;
pub mod derived;
pub mod document;
pub mod efficiency;
pub mod efficiency_section;
pub mod figures;
pub mod findings;
pub mod fit_interval;
pub mod gustafson;
pub mod outline;
pub mod sizes;
pub mod usl;
pub mod view;

use crate::atomic_file::write_folder;
use crate::folder_lock::LockedFolder;
use crate::machine::Machine;
use crate::measure::{CEILING, Conditions};
use crate::measurement::Measurement;
use crate::measurement::StartupCost;
use crate::strategy::{MAX_WORKERS, check_workers};
use crate::{Error, Result};
use amdahl::AmdahlFit;
pub use context::Context;
use derived::{CeilingRow, Derived};
use gustafson::GustafsonFit;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use usl::UslFit;
use view::WorkloadView;

/// The file every report is rebuilt from.
pub const DATA_FILE: &str = "speedup.json";

/// Everything a report says, as stored in `speedup.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub machine: Machine,
    pub measurements: Vec<Measurement>,
    /// The raw runs of the machine ceiling: p serial copies at once, paired
    /// with serial runs like every point (absent in older reports).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copies: Vec<Measurement>,
    pub derived: Vec<Derived>,
    /// What p independent serial jobs get on this machine, per workload.
    #[serde(default)]
    pub ceiling: Vec<CeilingRow>,
    pub amdahl: Vec<AmdahlFit>,
    /// The Universal Scalability Law fitted where at least four worker
    /// counts exist (absent in older reports, and where none fits).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub usl: Vec<UslFit>,
    /// Gustafson's law fitted to weak-scaling curves (absent in older
    /// reports and in studies of strong scaling).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gustafson: Vec<GustafsonFit>,
    /// The flags the study set for its workloads (`speedup sweep --set`),
    /// one line per workload: `amdahl --serial-fraction 0.3` (absent when
    /// every workload ran at its defaults).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settings: Vec<String>,
    /// How and under what load the times were taken (absent in older reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Conditions>,
    /// Time to start worker processes, for the findings (absent in reports
    /// that did not measure it).
    #[serde(default)]
    pub process_startup: Vec<StartupCost>,
    /// What launching an MPI job costs beyond its work, outside the mpi
    /// timings (only in reports that measured the mpi strategy).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mpi_launch: Vec<StartupCost>,
    /// The programs measured with `speedup sweep --command`, each a workload
    /// of its own (only in reports that measured commands).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<commands::CommandStudy>,
    /// Median seconds to start and reap a process that does nothing,
    /// measured once per sweep that measures commands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process_floor_s: Option<f64>,
    /// Who measured it, so its advice names commands the reader has
    /// (absent for `speedup sweep` and `cargo bench`, and in older reports).
    #[serde(default, skip_serializing_if = "Context::is_sweep")]
    pub context: Context,
}

impl Report {
    /// Derives speedups, the machine ceiling and the fitted laws from
    /// `measurements` (the ceiling's runs, labelled [`CEILING`], among them).
    pub fn new(
        machine: Machine,
        measurements: Vec<Measurement>,
        process_startup: Vec<StartupCost>,
    ) -> Result<Report> {
        let (copies, mut measurements): (Vec<_>, Vec<_>) = measurements
            .into_iter()
            .partition(|m| m.strategy == CEILING);
        check(&measurements, &copies)?;
        sort(&mut measurements);
        let ceiling = derived::ceilings(&measurements, &copies);
        let derived = derived::derive_all(&measurements, &ceiling);
        let (strong, weak): (Vec<_>, Vec<_>) = fit_interval::curves(&derived, &measurements)
            .into_iter()
            .partition(|c| c.scaling.is_strong());
        let amdahl = amdahl::fit_all(
            &strong,
            &ceiling,
            machine.physical_cores,
            machine.logical_cpus,
        );
        let usl = usl::fit_all(&strong);
        let gustafson = gustafson::fit_all(
            &weak,
            &ceiling,
            machine.physical_cores,
            machine.logical_cpus,
        );
        Ok(Report {
            machine,
            measurements,
            copies,
            derived,
            ceiling,
            amdahl,
            usl,
            gustafson,
            settings: Vec::new(),
            conditions: None,
            process_startup,
            mpi_launch: Vec::new(),
            commands: Vec::new(),
            process_floor_s: None,
            context: Context::Sweep,
        })
    }

    /// The same report, measured in `context` (its advice then names the
    /// commands of that context).
    pub fn with_context(self, context: Context) -> Report {
        Report { context, ..self }
    }

    /// The same report with the conditions it was measured under.
    pub fn with_conditions(self, conditions: Conditions) -> Report {
        Report {
            conditions: Some(conditions),
            ..self
        }
    }

    /// Reads `dir/speedup.json` and recomputes what is derived from it.
    pub fn load(dir: &Path) -> Result<Report> {
        let path = dir.join(DATA_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::new(format!(
                "cannot read {}: {e} (run `cargo bench` or `speedup sweep` to make one)",
                path.display()
            ))
        })?;
        let stored: Report = serde_json::from_str(&text)
            .map_err(|e| Error::new(format!("{} is not a speedup report: {e}", path.display())))?;
        let mut measurements = stored.measurements;
        measurements.extend(stored.copies);
        check_costs(&stored.process_startup, "process_startup")
            .and_then(|()| check_costs(&stored.mpi_launch, "mpi_launch"))
            .map_err(|e| e.context(path.display()))?;
        let report = Report::new(stored.machine, measurements, stored.process_startup)
            .map_err(|e| e.context(path.display()))?;
        Ok(Report {
            settings: stored.settings,
            mpi_launch: stored.mpi_launch,
            conditions: stored.conditions,
            commands: stored.commands,
            process_floor_s: stored.process_floor_s,
            context: stored.context,
            ..report
        })
    }

    /// One view per workload, in the order they were measured: what the
    /// findings, the outline and the figures read.
    pub fn views(&self) -> Vec<WorkloadView<'_>> {
        let rows = view::Rows {
            measurements: &self.measurements,
            derived: &self.derived,
            ceiling: &self.ceiling,
            amdahl: &self.amdahl,
            usl: &self.usl,
            gustafson: &self.gustafson,
        };
        WorkloadView::all(&self.machine, self.context, rows)
    }

    /// Whether the times were taken in pairs with serial (reports made
    /// before the measurement engine was not).
    pub fn is_paired(&self) -> bool {
        self.measurements.iter().all(Measurement::is_paired)
    }
}

/// Puts measurements in report order: workloads in registry order, the
/// families of one workload (its sizes, its weak scaling) together in the
/// order the study listed them, strategies in table order (so colours and
/// legends agree everywhere), then workers.
fn sort(measurements: &mut [Measurement]) {
    let mut families: Vec<String> = Vec::new();
    for m in measurements.iter() {
        if !families.contains(&m.workload) {
            families.push(m.workload.clone());
        }
    }
    measurements.sort_by_cached_key(|m| {
        // A family of several is known by its workload's name.
        let workload = m.size.as_ref().map_or(&m.workload, |s| &s.workload);
        let registry = crate::workloads::NAMES.iter().position(|n| n == workload);
        let strategy = crate::strategy::TABLE
            .iter()
            .position(|e| e.label == m.strategy)
            .unwrap_or(usize::MAX);
        (
            registry.unwrap_or(usize::MAX),
            natural(workload),
            families.iter().position(|f| *f == m.workload),
            strategy,
            m.workers,
        )
    });
}

/// A name as it sorts for a reader: its runs of digits by their value, so
/// that a lab's `linear-normal n=3000` comes before `n=10000`, not after
/// `n=1000000` as the text would put it.
fn natural(name: &str) -> Vec<(String, u128, String)> {
    let mut key = Vec::new();
    let mut rest = name;
    while !rest.is_empty() {
        let text_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (text, tail) = rest.split_at(text_len);
        let digits_len = tail
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(tail.len());
        let (digits, tail) = tail.split_at(digits_len);
        // Digits beyond u128 sort as the largest number, then as text.
        let value = match digits {
            "" => 0,
            d => d.parse().unwrap_or(u128::MAX),
        };
        // The digits as written break ties ("007" and "7" stay apart).
        key.push((text.to_string(), value, digits.to_string()));
        rest = tail;
    }
    key
}

/// Refuses measurements no report can be drawn from, naming the first bad one.
///
/// `speedup report DIR` redraws whatever `speedup.json` it is given, possibly
/// one someone else wrote, so a loaded report is held to what the CLI itself
/// could have measured: names that are plain file names
/// ([`crate::names::plain_name`]), 1 to [`MAX_WORKERS`] workers, every time
/// finite and above zero (the ceiling's `copies` too), and each point once.
/// A duplicate is refused, not merged: two rows of one point are two
/// measurements under conditions the report cannot tell apart, and which
/// one the figures show would otherwise depend on file order.
fn check(measurements: &[Measurement], copies: &[Measurement]) -> Result<()> {
    if measurements.is_empty() {
        return Err(Error::new("no measurements to report"));
    }
    let mut seen = std::collections::HashSet::new();
    for m in measurements.iter().chain(copies) {
        check_row(m)?;
        if !seen.insert((&m.workload, &m.strategy, m.workers)) {
            return Err(Error::new(format!(
                "measurement {} / {} / {} workers appears twice (one row per point: \
                 keep one, or measure again)",
                m.workload, m.strategy, m.workers
            )));
        }
    }
    for m in measurements {
        if !m.is_paired() && derived::baseline(measurements, &m.workload).is_none() {
            return Err(Error::new(format!(
                "{} has no serial measurement at 1 worker, so no speedup can be computed \
                 (measure it again with serial included)",
                m.workload
            )));
        }
    }
    Ok(())
}

/// One row's names, worker count and times (see [`check`]).
fn check_row(m: &Measurement) -> Result<()> {
    crate::names::plain_name(&m.workload).map_err(|e| e.context("workload"))?;
    crate::names::plain_name(&m.strategy).map_err(|e| e.context("strategy"))?;
    let row = format!(
        "measurement {} / {} / {} workers",
        m.workload, m.strategy, m.workers
    );
    if check_workers(m.workers).is_err() {
        return Err(Error::new(format!(
            "{row}: a point has 1 to {MAX_WORKERS} workers (the most speedup measures)"
        )));
    }
    let times = [m.median_s, m.mean_s, m.ci_low_s, m.ci_high_s];
    let runs_ok = m
        .times_s
        .iter()
        .chain(&m.serial_s)
        .all(|t| t.is_finite() && *t > 0.0);
    if !runs_ok
        || m.samples == 0
        || times.iter().any(|t| !t.is_finite() || *t < 0.0)
        || m.median_s <= 0.0
        || m.mean_s <= 0.0
    {
        return Err(Error::new(format!("{row} has impossible values")));
    }
    Ok(())
}

/// Start-up and launch costs as stored: at 1 to [`MAX_WORKERS`] workers, a
/// finite time of zero or more.
fn check_costs(costs: &[StartupCost], what: &str) -> Result<()> {
    for cost in costs {
        if check_workers(cost.workers).is_err()
            || !(cost.seconds.is_finite() && cost.seconds >= 0.0)
        {
            return Err(Error::new(format!(
                "{what} at {} workers has impossible values ({} s)",
                cost.workers, cost.seconds
            )));
        }
    }
    Ok(())
}

/// Writes the whole report (speedup.json and everything drawn from it) to
/// `dir`, creating and locking it; returns the path of `report.md`.
pub fn write(dir: &Path, report: &Report) -> Result<PathBuf> {
    write_to(&LockedFolder::take(dir)?, report)
}

/// [`write`] into a folder locked before measuring (`speedup sweep`, `cargo
/// bench`), so that a second writer was turned away before either measured.
pub fn write_to(folder: &LockedFolder, report: &Report) -> Result<PathBuf> {
    let mut files = vec![(
        DATA_FILE.to_string(),
        serde_json::to_string_pretty(report)?.into_bytes(),
    )];
    files.extend(render(report)?);
    write_files(folder, &files)?;
    Ok(folder.path().join(document::MARKDOWN_FILE))
}

/// Redraws report.md, report.html and every figure from `dir/speedup.json`
/// alone; returns the path of `report.md`. speedup.json itself is not touched.
pub fn regenerate(dir: &Path) -> Result<PathBuf> {
    if !dir.is_dir() {
        Report::load(dir)?; // nothing to lock: loading says what is missing
    }
    // Locked before reading, so no sweep replaces speedup.json in between.
    let folder = LockedFolder::take(dir)?;
    let report = Report::load(dir)?;
    write_files(&folder, &render(&report)?)?;
    Ok(dir.join(document::MARKDOWN_FILE))
}

/// Every file drawn from a report, as (name, bytes), rendered in memory.
pub fn render(report: &Report) -> Result<Vec<(String, Vec<u8>)>> {
    let views = report.views();
    let figures = figures::render_all(report, &views)?;
    let outline = outline::outline(report, &views);
    let mut files = vec![
        (
            document::MARKDOWN_FILE.to_string(),
            document::to_markdown(&outline).into_bytes(),
        ),
        (
            document::HTML_FILE.to_string(),
            document::to_html(&outline, &figures)?.into_bytes(),
        ),
    ];
    files.extend(figures);
    Ok(files)
}

/// Writes a report's files into its locked folder, all or none, even when
/// interrupted (see [`write_folder`]), and removes in the same step the
/// figures of workloads the folder's earlier report had and this one does
/// not: a folder holds one report. Files the tool did not write are kept.
pub fn write_files(folder: &LockedFolder, files: &[(String, Vec<u8>)]) -> Result<()> {
    let stale: Vec<String> = earlier_figures(folder.path())
        .into_iter()
        .filter(|name| files.iter().all(|(new, _)| new != name))
        .collect();
    write_folder(folder.path(), files, &stale)
}

/// The figure files the report now in `dir` was drawn with, known by the
/// names the renderer gives them ([`figures::figure_files`]); none if there
/// is no readable report. Read leniently: an old or damaged speedup.json
/// still names its workloads.
fn earlier_figures(dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dir.join(DATA_FILE)) else {
        return Vec::new();
    };
    let Ok(stored) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    let mut workloads: Vec<&str> = stored["measurements"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["workload"].as_str())
        .collect();
    workloads.sort_unstable();
    workloads.dedup();
    let sized = stored["measurements"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| Some((m["size"]["workload"].as_str()?, m["workers"].as_u64()?)));
    let mut size_figures: Vec<String> = sized
        .filter_map(|(workload, workers)| {
            figures::size_figure_files(workload, workers as usize).ok()
        })
        .flatten()
        .collect();
    size_figures.sort_unstable();
    size_figures.dedup();
    workloads
        .into_iter()
        .filter_map(|w| figures::figure_files(w).ok())
        .flatten()
        .chain(size_figures)
        .collect()
}

/// Where a machine's reports go by default: `reports/<machine slug>`.
pub fn default_dir(machine: &Machine) -> PathBuf {
    Path::new("reports").join(machine.slug())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workloads_outside_the_registry_sort_by_the_numbers_in_their_names() {
        let sizes = ["n=1000", "n=1000000", "n=3000", "n=10000", "n=300"];
        let mut all: Vec<Measurement> = sizes
            .iter()
            .map(|n| {
                Measurement::from_pairs(&format!("linear-normal {n}"), "serial", 1, &[(1.0, 1.0)])
            })
            .collect();
        sort(&mut all);
        let order: Vec<&str> = all.iter().map(|m| m.workload.as_str()).collect();
        assert_eq!(
            order,
            [
                "linear-normal n=300",
                "linear-normal n=1000",
                "linear-normal n=3000",
                "linear-normal n=10000",
                "linear-normal n=1000000"
            ]
        );
        assert_ne!(natural("a7"), natural("a007"), "equal numbers: as written");
        assert!(natural("b") > natural("a99"));
    }

    #[test]
    fn a_run_of_zero_or_infinite_time_is_refused_by_name() {
        let machine = Machine::detect();
        let good = Measurement::from_pairs("w", "serial", 1, &[(1.0, 1.0)]);
        for bad in [0.0, f64::INFINITY, f64::NAN] {
            let broken = Measurement::from_pairs("w", "thread-pool", 2, &[(0.5, 1.0), (bad, 1.0)]);
            let err = Report::new(machine.clone(), vec![good.clone(), broken], Vec::new())
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("w / thread-pool / 2 workers has impossible values"),
                "{err}"
            );
        }
        assert!(Report::new(machine, vec![good], Vec::new()).is_ok());
    }
}
