//! `speedup sweep`: the benchmark grid without criterion, for a quick look.
//!
//! Each point is the median of a few wall-clock runs after one warm-up run:
//! cruder than criterion's statistics, but the default grid takes under a
//! minute on a laptop, and it writes the very same report.

use super::args;
use super::stdout;
use indicatif::{ProgressBar, ProgressStyle};
use speedup::launcher::Launcher;
use speedup::machine::Machine;
use speedup::report::{self, Report};
use speedup::seeds::DEFAULT_SEED;
use speedup::strategy::process::DEFAULT_TIMEOUT;
use speedup::sweep::{self, Grid, parse_strategies, parse_workers, parse_workloads};
use speedup::{Error, Result, Strategy};
use std::path::PathBuf;
use std::time::Duration;

const AFTER_HELP: &str = "\
Examples:
  speedup sweep
  speedup sweep --workloads integration --strategies serial,scoped --workers 1,2,4
  speedup sweep --repeats 5 --out my-report
  speedup sweep --strategies thread-pool,mpi --launcher \"mpirun -n {workers}\"

Then open DIR/report.md or DIR/report.html. `cargo bench` measures the same
grid with criterion's statistics and writes the same report.

The mpi strategy (a build with --features mpi) is measured only with a
--launcher: one MPI job per run, timed inside rank 0; the launch cost is
measured apart and stated in the report.";

/// One comma-separated value parsed into a list. (Spelled `Vec`, clap's
/// derive would take the flag as many values of `T` and panic on access.)
type List<T> = Vec<T>;

/// Measure every strategy over a range of worker counts and write a speedup report
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct SweepArgs {
    /// Comma-separated workloads [default: all]
    #[arg(long, value_parser = parse_workloads_arg, value_name = "LIST")]
    workloads: Option<List<String>>,

    /// Comma-separated strategies; serial is the baseline and always included [default: all; mpi only with --launcher]
    #[arg(long, value_parser = parse_strategies_arg, value_name = "LIST")]
    strategies: Option<List<Strategy>>,

    /// Comma-separated worker counts [default: 1..2×CPUs, or a ladder on big machines]
    #[arg(long, value_parser = parse_workers_arg, value_name = "LIST", allow_hyphen_values = true)]
    workers: Option<List<usize>>,

    /// Timed runs per point (after one warm-up run); the median is reported
    #[arg(long, default_value_t = 3, value_parser = args::repeats, value_name = "K", allow_hyphen_values = true)]
    repeats: usize,

    /// Report directory [default: reports/<machine>]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Seed of the random streams
    #[arg(long, default_value_t = DEFAULT_SEED, value_parser = speedup::flags::seed, allow_hyphen_values = true)]
    seed: u64,

    /// Seconds a process worker may take to start or to answer one chunk before it is killed as hung
    #[arg(long, value_parser = args::seconds, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT.as_secs_f64(), allow_hyphen_values = true)]
    timeout: f64,

    /// Launches the mpi strategy: a command with {workers} where the rank count goes, run without a shell
    #[arg(long, value_name = "TEMPLATE")]
    launcher: Option<String>,
}

fn parse_workloads_arg(text: &str) -> Result<Vec<String>, String> {
    parse_workloads(text).map_err(|e| e.to_string())
}

fn parse_strategies_arg(text: &str) -> Result<Vec<Strategy>, String> {
    parse_strategies(text).map_err(|e| e.to_string())
}

fn parse_workers_arg(text: &str) -> Result<Vec<usize>, String> {
    parse_workers(text).map_err(|e| e.to_string())
}

pub fn execute(args: SweepArgs) -> Result<()> {
    speedup::strategy::process::set_timeout(Duration::from_secs_f64(args.timeout));
    let machine = Machine::detect();
    let mut grid = Grid::full();
    if let Some(workloads) = args.workloads {
        grid.workloads = workloads;
    }
    if let Some(mut strategies) = args.strategies {
        if !strategies.contains(&Strategy::Serial) {
            strategies.insert(0, Strategy::Serial);
        }
        grid.strategies = strategies;
    } else if args.launcher.is_some() {
        grid.strategies.push(Strategy::Mpi);
    }
    let launcher = match &args.launcher {
        Some(_) if !grid.strategies.contains(&Strategy::Mpi) => {
            return Err(Error::new(
                "--launcher is for the mpi strategy: add mpi to --strategies",
            ));
        }
        Some(template) => Some(Launcher::new(template, std::env::current_exe()?)?),
        None => None,
    };
    if let Some(workers) = args.workers {
        grid.workers = workers;
    }
    let dir = args.out.unwrap_or_else(|| report::default_dir(&machine));
    // Fail on an unwritable directory now, not after the measurements.
    std::fs::create_dir_all(&dir)
        .map_err(|e| speedup::Error::new(format!("cannot create {}: {e}", dir.display())))?;

    let points = grid.points().len() as u64;
    let bar = ProgressBar::new(points).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} [{elapsed} < {eta}]")
            .expect("the template is valid"),
    );
    let measurements =
        sweep::measure_with(&grid, launcher.as_ref(), args.repeats, args.seed, |point| {
            bar.set_message(format!(
                "{} {} ×{}",
                point.workload, point.strategy, point.workers
            ));
            bar.inc(1);
        });
    bar.finish_and_clear();
    let measurements = measurements?;
    let startup = sweep::startup_costs(&grid)?;
    let mut report = Report::new(machine, measurements, startup)?;
    if let Some(launcher) = &launcher {
        report.mpi_launch = sweep::launch_costs(&grid, launcher)?;
    }
    let path = report::write(&dir, &report)?;
    stdout::print(path.display());
    Ok(())
}
