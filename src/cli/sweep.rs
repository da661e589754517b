//! `speedup sweep`: the benchmark grid without criterion.
//!
//! Every point runs once per round, in a fresh random order each round, and
//! every run is paired with serial runs beside it (`crate::measure`): the
//! speedups are medians of per-pair ratios with 95% intervals, and the
//! report is the very one `cargo bench` writes. `--until 5%` buys precision
//! with time: rounds of the points still wider than 5% are added until each
//! is within it, and `--budget 10m` caps the time they may take.

use super::args;
use super::command_flags;
use super::stdout;
use crate::command::{self, CommandSpec, MeasuredCommand};
use crate::estimate::Estimate;
use crate::folder_lock::LockedFolder;
use crate::launcher::Launcher;
use crate::machine::Machine;
use crate::measure::{Conditions, Event, Plan, RoundsBar, run_rounds, short_of};
use crate::report::{self, Context, Report};
use crate::scaling::Scaling;
use crate::seeds::DEFAULT_SEED;
use crate::strategy::{DEFAULT_TIMEOUT, RunOptions};
use crate::sweep::settings::{Setting, SizeList};
use crate::sweep::{
    self, Grid, Study, parse_setting, parse_sizes, parse_strategies, parse_workers,
    parse_workloads_of,
};
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
  speedup sweep --until 5% --budget 10m
  speedup sweep --workloads amdahl --workers 1,2,4,8,16
  speedup sweep --workloads amdahl --workers 1,2,4,8,16 --set amdahl:serial-fraction=0.3
  speedup sweep --workloads amdahl --workers 1,2,4,8,16 --set amdahl:spin
  speedup sweep --workloads linear-normal --sizes linear-normal:n=1e5,1e6,1e7
  speedup sweep --workloads ma2,linear-normal --workers 1,2 --scaling weak
  speedup sweep --strategies thread-pool,mpi --launcher \"mpirun -n {workers}\"
  speedup sweep --command \"sort --parallel={workers} -S 256M data.txt\" --workers 1,2 --check-output
  speedup sweep --command ./solver --env OMP_NUM_THREADS={workers} --serial ./solver-serial
  speedup sweep --workloads integration --command \"python3 examples/python-integration/integration.py {workers}\" --name python

How it measures: each round runs every point once, in a fresh random order,
as S P S P S ... where S is a serial run; each point's speedup is the median
of serial/point over the rounds, with a 95% interval from order statistics.
Beside the strategies it runs p serial copies at once: the machine ceiling,
what p independent jobs get here. Six rounds are the fewest for a 95%
interval; noisy machines need more: --until adds rounds only of the points
still too wide, until --max-rounds or the --budget is spent, and then names
the points still short of the target. Every run records what the machine
took from it (steal, other processes' load, its threads' run delay), and the
report says whether that explains a wide interval.

Sizes and parameters: --set WORKLOAD:FLAG=VALUE gives every point of a
workload one of the flags `speedup run WORKLOAD` takes (--set amdahl:spin
for a switch). --sizes WORKLOAD:FLAG=V1,V2,... measures the workload at each
size, each a study of its own (linear-normal@n=1e6 in the report), and the
report adds speedup against size at fixed worker counts. --scaling weak
grows each workload with the workers, p times the work at p workers
(ma2@weak in the report): scaled speedup, weak-scaling efficiency and
Gustafson's law instead of Amdahl's.

