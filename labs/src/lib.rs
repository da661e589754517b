//! The speedup workbook: four labs, one file each.
//!
//! Each `labNN_*.rs` holds the exercises of one worksheet
//! (`labs/worksheets/NN-*.md`). In the student edition the bodies are
//! `todo!("hint")`; `speedup labs check N` runs the lab's tests
//! (`labs/tests/labNN_*.rs`) and lists which tasks are done, and
//! `cargo run -p speedup-labs --release -- time N` times your code next to
//! the library's own strategies ([`measurements`], built on [`timing`]).
//! [`boundary`] stands in for a process boundary, for lab 2's question of
//! what a worker should send back.

// In the student edition every exercise body is a `todo!()`, so until a
// student writes it, its parameters (and imports such as `chunk_rng`) are
// unused. These two lints are silenced so that the warnings a student does
// see are about code they wrote.
#![allow(unused_variables, unused_imports)]

pub mod boundary;
pub mod lab01_integration;
pub mod lab02_linear_normal;
pub mod lab03_ma2;
pub mod lab04_limits;
pub mod results;
pub mod timing;

use speedup::{Measurement, Result};

// The two functions below are the only code that names every lab. They live
// here, beside the `mod` lines that already list the labs, rather than in
// `timing`: every lab uses `timing` to build its study, so a `timing` that
// also called back into every lab would make the modules a circle, where
// neither side can be read (or changed) without the other.

/// Every measurement of lab `lab`: the student's versions and the library's
/// reference, timed in the same rounds (each lab's own `measurements`).
pub fn measurements(lab: u32, options: &timing::Options) -> Result<Vec<Measurement>> {
    match lab {
        1 => lab01_integration::measurements(options),
        2 => lab02_linear_normal::measurements(options),
        3 => lab03_ma2::measurements(options),
        4 => lab04_limits::measurements(options),
        _ => Err(speedup::labs::lab(lab as usize).unwrap_err()),
    }
}

/// What lab `lab` has to say about its measurements beyond the table.
pub fn analysis(lab: u32, all: &[Measurement]) -> String {
    match lab {
        1 => lab01_integration::analysis(all),
        2 => lab02_linear_normal::analysis(all),
        3 => lab03_ma2::analysis(all),
        4 => lab04_limits::analysis(all),
        _ => String::new(),
    }
}

/// The speedup report of lab `lab`'s measurements, as `time N` draws it:
/// its advice names the lab's commands (`time N --rounds`), not the sweep's.
///
/// Lab 4's start-up study has no serial run to be a speedup of: its rows go
/// to the report as what they are, the cost of starting processes, which
/// the report states beside the process strategies' curves.
pub fn report(lab: u32, measurements: Vec<Measurement>) -> Result<speedup::report::Report> {
    let (startup, measurements): (Vec<_>, Vec<_>) = measurements
        .into_iter()
        .partition(|m| m.workload == lab04_limits::STARTUP);
    let process_startup = startup
        .iter()
        .filter(|m| m.strategy == "process")
        .map(|m| speedup::measurement::StartupCost {
            workers: m.workers,
            seconds: m.median_s,
        })
        .collect();
    let report = speedup::report::Report::new(
        speedup::machine::Machine::detect(),
        measurements,
        process_startup,
    )?;
    Ok(report.with_context(speedup::report::Context::Lab(lab)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lab_that_does_not_exist_is_an_error_naming_the_labs() {
        let err = measurements(9, &timing::Options::default()).unwrap_err();
        assert_eq!(err.to_string(), "there is no lab 9 (the labs are 1 to 4)");
        assert_eq!(analysis(9, &[]), "");
    }

    #[test]
    fn lab_4s_start_up_rows_become_the_reports_start_up_and_figures_are_drawn() {
        let pairs = |ratio: f64| vec![(1.0 / ratio, 1.0); 6];
        let all = vec![
            Measurement::from_pairs("integration", "serial", 1, &pairs(1.0)),
            Measurement::from_pairs("integration", "thread-pool", 2, &pairs(1.8)),
            Measurement::from_samples(lab04_limits::STARTUP, "process", 1, &[0.001; 6]),
            Measurement::from_samples(lab04_limits::STARTUP, "process", 2, &[0.002; 6]),
            Measurement::from_samples(lab04_limits::STARTUP, "threads", 2, &[0.000_01; 6]),
        ];
        let report = report(4, all).unwrap();
        assert_eq!(report.process_startup.len(), 2);
        assert!(
            report
                .measurements
                .iter()
                .all(|m| m.workload == "integration")
        );
        let files = speedup::report::render(&report).unwrap();
        assert!(
            files
                .iter()
                .any(|(name, _)| name == "integration-speedup.svg"),
            "{:?}",
            files.iter().map(|(name, _)| name).collect::<Vec<_>>()
        );
    }
}
