//! What moves timings, recorded beside them.
//!
//! A reader of a speedup figure should be able to tell a quiet machine from
//! a busy one. These are the conditions that change timings most and that a
//! program can read for itself (on Linux; elsewhere they say "unknown"): the
//! load average before and after measuring (other work competing for the
//! CPUs), the CPU frequency governor (`powersave` clocks down between runs),
//! whether SMT is on (two "CPUs" sharing one core), the build profile
//! (an unoptimised build times the compiler, not the algorithm), and where
//! each run's interference is read from, or why it is not
//! (`super::interference`).

use serde::{Deserialize, Serialize};

/// The conditions of one measuring session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conditions {
    /// 1-minute load average just before the first run.
    pub load_before: Option<f64>,
    /// 1-minute load average just after the last run.
    pub load_after: Option<f64>,
    pub governor: Option<String>,
    /// Whether simultaneous multithreading is on.
    pub smt: Option<bool>,
    /// `release` (optimised) or `debug`.
    pub profile: String,
    /// How the times were taken, in one line.
    pub method: String,
    /// Rounds run (each point once per round).
    pub rounds: usize,
    /// Where each run's interference was read from, or why it was not
    /// (absent in reports made before it was read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interference: Option<String>,
}

impl Conditions {
    /// Records what can be read now; `load_after` is filled in by [`Conditions::finish`].
    pub fn now(method: &str) -> Conditions {
        Conditions {
            load_before: load_average(),
            load_after: None,
            governor: read_trimmed("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"),
            smt: read_trimmed("/sys/devices/system/cpu/smt/active").map(|s| s == "1"),
            profile: if cfg!(debug_assertions) {
                "debug".into()
            } else {
                "release".into()
            },
            method: method.into(),
            rounds: 0,
            interference: Some(super::interference::source()),
        }
    }

    /// Notes the load after measuring and how many rounds ran.
    pub fn finish(mut self, rounds: usize) -> Conditions {
        self.load_after = load_average();
        self.rounds = rounds;
        self
    }
}

/// The 1-minute load average from `/proc/loadavg`.
fn load_average() -> Option<f64> {
    read_trimmed("/proc/loadavg")?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_are_read_where_linux_offers_them() {
        let c = Conditions::now("test").finish(3);
        assert_eq!((c.method.as_str(), c.rounds), ("test", 3));
        if std::path::Path::new("/proc/loadavg").exists() {
            assert!(c.load_before.is_some_and(|l| l >= 0.0), "{c:?}");
            assert!(c.load_after.is_some_and(|l| l >= 0.0), "{c:?}");
        }
        if std::path::Path::new("/proc/stat").exists() {
            assert!(c.interference.as_deref().unwrap().starts_with("/proc/stat"));
        }
        // Tests build without --release, so the profile must say so.
        assert_eq!(c.profile, "debug");
    }
}
