//! The speedup workbook: four labs, one file each.
//!
//! Each `labNN_*.rs` holds the exercises of one worksheet
//! (`labs/worksheets/NN-*.md`). In the student edition the bodies are
//! `todo!("hint")`; `speedup labs check N` runs the lab's tests
//! (`labs/tests/labNN_*.rs`) and lists which tasks are done, and
//! `cargo run -p speedup-labs --release -- time N` times your code next to
//! the library's own strategies ([`measurements`], built on [`timing`]).

// In the student edition every exercise body is a `todo!()`, so until a
// student writes it, its parameters (and imports such as `chunk_rng`) are
// unused. These two lints are silenced so that the warnings a student does
// see are about code they wrote.
#![allow(unused_variables, unused_imports)]

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

/// What lab `lab` has to say about its measurements beyond the table (lab 1
/// has nothing to add: its table is the result).
pub fn analysis(lab: u32, all: &[Measurement]) -> String {
    match lab {
        2 => lab02_linear_normal::analysis(all),
        3 => lab03_ma2::analysis(all),
        4 => lab04_limits::analysis(all),
        _ => String::new(),
    }
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
}
