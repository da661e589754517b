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
//!
//! Precision is bought where it is missing: `--until 5%` adds rounds only
//! of the points whose interval is still wider than 5% (the quiet ones are
//! done), each run still between two serial runs and in a fresh random
//! order, until they are narrow enough, the most rounds have run, or a time
//! budget (`--budget 10m`) is spent; then the points still short are named
//! ([`short_of`]).

use super::interference::Snapshot;
use crate::Result;
use crate::interval::MedianInterval;
use crate::measurement::{Measurement, speedup_of_pairs};
use crate::run_record::RunRecord;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use std::time::{Duration, Instant};

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
    /// Rounds every point runs (the least, with `until`).
    pub rounds: usize,
    /// Then keep adding rounds, of the points whose speedup interval is still
    /// wider than this share of its estimate (0.05 for "within 5%")...
    pub until: Option<f64>,
    /// ...but never more rounds than this...
    pub max_rounds: usize,
    /// ...and none once this much time has passed since the first round
    /// began (the round under way finishes).
    pub budget: Option<Duration>,
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
            budget: None,
            order_seed: 0x5eed,
        }
    }
}

/// What the rounds report while they run.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<'a> {
    /// A round beyond the planned ones starts, of the `points` still too wide.
    Adding { round: usize, points: usize },
    /// One point has just been timed (its serial partner follows).
    Ran {
        round: usize,
        workload: &'a str,
        strategy: &'a str,
        workers: usize,
    },
    /// A round is complete; `widest` is the widest relative half-width of
    /// any point's speedup interval so far, `wide` how many points are
    /// still wider than the target (none without one).
    RoundDone {
        round: usize,
        widest: f64,
        wide: usize,
    },
    /// No more rounds are added, though `wide` points are still wider than
    /// the target, because of `why`.
    GaveUp { wide: usize, why: &'static str },
}

/// Why [`Event::GaveUp`]: the budget ran out.
pub const BUDGET_SPENT: &str = "the time budget is spent";
/// Why [`Event::GaveUp`]: the most rounds allowed have run.
pub const MAX_ROUNDS_RUN: &str = "the most rounds allowed have run";

/// Pairs each run of a point with the serial runs on either side of it.
///
/// Call [`Bracket::start`] once (a serial run), then [`Bracket::pair`] for
/// each point run: it runs the point, then serial again, and returns
/// `(point's record, the serial runs beside it)`, the latter's seconds the
/// mean of the runs before and after and its interference their sum. The
/// serial run after one point is the serial run before the next, so n
/// points cost n + 1 serial runs. Every run, serial ones included, is read
/// for interference around it ([`read_around`]).
pub struct Bracket {
    before: RunRecord,
}

impl Bracket {
    pub fn start(serial: &mut Run) -> Result<Bracket> {
        Ok(Bracket {
            before: read_around(serial)?,
        })
    }

    pub fn pair(&mut self, serial: &mut Run, point: &mut Run) -> Result<(RunRecord, RunRecord)> {
        let run = read_around(point)?;
        let after = read_around(serial)?;
        let beside = RunRecord::of_seconds((self.before.seconds + after.seconds) / 2.0)
            .with_interference(
                self.before
                    .interference
                    .zip(after.interference)
                    .map(|(before, after)| before.plus(&after)),
            );
        self.before = after;
        Ok((run, beside))
    }
}

/// Runs `run` once, with the machine's counters read just before and just
/// after it (outside the run's own clock), unless the run read its own.
pub fn read_around(run: &mut Run) -> Result<RunRecord> {
    let before = Snapshot::read();
    let mut record = run()?;
    if record.interference.is_none() {
        record.interference = before
            .zip(Snapshot::read())
            .map(|(before, after)| after.interference_since(&before));
    }
    Ok(record)
}

/// Runs `groups` in interleaved, paired rounds and returns one
/// [`Measurement`] per contestant (with every pair kept), group by group.
///
/// Before the first round every contestant runs once untimed, to pay for
/// first-touch costs (page faults, pools and processes starting) and to
/// fail early on a broken point. The planned rounds run every point; the
/// rounds `plan.until` adds run only the points still too wide, each still
/// between two serial runs, in a fresh random order.
pub fn run_rounds(
    groups: &mut [Group],
    plan: &Plan,
    on: impl FnMut(Event),
) -> Result<Vec<Measurement>> {
    let start = Instant::now();
    rounds_on_clock(groups, plan, on, || start.elapsed())
}

