//! The grid of a speedup study, and the quick way to measure it.
//!
//! A study runs every (workload × strategy × workers) point of a [`Grid`].
//! Serial runs once per workload, at one worker: it is the baseline every
//! speedup is divided by, and its runs are paired with every other run
//! (`crate::measure`). Beside the strategies, each workload gets the machine
//! ceiling at every worker count above one (p serial copies at once).
//! [`groups`] turns a grid into the closures the measurement engine times:
//! `speedup sweep` runs them in interleaved rounds ([`measure`]), `cargo
//! bench` hands them to criterion one by one. Both yield [`Measurement`]s,
//! and the report reads nothing else. The mpi strategy is measured only when
//! a grid names it, through a [`Launcher`] (one `mpirun` per run;
//! `launcher.rs`).

use crate::launcher::Launcher;
use crate::measure::{CEILING, Contestant, Event, Group, Plan, Run, copies_at_once, run_rounds};
use crate::measurement::Measurement;
use crate::strategy::{Strategy, TABLE, check_workers, process};
use crate::timed_run::timed;
use crate::workload::Workload;
use crate::workloads::{AnyWorkload, NAMES, WorkloadVisitor};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Overrides the worker counts: `SPEEDUP_WORKERS=1,2,4`.
pub const WORKERS_ENV: &str = "SPEEDUP_WORKERS";
/// Selects workloads: `SPEEDUP_WORKLOADS=ma2,integration`.
pub const WORKLOADS_ENV: &str = "SPEEDUP_WORKLOADS";

/// The worker counts worth measuring on a machine.
///
/// Every count from 1 to 2× the logical CPUs when that is at most 8 values
/// (small machines: see every step, oversubscription included). Bigger
/// machines get a ladder: powers of two, the half-steps between them from 8
/// up, and always the physical core count, the logical CPU count and 2× it
/// (1,2,4,8,12,16,24,32 on 16 CPUs).
pub fn worker_ladder(logical: usize, physical: usize) -> Vec<usize> {
    let logical = logical.max(1);
    let top = 2 * logical;
    if top <= 8 {
        return (1..=top).collect();
    }
    let mut counts = vec![physical.clamp(1, top), logical, top];
    let mut power = 1;
    while power <= top {
        counts.push(power);
        if power >= 8 && power + power / 2 <= top {
            counts.push(power + power / 2);
        }
        power *= 2;
    }
    counts.sort_unstable();
    counts.dedup();
    counts
}

/// Parses a comma-separated list of worker counts, `1,2,4`.
pub fn parse_workers(text: &str) -> Result<Vec<usize>> {
    let mut counts = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let n = crate::flags::count(item)
            .map_err(|e| Error::new(format!("worker count '{item}' {e}")))?;
        check_workers(n)?;
        counts.push(n);
    }
    if counts.is_empty() {
        return Err(Error::new(format!("no worker counts in '{text}'")));
    }
    counts.sort_unstable();
    counts.dedup();
    Ok(counts)
}

/// Parses a comma-separated list of workload names, checking each.
pub fn parse_workloads(text: &str) -> Result<Vec<String>> {
    let names = split_names(text);
    for name in &names {
        AnyWorkload::with_defaults(name)?;
    }
    if names.is_empty() {
        return Err(Error::new(format!("no workload names in '{text}'")));
    }
    Ok(names)
}

/// Parses a comma-separated list of strategy labels (`scoped` means both schedules).
pub fn parse_strategies(text: &str) -> Result<Vec<Strategy>> {
    let mut strategies = Vec::new();
    for name in split_names(text) {
        match name.as_str() {
            // A family name in a sweep means every schedule of it.
            family if TABLE.iter().filter(|e| e.family() == family).count() > 1 => strategies
                .extend(
                    TABLE
                        .iter()
                        .filter(|e| e.family() == family)
                        .map(|e| e.strategy),
                ),
            _ => strategies.push(name.parse()?),
        }
    }
    if strategies.is_empty() {
        return Err(Error::new(format!("no strategy names in '{text}'")));
    }
    strategies.sort();
    strategies.dedup();
    Ok(strategies)
}

fn split_names(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// What a study measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub workloads: Vec<String>,
    pub strategies: Vec<Strategy>,
    pub workers: Vec<usize>,
}

/// One point of a grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    pub workload: String,
    pub strategy: Strategy,
    pub workers: usize,
}

impl Grid {
    /// Every workload and strategy over this machine's [`worker_ladder`].
    pub fn full() -> Grid {
        Grid {
            workloads: NAMES.iter().map(|s| s.to_string()).collect(),
            strategies: Strategy::all(),
            workers: worker_ladder(num_cpus::get(), num_cpus::get_physical()),
        }
    }

