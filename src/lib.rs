//! # speedup: a workbook for parallel speedup studies
//!
//! A tour, in the order a lecture would take it:
//!
//! 1. [`workload`]: *what* to compute. A workload is a fixed list of chunks
//!    plus a merge. Chunk `i` draws random numbers only from its own stream
//!    ([`seeds`]), so it computes the same bits wherever it runs.
//! 2. [`strategy`]: *how* to run the chunks: [`strategy::serial`],
//!    [`strategy::thread_pool`] (rayon), [`strategy::scoped`] (scoped threads,
//!    static or dynamic schedule), [`strategy::process`] (child processes
//!    of this very executable, speaking [`strategy::protocol`]) and, with the
//!    feature `mpi`, [`strategy::mpi`] (MPI ranks under `mpirun`, launched
//!    by a sweep through [`launcher`]).
//! 3. [`workloads`]: the three studies (random-interval integration,
//!    linear-normal draws, MA(2) rejection ABC). The last two spend their
//!    time drawing normals, by the inlined ziggurat of [`normal`].
//! 4. [`timed_run`]: one run, timed, with a [`Checksum`] of every output bit:
//!    the proof that every strategy and worker count agrees.
//! 5. [`measure`]: how every time is taken. Runs go in interleaved rounds,
//!    each between two serial runs; a speedup is the median of the per-run
//!    ratios with a 95% interval, and beside every curve stands the machine
//!    ceiling (p serial copies at once). [`sweep`] turns a grid of points
//!    into what the engine runs; [`report`] turns the results into numbers,
//!    sentences and figures. [`command`] puts any program through the same
//!    engine (`speedup sweep --command`), one process per run
//!    ([`process_group`]), with its CPU time beside its wall time.
//!
//! 6. [`labs`]: instructor tooling for the workbook in `labs/` (student
//!    edition, per-task checking).
//!
//! The promise everything else rests on: **same seed and parameters, same
//! bits**, for every strategy at every worker count.
//!
//! The modules in layers, each using only those below it (no circles;
//! `tests/layering.rs` checks it from the source):
//!
//! ```text
//! cli ─> sweep, report ─> timed_run, workloads ─> strategy ─> workload, plot
//!     ─> measure, measurement, interval                      ─> seeds, wire, normal
//! interrupt, exit, atomic_file ─> lock, error                  (leaves)
//! ```
//!
//! The strategies name no workload: a program's workloads are a
//! [`WorkloadSet`] (the library's own is [`AnyWorkload`]; a crate of yours
//! writes one with [`workload_set!`]), and [`cli::main`] gives it `run`,
//! `sweep` and `report` under every strategy. Any binary that may use the
//! process strategy serves as a worker first thing in `main`
//! ([`worker_hook`] for the library's workloads; `cli::main` does it for its
//! set; test files use [`worker_test!`]).
//!
//! When things go wrong: every failure is an [`Error`] that names its cause;
//! worker processes are always reaped ([`strategy::child`],
//! [`strategy::watchdog`], [`interrupt`]), files are replaced only by a
//! rename and never destroyed ([`atomic_file`]), and one process writes a
//! report folder at a time ([`folder_lock`]).

pub mod atomic_file;
pub mod capture;
pub mod checksum;
pub mod child_exit;
pub mod cli;
pub mod command;
pub mod error;
pub mod estimate;
pub mod exit;
pub mod flags;
pub mod folder_lock;
pub mod interrupt;
pub mod interval;
pub mod labs;
pub mod launcher;
pub mod lock;
pub mod machine;
pub mod measure;
pub mod measurement;
pub mod names;
pub mod normal;
pub mod plot;
pub mod process_group;
pub mod report;
pub mod run_record;
pub mod scaling;
pub mod seeds;
pub mod strategy;
pub mod sweep;
pub mod timed_run;
pub mod wire;
pub mod workload;
pub mod workloads;

pub use checksum::Checksum;
pub use error::{Error, Result};
pub use measurement::Measurement;
pub use strategy::{Schedule, Strategy};
pub use workload::{Job, Outcome, PairSamples, Workload, WorkloadSet, WorkloadVisitor};
pub use workloads::{AnyWorkload, worker_hook};

#[cfg(test)]
worker_test!();
