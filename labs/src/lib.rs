//! The speedup workbook: four labs, one file each.
//!
//! Each `labNN_*.rs` holds the exercises of one worksheet
//! (`labs/worksheets/NN-*.md`). In the student edition the bodies are
//! `todo!("hint")`; `speedup labs check N` runs the lab's tests
//! (`labs/tests/labNN_*.rs`) and lists which tasks are done, and
//! `cargo run -p speedup-labs --release -- time N` times your code next to
//! the library's own strategies ([`timing`]).

// In the student edition every exercise body is a `todo!()`, so until a
// student writes it, its parameters (and imports such as `chunk_rng`) are
// unused. These two lints are silenced so that the warnings a student does
// see are about code they wrote.
#![allow(unused_variables, unused_imports)]

pub mod lab01_integration;
pub mod lab02_linear_normal;
pub mod lab03_ma2;
pub mod lab04_limits;
pub mod timing;
