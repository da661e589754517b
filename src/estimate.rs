//! How long some work will take, said before it starts.
//!
//! A sweep of a thousand rounds or a run of 10^10 long simulations can take
//! months, and nothing in a progress bar's first minute says so. Each
//! workload states its cost (`Workload::serial_cost`), the sweep adds up its
//! grid (`sweep::Grid::estimate`), and work estimated above [`ONE_DAY`] is
//! refused unless the user says `--yes`: a typo should cost a second, not a
//! week of a shared machine.
//!
//! The estimates are rough on purpose (the cost constants are conservative
//! measurements on the 2-CPU reference machine), so they are spoken
//! roughly: "about 3 months".

use crate::{Error, Result};
use std::fmt;
use std::time::Duration;

/// Work estimated above this is refused without `--yes`.
pub const ONE_DAY: Duration = Duration::from_secs(24 * 3600);

/// `count` units of work at `nanos_each` nanoseconds each (saturating: an
/// absurd count gives the longest duration, never a panic).
pub fn units(count: f64, nanos_each: f64) -> Duration {
    Duration::try_from_secs_f64(count * nanos_each * 1e-9).unwrap_or(Duration::MAX)
}

/// `serial` work shared by `workers` on `cpus` logical CPUs: at best
/// `min(workers, cpus)` times faster (more workers than CPUs only share).
pub fn shared(serial: Duration, workers: usize, cpus: usize) -> Duration {
    serial / workers.min(cpus).max(1) as u32
}

/// An estimated duration, displayed as "about 3 months".
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Estimate(pub Duration);

impl Estimate {
    /// Refuses `what` ("this run", "this sweep") when it is estimated above
    /// [`ONE_DAY`] and `yes` was not given; `from` says what the estimate
    /// rests on.
    pub fn check(self, what: &str, from: &str, yes: bool) -> Result<()> {
        if yes || self.0 <= ONE_DAY {
            return Ok(());
        }
        Err(Error::new(format!(
            "{what} would take {self} (estimated from {from}); shrink it, or add --yes to run it anyway"
        )))
    }
}

impl fmt::Display for Estimate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.0.as_secs_f64();
        // Largest unit first: (seconds in one, singular name).
        let units = [
            (365.25 * 86400.0, "year"),
            (30.44 * 86400.0, "month"),
            (7.0 * 86400.0, "week"),
            (86400.0, "day"),
            (3600.0, "hour"),
            (60.0, "minute"),
            (1.0, "second"),
        ];
        let (size, name) = units
            .iter()
            .find(|(size, _)| seconds >= *size)
            .copied()
            .unwrap_or((1.0, "second"));
        let count = (seconds / size).round().max(1.0);
        let plural = if count == 1.0 { "" } else { "s" };
        write!(f, "about {count} {name}{plural}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn about(seconds: f64) -> String {
        Estimate(Duration::from_secs_f64(seconds)).to_string()
    }

    #[test]
    fn estimates_are_spoken_in_the_largest_unit() {
        assert_eq!(about(0.2), "about 1 second");
        assert_eq!(about(90.0), "about 2 minutes");
        assert_eq!(about(3.0 * 3600.0), "about 3 hours");
        assert_eq!(about(86400.0 * 1.2), "about 1 day");
        assert_eq!(about(86400.0 * 92.0), "about 3 months");
        assert_eq!(about(86400.0 * 800.0), "about 2 years");
    }

    #[test]
    fn work_is_shared_by_at_most_the_cpus() {
        let hour = Duration::from_secs(3600);
        assert_eq!(shared(hour, 2, 8), hour / 2);
        assert_eq!(shared(hour, 64, 8), hour / 8);
        assert_eq!(units(1e9, 2.0), Duration::from_secs(2));
        assert_eq!(units(1e300, 1e300), Duration::MAX);
    }

    #[test]
    fn only_work_above_a_day_is_refused_and_yes_lets_it_through() {
        let long = Estimate(ONE_DAY + Duration::from_secs(1));
        let err = long.check("this sweep", "the workloads' costs", false);
        assert_eq!(
            err.unwrap_err().to_string(),
            "this sweep would take about 1 day (estimated from the workloads' costs); \
             shrink it, or add --yes to run it anyway"
        );
        assert!(long.check("this sweep", "x", true).is_ok());
        assert!(Estimate(ONE_DAY).check("this run", "x", false).is_ok());
    }
}
