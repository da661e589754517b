//! Who measured a report, and so which commands its reader has.
//!
//! A report's advice ends in a command: more rounds narrow a wide interval,
//! the `amdahl` workload shows the laws. Which command depends on where the
//! numbers came from. `speedup sweep` and `cargo bench` readers have the
//! `speedup` command; a student who ran `lab time N` in the workbook has the
//! lab's own timing command, which takes `--rounds`, not the sweep's
//! `--until`, and runs `speedup` through cargo. Advice naming a command the
//! reader lacks is worse than none: it sends them looking for it.

use serde::{Deserialize, Serialize};

/// Where a report's measurements came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Context {
    /// `speedup sweep` or `cargo bench`: the reader has the `speedup` command
    /// (and every report written before contexts existed).
    #[default]
    Sweep,
    /// `speedup sweep` run through `cargo run` in a checkout that never
    /// installed it (the student edition, a fresh clone): the reader has
    /// `speedup` only through cargo.
    Cargo,
    /// `lab time N` in the workbook: the reader runs the lab's timing
    /// command and `speedup` itself through cargo, as the student README does.
    Lab(u32),
}

/// How many rounds the advice asks for in a lab, where rounds are counted
/// (a sweep can instead measure until its intervals are narrow enough).
pub const LAB_ROUNDS: u32 = 15;

impl Context {
    /// Whether this is the sweep's context (stored reports leave it out).
    pub fn is_sweep(&self) -> bool {
        *self == Context::Sweep
    }

    /// The context of a `speedup sweep` running now: `cargo run` tells the
    /// program it runs where cargo is (`CARGO`), an installed `speedup`
    /// started from a shell is not told.
    pub fn of_this_sweep() -> Context {
        match std::env::var_os("CARGO") {
            Some(_) => Context::Cargo,
            None => Context::Sweep,
        }
    }

    /// The command that measures again with more rounds than the `used`
    /// ones, in backticks. A lab asks for [`LAB_ROUNDS`] first, then twice
    /// what was used: advice to run the rounds just run would change
    /// nothing.
    pub fn more_rounds(&self, used: usize) -> String {
        match self {
            Context::Lab(lab) => {
                let rounds = (LAB_ROUNDS as usize).max(2 * used);
                format!("`cargo run -p speedup-labs --release -- time {lab} --rounds {rounds}`")
            }
            sweep => sweep.speedup("sweep --until 5%"),
        }
    }

    /// The `speedup` command with arguments `args` (`sweep --workers 1,2`),
    /// as this reader runs it, in backticks.
    pub fn speedup(&self, args: &str) -> String {
        match self {
            Context::Sweep => format!("`speedup {args}`"),
            Context::Cargo | Context::Lab(_) => format!("`cargo run --release -- {args}`"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lab_reader_is_pointed_at_the_lab_command_and_at_speedup_through_cargo() {
        assert_eq!(
            Context::Lab(3).more_rounds(7),
            "`cargo run -p speedup-labs --release -- time 3 --rounds 15`"
        );
        assert_eq!(
            Context::Lab(3).more_rounds(15),
            "`cargo run -p speedup-labs --release -- time 3 --rounds 30`",
            "never the rounds just run"
        );
        assert_eq!(
            Context::Cargo.more_rounds(7),
            "`cargo run --release -- sweep --until 5%`"
        );
        assert_eq!(Context::Sweep.more_rounds(7), "`speedup sweep --until 5%`");
        assert_eq!(
            Context::Lab(3).speedup("sweep --workloads amdahl"),
            "`cargo run --release -- sweep --workloads amdahl`"
        );
        assert_eq!(
            Context::Sweep.speedup("sweep --workloads amdahl"),
            "`speedup sweep --workloads amdahl`"
        );
    }

    #[test]
    fn a_report_without_a_context_is_a_sweeps_and_a_labs_is_kept() {
        assert_eq!(Context::default(), Context::Sweep);
        let stored = serde_json::to_string(&Context::Lab(1)).unwrap();
        assert_eq!(stored, r#"{"lab":1}"#);
        assert_eq!(
            serde_json::to_string(&Context::Cargo).unwrap(),
            r#""cargo""#
        );
        assert_eq!(
            serde_json::from_str::<Context>(&stored).unwrap(),
            Context::Lab(1)
        );
    }
}
