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

    /// The command that measures again with more rounds, in backticks.
    pub fn more_rounds(&self) -> String {
        match self {
            Context::Sweep => "`speedup sweep --until 5%`".into(),
            Context::Lab(lab) => {
                format!("`cargo run -p speedup-labs --release -- time {lab} --rounds {LAB_ROUNDS}`")
            }
        }
    }

    /// The `speedup` command with arguments `args` (`sweep --workers 1,2`),
    /// as this reader runs it, in backticks.
    pub fn speedup(&self, args: &str) -> String {
        match self {
            Context::Sweep => format!("`speedup {args}`"),
            Context::Lab(_) => format!("`cargo run --release -- {args}`"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lab_reader_is_pointed_at_the_lab_command_and_at_speedup_through_cargo() {
        assert_eq!(
            Context::Lab(3).more_rounds(),
            "`cargo run -p speedup-labs --release -- time 3 --rounds 15`"
        );
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
            serde_json::from_str::<Context>(&stored).unwrap(),
            Context::Lab(1)
        );
    }
}
