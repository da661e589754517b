//! What running pays beyond the work: starting worker processes, launching
//! an MPI job. Measured apart from the grid, stated in the report.

use super::grid::Grid;
use crate::Result;
use crate::launcher::Launcher;
use crate::measurement::StartupCost;
use crate::strategy::process;

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
    if !grid.strategies.iter().any(|s| s.kind().needs_launcher()) {
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
        .any(|s| s.kind().pays_process_startup())
    {
        return Ok(Vec::new());
    }
    let mut counts = vec![1, num_cpus::get().max(1)];
    counts.dedup();
    counts.into_iter().map(startup_cost).collect()
}
