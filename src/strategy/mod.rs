//! *How* to run a workload's chunks: one short file per strategy.
//!
//! | strategy      | workers are         | chunks are assigned by        |
//! |---------------|---------------------|-------------------------------|
//! | `serial`      | the calling thread  | order                         |
//! | `thread-pool` | rayon pool threads  | work stealing                 |
//! | `scoped`      | fresh scoped threads| static blocks or dynamic queue|
//! | `process`     | child processes     | static blocks or dynamic queue|
//! | `process-pool`| kept child processes| dynamic queue                 |
//! | `mpi`         | MPI ranks (`mpirun`)| static blocks by rank         |
//!
//! Every strategy returns the parts in chunk order, so the merged result is the
//! same bits whatever ran it. Strategies are picked by name at run time, the
//! way ELFI's `set_client('multiprocessing')` picks a client.
//!
//! Every strategy is listed once, in [`TABLE`] (`table.rs`): names, labels,
//! colours and help lines all come from there.
//!
//! `mpi` needs the cargo feature `mpi` and a launcher (`mpirun -n P`), so it
//! is not in [`Strategy::all`], the strategies one process can run by itself.
//! Without the feature it still has its name, and asking for it says how to
//! rebuild (`mpi_unavailable.rs`).

pub mod busy;
pub mod child;
mod feeder_threads;
#[cfg_attr(not(feature = "mpi"), path = "mpi_unavailable.rs")]
pub mod mpi;
pub mod options;
pub mod panics;
pub mod pools;
pub mod process;
pub mod process_pool;
pub mod protocol;
pub mod schedule;
pub mod scoped;
pub mod serial;
pub mod shared_replies;
pub mod spawn;
pub mod table;
pub mod thread_pool;
pub mod watchdog;
pub mod worker;

pub use busy::{BusyClock, Ran};
pub use options::{DEFAULT_TIMEOUT, RunOptions};
pub use schedule::{ChunkQueue, Schedule};
pub use table::{Entry, Kind, TABLE};

use crate::workload::{Job, Workload};
use crate::{Error, Result};
use std::fmt;
use std::str::FromStr;

/// The most workers any strategy accepts: far past any sensible
/// oversubscription, and well short of exhausting threads or processes.
pub const MAX_WORKERS: usize = 1024;

/// A way of running chunks, chosen by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Strategy {
    Serial,
    ThreadPool,
    Scoped(Schedule),
    Process(Schedule),
    /// Child processes started once and kept between runs.
    ProcessPool,
    /// MPI ranks started by `mpirun` (feature `mpi`).
    Mpi,
}

impl Strategy {
    /// The strategy every speedup is measured against.
    pub const BASELINE: Strategy = Strategy::Serial;

