//! A grid turned into what the measurement engine runs: per workload, one
//! closure per point, one per machine-ceiling count, and the serial run
//! they are all paired with.

use super::family::{Family, grown};
use super::grid::{Grid, Point};
use crate::launcher::Launcher;
use crate::measure::{Contestant, Event, Group, Plan, Run, ceiling, run_rounds};
use crate::measurement::Measurement;
use crate::scaling::Scaling;
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
    let families = Family::<S>::plain(&grid.workloads)?;
    groups_of_families(&families, grid, launcher, options, seed)
}

/// The rounds' groups of `families` (a study's workloads at its chosen
/// parameters, `super::family`), each over the strategies and workers of
/// `grid`: one group per family, named after it.
pub fn groups_of_families<'a, S: WorkloadSet>(
    families: &[Family<S>],
    grid: &Grid,
    launcher: Option<&'a Launcher>,
    options: &RunOptions,
    seed: u64,
) -> Result<Vec<Group<'a>>> {
    check_launcher(grid, launcher)?;
    let chosen = families
        .iter()
        .any(|f| !f.default_parameters || f.scaling != Scaling::Strong);
    if launcher.is_some() && chosen {
        // A launched rank runs `speedup run NAME` at its defaults.
        return Err(Error::new(
            "the mpi strategy runs workloads at their default parameters: leave out --set, \
             --sizes and --scaling weak, or measure mpi in a sweep of its own",
        ));
    }
    families
        .iter()
        .map(|family| {
            family.workload.clone().visit(GroupOf {
                name: family.name.clone(),
                scaling: family.scaling,
                points: grid.points_of(&family.name),
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

/// Builds one family's [`Group`], whichever workload it is.
struct GroupOf<'a> {
    name: String,
    scaling: Scaling,
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
        let scaling = self.scaling;
        // What the point at `workers` runs: the family's workload, or for
        // weak scaling that workload grown to `workers` times its work.
        let workload_at = |workers: usize| -> Result<Arc<W>> {
            if scaling == Scaling::Strong || workers == 1 {
                return Ok(Arc::clone(&workload));
            }
            Ok(Arc::new(grown(&*workload, workers)?))
        };
        let run = |workload: Arc<W>, strategy: Strategy, workers: usize| -> Run<'a> {
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
            .map(|point| {
                Ok(Contestant {
                    strategy: point.strategy.label().into(),
                    workers: point.workers,
                    run: run(workload_at(point.workers)?, point.strategy, point.workers),
                })
            })
            .collect::<Result<_>>()?;
        for copies in self.ceiling {
            let workload = Arc::clone(&workload);
            // Each copy a whole serial run with a seed of its own.
            contestants.push(ceiling(copies, move |copy| {
                let seed = seed.wrapping_add(copy as u64);
                timed(&*workload, Strategy::BASELINE, 1, seed).map(drop)
            }));
        }
        Ok(Group {
            workload: self.name,
            serial: run(Arc::clone(&workload), Strategy::BASELINE, 1),
            contestants,
        })
    }
}
