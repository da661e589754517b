//! Every strategy, listed once.
//!
//! Whatever the project says about a strategy (its name on the command line
//! and in reports, the colour of its curve, the help line that teaches it,
//! what *kind* of workers it runs) is read from [`TABLE`]. Adding a strategy
//! takes one file of its own and these lines elsewhere, all pointed at by
//! the compiler or a test:
//!
//! 1. `pub mod my_strategy;` in `strategy/mod.rs`;
//! 2. a variant of [`Strategy`] (the compiler then asks for its arm in
//!    [`Strategy::run_with`] and in [`Strategy::schedule`], and in this
//!    file's test, which makes you name its entry);
//! 3. one [`Entry`] below (`every_strategy_has_exactly_one_entry_of_its_kind` fails until
//!    it is there), with its [`Kind`];
//! 4. nothing else: parsing, labels, `--help`, the sweep's default grid, the
//!    figures' colours, and every question of the form "is it a thread
//!    strategy", "does it need a launcher" or "does it pay process start-up"
//!    follow from the entry.

use super::{Schedule, Strategy};

/// Where a strategy's workers live. Everything that differs between
/// strategies outside `strategy/` (which findings apply, what start-up cost
/// the sweep measures, whether a launcher must start the run) depends on
/// this, never on the strategy's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The calling thread, alone: the baseline.
    Serial,
    /// Threads of this process, sharing its memory.
    Threads,
    /// Child processes of this program: each has memory of its own, so
    /// parameters and results cross a pipe, and starting them costs time.
    Processes,
    /// Ranks that a launcher (`mpirun`) starts: one process runs them only
    /// under the launcher, never by itself.
    LaunchedRanks,
}

impl Kind {
    /// Runs only under a launcher, not in one process by itself.
    pub fn needs_launcher(self) -> bool {
        self == Kind::LaunchedRanks
    }

    /// Its workers share this process's memory: at one worker it does the
    /// serial work on one thread, so any difference from serial is its own
    /// cost (or drift).
    pub fn is_threads(self) -> bool {
        self == Kind::Threads
    }

    /// Starts operating-system processes for its workers, a cost the sweep
    /// measures apart and the report states.
    pub fn pays_process_startup(self) -> bool {
        self == Kind::Processes
    }
}

/// What the project knows about one strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub strategy: Strategy,
    /// Its name in reports and on the command line (`scoped-static`).
    pub label: &'static str,
    /// The colour of its curve in every figure (sRGB). The first six are
    /// Okabe–Ito colours, distinct for colour-blind readers.
    pub color: (u8, u8, u8),
    /// One line for `--help`.
    pub help: &'static str,
    /// Where its workers live.
    pub kind: Kind,
    /// Its workers are started once and kept between runs (a pool), rather
    /// than started for every run.
    pub keeps_workers: bool,
}

/// Every strategy, in report order: serial (the baseline) first.
pub const TABLE: [Entry; 8] = [
    Entry {
        strategy: Strategy::Serial,
        label: "serial",
        color: (0, 114, 178),
        help: "the calling thread, chunk after chunk: the baseline",
        kind: Kind::Serial,
        keeps_workers: false,
    },
    Entry {
        strategy: Strategy::ThreadPool,
        label: "thread-pool",
        color: (230, 159, 0),
        help: "a rayon pool of exactly --workers threads, work stealing",
        kind: Kind::Threads,
        keeps_workers: true,
    },
    Entry {
        strategy: Strategy::Scoped(Schedule::Static),
        label: "scoped-static",
        color: (0, 158, 115),
        help: "fresh scoped threads, each a fixed block of chunks",
        kind: Kind::Threads,
        keeps_workers: false,
    },
    Entry {
        strategy: Strategy::Scoped(Schedule::Dynamic),
        label: "scoped-dynamic",
        color: (204, 121, 167),
        help: "fresh scoped threads taking the next free chunk",
        kind: Kind::Threads,
        keeps_workers: false,
    },
    Entry {
        strategy: Strategy::Process(Schedule::Static),
        label: "process-static",
        color: (213, 94, 0),
        help: "child processes of this program, each a fixed block of chunks",
        kind: Kind::Processes,
        keeps_workers: false,
    },
    Entry {
        strategy: Strategy::Process(Schedule::Dynamic),
        label: "process-dynamic",
        color: (86, 180, 233),
        help: "child processes of this program taking the next free chunk",
        kind: Kind::Processes,
        keeps_workers: false,
    },
    Entry {
        strategy: Strategy::ProcessPool,
        label: "process-pool",
        color: (170, 51, 119),
        help: "child processes started once and kept between runs, taking the next free chunk",
        kind: Kind::Processes,
        keeps_workers: true,
    },
    Entry {
        strategy: Strategy::Mpi,
        label: "mpi",
        color: (120, 70, 170),
        help: "MPI ranks under mpirun, a block of chunks each (--features mpi)",
        kind: Kind::LaunchedRanks,
        keeps_workers: false,
    },
];

