//! Where a point's efficiency went: the machine's share and the strategy's,
//! and the strategy's split into load balance and the rest.
//!
//! With `p` workers, speedup `S` and the machine ceiling `C` (what `p`
//! independent serial copies get at once, `crate::measure::copies`):
//!
//! ```text
//! E = S/p = C/p       × S/C
//!         = machine   × strategy
//!         = machine   × load balance × rest
//! ```
//!
//! - **machine** `C/p`: what this machine allows `p` jobs that share nothing
//!   (memory bandwidth, turbo, hyperthreads, a busy neighbour);
//! - **strategy** `S/C`: what the strategy makes of that;
//! - **load balance** `mean busy / max busy` over the workers, from each
//!   worker's busy time (`strategy/busy.rs`): 1 when every worker ran chunks
//!   as long as the busiest, 0.5 when the average worker ran half as long;
//!   this is the POP Centre of Excellence's load balance;
//! - **rest** `S/C / load balance`: everything else the strategy costs,
//!   start-up, handing out chunks, moving results, the merge, computed
//!   from the measured speedup and busy times, not assumed.
//!
//! The product of the factors is the efficiency, exactly. As for speedup,
//! the intervals come from the rounds: each run has its own load balance
//! and its own `serial / point`, and a factor's interval is the
//! order-statistic interval of its per-run values' median
//! (`crate::interval`).
//!
//! Points whose runs kept no busy times (reports made before busy time was
//! recorded) have no split, and the report says nothing about it.

use super::derived::CeilingRow;
use super::view::{Point, WorkloadView};
use crate::interval::MedianInterval;
use crate::measurement::Measurement;

/// The efficiency of one point, split into factors.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub workers: usize,
    /// `S/p`.
    pub efficiency: f64,
    /// `C/p`: what the machine allows.
    pub machine: f64,
    /// `S/C`: what the strategy makes of it.
    pub strategy: f64,
    /// Mean busy / max busy over the workers, median over the runs.
    pub load_balance: MedianInterval,
    /// `strategy / load balance`: start-up, handing out chunks, results,
    /// merge.
    pub rest: MedianInterval,
    /// The share of a run's wall time that the busiest worker spent outside
    /// its chunks (median over the runs).
    pub outside_chunks: f64,
}

impl Split {
    /// The split of `point` against the machine ceiling at its worker count;
    /// `None` without busy times, pairs or a ceiling.
    pub fn of(point: &Point, ceiling: &CeilingRow) -> Option<Split> {
        let m = point.measurement;
        let speedup = point.derived?.speedup;
        split(m, speedup, ceiling.speedup)
    }

    /// The factor that loses the most: its name and value.
    pub fn biggest_loss(&self) -> (Factor, f64) {
        [
            (Factor::Machine, self.machine),
            (Factor::LoadBalance, self.load_balance.median),
            (Factor::Rest, self.rest.median),
        ]
        .into_iter()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("three factors")
    }
}

/// One factor of the split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Factor {
    Machine,
    LoadBalance,
    Rest,
}

/// The split of measurement `m`, whose speedup is `speedup`, against a
/// ceiling of `ceiling` at its worker count.
pub fn split(m: &Measurement, speedup: f64, ceiling: f64) -> Option<Split> {
    let runs = usable_runs(m);
    // (A NaN is neither positive nor usable.)
    let positive = |x: f64| x.is_finite() && x > 0.0;
    if runs.is_empty() || !positive(ceiling) || !positive(speedup) {
        return None;
    }
    let p = m.workers as f64;
    let strategy = speedup / ceiling;
    let balances: Vec<f64> = runs.iter().map(|r| load_balance(r.busy)).collect();
    let load_balance = MedianInterval::of(&balances)?;
    // Each run's own rest: its strategy share over its own load balance
    // (a weak-scaling run did p times its serial partner's work).
    let work = m.work_factor();
    let rests: Vec<f64> = runs
        .iter()
        .zip(&balances)
        .map(|(r, lb)| work * r.serial / r.seconds / ceiling / lb)
        .collect();
    let rest_median = strategy / load_balance.median;
    let per_run = MedianInterval::of(&rests)?;
    let rest = MedianInterval {
        median: rest_median,
        low: per_run.low.min(rest_median),
        high: per_run.high.max(rest_median),
        coverage: per_run.coverage,
    };
    let outside: Vec<f64> = runs
        .iter()
        .map(|r| (1.0 - max(r.busy) / r.seconds).max(0.0))
        .collect();
    Some(Split {
        workers: m.workers,
        efficiency: speedup / p,
        machine: ceiling / p,
        strategy,
        load_balance,
        rest,
        outside_chunks: MedianInterval::of(&outside)?.median,
    })
}

/// Mean busy / max busy over the workers of one run.
pub fn load_balance(busy: &[f64]) -> f64 {
    let mean = busy.iter().sum::<f64>() / busy.len() as f64;
    mean / max(busy)
}

fn max(values: &[f64]) -> f64 {
    values.iter().copied().fold(0.0, f64::max)
}

