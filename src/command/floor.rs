//! The floor under every command's time: starting and reaping a process
//! that does nothing.
//!
//! A command's time includes its own start-up: `fork`, `exec`, the dynamic
//! loader, and the reaping. For a program that runs seconds that is noise;
//! for one that runs a millisecond it is most of the time, and the speedup
//! of such a program says little about its parallel part. So once per sweep
//! the cost of running `true` is measured the way every command is
//! (`run.rs`), stated in the report, and a command whose baseline is shorter
//! than [`SHORT_FACTOR`](crate::report::commands::SHORT_FACTOR) times it
//! gets a warning.

use super::run::run_once;
use super::spec::Invocation;
use crate::Result;
use crate::measure::MedianInterval;
use std::time::Duration;

/// Runs of `true` the floor is the median of.
const TRIES: usize = 21;

/// The median seconds to start and reap `true`, killed past `limit`.
pub fn process_floor(limit: Duration) -> Result<f64> {
    let nothing = Invocation {
        program: "true".into(),
        args: Vec::new(),
        env: Vec::new(),
        shown: "true".into(),
    };
    let times = (0..TRIES)
        .map(|_| run_once(&nothing, limit, false).map(|ran| ran.seconds))
        .collect::<Result<Vec<f64>>>()?;
    Ok(MedianInterval::of(&times).map_or(0.0, |m| m.median))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn starting_nothing_takes_some_time() {
        let floor = process_floor(Duration::from_secs(60)).unwrap();
        assert!(floor > 0.0 && floor.is_finite(), "{floor}");
    }
}
