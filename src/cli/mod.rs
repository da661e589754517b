//! The `speedup` command line, for the library's workloads or a program's
//! own: argument parsing and the one place errors are printed.
//!
//! `src/main.rs` is `cli::main::<AnyWorkload>()`. A crate with workloads of
//! its own lists them with [`workload_set!`](crate::workload_set) and calls
//! `speedup::cli::main::<MyWorkloads>()`: `run`, `sweep` and `report` then
//! work on its workloads with every strategy, process workers included
//! (`examples/mandelbrot`).

mod args;
mod command_flags;
mod labs;
mod record;
mod report;
mod run;
mod stdout;
mod sweep;

use crate::workload::WorkloadSet;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

const ABOUT: &str = "Measure how parallel programs scale: run a workload by a strategy, sweep worker counts, draw speedup curves.";

const LONG_ABOUT: &str = "\
Measure how parallel programs scale.

A workload says what to compute (split into fixed chunks); a strategy says how
to run the chunks: serially, on a rayon thread pool, on scoped threads, in
child processes, or (built with --features mpi, under mpirun) on MPI ranks. The same seed gives bit-identical results for every strategy
and worker count: compare the checksums.

Start here:
  speedup run integration --strategy serial
  speedup run integration --strategy scoped --schedule static --workers 2
  speedup run integration --strategy scoped --schedule dynamic --workers 2
  speedup sweep                      (every strategy over 1..2×CPUs, then a report)
  speedup report reports/<machine>   (redraw a report from its speedup.json)";

#[derive(Debug, Parser)]
#[command(name = "speedup", version, about = ABOUT, long_about = LONG_ABOUT)]
struct Cli<S: WorkloadSet> {
    #[command(subcommand)]
    command: Command<S>,
}

#[derive(Debug, Subcommand)]
enum Command<S: WorkloadSet> {
    Run(run::RunArgs<S>),
    // Boxed: the sweep's many flags would make every command as large.
    Sweep(Box<sweep::SweepArgs<S>>),
    Report(report::ReportArgs),
    /// The workbook: check a lab's tasks, or release the student edition
    #[command(subcommand)]
    Labs(labs::LabsCommand),
}

/// What `speedup PATH... --help` prints, for a subcommand path such as
/// `["sweep"]` (`[]` for the top level); `None` if there is no such
/// subcommand. Texts that name commands are checked against it, so they
/// never send a reader to a flag that does not exist.
pub fn help<S: WorkloadSet>(path: &[&str]) -> Option<String> {
    use clap::CommandFactory;
    let mut command = Cli::<S>::command();
    for name in path {
        command = command.find_subcommand(name)?.clone();
    }
    Some(command.render_long_help().to_string())
}

/// The whole program: serves as a process worker if started as one, else
/// parses the arguments, runs the command and prints any error on one line.
pub fn main<S: WorkloadSet>() -> ExitCode {
    // First thing: if this process was started as a process-strategy worker,
    // serve chunks and exit (see `strategy/worker.rs`).
    crate::strategy::worker::serve_if_worker::<S>();
    one_line_panics();
    if let Err(err) = crate::interrupt::install() {
        return crate::exit::exit_code(Err(err));
    }
    let cli = match Cli::<S>::try_parse() {
        Ok(cli) => cli,
        Err(err) => return report_parse_error(err),
    };
    let result = match cli.command {
        Command::Run(args) => run::execute(args),
        Command::Sweep(args) => sweep::execute(*args),
        Command::Report(args) => report::execute(args),
        Command::Labs(command) => labs::execute(command),
    };
    crate::exit::exit_code(result)
}

/// Keeps panics to one line.
///
/// A panic on a worker thread comes back from the strategy as an error, which
/// `main` prints; the default hook would print it first as well, with a
/// backtrace hint. So worker threads panic silently here. A panic on the main
/// thread is a bug in speedup, and is reported as one, on one line.
fn one_line_panics() {
    std::panic::set_hook(Box::new(|info| {
        if std::thread::current().name() != Some("main") {
            return;
        }
        let message = crate::strategy::panics::message(info.payload());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("error: internal error{place}: {message} (a bug in speedup: please report it)");
    }));
}

/// Help and version go to stdout as clap writes them; real errors are cut to
/// their first line, which names the problem, plus a pointer to `--help`.
fn report_parse_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = err.print();
        return if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    let text = err.to_string();
    let first = text
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("error: bad arguments");
    eprintln!("{first} (see --help)");
    ExitCode::from(2)
}