    /// [`Grid::full`] with the `SPEEDUP_WORKERS` and `SPEEDUP_WORKLOADS` overrides.
    pub fn from_env() -> Result<Grid> {
        let mut grid = Grid::full();
        if let Ok(text) = std::env::var(WORKERS_ENV) {
            grid.workers = parse_workers(&text).map_err(|e| e.context(WORKERS_ENV))?;
        }
        if let Ok(text) = std::env::var(WORKLOADS_ENV) {
            grid.workloads = parse_workloads(&text).map_err(|e| e.context(WORKLOADS_ENV))?;
        }
        Ok(grid)
    }

    /// The points of one workload: serial once (one worker), the others at every count.
    pub fn points_of(&self, workload: &str) -> Vec<Point> {
        let mut points = Vec::new();
        for &strategy in &self.strategies {
            let counts: &[usize] = if strategy == Strategy::BASELINE {
                &[1]
            } else {
                &self.workers
            };
            points.extend(counts.iter().map(|&workers| Point {
                workload: workload.to_string(),
                strategy,
                workers,
            }));
        }
        points
    }

    /// The worker counts at which the machine ceiling is measured: every
    /// count above one, when the grid has a parallel strategy (at one
    /// worker the ceiling is the serial point itself).
    pub fn ceiling_counts(&self) -> Vec<usize> {
        if self.strategies.iter().all(|&s| s == Strategy::BASELINE) {
            return Vec::new();
        }
        self.workers.iter().copied().filter(|&p| p > 1).collect()
    }

    /// Every point, workload by workload.
    pub fn points(&self) -> Vec<Point> {
        self.workloads
            .iter()
            .flat_map(|w| self.points_of(w))
            .collect()
    }
}

/// Measures every point of `grid` in `plan.rounds` interleaved rounds, each
/// run paired with serial runs beside it (`crate::measure::rounds`), plus
/// the machine ceiling at every worker count above one.
pub fn measure(
    grid: &Grid,
    plan: &Plan,
    seed: u64,
    on: impl FnMut(Event),
) -> Result<Vec<Measurement>> {
    measure_with(grid, None, plan, seed, on)
}

/// [`measure`], launching the mpi strategy's runs with `launcher`.
pub fn measure_with(
    grid: &Grid,
    launcher: Option<&Launcher>,
    plan: &Plan,
    seed: u64,
    on: impl FnMut(Event),
) -> Result<Vec<Measurement>> {
    let mut groups = groups(grid, launcher, seed)?;
    run_rounds(&mut groups, plan, on)
}

/// The rounds' groups of `grid`: per workload, its points and the ceiling,
/// each a closure that runs once and returns seconds.
pub fn groups<'a>(
    grid: &Grid,
    launcher: Option<&'a Launcher>,
    seed: u64,
) -> Result<Vec<Group<'a>>> {
    let has_mpi = grid.strategies.contains(&Strategy::Mpi);
    if has_mpi && launcher.is_none() {
        return Err(Error::new(
            "the mpi strategy needs a launcher: add --launcher \"mpirun -n {workers}\"",
        ));
    }
    #[cfg(not(feature = "mpi"))]
    if has_mpi {
        return Err(crate::strategy::mpi::unavailable());
    }
    grid.workloads
        .iter()
        .map(|name| {
            AnyWorkload::with_defaults(name)?.visit(GroupOf {
                points: grid.points_of(name),
                ceiling: grid.ceiling_counts(),
                launcher,
                seed,
            })
        })
        .collect()
}

/// Builds one workload's [`Group`], whichever workload it is.
struct GroupOf<'a> {
    points: Vec<Point>,
    ceiling: Vec<usize>,
    launcher: Option<&'a Launcher>,
    seed: u64,
}

impl<'a> WorkloadVisitor for GroupOf<'a> {
    type Output = Result<Group<'a>>;

    fn visit<W: Workload>(self, workload: W) -> Result<Group<'a>> {
        workload.validate()?;
        let workload = Arc::new(workload);
        let seed = self.seed;
        let run = |strategy: Strategy, workers: usize| -> Run<'a> {
            let workload = Arc::clone(&workload);
            let launcher = self.launcher;
            Box::new(move || match (strategy, launcher) {
                (Strategy::Mpi, Some(launcher)) => launcher.time(W::NAME, workers, seed),
                _ => Ok(timed(&*workload, strategy, workers, seed)?.1.as_secs_f64()),
            })
        };
        let mut contestants: Vec<Contestant<'a>> = self
            .points
            .iter()
            .map(|point| Contestant {
                strategy: point.strategy.label().into(),
                workers: point.workers,
                run: run(point.strategy, point.workers),
            })
            .collect();
        for copies in self.ceiling {
            let workload = Arc::clone(&workload);
            contestants.push(Contestant {
                strategy: CEILING.into(),
                workers: copies,
                run: Box::new(move || {
                    let workload: &W = &workload;
                    // Each copy a whole serial run with a seed of its own.
                    copies_at_once(copies, &|copy| {
                        timed(
                            workload,
                            Strategy::BASELINE,
                            1,
                            seed.wrapping_add(copy as u64),
                        )
                        .map(drop)
                    })
                }),
            });
        }
        Ok(Group {
            workload: W::NAME.to_string(),
            serial: run(Strategy::BASELINE, 1),
            contestants,
        })
    }
}

