//! What one timed run tells: its wall time, and whatever else the thing run
//! could say about it.
//!
//! The rounds engine needs only the seconds. But a run can know more than
//! its duration: how long each worker was busy, how much CPU a child
//! process used, what the machine took from it while it ran. Those explain
//! a speedup rather than state it, and they belong to the same run as its
//! time, so they travel together in one record, from the closure that runs a
//! point (`measure::Run`) through the pairing (`measure::Bracket`) into
//! [`crate::Measurement`], which keeps them run by run.
//!
//! The records are plain data, below both the engine that takes them
//! (`measure/`) and the measurements that keep them (`measurement.rs`), so
//! neither of those two needs the other to say what a run is. How the
//! interference figures are read is `measure/interference.rs`.

use serde::{Deserialize, Serialize};

/// One timed run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunRecord {
    /// Wall-clock seconds from start to finish.
    pub seconds: f64,
    /// Seconds each worker spent running chunks, one entry per worker
    /// (`strategy/busy.rs`); empty when the run could not tell.
    pub busy_s: Vec<f64>,
    /// User plus system CPU seconds, for a run that is a child process
    /// (`speedup sweep --command`): how many CPUs it kept busy.
    pub cpu_s: Option<f64>,
    /// What the machine took from the run (steal, competing load, run
    /// delay), read by the rounds engine around it; `None` where not read.
    pub interference: Option<Interference>,
}

impl RunRecord {
    /// A run that reports its time and nothing else.
    pub fn of_seconds(seconds: f64) -> RunRecord {
        RunRecord {
            seconds,
            ..RunRecord::default()
        }
    }

    /// The same run with what the machine took from it.
    pub fn with_interference(self, interference: Option<Interference>) -> RunRecord {
        RunRecord {
            interference,
            ..self
        }
    }
}

/// A run that lost more than this share of its wall time to the machine is
/// marked disturbed.
pub const DISTURBED_SHARE: f64 = 0.10;

/// What the machine took from one run (or from the two serial runs beside
/// it, added together).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Interference {
    /// CPU-seconds the hypervisor stole from the whole machine (all CPUs).
    pub steal_s: f64,
    /// CPU-seconds other processes used.
    pub others_s: f64,
    /// Seconds this run's own tasks waited runnable but not running;
    /// `None` where the kernel keeps no schedstat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_s: Option<f64>,
    /// Involuntary context switches of this process and its children.
    pub switches: u64,
    /// Logical CPUs the machine counters cover.
    pub cpus: usize,
}

impl Interference {
    /// Seconds of wall time the run lost: its tasks' run delay, plus the
    /// steal spread evenly over the CPUs (one CPU's share of what was
    /// stolen). A reading, not an exact account: run delay is summed over
    /// tasks, so p workers waiting at once count p times.
    pub fn lost_s(&self) -> f64 {
        self.delay_s.unwrap_or(0.0) + self.steal_s / self.cpus.max(1) as f64
    }

    /// The share of `wall_s` seconds that the run lost ([`Interference::lost_s`]).
    pub fn lost_share(&self, wall_s: f64) -> f64 {
        if wall_s > 0.0 {
            self.lost_s() / wall_s
        } else {
            0.0
        }
    }

    /// Whether a run of `wall_s` seconds lost more than [`DISTURBED_SHARE`].
    pub fn disturbs(&self, wall_s: f64) -> bool {
        self.lost_share(wall_s) > DISTURBED_SHARE
    }

    /// Two readings added, as for the two serial runs beside a point.
    pub fn plus(&self, other: &Interference) -> Interference {
        Interference {
            steal_s: self.steal_s + other.steal_s,
            others_s: self.others_s + other.others_s,
            delay_s: self.delay_s.zip(other.delay_s).map(|(a, b)| a + b),
            switches: self.switches + other.switches,
            cpus: self.cpus.max(other.cpus),
        }
    }
}