A --command is any program, a study of its own: run once per run as a
process (stdin closed, output captured), timed from spawn to reaped exit
with its CPU time, its baseline the same command at {workers} = 1 unless
--serial names one. Without --workloads only the commands are measured.

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

    /// Stop adding --until's rounds once the sweep has run this long, e.g. 90s or 10m
    #[arg(long, value_parser = crate::flags::duration, value_name = "DURATION", allow_hyphen_values = true)]
    budget: Option<Duration>,

    /// Report directory [default: reports/<machine>]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Seed of the random streams
    #[arg(long, default_value_t = DEFAULT_SEED, value_parser = crate::flags::seed, allow_hyphen_values = true)]
    seed: u64,

    /// Seconds a process worker may take to start or to answer one batch of chunks, or an mpi launch to end, before it is killed as hung
    #[arg(long, value_parser = args::seconds, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT.as_secs_f64(), allow_hyphen_values = true)]
    timeout: f64,

    /// Launches the mpi strategy: a command with {workers} where the rank count goes, run without a shell
    #[arg(long, value_name = "TEMPLATE")]
    launcher: Option<String>,

    /// Run even if the sweep is estimated to take more than a day
    #[arg(long)]
    yes: bool,

    // Any program as a study of its own: see "Measure your own program" in
    // the README, and `command/`.
    /// A program to measure (repeatable): {workers} is replaced by the worker count; split on whitespace and run without a shell, stdin closed, output captured
    #[arg(long = "command", value_name = "TEMPLATE", allow_hyphen_values = true)]
    commands: Vec<String>,

    /// Names the --command before it [default: its program's name]
    #[arg(long = "name", value_name = "NAME", allow_hyphen_values = true)]
    names: Vec<String>,

    /// The baseline of the --command before it: a serial program to divide by [default: the command at {workers} = 1]
    #[arg(long = "serial", value_name = "CMD", allow_hyphen_values = true)]
    serials: Vec<String>,

    /// Sets a variable for the --command before it, e.g. OMP_NUM_THREADS={workers} (repeatable)
    #[arg(long = "env", value_name = "VAR=VALUE", allow_hyphen_values = true)]
    envs: Vec<String>,

    /// Run every --command and --serial through `sh -c` (pipes, redirections, globs)
    #[arg(long)]
    shell: bool,

    /// Hash each command run's standard output and flag points whose output differs from the baseline's
    #[arg(long)]
    check_output: bool,

    /// With --check-output: stop the sweep at the first output that differs
    #[arg(long, requires = "check_output")]
    strict: bool,

    /// Sets a flag of a workload for the whole study, as `speedup run WORKLOAD` takes it (repeatable), e.g. amdahl:serial-fraction=0.3 or amdahl:spin
    #[arg(long = "set", value_name = "WORKLOAD:FLAG=VALUE", value_parser = parse_setting_arg::<S>, allow_hyphen_values = true)]
    settings: Vec<Setting>,

    /// Measures a workload at each of these sizes, each a study of its own (repeatable), e.g. linear-normal:n=1e5,1e6,1e7
    #[arg(long, value_name = "WORKLOAD:FLAG=SIZES", value_parser = parse_sizes_arg::<S>, allow_hyphen_values = true)]
    sizes: Vec<SizeList>,

    /// strong: the same problem at every worker count; weak: each workload grown with the workers, p times the work at p
    #[arg(long, default_value = "strong", value_parser = parse_scaling_arg, value_name = "SCALING")]
    scaling: Scaling,

    #[arg(skip)]
    workloads_of: PhantomData<S>,
}

/// How `speedup sweep` takes its times, as the report states it.
const METHOD: &str =
    "speedup sweep: interleaved rounds in random order, each run between two serial runs";

fn parse_workloads_arg<S: WorkloadSet>(text: &str) -> Result<Vec<String>, String> {
    parse_workloads_of::<S>(text).map_err(|e| e.to_string())
}

fn parse_setting_arg<S: WorkloadSet>(text: &str) -> Result<Setting, String> {
    parse_setting::<S>(text).map_err(|e| e.to_string())
}

fn parse_sizes_arg<S: WorkloadSet>(text: &str) -> Result<SizeList, String> {
    parse_sizes::<S>(text).map_err(|e| e.to_string())
}

fn parse_scaling_arg(text: &str) -> Result<Scaling, String> {
    text.parse()
}

fn parse_strategies_arg(text: &str) -> Result<Vec<Strategy>, String> {
    parse_strategies(text).map_err(|e| e.to_string())
}

fn parse_workers_arg(text: &str) -> Result<Vec<usize>, String> {
    parse_workers(text).map_err(|e| e.to_string())
}

