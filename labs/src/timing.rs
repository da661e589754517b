//! Timing your code with the project's harness, next to the library's own.
//!
//! Every lab's `time` command ends up here: the student's versions are timed
//! as closures ([`measure`]), the library's strategies on its own workload
//! ([`library_reference`]), and both become [`Measurement`]s, the one type the
//! report and its figures read. [`measurements`] is the entry point that
//! returns them all, so a caller can print them ([`table`]), save them
//! ([`save`]) or hand them to the report writer.

use speedup::atomic_file::AtomicFile;
use speedup::sweep::Grid;
use speedup::{Measurement, Result, Strategy};
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

/// Label prefix of the student's own versions in a table or report.
pub const STUDENT: &str = "student-";

/// What to measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Worker counts to time each parallel version at.
    pub workers: Vec<usize>,
    /// Timed runs per point (after one untimed warm-up).
    pub repeats: usize,
    /// Also time the library's strategies on its own workload.
    pub reference: bool,
}

impl Default for Options {
    /// 1 to the number of logical CPUs, 3 repeats, with the reference.
    fn default() -> Self {
        Options {
            workers: (1..=num_cpus::get()).collect(),
            repeats: 3,
            reference: true,
        }
    }
}

/// Times `run` `repeats` times after one warm-up run.
///
/// The warm-up pays for first-touch costs (page faults, lazy pool start-up)
/// that would otherwise land on the first sample; `black_box` keeps the
/// optimiser from discarding a result nobody reads.
pub fn measure<T>(
    workload: &str,
    strategy: &str,
    workers: usize,
    repeats: usize,
    mut run: impl FnMut() -> T,
) -> Measurement {
    black_box(run());
    let times: Vec<f64> = (0..repeats.max(1))
        .map(|_| {
            let start = Instant::now();
            black_box(run());
            start.elapsed().as_secs_f64()
        })
        .collect();
    Measurement::from_samples(workload, strategy, workers, &times)
}

/// The library's strategies on its own workload `name` (default parameters),
/// measured exactly as `speedup sweep` measures them.
///
/// Looked up by name at run time: a workload that this build of `speedup`
/// does not have gives an error, which callers report and skip.
pub fn library_reference(name: &str, options: &Options) -> Result<Vec<Measurement>> {
    let grid = Grid {
        workloads: vec![name.to_string()],
        strategies: Strategy::ALL.to_vec(),
        workers: options.workers.clone(),
    };
    speedup::sweep::measure(&grid, options.repeats, speedup::seeds::DEFAULT_SEED, |_| {})
}

/// Appends the library reference for `name` to `out`, or says why there is none.
pub fn add_reference(name: &str, options: &Options, out: &mut Vec<Measurement>) {
    if !options.reference {
        return;
    }
    match library_reference(name, options) {
        Ok(reference) => out.extend(reference),
        Err(err) => eprintln!("note: no library reference ({err})"),
    }
}

/// The serial time a row's speedup is measured against: the student's serial
/// version for the student's rows, the library's serial strategy for its own.
fn baseline(all: &[Measurement], row: &Measurement) -> Option<f64> {
    let serial = if row.strategy.starts_with(STUDENT) {
        format!("{STUDENT}serial")
    } else {
        "serial".to_string()
    };
    all.iter()
        .find(|m| m.workload == row.workload && m.strategy == serial)
        .map(|m| m.median_s)
}

/// Speedup of `row`: baseline median over this median.
pub fn speedup(all: &[Measurement], row: &Measurement) -> Option<f64> {
    baseline(all, row).map(|serial| serial / row.median_s)
}

/// A plain-text table: one row per measurement, with its speedup.
pub fn table(all: &[Measurement]) -> String {
    let mut out = format!(
        "{:<24} {:<24} {:>7} {:>12} {:>8}\n",
        "workload", "strategy", "workers", "median (s)", "speedup"
    );
    for row in all {
        let speedup = speedup(all, row).map_or("-".to_string(), |s| format!("{s:.2}"));
        out.push_str(&format!(
            "{:<24} {:<24} {:>7} {:>12.5} {:>8}\n",
            row.workload, row.strategy, row.workers, row.median_s, speedup
        ));
    }
    out
}

/// Saves measurements as a JSON list (the format the report reads).
pub fn save(path: &Path, all: &[Measurement]) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| speedup::Error::new(format!("cannot create {}: {e}", parent.display())))?;
    }
    let file = AtomicFile::create(path)?;
    file.commit(serde_json::to_string_pretty(all)?.as_bytes())
}

/// Every measurement of lab `lab`: the student's versions and the reference.
pub fn measurements(lab: u32, options: &Options) -> Result<Vec<Measurement>> {
    match lab {
        1 => Ok(crate::lab01_integration::measurements(options)),
        2 => Ok(crate::lab02_linear_normal::measurements(options)),
        3 => Ok(crate::lab03_ma2::measurements(options)),
        4 => crate::lab04_limits::measurements(options),
        _ => Err(speedup::labs::lab(lab as usize).unwrap_err()),
    }
}

/// What a lab has to say about its measurements beyond the table.
pub fn analysis(lab: u32, all: &[Measurement]) -> String {
    match lab {
        2 => crate::lab02_linear_normal::analysis(all),
        3 => crate::lab03_ma2::analysis(all),
        4 => crate::lab04_limits::analysis(all),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(workload: &str, strategy: &str, workers: usize, t: f64) -> Measurement {
        Measurement::from_samples(workload, strategy, workers, &[t])
    }

    #[test]
    fn speedups_use_the_matching_serial_baseline() {
        let all = vec![
            m("integration", "student-serial", 1, 2.0),
            m("integration", "student-rayon", 2, 1.0),
            m("integration", "serial", 1, 1.0),
            m("integration", "thread-pool", 2, 0.25),
            m("other", "thread-pool", 2, 0.25),
        ];
        assert_eq!(speedup(&all, &all[1]), Some(2.0));
        assert_eq!(speedup(&all, &all[3]), Some(4.0));
        assert_eq!(speedup(&all, &all[4]), None);
        let text = table(&all);
        assert!(text.contains("student-rayon"), "{text}");
        assert!(text.lines().nth(2).unwrap().trim_end().ends_with("2.00"));
    }

    #[test]
    fn measure_runs_the_closure_once_more_than_the_repeats() {
        let mut calls = 0;
        let m = measure("w", "s", 3, 4, || calls += 1);
        assert_eq!((calls, m.samples, m.workers), (5, 4, 3));
    }

    #[test]
    fn saved_measurements_read_back() {
        let dir = std::env::temp_dir().join(format!("labs-save-{}", std::process::id()));
        let path = dir.join("lab.json");
        let all = vec![m("w", "serial", 1, 0.5)];
        save(&path, &all).unwrap();
        let back: Vec<Measurement> =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(back, all);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