/// [`run_rounds`], its budget counted on `elapsed` (time since the start).
fn rounds_on_clock(
    groups: &mut [Group],
    plan: &Plan,
    mut on: impl FnMut(Event),
    mut elapsed: impl FnMut() -> Duration,
) -> Result<Vec<Measurement>> {
    for group in groups.iter_mut() {
        (group.serial)()?;
        for contestant in &mut group.contestants {
            (contestant.run)()?;
        }
    }
    let mut pairs: Vec<Vec<Vec<(RunRecord, RunRecord)>>> = groups
        .iter()
        .map(|g| vec![Vec::new(); g.contestants.len()])
        .collect();
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(plan.order_seed);
    let rounds = plan.rounds.max(1);
    let max_rounds = plan.max_rounds.max(rounds);
    let started = elapsed();
    for round in 0..max_rounds {
        // Which points this round runs: all of them in the planned rounds,
        // then those still too wide.
        let runs: Vec<Vec<bool>> = match plan.until {
            Some(target) if round >= rounds => pairs
                .iter()
                .map(|g| g.iter().map(|p| half_width(p) > target).collect())
                .collect(),
            None if round >= rounds => break,
            _ => pairs.iter().map(|g| vec![true; g.len()]).collect(),
        };
        let points = runs.iter().flatten().filter(|&&r| r).count();
        if points == 0 {
            break;
        }
        if round >= rounds {
            if plan.budget.is_some_and(|b| elapsed() - started >= b) {
                on(Event::GaveUp {
                    wide: points,
                    why: BUDGET_SPENT,
                });
                break;
            }
            on(Event::Adding { round, points });
        }
        let mut group_order: Vec<usize> = (0..groups.len()).collect();
        group_order.shuffle(&mut rng);
        for g in group_order {
            let group = &mut groups[g];
            let mut order: Vec<usize> = (0..group.contestants.len())
                .filter(|&i| runs[g][i])
                .collect();
            if order.is_empty() {
                continue;
            }
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
        let widths: Vec<f64> = pairs.iter().flatten().map(|p| half_width(p)).collect();
        let wide = plan
            .until
            .map_or(0, |target| widths.iter().filter(|&&w| w > target).count());
        on(Event::RoundDone {
            round,
            widest: widths.iter().copied().fold(0.0, f64::max),
            wide,
        });
        if round + 1 == max_rounds && wide > 0 {
            on(Event::GaveUp {
                wide,
                why: MAX_ROUNDS_RUN,
            });
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

/// The relative half-width of the speedup interval of one point's pairs;
/// infinite while it has fewer pairs than a 95% interval needs.
fn half_width(pairs: &[(RunRecord, RunRecord)]) -> f64 {
    interval_half_width(speedup_of_pairs(
        pairs
            .iter()
            .map(|(run, serial)| (run.seconds, serial.seconds)),
    ))
}

/// The relative half-width of a speedup interval; infinite without one,
/// or while it holds less than 95%.
pub fn interval_half_width(interval: Option<MedianInterval>) -> f64 {
    match interval {
        Some(m) if m.coverage >= 0.95 => m.relative_half_width(),
        _ => f64::INFINITY,
    }
}

/// One line for each point whose speedup interval is still wider than
/// `target` (a share: 0.05 for 5%), for a sweep that stopped adding rounds.
pub fn short_of(measurements: &[Measurement], target: f64) -> Vec<String> {
    measurements
        .iter()
        .filter_map(|m| {
            let width = interval_half_width(m.paired_speedup());
            (width > target).then(|| {
                let now = if width.is_finite() {
                    format!("±{:.1}%", width * 100.0)
                } else {
                    "too few runs for an interval".into()
                };
                format!(
                    "{} {} ×{}: {now} after {} runs, short of ±{:.1}%",
                    m.workload,
                    m.strategy,
                    m.workers,
                    m.samples,
                    target * 100.0
                )
            })
        })
        .collect()
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
            budget: None,
            order_seed: 1,
        };
        let mut done = Vec::new();
        let measured = run_rounds(&mut groups(&machine, &log), &plan, |e| {
            if let Event::RoundDone { round, widest, .. } = e {
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

    /// A simulated machine whose clock is the sum of the times it has run:
    /// `quiet` points take the same time every run, `noisy` ones alternate
    /// between two, so their intervals never narrow.
    struct ScriptedMachine {
        clock: Cell<f64>,
        log: std::cell::RefCell<Vec<String>>,
    }

    impl ScriptedMachine {
        fn new() -> ScriptedMachine {
            ScriptedMachine {
                clock: Cell::new(0.0),
                log: Default::default(),
            }
        }

        fn elapsed(&self) -> Duration {
            Duration::from_secs_f64(self.clock.get())
        }

        fn run<'a>(&'a self, label: &'static str, times: &'static [f64]) -> Run<'a> {
            let runs = Cell::new(0usize);
            Box::new(move || {
                let seconds = times[runs.get() % times.len()];
                runs.set(runs.get() + 1);
                self.clock.set(self.clock.get() + seconds);
                self.log.borrow_mut().push(label.to_string());
                Ok(RunRecord::of_seconds(seconds))
            })
        }

        fn group(&self) -> Vec<Group<'_>> {
            let point = |label: &'static str, times: &'static [f64]| Contestant {
                strategy: label.into(),
                workers: 2,
                run: self.run(label, times),
            };
            vec![Group {
                workload: "w".into(),
                serial: self.run("S", &[1.0]),
                contestants: vec![
                    point("quiet", &[0.5]),
                    point("noisy", &[0.4, 0.7]),
                    point("erratic", &[0.3, 0.6, 0.9]),
                ],
            }]
        }
    }

    fn noisy_plan(budget: Option<Duration>) -> Plan {
        Plan {
            rounds: 6,
            until: Some(0.05),
            max_rounds: 20,
            budget,
            order_seed: 7,
        }
    }

    #[test]
    fn added_rounds_run_only_the_wide_points_each_between_serial_runs() {
        let machine = ScriptedMachine::new();
        let mut events = Vec::new();
        let measured = rounds_on_clock(
            &mut machine.group(),
            &noisy_plan(None),
            |e| events.push(format!("{e:?}")),
            || machine.elapsed(),
        )
        .unwrap();
        let samples: Vec<usize> = measured.iter().map(|m| m.samples).collect();
        assert_eq!(
            samples,
            [6, 20, 20],
            "quiet is done after the planned rounds"
        );
        assert!(
            events
                .iter()
                .any(|e| e.contains("Adding { round: 6, points: 2 }"))
        );
        assert!(events.iter().any(|e| e.contains("GaveUp { wide: 2")));

        // After the warm-up (S and the three points once), every point run
        // has a serial run on either side.
        let log = machine.log.into_inner();
        let timed = &log[4..];
        for (i, label) in timed.iter().enumerate() {
            if label != "S" {
                assert_eq!((&timed[i - 1], &timed[i + 1]), (&"S".into(), &"S".into()));
            }
        }
        // The added rounds (two points each, after six rounds of three)
        // still shuffle: "noisy" runs first in some, second in others.
        let points: Vec<&String> = timed.iter().filter(|l| *l != "S").collect();
        let firsts: std::collections::HashSet<&String> =
            points[6 * 3..].chunks(2).map(|round| round[0]).collect();
        assert_eq!(
            firsts.len(),
            2,
            "the order of the added rounds never changed"
        );
    }

    #[test]
    fn a_budget_stops_adding_rounds_and_the_short_points_are_named() {
        let machine = ScriptedMachine::new();
        let mut gave_up = None;
        // Six planned rounds take 6 × (4 serial + 0.5 + 2 × ~0.55) ≈ 33
        // simulated seconds; the budget allows a few rounds more.
        let budget = Duration::from_secs(40);
        let measured = rounds_on_clock(
            &mut machine.group(),
            &noisy_plan(Some(budget)),
            |e| {
                if let Event::GaveUp { wide, why } = e {
                    gave_up = Some((wide, why));
                }
            },
            || machine.elapsed(),
        )
        .unwrap();
        assert_eq!(gave_up, Some((2, BUDGET_SPENT)));
        let noisy = measured[1].samples;
        assert!(noisy > 6 && noisy < 20, "{noisy} runs");
        let short = short_of(&measured, 0.05);
        assert_eq!(short.len(), 2, "{short:?}");
        assert!(short[0].starts_with("w noisy ×2: ±"), "{short:?}");
        assert!(short[1].starts_with("w erratic ×2: ±"), "{short:?}");
        assert!(short[0].ends_with(&format!("after {noisy} runs, short of ±5.0%")));
    }
}
