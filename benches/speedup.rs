//! `cargo bench`: every strategy of every workload over a sweep of worker
//! counts, then a speedup report.
//!
//! One criterion group per workload, one benchmark per (strategy, workers):
//! `integration/scoped-static/2`. Serial runs once, as the baseline. After
//! measuring, the results criterion saved are read back
//! (`speedup::report::criterion`) and the report is written to
//! `reports/<machine>/` (or `$SPEEDUP_REPORT_DIR`).
//!
//! Knobs: `SPEEDUP_WORKERS=1,2,4`, `SPEEDUP_WORKLOADS=ma2,integration`, and
//! criterion's own arguments (`cargo bench -- integration`, `-- --quick`).
//!
//! Settings suit slow iterations (a run takes tenths of a second): flat
//! sampling, 10 samples, a short warm-up, and a 2 s measurement target, so
//! each point costs about max(2 s, 10 runs). `--quick` doubles the runs per
//! point until they agree within 5%, for at most the measurement time; that
//! limit is cut to 0.8 s there, so a quick look stays quick.

use criterion::{BenchmarkId, Criterion, SamplingMode};
use speedup::machine::Machine;
use speedup::report::{self, Report};
use speedup::seeds::DEFAULT_SEED;
use speedup::sweep::{self, Grid, Point};
use speedup::timed_run::timed;
use speedup::workload::Workload;
use speedup::workloads::{AnyWorkload, WorkloadVisitor};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

/// Overrides the report directory.
const REPORT_DIR_ENV: &str = "SPEEDUP_REPORT_DIR";

fn main() -> ExitCode {
    // First thing: a child started by the process strategy serves chunks here.
    speedup::worker_hook();
    speedup::error::exit_code(bench())
}

fn bench() -> speedup::Result<()> {
    let grid = Grid::from_env()?;
    let criterion_dir = criterion_dir();
    let started = SystemTime::now();
    let mut criterion = Criterion::default()
        .output_directory(&criterion_dir)
        .configure_from_args();
    for name in &grid.workloads {
        let points = grid.points_of(name);
        AnyWorkload::with_defaults(name)?.visit(Register {
            criterion: &mut criterion,
            points: &points,
        });
    }
    criterion.final_summary();

    let measurements = report::criterion::read_measurements(&criterion_dir, Some(started))?;
    if measurements.is_empty() {
        println!("no benchmark ran (filtered out?), so no report was written");
        return Ok(());
    }
    let machine = Machine::detect();
    let dir = std::env::var_os(REPORT_DIR_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| report::default_dir(&machine));
    let startup = sweep::startup_costs(&grid)?;
    let report = Report::new(machine, measurements, startup)?;
    let path = report::write(&dir, &report)?;
    println!("speedup report: {}", path.display());
    Ok(())
}

/// Where criterion keeps its results: the same rule criterion follows
/// (`$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`, else
/// `target/criterion`), made explicit so the reader looks in the same place.
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return home.into();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("criterion")
}

/// Registers one workload's points as benchmarks, whichever workload it is.
struct Register<'a> {
    criterion: &'a mut Criterion,
    points: &'a [Point],
}

impl WorkloadVisitor for Register<'_> {
    type Output = ();

    fn visit<W: Workload>(self, workload: W) {
        let quick = std::env::args().any(|arg| arg == "--quick");
        let mut group = self.criterion.benchmark_group(W::NAME);
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_millis(if quick { 800 } else { 2000 }))
            // The report computes its own intervals from the samples.
            .nresamples(1_000);
        for point in self.points {
            group.bench_with_input(
                BenchmarkId::new(point.strategy.label(), point.workers),
                point,
                |b, point| {
                    b.iter(|| {
                        timed(&workload, point.strategy, point.workers, DEFAULT_SEED)
                            .expect("a benchmark run failed")
                    })
                },
            );
        }
        group.finish();
    }
}
