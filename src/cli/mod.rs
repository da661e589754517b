//! Argument parsing and the one place errors are printed.

mod args;
mod labs;
mod record;
mod report;
mod run;
mod stdout;
mod sweep;

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
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Run(run::RunArgs),
    Sweep(sweep::SweepArgs),
    Report(report::ReportArgs),
    /// The workbook: check a lab's tasks, or release the student edition
    #[command(subcommand)]
    Labs(labs::LabsCommand),
}

/// Parses the arguments, runs the command, prints any error on one line.
pub fn main() -> ExitCode {
    one_line_panics();
    if let Err(err) = speedup::interrupt::install() {
        return speedup::exit::exit_code(Err(err));
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return report_parse_error(err),
    };
    let result = match cli.command {
        Command::Run(args) => run::execute(args),
        Command::Sweep(args) => sweep::execute(args),
        Command::Report(args) => report::execute(args),
        Command::Labs(command) => labs::execute(command),
    };
    speedup::exit::exit_code(result)
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
        let message = speedup::strategy::panics::message(info.payload());
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
