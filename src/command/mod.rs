//! Any program through the same engine: `speedup sweep --command`.
//!
//! The built-in workloads are Rust code the harness runs itself. A command
//! is any program (`sort --parallel={workers}`, `xz -T {workers}`, an OpenMP
//! code under `OMP_NUM_THREADS`, the lecture's Python): the harness starts
//! it as a process, once per run, and measures it exactly as it measures a
//! workload: interleaved paired rounds, the machine ceiling, the same report.
//!
//! - [`template`]: the command line, `{workers}` where the count goes;
//! - [`spec`]: one `--command` with its name, `--env`, `--serial`, checked
//!   before anything runs;
//! - [`run`](mod@run): one run: spawned in a process group of its own,
//!   timed to its reaped exit, its CPU time read, its output captured;
//! - [`output`]: `--check-output`, every point's output against the baseline's;
//! - [`floor`]: what starting a process that does nothing costs;
//! - [`study`]: a command as a group of the rounds engine.

pub mod floor;
pub mod output;
pub mod run;
pub mod spec;
pub mod study;
pub mod template;

pub use floor::process_floor;
pub use spec::{CommandFlags, CommandSpec, Invocation};
pub use study::MeasuredCommand;
pub use template::{Template, WORKERS};
