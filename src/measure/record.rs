//! What one timed run tells: its wall time, and whatever else the thing run
//! could say about it.
//!
//! The rounds engine needs only the seconds. But a run can know more than
//! its duration: how long each worker was busy, how much CPU a child
//! process used, what the machine took from it while it ran. Those explain
//! a speedup rather than state it, and they belong to the same run as its
//! time, so they travel together in one record, from the closure that runs a
//! point ([`super::Run`]) through the pairing ([`super::Bracket`]) into
//! [`crate::Measurement`], which keeps them run by run.

/// One timed run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunRecord {
    /// Wall-clock seconds from start to finish.
    pub seconds: f64,
    /// User plus system CPU seconds, for a run that is a child process
    /// (`speedup sweep --command`): how many CPUs it kept busy.
    pub cpu_s: Option<f64>,
}

impl RunRecord {
    /// A run that reports its time and nothing else.
    pub fn of_seconds(seconds: f64) -> RunRecord {
        RunRecord {
            seconds,
            ..RunRecord::default()
        }
    }
}