    /// This strategy's row of the [`TABLE`].
    pub fn entry(&self) -> &'static Entry {
        TABLE
            .iter()
            .find(|e| e.strategy == *self)
            .expect("every strategy has an entry (see table.rs)")
    }

    /// Where its workers live (see [`Kind`]).
    pub fn kind(&self) -> Kind {
        self.entry().kind
    }

    /// The name used in reports, with the schedule where there is one.
    pub fn label(&self) -> &'static str {
        self.entry().label
    }

    /// The schedule, for strategies that have one.
    pub fn schedule(&self) -> Option<Schedule> {
        match *self {
            Strategy::Scoped(schedule) | Strategy::Process(schedule) => Some(schedule),
            Strategy::Serial | Strategy::ThreadPool | Strategy::ProcessPool | Strategy::Mpi => None,
        }
    }

    /// Every strategy one process runs by itself, every schedule, in report
    /// order (`mpi` needs `mpirun`, so it is not among them).
    pub fn all() -> Vec<Strategy> {
        TABLE
            .iter()
            .filter(|e| !e.kind.needs_launcher())
            .map(|e| e.strategy)
            .collect()
    }

    /// The strategies that only a launcher can start (`mpi`).
    pub fn launched() -> Vec<Strategy> {
        TABLE
            .iter()
            .filter(|e| e.kind.needs_launcher())
            .map(|e| e.strategy)
            .collect()
    }

    /// The names accepted on the command line: labels and schedule families
    /// (`scoped`, whose schedule defaults to dynamic).
    pub fn names() -> Vec<&'static str> {
        let mut names: Vec<&str> = TABLE.iter().map(Entry::family).collect();
        names.dedup();
        names
    }

    /// The `--strategy` help text, from the table.
    pub fn help() -> String {
        let mut scheduled: Vec<&str> = TABLE
            .iter()
            .filter(|e| e.strategy.schedule().is_some())
            .map(Entry::family)
            .collect();
        scheduled.dedup();
        format!(
            "{} ({} take --schedule; {} under mpirun)",
            Strategy::names().join(", "),
            scheduled.join(" and "),
            Strategy::Mpi.label()
        )
    }

    /// One line per strategy, for the end of `--help`.
    pub fn help_table() -> String {
        let lines: Vec<String> = TABLE
            .iter()
            .map(|e| format!("  {:<16} {}", e.label, e.help))
            .collect();
        format!("Strategies:\n{}", lines.join("\n"))
    }

    /// Parses a strategy name and an optional `--schedule`.
    ///
    /// `scoped-static` is the same as `scoped` with schedule `static`. Giving a
    /// schedule to a strategy that has none is an error, not silently ignored.
    pub fn parse(name: &str, schedule: Option<Schedule>) -> Result<Strategy> {
        let strategy: Strategy = name.parse()?;
        let Some(schedule) = schedule else {
            return Ok(strategy);
        };
        match strategy.schedule() {
            None => Err(Error::new(format!(
                "--schedule applies to the scoped and process strategies only, not to '{name}'"
            ))),
            Some(own) if own == schedule => Ok(strategy),
            Some(_) if strategy.entry().label == name => Err(Error::new(format!(
                "strategy '{name}' already names its schedule; drop --schedule {schedule}"
            ))),
            Some(_) => Ok(strategy.with_schedule(schedule)),
        }
    }

    /// The same strategy with another schedule (itself if it has none).
    fn with_schedule(self, schedule: Schedule) -> Strategy {
        match self {
            Strategy::Scoped(_) => Strategy::Scoped(schedule),
            Strategy::Process(_) => Strategy::Process(schedule),
            other => other,
        }
    }

    /// Starts what this strategy keeps between runs (the rayon pool, the
    /// kept processes) for `workers` workers, so that no measured run pays
    /// for it. Strategies that keep nothing have nothing to do.
    pub fn prepare(&self, workers: usize, options: &RunOptions) -> Result<()> {
        check_workers(workers)?;
        match *self {
            Strategy::ThreadPool => pools::pool(workers).map(drop),
            Strategy::ProcessPool => process_pool::warm_up(workers, options),
            Strategy::Serial | Strategy::Scoped(_) | Strategy::Process(_) | Strategy::Mpi => Ok(()),
        }
    }

    /// Runs every chunk of `job` with `workers` workers; parts come back in chunk order.
    pub fn run<W: Workload>(&self, job: &Job<W>, workers: usize) -> Result<Vec<W::Part>> {
        self.run_with(job, workers, &RunOptions::default())
    }

    /// [`Strategy::run`] with [`RunOptions`] (`--timeout`).
    pub fn run_with<W: Workload>(
        &self,
        job: &Job<W>,
        workers: usize,
        options: &RunOptions,
    ) -> Result<Vec<W::Part>> {
        self.run_recorded(job, workers, options)
            .map(|ran| ran.parts)
    }

    /// [`Strategy::run_with`], returning with the parts how long each worker
    /// was busy running chunks (`busy.rs`): one entry per worker.
    pub fn run_recorded<W: Workload>(
        &self,
        job: &Job<W>,
        workers: usize,
        options: &RunOptions,
    ) -> Result<Ran<W::Part>> {
        check_workers(workers)?;
        match *self {
            Strategy::Serial => Ok(serial::run(job)),
            Strategy::ThreadPool => thread_pool::run(job, workers),
            Strategy::Scoped(schedule) => scoped::run(job, workers, schedule),
            Strategy::Process(schedule) => process::run_with(job, workers, schedule, options),
            Strategy::ProcessPool => process_pool::run_recorded(job, workers, options),
            Strategy::Mpi => mpi::run(job, workers),
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Strategy {
    type Err = Error;
    /// A label (`scoped-static`), or a family name (`scoped`) with its
    /// default schedule, dynamic.
    fn from_str(name: &str) -> Result<Strategy> {
        TABLE
            .iter()
            .find(|e| e.label == name)
            .or_else(|| {
                TABLE.iter().find(|e| {
                    e.family() == name && e.strategy.schedule() == Some(Schedule::Dynamic)
                })
            })
            .map(|e| e.strategy)
            .ok_or_else(|| {
                Error::new(format!(
                    "unknown strategy '{name}' (choose {}, or scoped-static and similar)",
                    Strategy::names().join(", ")
                ))
            })
    }
}

/// Accepts 1..=MAX_WORKERS workers.
pub fn check_workers(workers: usize) -> Result<()> {
    if workers == 0 || workers > MAX_WORKERS {
        return Err(Error::new(format!(
            "--workers must be between 1 and {MAX_WORKERS}, got {workers}"
        )));
    }
    Ok(())
}

/// Puts `(chunk, part)` pairs that arrived in any order back into chunk order.
fn in_chunk_order<P>(chunks: usize, pairs: impl IntoIterator<Item = (usize, P)>) -> Vec<P> {
    let mut slots: Vec<Option<P>> = (0..chunks).map(|_| None).collect();
    for (chunk, part) in pairs {
        slots[chunk] = Some(part);
    }
    slots
        .into_iter()
        .map(|part| part.expect("every chunk ran exactly once"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_parse_back_to_the_same_strategy() {
        for strategy in TABLE.map(|e| e.strategy) {
            assert_eq!(strategy.label().parse::<Strategy>().unwrap(), strategy);
        }
    }

    #[test]
    fn schedule_flag_combines_only_where_it_means_something() {
        assert_eq!(
            Strategy::parse("scoped", Some(Schedule::Static)).unwrap(),
            Strategy::Scoped(Schedule::Static)
        );
        assert_eq!(
            Strategy::parse("process", None).unwrap(),
            Strategy::Process(Schedule::Dynamic)
        );
        assert!(Strategy::parse("serial", Some(Schedule::Static)).is_err());
        assert!(Strategy::parse("mpi", Some(Schedule::Dynamic)).is_err());
        assert!(Strategy::parse("scoped-static", Some(Schedule::Dynamic)).is_err());
        let unknown = Strategy::parse("gpu", None).unwrap_err().to_string();
        assert!(
            unknown.contains("'gpu'") && unknown.contains("thread-pool"),
            "{unknown}"
        );
        assert!(Strategy::help_table().contains("\n  scoped-static    fresh scoped threads"));
        assert_eq!(
            Strategy::help(),
            "serial, thread-pool, scoped, process, process-pool, mpi (scoped and process take --schedule; mpi under mpirun)"
        );
    }

    #[test]
    fn worker_counts_outside_the_cap_are_refused() {
        assert!(check_workers(0).is_err());
        assert!(check_workers(MAX_WORKERS + 1).is_err());
        assert!(check_workers(MAX_WORKERS).is_ok());
    }

    #[cfg(not(feature = "mpi"))]
    #[test]
    fn mpi_without_the_feature_says_how_to_get_it() {
        let workload = crate::workloads::integration::Integration::default();
        let err = Strategy::Mpi
            .run(&Job::new(&workload, 1), 1)
            .unwrap_err()
            .to_string();
        assert!(err.contains("--features mpi"), "{err}");
    }

    #[test]
    fn parts_are_reordered_by_chunk() {
        assert_eq!(
            in_chunk_order(3, [(2, 'c'), (0, 'a'), (1, 'b')]),
            vec!['a', 'b', 'c']
        );
    }
}