/// One run with what the split needs.
struct Run<'a> {
    seconds: f64,
    serial: f64,
    busy: &'a [f64],
}

/// The runs that have a serial partner and a busy time for every worker,
/// someone busy at all, and a time.
fn usable_runs(m: &Measurement) -> Vec<Run<'_>> {
    if !m.is_paired() || m.busy_s.len() != m.times_s.len() {
        return Vec::new();
    }
    m.times_s
        .iter()
        .zip(&m.serial_s)
        .zip(&m.busy_s)
        .filter(|(_, busy)| {
            busy.len() == m.workers && busy.iter().all(|b| b.is_finite() && *b >= 0.0)
        })
        .filter(|(_, busy)| max(busy) > 0.0)
        .map(|((&seconds, &serial), busy)| Run {
            seconds,
            serial,
            busy,
        })
        .collect()
}

/// Every split point of a workload, with its point, in report order
/// (serial, the baseline, left out).
pub fn splits<'v, 'a>(view: &'v WorkloadView<'a>) -> Vec<(&'v Point<'a>, Split)> {
    view.points
        .iter()
        .filter(|point| !point.label.is_baseline())
        .filter_map(|point| {
            let ceiling = view.ceiling.iter().find(|c| c.workers == point.workers())?;
            Some((point, Split::of(point, ceiling)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run_record::RunRecord;

    /// A scripted run: wall time, serial beside it, busy per worker.
    fn runs(scripted: &[(f64, f64, Vec<f64>)]) -> Measurement {
        let records: Vec<(RunRecord, RunRecord)> = scripted
            .iter()
            .map(|(seconds, serial, busy)| {
                let record = RunRecord {
                    seconds: *seconds,
                    busy_s: busy.clone(),
                    ..RunRecord::default()
                };
                (record, RunRecord::of_seconds(*serial))
            })
            .collect();
        Measurement::from_runs("w", "scoped-static", 2, &records)
    }

    #[test]
    fn a_known_imbalance_is_recovered_from_busy_times() {
        // One worker works 1.0 s, the other 0.5 s: mean 0.75, max 1.0.
        let m = runs(&[
            (1.0, 1.5, vec![0.5, 1.0]),
            (1.0, 1.5, vec![1.0, 0.5]),
            (1.0, 1.5, vec![0.5, 1.0]),
        ]);
        let speedup = m.paired_speedup().unwrap().median;
        let s = split(&m, speedup, 2.0).unwrap();
        assert_eq!(s.load_balance.median, 0.75);
        assert_eq!(s.efficiency, 0.75);
        assert_eq!(s.machine, 1.0);
        assert_eq!(s.strategy, 0.75);
        assert_eq!(s.rest.median, 1.0, "all the loss is imbalance");
        assert_eq!(s.outside_chunks, 0.0);
        assert_eq!(s.biggest_loss(), (Factor::LoadBalance, 0.75));
        assert_eq!(load_balance(&[2.0, 2.0, 2.0]), 1.0);
    }

    #[test]
    fn the_product_of_the_factors_is_the_efficiency() {
        let m = runs(&[
            (0.80, 1.2, vec![0.55, 0.41]),
            (0.90, 1.3, vec![0.60, 0.52]),
            (0.85, 1.1, vec![0.50, 0.47]),
            (0.70, 1.2, vec![0.52, 0.33]),
            (0.95, 1.4, vec![0.61, 0.58]),
        ]);
        let speedup = m.paired_speedup().unwrap().median;
        let s = split(&m, speedup, 1.8).unwrap();
        let product = s.machine * s.load_balance.median * s.rest.median;
        assert!((product - s.efficiency).abs() < 1e-12, "{s:?}");
        assert!((s.machine * s.strategy - s.efficiency).abs() < 1e-12);
        for factor in [s.load_balance, s.rest] {
            assert!(factor.low <= factor.median && factor.median <= factor.high);
        }
    }

    #[test]
    fn time_outside_the_chunks_is_the_rest() {
        // Balanced workers, each busy 0.2 s of a 1 s run: the rest is the loss.
        let m = runs(&vec![(1.0, 1.0, vec![0.2, 0.2]); 3]);
        let s = split(&m, 1.0, 2.0).unwrap();
        assert_eq!(s.load_balance.median, 1.0);
        assert_eq!(s.rest.median, 0.5);
        assert!((s.outside_chunks - 0.8).abs() < 1e-12);
        assert_eq!(s.biggest_loss().0, Factor::Rest);
    }

    #[test]
    fn points_without_busy_times_have_no_split() {
        let old = Measurement::from_pairs("w", "scoped-static", 2, &[(1.0, 1.5); 3]);
        assert_eq!(split(&old, 1.5, 2.0), None);
        let idle = runs(&[(1.0, 1.5, vec![0.0, 0.0])]);
        assert_eq!(
            split(&idle, 1.5, 2.0),
            None,
            "no worker busy: nothing to divide"
        );
    }
}
