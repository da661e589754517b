//! `speedup sweep`: the benchmark grid without criterion.
//!
//! Every point runs once per round, in a fresh random order each round, and
//! every run is paired with serial runs beside it (`crate::measure`): the
//! speedups are medians of per-pair ratios with 95% intervals, and the
//! report is the very one `cargo bench` writes. `--until 5%` buys precision
//! with time: rounds are added until every interval is within 5%.

use super::args;
use super::stdout;
use crate::estimate::Estimate;
use crate::folder_lock::LockedFolder;
use crate::launcher::Launcher;
use crate::machine::Machine;
use crate::measure::{Conditions, Plan, RoundsBar};
use crate::report::{self, Report};
use crate::seeds::DEFAULT_SEED;
use crate::strategy::{DEFAULT_TIMEOUT, RunOptions};
use crate::sweep::{self, Grid, parse_strategies, parse_workers, parse_workloads_of};
use crate::workload::WorkloadSet;
use crate::{Error, Result, Strategy};
use std::marker::PhantomData;
use std::path::PathBuf;
use std::time::Duration;

/// Rounds a sweep runs by default: one more than the six a 95% interval needs.
pub const DEFAULT_ROUNDS: usize = 7;

const AFTER_HELP: &str = "\
Examples:
  speedup sweep
  speedup sweep --workloads integration --strategies serial,scoped --workers 1,2,4
  speedup sweep --rounds 10 --out my-report
  speedup sweep --workloads ma2 --workers 1,2 --until 5% --max-rounds 30
  speedup sweep --workloads amdahl --workers 1,2,4,8,16
  speedup sweep --strategies thread-pool,mpi --launcher \"mpirun -n {workers}\"

How it measures: each round runs every point once, in a fresh random order,
as S P S P S ... where S is a serial run; each point's speedup is the median
of serial/point over the rounds, with a 95% interval from order statistics.
Beside the strategies it runs p serial copies at once: the machine ceiling,
what p independent jobs get here. Six rounds are the fewest for a 95%
interval; noisy machines need more (--until).

Then open DIR/report.md or DIR/report.html. `cargo bench` measures the same
grid under criterion and writes the same report.

The mpi strategy (a build with --features mpi) is measured only with a
--launcher: one MPI job per run, timed inside rank 0; the launch cost is
measured apart and stated in the report.";

/// One comma-separated value parsed into a list. (Spelled `Vec`, clap's
/// derive would take the flag as many values of `T` and panic on access.)
type List<T> = Vec<T>;

/// Measure every strategy over a range of worker counts and write a speedup report
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct SweepArgs<S: WorkloadSet> {
    /// Comma-separated workloads [default: all but amdahl, whose answer is known: name it to measure it]
    #[arg(long, value_parser = parse_workloads_arg::<S>, value_name = "LIST")]
    workloads: Option<List<String>>,

    /// Comma-separated strategies; serial is the baseline and always included [default: all; mpi only with --launcher]
    #[arg(long, value_parser = parse_strategies_arg, value_name = "LIST")]
    strategies: Option<List<Strategy>>,

    /// Comma-separated worker counts [default: 1..2×CPUs, or a ladder on big machines]
    #[arg(long, value_parser = parse_workers_arg, value_name = "LIST", allow_hyphen_values = true)]
    workers: Option<List<usize>>,

    /// Rounds: each runs every point once, paired with serial runs (the least, with --until)
    #[arg(long, alias = "repeats", default_value_t = DEFAULT_ROUNDS, value_parser = args::rounds, value_name = "K", allow_hyphen_values = true)]
    rounds: usize,

    /// Add rounds until every speedup's 95% interval is within this share of it, e.g. 5%
    #[arg(long, value_parser = crate::flags::percent, value_name = "PCT", allow_hyphen_values = true)]
    until: Option<f64>,

    /// The most rounds --until may run
    #[arg(long, default_value_t = 30, value_parser = args::rounds, value_name = "K", allow_hyphen_values = true)]
    max_rounds: usize,

    /// Report directory [default: reports/<machine>]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Seed of the random streams
    #[arg(long, default_value_t = DEFAULT_SEED, value_parser = crate::flags::seed, allow_hyphen_values = true)]
    seed: u64,

    /// Seconds a process worker may take to start or to answer one chunk, or an mpi launch to end, before it is killed as hung
    #[arg(long, value_parser = args::seconds, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT.as_secs_f64(), allow_hyphen_values = true)]
    timeout: f64,

    /// Launches the mpi strategy: a command with {workers} where the rank count goes, run without a shell
    #[arg(long, value_name = "TEMPLATE")]
    launcher: Option<String>,

    /// Run even if the sweep is estimated to take more than a day
    #[arg(long)]
    yes: bool,

    #[arg(skip)]
    workloads_of: PhantomData<S>,
}

