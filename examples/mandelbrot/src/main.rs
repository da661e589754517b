//! A program with workloads of its own, measured by `speedup`: `run`,
//! `sweep` and `report`, every strategy included.
//!
//! ```sh
//! cargo run --release -p speedup-mandelbrot -- run mandelbrot --strategy process --workers 2
//! cargo run --release -p speedup-mandelbrot -- sweep --workloads mandelbrot --workers 1,2
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    // Serves as a process worker when started as one; otherwise the CLI.
    speedup::cli::main::<speedup_mandelbrot::Workloads>()
}
