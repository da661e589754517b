//! How a study sizes its points: strong or weak scaling, and the size each
//! point was measured at.
//!
//! **Strong scaling** (the default) keeps the problem fixed and adds
//! workers: the speedup `T1(n) / Tp(n)` asks how much faster the same job
//! gets. Amdahl's law caps it at `1 / f`.
//!
//! **Weak scaling** (`speedup sweep --scaling weak`) grows the problem with
//! the workers, so that each worker keeps the same share of work: at p
//! workers the job is p times the one-worker job's work (size `n` at one
//! worker, about `p·n` at p, as each workload states in
//! [`Workload::size`](crate::Workload::size)). Its *scaled speedup*
//! `p · T1(n) / Tp(p·n)` asks how much more work p workers get done in the
//! one-worker job's time; `T1(n) / Tp(p·n)` is its efficiency. Gustafson's
//! law, `S = p − f(p − 1)`, describes it. What a student should notice:
//! the same machine and code can look poor in one and fine in the other,
//! because a fixed serial part weighs less as the parallel work grows.
//!
//! The paired runs of a weak point are `(Tp(p·n), T1(n))`: its serial
//! partner is always the one-worker job at the base size, so the measurement
//! engine pairs it as any other point, and the scaling enters only when its
//! ratios are read ([`Scaling::factor`]).

use serde::{Deserialize, Serialize};

/// Strong or weak scaling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scaling {
    /// The same problem at every worker count.
    #[default]
    Strong,
    /// The problem grown with the workers: p times the work at p workers.
    Weak,
}

impl Scaling {
    /// What a paired ratio `T1(n) / T(point)` is multiplied by to give the
    /// point's speedup: 1 for strong scaling, p for weak (the point did p
    /// times the work of the serial run beside it).
    pub fn factor(self, workers: usize) -> f64 {
        match self {
            Scaling::Strong => 1.0,
            Scaling::Weak => workers as f64,
        }
    }

    /// Whether this is the default (what `speedup.json` leaves out).
    pub fn is_strong(&self) -> bool {
        *self == Scaling::Strong
    }

    /// Its name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Scaling::Strong => "strong",
            Scaling::Weak => "weak",
        }
    }
}

impl std::str::FromStr for Scaling {
    type Err = String;

    fn from_str(text: &str) -> Result<Scaling, String> {
        match text.trim() {
            "strong" => Ok(Scaling::Strong),
            "weak" => Ok(Scaling::Weak),
            other => Err(format!("unknown scaling '{other}' (choose strong or weak)")),
        }
    }
}

/// The size one point was measured at, where the study chose it
/// (`speedup sweep --sizes`, `--scaling weak`): which workload, which of
/// its flags, at what value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointSize {
    /// The workload as it is known by name (`linear-normal`): a study of
    /// several sizes names each size's points apart (`linear-normal@n=1e6`).
    pub workload: String,
    /// The flag that sets the size, without its dashes (`n`).
    pub flag: String,
    /// Its value at this point.
    pub value: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_points_did_p_times_the_work_and_strong_ones_the_same() {
        assert_eq!(Scaling::Strong.factor(4), 1.0);
        assert_eq!(Scaling::Weak.factor(4), 4.0);
        assert_eq!("weak".parse(), Ok(Scaling::Weak));
        let err = "gentle".parse::<Scaling>().unwrap_err();
        assert!(
            err.contains("'gentle'") && err.contains("strong or weak"),
            "{err}"
        );
    }
}
