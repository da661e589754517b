//! Interleaved rounds with a serial run beside every timed run.
//!
//! A shared machine drifts: a neighbour starts a job, the CPU warms up and
//! clocks down, a cache fills. Measured one point after another (all serial
//! runs, then all 2-worker runs, ...), the drift lands on whichever point
//! happens to run then, and a speedup divides two numbers taken minutes
//! apart. Two habits of careful benchmarkers remove that:
//!
//! 1. **Rounds in a fresh random order** (Google Benchmark's random
//!    interleaving): every point runs once per round, and the order is
//!    shuffled each round, so a slow minute is shared out among the points
//!    instead of landing on one.
//! 2. **A serial run beside every run** (paired measurement): within a
//!    workload the runs go `S P₁ S P₂ S P₃ S …`, and each point is compared
//!    with the mean of the two serial runs around it. A drift that is steady
//!    over those three runs cancels exactly; the speedup of one pair is
//!    `serial / point`, and a point's speedup is the median of its pairs'
//!    (`crate::interval`), never a ratio of two summaries.
//!
//! The price is honest: about twice the runs of timing each point alone.
//! The test below shows what it buys, on a simulated drifting machine.

use super::record::RunRecord;
use crate::Result;
use crate::measurement::{Measurement, speedup_of_pairs};
use rand::SeedableRng;
use rand::seq::SliceRandom;

/// One run of something, returning its wall time (and what else it knows
/// about itself, [`RunRecord`]).
pub type Run<'a> = Box<dyn FnMut() -> Result<RunRecord> + 'a>;

/// A point to measure: its label, worker count and how to run it once.
pub struct Contestant<'a> {
    pub strategy: String,
    pub workers: usize,
    pub run: Run<'a>,
}

/// The points of one workload, with the serial run they are paired with.
pub struct Group<'a> {
    pub workload: String,
    pub serial: Run<'a>,
    pub contestants: Vec<Contestant<'a>>,
}

/// How many rounds to run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    /// Rounds to run (the least, with `until`).
    pub rounds: usize,
    /// Keep adding rounds until every speedup's interval lies within this
    /// share of its estimate (0.05 for "within 5%")...
    pub until: Option<f64>,
    /// ...but never more rounds than this.
    pub max_rounds: usize,
    /// Seeds the shuffles, so a sweep's order can be replayed.
    pub order_seed: u64,
}

impl Plan {
    /// A fixed number of rounds.
    pub fn rounds(rounds: usize) -> Plan {
        Plan {
            rounds,
            until: None,
            max_rounds: rounds,
            order_seed: 0x5eed,
        }
    }
}

/// What the rounds report while they run.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<'a> {
    /// One point has just been timed (its serial partner follows).
    Ran {
        round: usize,
        workload: &'a str,
        strategy: &'a str,
        workers: usize,
    },
    /// A round is complete; `widest` is the widest relative half-width of
    /// any point's speedup interval so far.
    RoundDone { round: usize, widest: f64 },
}

/// Pairs each run of a point with the serial runs on either side of it.
///
/// Call [`Bracket::start`] once (a serial run), then [`Bracket::pair`] for
/// each point run: it runs the point, then serial again, and returns
/// `(point's record, mean seconds of the serial runs before and after)`. The serial run after
/// one point is the serial run before the next, so n points cost n + 1
/// serial runs.
pub struct Bracket {
    before: f64,
}

impl Bracket {
    pub fn start(serial: &mut Run) -> Result<Bracket> {
        Ok(Bracket {
            before: serial()?.seconds,
        })
    }

    pub fn pair(&mut self, serial: &mut Run, point: &mut Run) -> Result<(RunRecord, f64)> {
        let run = point()?;
        let after = serial()?.seconds;
        let pair = (run, (self.before + after) / 2.0);
        self.before = after;
        Ok(pair)
    }
}

