//! What a study measures: the grid of (workload × strategy × workers).

use crate::Result;
use crate::estimate::shared;
use crate::strategy::Strategy;
use crate::workload::WorkloadSet;
use crate::workloads::AnyWorkload;
use std::time::Duration;

use super::family::Family;
use super::lists::{parse_workers, parse_workloads};
use crate::scaling::Scaling;

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
        Grid::full_of::<AnyWorkload>()
    }

    /// Every workload of the set `S` measured by default (not `amdahl`,
    /// whose answer is known) and every strategy over this machine's
    /// [`worker_ladder`].
    pub fn full_of<S: WorkloadSet>() -> Grid {
        Grid {
            workloads: S::NAMES
                .iter()
                .filter(|name| S::measured_by_default(name))
                .map(|s| s.to_string())
                .collect(),
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

    /// Roughly how long `rounds` rounds of this grid take on `cpus` logical
    /// CPUs, from each workload's [`serial_cost`](crate::Workload::serial_cost)
    /// at its default parameters (the sweep's); `None` when a workload
    /// cannot say. The model follows `measure::run_rounds`: per workload and
    /// round, every point once (serial work shared by `min(workers, cpus)`,
    /// [`shared`]), the ceiling's p copies at once (p serial runs' work,
    /// shared the same way), and n + 1 serial runs beside its n runs; and
    /// before the first round, every run once plus one serial run to warm
    /// up. With `--until`, `rounds` is the least the sweep runs.
    pub fn estimate(&self, rounds: usize, cpus: usize) -> Option<Duration> {
        self.estimate_of::<AnyWorkload>(rounds, cpus)
    }

    /// [`Grid::estimate`] for the workloads of the set `S`.
    pub fn estimate_of<S: WorkloadSet>(&self, rounds: usize, cpus: usize) -> Option<Duration> {
        let families = Family::<S>::plain(&self.workloads).ok()?;
        self.estimate_families(&families, rounds, cpus)
    }

    /// [`Grid::estimate`] for `families` (a study's workloads at its
    /// chosen parameters): a weak-scaling point at p workers does p times
    /// its family's serial work.
    pub fn estimate_families<S: WorkloadSet>(
        &self,
        families: &[Family<S>],
        rounds: usize,
        cpus: usize,
    ) -> Option<Duration> {
        let mut total = Duration::ZERO;
        for family in families {
            let serial = family.workload.serial_cost()?;
            let work_at = |workers: usize| match family.scaling {
                Scaling::Strong => serial,
                Scaling::Weak => serial.saturating_mul(workers as u32),
            };
            let points = self.points_of(&family.name);
            let ceiling = self.ceiling_counts();
            let runs: Duration = points
                .iter()
                .map(|p| shared(work_at(p.workers), p.workers, cpus))
                .chain(
                    ceiling
                        .iter()
                        .map(|&p| shared(serial.saturating_mul(p as u32), p, cpus)),
                )
                .fold(Duration::ZERO, Duration::saturating_add);
            let count = (points.len() + ceiling.len()) as u32;
            let round = runs.saturating_add(serial.saturating_mul(count + 1));
            total = total
                .saturating_add(round.saturating_mul(rounds as u32))
                .saturating_add(runs.saturating_add(serial));
        }
        Some(total)
    }

    /// Every point, workload by workload.
    pub fn points(&self) -> Vec<Point> {
        self.workloads
            .iter()
            .flat_map(|w| self.points_of(w))
            .collect()
    }
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
    fn the_estimate_of_a_grid_is_its_cost_model_summed() {
        let grid = Grid {
            workloads: vec!["integration".into()],
            strategies: vec![Strategy::Serial, Strategy::ThreadPool],
            workers: vec![1, 2],
        };
        let c = AnyWorkload::with_defaults("integration")
            .unwrap()
            .serial_cost()
            .unwrap()
            .as_secs_f64();
        // Serial at 1, thread-pool at 1 and 2 (half of c on 2 CPUs), the
        // ceiling's 2 copies at once (2c on 2 CPUs): 3.5c, plus 5 serial
        // runs beside the 4 runs; 3 rounds, and one warm-up of 3.5c + c.
        let expected = 3.0 * (3.5 * c + 5.0 * c) + 4.5 * c;
        let estimate = grid.estimate(3, 2).unwrap().as_secs_f64();
        assert!(
            (estimate - expected).abs() < 1e-6 * expected,
            "{estimate} vs {expected}"
        );
        // On 1 CPU nothing is shared: thread-pool at 2 costs c, the copies 2c.
        let one_cpu = grid.estimate(3, 1).unwrap().as_secs_f64();
        let expected = 3.0 * (5.0 * c + 5.0 * c) + 6.0 * c;
        assert!(
            (one_cpu - expected).abs() < 1e-6 * expected,
            "{one_cpu} vs {expected}"
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
