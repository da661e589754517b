//! Every strategy, listed once.
//!
//! Whatever the project says about a strategy (its name on the command line
//! and in reports, the colour of its curve, the help line that teaches it,
//! whether it needs a launcher) is read from [`TABLE`]. Adding a strategy
//! takes one file of its own and these four lines elsewhere, all pointed at
//! by the compiler or a test:
//!
//! 1. `pub mod my_strategy;` in `strategy/mod.rs`;
//! 2. a variant of [`Strategy`] (the compiler then asks for its arm in
//!    [`Strategy::run`] and in [`Strategy::schedule`]);
//! 3. one [`Entry`] below (`every_strategy_has_exactly_one_entry` fails until
//!    it is there);
//! 4. nothing else: parsing, labels, `--help`, the sweep's default grid and
//!    the figures' colours all follow from the entry.

use super::{Schedule, Strategy};

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
    /// Runs only under a launcher (`mpirun`), not in one process by itself.
    pub needs_launcher: bool,
}

/// Every strategy, in report order: serial (the baseline) first.
pub const TABLE: [Entry; 7] = [
    Entry {
        strategy: Strategy::Serial,
        label: "serial",
        color: (0, 114, 178),
        help: "the calling thread, chunk after chunk: the baseline",
        needs_launcher: false,
    },
    Entry {
        strategy: Strategy::ThreadPool,
        label: "thread-pool",
        color: (230, 159, 0),
        help: "a rayon pool of exactly --workers threads, work stealing",
        needs_launcher: false,
    },
    Entry {
        strategy: Strategy::Scoped(Schedule::Static),
        label: "scoped-static",
        color: (0, 158, 115),
        help: "fresh scoped threads, each a fixed block of chunks",
        needs_launcher: false,
    },
    Entry {
        strategy: Strategy::Scoped(Schedule::Dynamic),
        label: "scoped-dynamic",
        color: (204, 121, 167),
        help: "fresh scoped threads taking the next free chunk",
        needs_launcher: false,
    },
    Entry {
        strategy: Strategy::Process(Schedule::Static),
        label: "process-static",
        color: (213, 94, 0),
        help: "child processes of this program, each a fixed block of chunks",
        needs_launcher: false,
    },
    Entry {
        strategy: Strategy::Process(Schedule::Dynamic),
        label: "process-dynamic",
        color: (86, 180, 233),
        help: "child processes of this program taking the next free chunk",
        needs_launcher: false,
    },
    Entry {
        strategy: Strategy::Mpi,
        label: "mpi",
        color: (120, 70, 170),
        help: "MPI ranks under mpirun, a block of chunks each (--features mpi)",
        needs_launcher: true,
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

    /// Every variant, by an exhaustive match: a new variant does not compile
    /// until it is named here, and then this test wants its entry.
    fn every_variant() -> Vec<Strategy> {
        let mut all = Vec::new();
        for candidate in TABLE.map(|e| e.strategy) {
            match candidate {
                Strategy::Serial | Strategy::ThreadPool | Strategy::Mpi => all.push(candidate),
                Strategy::Scoped(_) => all.extend(Schedule::ALL.map(Strategy::Scoped)),
                Strategy::Process(_) => all.extend(Schedule::ALL.map(Strategy::Process)),
            }
        }
        all.sort();
        all.dedup();
        all
    }

    #[test]
    fn every_strategy_has_exactly_one_entry() {
        for strategy in every_variant() {
            let entries = TABLE.iter().filter(|e| e.strategy == strategy).count();
            assert_eq!(entries, 1, "{strategy:?} needs exactly one entry in TABLE");
        }
        assert_eq!(TABLE.len(), every_variant().len());
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