/// Runs `groups` in interleaved, paired rounds and returns one
/// [`Measurement`] per contestant (with every pair kept), group by group.
///
/// Before the first round every contestant runs once untimed, to pay for
/// first-touch costs (page faults, pools and processes starting) and to
/// fail early on a broken point.
pub fn run_rounds(
    groups: &mut [Group],
    plan: &Plan,
    mut on: impl FnMut(Event),
) -> Result<Vec<Measurement>> {
    for group in groups.iter_mut() {
        (group.serial)()?;
        for contestant in &mut group.contestants {
            (contestant.run)()?;
        }
    }
    let mut pairs: Vec<Vec<Vec<(RunRecord, f64)>>> = groups
        .iter()
        .map(|g| vec![Vec::new(); g.contestants.len()])
        .collect();
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(plan.order_seed);
    let max_rounds = plan.max_rounds.max(plan.rounds).max(1);
    for round in 0..max_rounds {
        let mut group_order: Vec<usize> = (0..groups.len()).collect();
        group_order.shuffle(&mut rng);
        for g in group_order {
            let group = &mut groups[g];
            let mut order: Vec<usize> = (0..group.contestants.len()).collect();
            order.shuffle(&mut rng);
            let mut bracket = Bracket::start(&mut group.serial)?;
            for i in order {
                let contestant = &mut group.contestants[i];
                let pair = bracket.pair(&mut group.serial, &mut contestant.run)?;
                pairs[g][i].push(pair);
                on(Event::Ran {
                    round,
                    workload: &group.workload,
                    strategy: &contestant.strategy,
                    workers: contestant.workers,
                });
            }
        }
        let widest = widest_interval(&pairs);
        on(Event::RoundDone { round, widest });
        let enough = match plan.until {
            Some(target) => widest <= target,
            None => true,
        };
        if round + 1 >= plan.rounds && enough {
            break;
        }
    }
    Ok(groups
        .iter()
        .zip(pairs)
        .flat_map(|(group, pairs)| {
            group
                .contestants
                .iter()
                .zip(pairs)
                .map(|(c, pairs)| {
                    Measurement::from_runs(&group.workload, &c.strategy, c.workers, &pairs)
                })
                .collect::<Vec<_>>()
        })
        .collect())
}

