//! A grid turned into what the measurement engine runs: per workload, one
//! closure per point, one per machine-ceiling count, and the serial run
//! they are all paired with.

use super::grid::{Grid, Point};
use crate::launcher::Launcher;
use crate::measure::{Contestant, Event, Group, Plan, Run, ceiling, run_rounds};
use crate::measurement::Measurement;
use crate::strategy::{RunOptions, Strategy};
use crate::timed_run::{timed, timed_record};
use crate::workload::{Workload, WorkloadSet, WorkloadVisitor};
use crate::workloads::AnyWorkload;
use crate::{Error, Result};
use std::sync::Arc;

/// Measures every point of `grid` in `plan.rounds` interleaved rounds, each
/// run paired with serial runs beside it (`crate::measure::rounds`), plus
/// the machine ceiling at every worker count above one.
pub fn measure(
    grid: &Grid,
    plan: &Plan,
    seed: u64,
    on: impl FnMut(Event),
) -> Result<Vec<Measurement>> {
    measure_with::<AnyWorkload>(grid, None, &RunOptions::default(), plan, seed, on)
}

/// [`measure`] for the workloads of the set `S`, launching the mpi
/// strategy's runs with `launcher`, and running the others with `options`
/// (`--timeout`).
pub fn measure_with<S: WorkloadSet>(
    grid: &Grid,
    launcher: Option<&Launcher>,
    options: &RunOptions,
    plan: &Plan,
    seed: u64,
    on: impl FnMut(Event),
) -> Result<Vec<Measurement>> {
    let mut groups = groups_of::<S>(grid, launcher, options, seed)?;
    run_rounds(&mut groups, plan, on)
}

/// The rounds' groups of `grid`, of the library's workloads: per workload,
/// its points and the ceiling, each a closure that runs once and returns
/// seconds.
pub fn groups<'a>(
    grid: &Grid,
    launcher: Option<&'a Launcher>,
    options: &RunOptions,
    seed: u64,
) -> Result<Vec<Group<'a>>> {
    groups_of::<AnyWorkload>(grid, launcher, options, seed)
}

/// [`groups`] of the workloads of the set `S`.
pub fn groups_of<'a, S: WorkloadSet>(
    grid: &Grid,
    launcher: Option<&'a Launcher>,
    options: &RunOptions,
    seed: u64,
) -> Result<Vec<Group<'a>>> {
    check_launcher(grid, launcher)?;
    grid.workloads
        .iter()
        .map(|name| {
            S::with_defaults(name)?.visit(GroupOf {
                points: grid.points_of(name),
                ceiling: grid.ceiling_counts(),
                launcher,
                options: options.clone(),
                seed,
            })
        })
        .collect()
}

/// Refuses a grid whose launched strategies (mpi) have no launcher, or
/// that this build cannot run: before anything is measured or written.
pub fn check_launcher(grid: &Grid, launcher: Option<&Launcher>) -> Result<()> {
    let launched = grid.strategies.iter().any(|s| s.kind().needs_launcher());
    if launched && launcher.is_none() {
        return Err(Error::new(
            "the mpi strategy needs a launcher: add --launcher \"mpirun -n {workers}\"",
        ));
    }
    #[cfg(not(feature = "mpi"))]
    if launched {
        return Err(crate::strategy::mpi::unavailable());
    }
    Ok(())
}

/// Builds one workload's [`Group`], whichever workload it is.
struct GroupOf<'a> {
    points: Vec<Point>,
    ceiling: Vec<usize>,
    launcher: Option<&'a Launcher>,
    options: RunOptions,
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
            let options = self.options.clone();
            Box::new(move || match launcher {
                Some(launcher) if strategy.kind().needs_launcher() => {
                    launcher.record(W::NAME, workers, seed)
                }
                _ => timed_record(&*workload, strategy, workers, seed, &options)
                    .map(|(_, record)| record),
            })
        };
        // Pools are started now, before the clock: a pool's start-up is
        // paid once, and no measured run should carry it.
        for point in &self.points {
            point.strategy.prepare(point.workers, &self.options)?;
        }
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
            // Each copy a whole serial run with a seed of its own.
            contestants.push(ceiling(copies, move |copy| {
                let seed = seed.wrapping_add(copy as u64);
                timed(&*workload, Strategy::BASELINE, 1, seed).map(drop)
            }));
        }
        Ok(Group {
            workload: W::NAME.to_string(),
            serial: run(Strategy::BASELINE, 1),
            contestants,
        })
    }
}
