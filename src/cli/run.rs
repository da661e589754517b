//! `speedup run WORKLOAD`: one timed run, its summary and checksum.

use super::args;
use super::record::Record;
use super::stdout;
use crate::atomic_file::AtomicFile;
use crate::estimate::{Estimate, shared};
use crate::plot::Format;
use crate::seeds::DEFAULT_SEED;
use crate::strategy::mpi;
use crate::strategy::{DEFAULT_TIMEOUT, Kind, RunOptions};
use crate::workload::WorkloadSet;
use crate::{Error, Result, Schedule, Strategy};
use std::path::{Path, PathBuf};
use std::time::Duration;

const AFTER_HELP: &str = "\
Examples:
  speedup run integration --strategy serial
  speedup run integration --strategy process --workers 2 --json
  speedup run integration --samples 2000 --output convergence.json
  mpirun -n 2 speedup run integration --strategy mpi   (built with --features mpi)

Run the same command with different strategies and worker counts: the
checksum stays the same, only the wall time changes.";

/// Run one workload once with one strategy and print what it computed.
#[derive(Debug, clap::Args)]
#[command(after_help = format!("{}\n\n{AFTER_HELP}", Strategy::help_table()), allow_negative_numbers = true)]
pub struct RunArgs<S: WorkloadSet> {
    #[command(subcommand)]
    workload: S,

    #[arg(
        long,
        global = true,
        default_value = "thread-pool",
        value_name = "STRATEGY",
        help = Strategy::help()
    )]
    strategy: String,

    /// How chunks are shared out by scoped and process: static blocks or dynamic [default: dynamic]
    #[arg(long, global = true, value_parser = parse_schedule)]
    schedule: Option<Schedule>,

    /// Number of threads or processes [default: logical CPUs; mpi: the ranks mpirun started]
    #[arg(long, global = true, value_parser = crate::sweep::worker_count, value_name = "N", allow_hyphen_values = true)]
    workers: Option<usize>,

    /// Seed of the random streams: same seed, same bits, for every strategy
    #[arg(long, global = true, default_value_t = DEFAULT_SEED, value_parser = crate::flags::seed, allow_hyphen_values = true)]
    seed: u64,

    /// Print one JSON object instead of text
    #[arg(long, global = true)]
    json: bool,

    /// Also write the full result to FILE as JSON
    #[arg(long, global = true, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Seconds a process worker may take to start or to answer one batch of chunks before it is killed as hung
    #[arg(long, global = true, value_parser = args::seconds, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT.as_secs_f64(), allow_hyphen_values = true)]
    timeout: f64,

    /// Also draw the result's figure to FILE.svg or FILE.png (ma2: ELFI's pair plot)
    #[arg(long, global = true, value_name = "FILE")]
    plot: Option<PathBuf>,

    /// Run even if the run is estimated to take more than a day
    #[arg(long, global = true)]
    yes: bool,
}

/// Fails before the run if `--plot` cannot be honoured.
fn check_plot_path<S: WorkloadSet>(workload: &S, path: &Path) -> Result<()> {
    if !workload.has_plot() {
        return Err(Error::new(format!(
            "--plot: the {} workload draws no figure (ma2 does)",
            workload.name()
        )));
    }
    Format::of_path(path)?;
    drop(AtomicFile::create(path)?); // the folder exists and is writable
    Ok(())
}

fn parse_schedule(text: &str) -> Result<Schedule, String> {
    text.parse().map_err(|e: crate::Error| e.to_string())
}

pub fn execute<S: WorkloadSet>(args: RunArgs<S>) -> Result<()> {
    let strategy = Strategy::parse(&args.strategy, args.schedule)?;
    // Open the output file first: a bad path fails now, not after the run.
    let output = args.output.as_ref().map(AtomicFile::create).transpose()?;
    if let Some(path) = &args.plot {
        check_plot_path(&args.workload, path)?;
    }
    // Under mpirun every rank runs this very command (strategy/mpi.rs).
    let mpi = match strategy.kind() {
        Kind::LaunchedRanks => Some(mpi::Session::start()?),
        _ => None,
    };
    let workers = match (strategy.kind(), &mpi) {
        (Kind::Serial, _) => 1,
        (_, Some(session)) => args.workers.unwrap_or(session.size()),
        _ => args.workers.unwrap_or_else(args::default_workers),
    };
    // A run of days is refused before it starts, unless asked for.
    args.workload.validate()?;
    if let Some(serial) = args.workload.serial_cost() {
        Estimate(shared(serial, workers, num_cpus::get())).check(
            "this run",
            "the workload's cost",
            args.yes,
        )?;
    }
    if let Some(session) = mpi.as_ref().filter(|session| !session.is_root()) {
        // Not rank 0: compute this rank's share, send it, print nothing.
        return session.serve(args.workload, args.seed, workers);
    }
    let keep_full = output.is_some();
    let record = args.workload.visit(Record {
        strategy,
        workers,
        seed: args.seed,
        options: RunOptions::with_timeout(Duration::from_secs_f64(args.timeout)),
        keep_full,
        plot: args.plot,
    })?;
    if let (Some(file), Some(full)) = (output, &record.full) {
        file.commit(serde_json::to_string(full)?.as_bytes())?;
    }
    if args.json {
        stdout::print(record.to_json());
    } else {
        stdout::print(record.to_text());
    }
    Ok(())
}