/// The widest relative half-width of any contestant's speedup interval;
/// infinite while any has fewer pairs than a 95% interval needs.
fn widest_interval(pairs: &[Vec<Vec<(RunRecord, f64)>>]) -> f64 {
    pairs
        .iter()
        .flatten()
        .map(
            |p| match speedup_of_pairs(p.iter().map(|(run, serial)| (run.seconds, *serial))) {
                Some(m) if m.coverage >= 0.95 => m.relative_half_width(),
                _ => f64::INFINITY,
            },
        )
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interval::MedianInterval;
    use std::cell::Cell;

    /// A simulated machine that slows down steadily: each run takes its true
    /// time times a factor that grows by `drift` per run, whatever ran.
    struct DriftingMachine {
        runs: Cell<u64>,
        drift: f64,
    }

    impl DriftingMachine {
        fn run(&self, true_time: f64) -> f64 {
            let n = self.runs.get();
            self.runs.set(n + 1);
            true_time * (1.0 + self.drift * n as f64)
        }
    }

    fn groups<'a>(
        machine: &'a DriftingMachine,
        log: &'a std::cell::RefCell<Vec<String>>,
    ) -> Vec<Group<'a>> {
        let point = |label: &'static str, workers: usize, time: f64| Contestant {
            strategy: label.into(),
            workers,
            run: Box::new(move || {
                log.borrow_mut().push(format!("{label}/{workers}"));
                Ok(RunRecord::of_seconds(machine.run(time)))
            }),
        };
        vec![Group {
            workload: "w".into(),
            serial: Box::new(move || Ok(RunRecord::of_seconds(machine.run(1.0)))),
            contestants: vec![
                point("serial", 1, 1.0),
                point("fast", 2, 0.5),
                point("faster", 4, 0.25),
            ],
        }]
    }

    #[test]
    fn paired_rounds_cancel_drift_and_separate_timing_does_not() {
        let machine = DriftingMachine {
            runs: Cell::new(0),
            drift: 0.01,
        };
        let log = std::cell::RefCell::new(Vec::new());
        let measured = run_rounds(&mut groups(&machine, &log), &Plan::rounds(10), |_| {}).unwrap();
        let speedup = |m: &Measurement| m.paired_speedup().unwrap().median;
        for (m, truth) in measured.iter().zip([1.0, 2.0, 4.0]) {
            assert!(
                (speedup(m) - truth).abs() < 1e-9,
                "{} paired: {} against {truth}",
                m.strategy,
                speedup(m)
            );
        }

        // The old way: all serial runs, then all runs of the point, then a
        // ratio of the two medians. The drift between them biases it.
        let machine = DriftingMachine {
            runs: Cell::new(0),
            drift: 0.01,
        };
        let serial: Vec<f64> = (0..10).map(|_| machine.run(1.0)).collect();
        let point: Vec<f64> = (0..10).map(|_| machine.run(0.5)).collect();
        let unpaired = MedianInterval::of(&serial).unwrap().median
            / MedianInterval::of(&point).unwrap().median;
        assert!(
            (unpaired - 2.0).abs() > 0.1,
            "separate timing should be biased by the drift, got {unpaired}"
        );
    }

    #[test]
    fn every_point_runs_once_per_round_in_a_shuffled_order() {
        let machine = DriftingMachine {
            runs: Cell::new(0),
            drift: 0.0,
        };
        let log = std::cell::RefCell::new(Vec::new());
        let rounds = 8;
        run_rounds(&mut groups(&machine, &log), &Plan::rounds(rounds), |_| {}).unwrap();
        let log = log.into_inner();
        // The untimed warm-up runs each point once, then every round once.
        assert_eq!(log.len(), 3 * (rounds + 1));
        let orders: Vec<&[String]> = log[3..].chunks(3).collect();
        for order in &orders {
            let mut sorted = order.to_vec();
            sorted.sort();
            assert_eq!(sorted, ["fast/2", "faster/4", "serial/1"], "{order:?}");
        }
        let distinct: std::collections::HashSet<_> = orders.iter().collect();
        assert!(distinct.len() > 1, "the order never changed: {orders:?}");
    }

    #[test]
    fn until_adds_rounds_only_while_intervals_are_wide() {
        // A noiseless machine: every interval has zero width once it has
        // the six pairs a 95% interval needs.
        let machine = DriftingMachine {
            runs: Cell::new(0),
            drift: 0.0,
        };
        let log = std::cell::RefCell::new(Vec::new());
        let plan = Plan {
            rounds: 2,
            until: Some(0.05),
            max_rounds: 40,
            order_seed: 1,
        };
        let mut done = Vec::new();
        let measured = run_rounds(&mut groups(&machine, &log), &plan, |e| {
            if let Event::RoundDone { round, widest } = e {
                done.push((round, widest));
            }
        })
        .unwrap();
        assert_eq!(measured[0].samples, 6, "{done:?}");
        assert!(done[..5].iter().all(|(_, w)| w.is_infinite()));
        assert_eq!(done[5].1, 0.0);

        // A machine that never settles stops at the maximum.
        let noisy = Cell::new(0u32);
        let mut wild = vec![Group {
            workload: "w".into(),
            serial: Box::new(|| Ok(RunRecord::of_seconds(1.0))),
            contestants: vec![Contestant {
                strategy: "wild".into(),
                workers: 2,
                run: Box::new(|| {
                    noisy.set(noisy.get() + 1);
                    Ok(RunRecord::of_seconds(if noisy.get() % 2 == 0 {
                        0.4
                    } else {
                        0.7
                    }))
                }),
            }],
        }];
        let plan = Plan {
            max_rounds: 9,
            ..plan
        };
        assert_eq!(run_rounds(&mut wild, &plan, |_| {}).unwrap()[0].samples, 9);
    }
}
