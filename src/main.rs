//! The `speedup` command line: the library's workloads under every strategy.
//! The command line itself lives in the library (`src/cli/`), so that a
//! program with workloads of its own gets the same one (`examples/mandelbrot`).

use std::process::ExitCode;

fn main() -> ExitCode {
    speedup::cli::main::<speedup::AnyWorkload>()
}