pub fn execute<S: WorkloadSet>(args: SweepArgs<S>) -> Result<()> {
    if args.budget.is_some() && args.until.is_none() {
        return Err(Error::new(
            "--budget limits the rounds --until adds: add --until, like --until 5%",
        ));
    }
    let machine = Machine::detect();
    let mut grid = Grid::full_of::<S>();
    let commands = command_specs(&args)?;
    if !commands.is_empty() {
        // Commands alone, unless built-in workloads are named too.
        grid.workloads.clear();
    }
    if let Some(workloads) = args.workloads {
        grid.workloads = workloads;
    }
    check_command_names(&commands, &grid)?;
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
    let study = Study {
        settings: args.settings,
        sizes: args.sizes,
        scaling: args.scaling,
    };
    let families = study.families::<S>(&grid.workloads)?;
    for family in &families {
        family.check_growth(&grid.workers)?;
    }
    // A sweep of days is refused before it starts, unless asked for.
    let estimate = grid.estimate_families(&families, args.rounds, machine.logical_cpus);
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
        budget: args.budget,
        order_seed: args.seed,
    };
    let limit = Duration::from_secs_f64(args.timeout);
    let commands: Vec<MeasuredCommand> = commands
        .into_iter()
        .map(|spec| MeasuredCommand::new(spec, limit, args.check_output, args.strict))
        .collect();
    let process_floor = match commands.is_empty() {
        true => None,
        false => Some(command::process_floor(limit)?),
    };
    let runs_per_family = grid.points_of("").len() + grid.ceiling_counts().len();
    let runs_per_round = families.len() * runs_per_family
        + commands.len() * (2 * grid.workers.len() + 1 - usize::from(grid.workers.contains(&1)));
    let conditions = Conditions::now(METHOD);
    let mut bar = RoundsBar::new(plan.rounds, runs_per_round).with_estimate(estimate);
    let options = RunOptions::with_timeout(limit);
    let mut gave_up = None;
    let measurements =
        sweep::groups_of_families(&families, &grid, launcher.as_ref(), &options, args.seed)
            .and_then(|mut groups| {
                groups.extend(commands.iter().map(|c| c.group(&grid.workers)));
                run_rounds(&mut groups, &plan, |e| {
                    if let Event::GaveUp { why, .. } = e {
                        gave_up = Some(why);
                    }
                    bar.on(e)
                })
            });
    bar.finish();
    let mut measurements = measurements?;
    for family in &families {
        family.annotate(&mut measurements);
    }
    if let (Some(why), Some(target)) = (gave_up, plan.until) {
        eprintln!("note: no more rounds added: {why}; still short of the target:");
        for line in short_of(&measurements, target) {
            eprintln!("  {line}");
        }
    }
    let rounds = crate::measurement::rounds(&measurements);
    let startup = match grid.workloads.is_empty() {
        true => Vec::new(),
        false => sweep::startup_costs(&grid)?,
    };
    let mut report = Report::new(machine, measurements, startup)?
        .with_conditions(conditions.finish(rounds))
        .with_context(Context::of_this_sweep());
    report.commands = commands.iter().map(MeasuredCommand::study).collect();
    report.settings = study.described();
    report.process_floor_s = process_floor;
    if let Some(launcher) = &launcher {
        report.mpi_launch = sweep::launch_costs(&grid, launcher)?;
    }
    let path = report::write_to(&folder, &report)?;
    // The headline on stderr: stdout stays the report's path alone, for
    // scripts that read it.
    for line in report::findings::headline(&report) {
        eprintln!("{line}");
    }
    stdout::print(path.display());
    Ok(())
}

/// Every `--command` with its own flags, checked before anything runs.
fn command_specs<S: WorkloadSet>(args: &SweepArgs<S>) -> Result<Vec<CommandSpec>> {
    let values = command_flags::Values {
        commands: args.commands.clone(),
        names: args.names.clone(),
        serials: args.serials.clone(),
        envs: args.envs.clone(),
    };
    let args_typed = std::env::args_os().map(|a| a.to_string_lossy().into_owned());
    let grouped = command_flags::group(values, args_typed)?;
    if grouped.is_empty() && args.shell {
        return Err(Error::new("--shell is for --command: add one"));
    }
    if grouped.is_empty() && args.check_output {
        return Err(Error::new("--check-output is for --command: add one"));
    }
    grouped
        .iter()
        .map(|flags| CommandSpec::new(flags, args.shell))
        .collect()
}

/// Refuses two studies of one name: a command named like another, or like
/// a built-in workload of the same sweep.
fn check_command_names(commands: &[CommandSpec], grid: &Grid) -> Result<()> {
    for (i, spec) in commands.iter().enumerate() {
        let taken = grid.workloads.contains(&spec.name)
            || commands[..i].iter().any(|c| c.name == spec.name);
        if taken {
            return Err(Error::new(format!(
                "two studies are named '{}': name the --command with --name",
                spec.name
            )));
        }
    }
    Ok(())
}
