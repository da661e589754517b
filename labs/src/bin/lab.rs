//! `lab`: time your lab code with the project's harness.
//!
//! ```text
//! cargo run -p speedup-labs --release -- time 1
//! cargo run -p speedup-labs --release -- time 2 --workers 1,2 --rounds 9
//! cargo run -p speedup-labs --release -- rejection --simulations 10000000
//! ```
//!
//! Your versions and the library's strategies run in the same interleaved
//! rounds, each run paired with serial runs beside it (see `timing.rs`).
//! Prints a table (your versions as `student-*`, then the library's
//! strategies) with speedups and their 95% intervals, the lab's own
//! analysis, and saves every measurement as JSON in `labs/results/labN.json`,
//! the format the report reads.

use clap::{Parser, Subcommand};
use speedup::Result;
use speedup_labs::timing::{self, Options};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "lab",
    about = "Time your lab code next to the library's strategies"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Time lab N's versions over worker counts and save the measurements
    Time {
        /// The lab, 1 to 4
        lab: u32,
        /// Worker counts, comma-separated [default: 1 to the logical CPUs]
        #[arg(long, value_parser = parse_workers, value_name = "LIST")]
        workers: Option<List<usize>>,
        /// Rounds: each runs every version once, between two serial runs (6 or more give 95% intervals)
        #[arg(long, alias = "repeats", default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=100))]
        rounds: u32,
        /// Skip the library's reference strategies
        #[arg(long)]
        no_reference: bool,
        /// Where to save the measurements [default: a new dated folder labs/results/labN/<date>T<time>Z/, with labs/results/labN/latest pointing at it]
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Lab 3: your serial rejection at other settings, or with the library's generator: its summary block and time
    Rejection {
        /// Simulations, rounded up to whole batches
        #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
        simulations: u64,
        /// Simulations per batch
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
        batch_size: u64,
        /// Whose normals your simulator draws: yours (rand_distr) or the library's ziggurat
        #[arg(long, default_value = "yours", value_parser = ["yours", "library"])]
        generator: String,
        /// Runs to time (the median is printed)
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
        repeats: u32,
    },
}

/// The library's list parser: the same rule and messages as `speedup sweep --workers`.
fn parse_workers(text: &str) -> Result<Vec<usize>, String> {
    speedup::sweep::parse_workers(text).map_err(|e| e.to_string())
}

/// One comma-separated value parsed into a list. (Spelled `Vec`, clap's
/// derive would take the flag as many values of `T`.)
type List<T> = Vec<T>;

fn main() -> ExitCode {
    // The library's process strategy re-runs this binary as its workers.
    speedup::worker_hook();
    // Ctrl-C or SIGTERM while timing: stop the worker processes first.
    if let Err(err) = speedup::interrupt::install() {
        return speedup::exit::exit_code(Err(err));
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if !err.use_stderr() => {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            let text = err.to_string();
            eprintln!(
                "{} (see --help)",
                text.lines().next().unwrap_or("error: bad arguments")
            );
            return ExitCode::from(2);
        }
    };
    speedup::exit::exit_code(run(cli.command))
}

fn run(command: Command) -> Result<()> {
    let (lab, workers, rounds, no_reference, out) = match command {
        Command::Time {
            lab,
            workers,
            rounds,
            no_reference,
            out,
        } => (lab, workers, rounds, no_reference, out),
        Command::Rejection {
            simulations,
            batch_size,
            generator,
            repeats,
        } => return rejection(simulations, batch_size, &generator, repeats),
    };
    speedup::labs::lab(lab as usize)?;
    let mut options = Options {
        rounds: rounds as usize,
        reference: !no_reference,
        ..Options::default()
    };
    if let Some(workers) = workers {
        options.workers = workers;
    }
    let all = unfinished_as_error(lab, || speedup_labs::measurements(lab, &options))?;
    print!("{}", timing::table(&all));
    print!(
        "{}",
        unfinished_as_error(lab, || Ok(speedup_labs::analysis(lab, &all)))?
    );
    let Some(path) = out else {
        // Each run its own dated folder: an earlier run is never overwritten.
        let results = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("results");
        let run = speedup_labs::results::new_run(&results, lab, std::time::SystemTime::now())?;
        let path = run.join(format!("lab{lab}.json"));
        timing::save(&path, &all)?;
        println!("saved {} measurements to {}", all.len(), path.display());
        draw(&run, lab, all)?;
        speedup_labs::results::mark_latest(&run)?;
        println!(
            "labs/results/lab{lab}/latest is this run; to compare it with an earlier one: \
             cargo run --release -- report --compare labs/results/lab{lab}/<earlier> labs/results/lab{lab}/latest --out labs/results/lab{lab}/compare"
        );
        return Ok(());
    };
    timing::save(&path, &all)?;
    println!("saved {} measurements to {}", all.len(), path.display());
    draw(&path.with_extension(""), lab, all)
}

/// Lab 3's `rejection`: the questions `time 3` cannot answer (another
/// number of simulations, another batch size, the library's generator).
fn rejection(simulations: u64, batch_size: u64, generator: &str, repeats: u32) -> Result<()> {
    use speedup_labs::lab03_ma2::{Generator, Settings, rejection_experiment};
    let settings = Settings {
        n_sim: simulations as usize,
        batch_size: batch_size as usize,
        ..Settings::default()
    };
    let generator = match generator {
        "library" => Generator::Library,
        _ => Generator::RandDistr,
    };
    let text = unfinished_as_error(3, || {
        rejection_experiment(&settings, generator, repeats as usize)
    })?;
    print!("{text}");
    Ok(())
}

/// Draws the student's curves next to the library's in a speedup report
/// (`report.md` and figures in `dir`), the same report `cargo bench`
/// writes. Speedups are over the library's serial run when it was measured.
fn draw(dir: &std::path::Path, lab: u32, measurements: Vec<speedup::Measurement>) -> Result<()> {
    use speedup::report;
    let report = speedup_labs::report(lab, measurements);
    match report.and_then(|report| report::write(dir, &report)) {
        Ok(markdown) => println!(
            "figures: {} (open report.html beside it)",
            markdown.display()
        ),
        // The report's own reason, and nothing more: a guessed remedy
        // ("run without --no-reference") misleads whoever never gave that flag.
        Err(err) => println!("no figures drawn: {err}"),
    }
    Ok(())
}

/// Runs `work`; a `todo!()` or failed assertion in the student's code
/// becomes a one-line error pointing to `speedup labs check`, not a panic.
fn unfinished_as_error<T>(lab: u32, work: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
    let _ = std::panic::take_hook();
    outcome.unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic".into());
        let message = message.lines().next().unwrap_or_default().to_string();
        Err(speedup::Error::new(format!(
            "lab {lab} is not finished ({message}); run `cargo run --release -- labs check {lab}`"
        )))
    })
}
