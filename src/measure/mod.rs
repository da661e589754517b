//! How every time in this project is taken: the measurement engine.
//!
//! `cargo bench`, `speedup sweep` and the labs' `time` command all measure
//! the same way, so every figure rests on the same method:
//!
//! - [`rounds`]: points run in **interleaved rounds**, each in a fresh
//!   random order, and every run is **paired** with serial runs right beside
//!   it; a speedup is the median of the per-pair ratios `serial / point`.
//! - [`crate::interval`]: the **95% interval** of that median, from order
//!   statistics alone (no assumption about how times are distributed).
//! - [`copies`]: the **machine ceiling**, p independent serial copies at
//!   once, so a reader can tell a code's overhead from a machine's limit.
//! - [`conditions`]: what was going on (load, governor, SMT, profile).
//! - [`RunRecord`] (`run_record.rs`): what one run tells besides its time, kept run by run.
//! - [`interference`]: what the machine took from each run (steal,
//!   competing load, run delay), read around it.
//! - [`progress`]: a bar that says which point runs and how wide the
//!   widest interval still is.
//!
//! The reading list behind it: Hoefler and Belli, "Scientific benchmarking
//! of parallel computing systems: twelve ways to tell the masses when
//! reporting performance results" (SC '15): report medians with
//! nonparametric intervals, state the baseline and the machine's conditions;
//! Google Benchmark's `--benchmark_enable_random_interleaving`; pyperf's many
//! short runs instead of one long one.

pub mod conditions;
pub mod copies;
pub mod interference;
pub mod progress;
pub mod rounds;

pub use crate::interval::MedianInterval;
pub use crate::run_record::RunRecord;
pub use conditions::Conditions;
pub use copies::{CEILING, ceiling, copies_at_once};
pub use interference::Interference;
pub use progress::RoundsBar;
pub use rounds::{Bracket, Contestant, Event, Group, Plan, Run, run_rounds, short_of};