/// The cost of starting worker processes: median seconds over a few tries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartupCost {
    pub workers: usize,
    pub seconds: f64,
}

/// Measures [`process::startup_time`] for `workers` processes (median of 5).
pub fn startup_cost(workers: usize) -> Result<StartupCost> {
    let seconds = median_of(5, || {
        process::startup_time(workers).map(|d| d.as_secs_f64())
    })?;
    Ok(StartupCost { workers, seconds })
}

/// The median of `tries` timings (seconds).
fn median_of(tries: usize, mut time: impl FnMut() -> Result<f64>) -> Result<f64> {
    let times = (0..tries).map(|_| time()).collect::<Result<Vec<_>>>()?;
    Ok(crate::measure::MedianInterval::of(&times).map_or(0.0, |m| m.median))
}

/// What launching an MPI job costs beyond its work, for the smallest and
/// largest worker counts of the grid (median of 3), when it has mpi.
pub fn launch_costs(grid: &Grid, launcher: &Launcher) -> Result<Vec<StartupCost>> {
    if !grid.strategies.contains(&Strategy::Mpi) {
        return Ok(Vec::new());
    }
    let mut counts: Vec<usize> = grid
        .workers
        .first()
        .into_iter()
        .chain(grid.workers.last())
        .copied()
        .collect();
    counts.dedup();
    counts
        .into_iter()
        .map(|workers| {
            let seconds = median_of(3, || launcher.launch_cost(workers))?;
            Ok(StartupCost { workers, seconds })
        })
        .collect()
}

/// Process start-up cost for one worker and for one per logical CPU, when
/// the grid has a process strategy (nothing otherwise).
pub fn startup_costs(grid: &Grid) -> Result<Vec<StartupCost>> {
    if !grid
        .strategies
        .iter()
        .any(|s| matches!(s, Strategy::Process(_)))
    {
        return Ok(Vec::new());
    }
    let mut counts = vec![1, num_cpus::get().max(1)];
    counts.dedup();
    counts.into_iter().map(startup_cost).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_machines_sweep_every_count_to_twice_the_cpus() {
        assert_eq!(worker_ladder(2, 2), vec![1, 2, 3, 4]);
        assert_eq!(worker_ladder(4, 2), (1..=8).collect::<Vec<_>>());
        assert_eq!(worker_ladder(1, 1), vec![1, 2]);
    }

    #[test]
    fn big_machines_get_a_ladder_with_the_landmarks() {
        assert_eq!(worker_ladder(16, 16), vec![1, 2, 4, 8, 12, 16, 24, 32]);
        let ladder = worker_ladder(12, 6);
        for must in [1, 2, 6, 12, 24] {
            assert!(ladder.contains(&must), "{ladder:?} lacks {must}");
        }
        assert!(ladder.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn lists_parse_and_bad_items_are_named() {
        assert_eq!(parse_workers("4, 1,2,2").unwrap(), vec![1, 2, 4]);
        let err = parse_workers("1,x").unwrap_err().to_string();
        assert!(err.contains("'x'"), "{err}");
        assert!(parse_workers("0").is_err());
        assert!(parse_workers(" , ").is_err());
        assert_eq!(
            parse_strategies("scoped,serial").unwrap(),
            vec![
                Strategy::Serial,
                Strategy::Scoped(crate::Schedule::Static),
                Strategy::Scoped(crate::Schedule::Dynamic)
            ]
        );
        assert!(
            parse_workloads("nope")
                .unwrap_err()
                .to_string()
                .contains("'nope'")
        );
    }

    #[test]
    fn serial_is_measured_once_per_workload() {
        let grid = Grid {
            workloads: vec!["a".into(), "b".into()],
            strategies: vec![Strategy::Serial, Strategy::ThreadPool],
            workers: vec![1, 2, 3],
        };
        let points = grid.points();
        assert_eq!(points.len(), 2 * (1 + 3));
        assert_eq!(
            points
                .iter()
                .filter(|p| p.strategy == Strategy::Serial)
                .count(),
            2
        );
    }
}
