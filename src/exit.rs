//! How a program of this crate ends: one exit status, one line of error.
//!
//! `speedup`, the benches and the labs' timing binary all end through
//! [`exit_code`], so an error looks the same everywhere and never races the
//! Ctrl-C handler, which owns the exit while it runs (`interrupt.rs`).

use crate::{Result, interrupt};
use std::process::ExitCode;

/// The exit status for `result`, with any error printed on one line.
///
/// If a Ctrl-C is being handled, this waits for the handler instead.
pub fn exit_code(result: Result<()>) -> ExitCode {
    interrupt::defer_to_handler();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