/// How `speedup sweep` takes its times, as the report states it.
const METHOD: &str =
    "speedup sweep: interleaved rounds in random order, each run between two serial runs";

fn parse_workloads_arg<S: WorkloadSet>(text: &str) -> Result<Vec<String>, String> {
    parse_workloads_of::<S>(text).map_err(|e| e.to_string())
}

fn parse_strategies_arg(text: &str) -> Result<Vec<Strategy>, String> {
    parse_strategies(text).map_err(|e| e.to_string())
}

fn parse_workers_arg(text: &str) -> Result<Vec<usize>, String> {
    parse_workers(text).map_err(|e| e.to_string())
}

pub fn execute<S: WorkloadSet>(args: SweepArgs<S>) -> Result<()> {
    let machine = Machine::detect();
    let mut grid = Grid::full_of::<S>();
    if let Some(workloads) = args.workloads {
        grid.workloads = workloads;
    }
    if let Some(mut strategies) = args.strategies {
        if !strategies.contains(&Strategy::BASELINE) {
            strategies.insert(0, Strategy::BASELINE);
        }
        grid.strategies = strategies;
    } else if args.launcher.is_some() {
        grid.strategies.extend(Strategy::launched());
    }
    let launcher = match &args.launcher {
        Some(_) if !grid.strategies.iter().any(|s| s.kind().needs_launcher()) => {
            return Err(Error::new(
                "--launcher is for the mpi strategy: add mpi to --strategies",
            ));
        }
        Some(template) => Some(Launcher::new(
            template,
            std::env::current_exe()?,
            Duration::from_secs_f64(args.timeout),
        )?),
        None => None,
    };
    if let Some(workers) = args.workers {
        grid.workers = workers;
    }
    // A sweep of days is refused before it starts, unless asked for.
    let estimate = grid.estimate_of::<S>(args.rounds, machine.logical_cpus);
    if let Some(estimate) = estimate {
        Estimate(estimate).check("this sweep", "the workloads' costs", args.yes)?;
    }
    sweep::check_launcher(&grid, launcher.as_ref())?;
    let dir = args.out.unwrap_or_else(|| report::default_dir(&machine));
    // Fail on an unwritable or busy directory now, not after the measurements;
    // the lock keeps a second sweep out until this one has written its report.
    let folder = LockedFolder::take(&dir)?;

    let plan = Plan {
        rounds: args.rounds,
        until: args.until,
        max_rounds: args.max_rounds.max(args.rounds),
        order_seed: args.seed,
    };
    let runs_per_round = grid.points().len() + grid.workloads.len() * grid.ceiling_counts().len();
    let conditions = Conditions::now(METHOD);
    let mut bar = RoundsBar::new(plan.rounds, runs_per_round).with_estimate(estimate);
    let options = RunOptions::with_timeout(Duration::from_secs_f64(args.timeout));
    let measurements =
        sweep::measure_with::<S>(&grid, launcher.as_ref(), &options, &plan, args.seed, |e| {
            bar.on(e)
        });
    bar.finish();
    let measurements = measurements?;
    let rounds = measurements.first().map_or(0, |m| m.samples);
    let startup = sweep::startup_costs(&grid)?;
    let mut report =
        Report::new(machine, measurements, startup)?.with_conditions(conditions.finish(rounds));
    if let Some(launcher) = &launcher {
        report.mpi_launch = sweep::launch_costs(&grid, launcher)?;
    }
    let path = report::write_to(&folder, &report)?;
    stdout::print(path.display());
    Ok(())
}