impl Entry {
    /// The name shared by the entries that differ only in schedule
    /// (`scoped` for scoped-static and scoped-dynamic); the label otherwise.
    pub fn family(&self) -> &'static str {
        match self.strategy.schedule() {
            Some(schedule) => self
                .label
                .strip_suffix(schedule.name())
                .and_then(|family| family.strip_suffix('-'))
                .unwrap_or(self.label),
            None => self.label,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant with the kind it must have, by an exhaustive match: a
    /// new variant does not compile until it is named here, in the family
    /// of its workers, and then the tests want its entry and that kind.
    fn every_variant() -> Vec<(Strategy, Kind)> {
        let mut all = Vec::new();
        for candidate in TABLE.map(|e| e.strategy) {
            match candidate {
                Strategy::Serial => all.push((candidate, Kind::Serial)),
                Strategy::ThreadPool => all.push((candidate, Kind::Threads)),
                Strategy::Scoped(_) => {
                    all.extend(Schedule::ALL.map(|s| (Strategy::Scoped(s), Kind::Threads)))
                }
                Strategy::Process(_) => {
                    all.extend(Schedule::ALL.map(|s| (Strategy::Process(s), Kind::Processes)))
                }
                Strategy::ProcessPool => all.push((candidate, Kind::Processes)),
                Strategy::Mpi => all.push((candidate, Kind::LaunchedRanks)),
            }
        }
        all.sort_by_key(|(strategy, _)| *strategy);
        all.dedup();
        all
    }

    #[test]
    fn every_strategy_has_exactly_one_entry_of_its_kind() {
        for (strategy, kind) in every_variant() {
            let entries: Vec<&Entry> = TABLE.iter().filter(|e| e.strategy == strategy).collect();
            assert_eq!(
                entries.len(),
                1,
                "{strategy:?} needs exactly one entry in TABLE"
            );
            assert_eq!(entries[0].kind, kind, "{strategy:?} is of kind {kind:?}");
        }
        assert_eq!(TABLE.len(), every_variant().len());
    }

    #[test]
    fn the_kinds_answer_the_questions_asked_of_strategies() {
        let which = |question: fn(Kind) -> bool| -> Vec<&str> {
            TABLE
                .iter()
                .filter(|e| question(e.kind))
                .map(|e| e.label)
                .collect()
        };
        assert_eq!(which(Kind::needs_launcher), ["mpi"]);
        assert_eq!(
            which(Kind::is_threads),
            ["thread-pool", "scoped-static", "scoped-dynamic"]
        );
        assert_eq!(
            which(Kind::pays_process_startup),
            ["process-static", "process-dynamic", "process-pool"]
        );
        let pools: Vec<&str> = TABLE
            .iter()
            .filter(|e| e.keeps_workers)
            .map(|e| e.label)
            .collect();
        assert_eq!(pools, ["thread-pool", "process-pool"]);
    }

    #[test]
    fn labels_and_colours_are_distinct_and_families_follow_the_schedule() {
        for (i, a) in TABLE.iter().enumerate() {
            for b in &TABLE[i + 1..] {
                assert_ne!(a.label, b.label);
                assert_ne!(a.color, b.color, "{} and {}", a.label, b.label);
            }
        }
        let families: Vec<&str> = TABLE.iter().map(Entry::family).collect();
        assert_eq!(
            families,
            [
                "serial",
                "thread-pool",
                "scoped",
                "scoped",
                "process",
                "process",
                "process-pool",
                "mpi"
            ]
        );
        assert_eq!(
            TABLE[0].strategy,
            Strategy::BASELINE,
            "the baseline comes first"
        );
    }
}
