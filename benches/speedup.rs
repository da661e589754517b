//! `cargo bench`: every strategy of every workload over a sweep of worker
//! counts, and the machine ceiling beside them, then a speedup report.
//!
//! criterion drives: one group per workload, one benchmark per point
//! (`integration/scoped-static/2`, and `integration/ceiling/2` for two
//! serial copies at once). Each benchmark times its point with
//! `iter_custom`, and every run of the point is paired with serial runs
//! right beside it (`speedup::measure::Bracket`): criterion's own figures
//! show the point's time, and the report's speedups are medians of the
//! per-pair ratios, so minutes of drift between one benchmark and the next
//! cannot bias them. The pairs are kept and the report (JSON, Markdown,
//! figures) is written to `reports/<machine>/` (or `$SPEEDUP_REPORT_DIR`).
//! The first call of each benchmark (criterion's warm-up) is not kept.
//!
//! Knobs: `SPEEDUP_WORKERS=1,2,4`, `SPEEDUP_WORKLOADS=ma2,integration`,
//! `SPEEDUP_SIZES=linear-normal:n=1e5,1e6,1e7,1e8` (a size study: each size
//! a workload of its own, and the report's speedup against size), and
//! criterion's own arguments (`cargo bench -- integration`, `-- --quick`).
//!
//! Settings suit slow iterations (a run takes tenths of a second): flat
//! sampling, 10 samples, a 1 ms warm-up (one call) and a 0.5 s target, so a
//! slow point costs 11 pairs and a fast one about 0.5 s of its own runs.

use criterion::{BenchmarkId, Criterion, SamplingMode};
use speedup::folder_lock::LockedFolder;
use speedup::machine::Machine;
use speedup::measure::{Bracket, Conditions, Group};
use speedup::report::{self, Report};
use speedup::seeds::DEFAULT_SEED;
use speedup::sweep::{self, Grid, Study};
use speedup::{AnyWorkload, Error, Measurement};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Overrides the report directory.
const REPORT_DIR_ENV: &str = "SPEEDUP_REPORT_DIR";

/// How `cargo bench` takes its times, as the report states it.
const METHOD: &str = "cargo bench (criterion 0.8, flat sampling, iter_custom): \
each point's runs back to back, each run between two serial runs";

fn main() -> ExitCode {
    // First thing: a child started by the process strategy serves chunks here.
    speedup::worker_hook();
    speedup::exit::exit_code(bench())
}

fn bench() -> speedup::Result<()> {
    let started = Instant::now();
    let grid = Grid::from_env()?;
    let families = Study::from_env::<AnyWorkload>()?.families::<AnyWorkload>(&grid.workloads)?;
    let machine = Machine::detect();
    // Locked before measuring: a second writer of the folder is refused now.
    let dir = std::env::var_os(REPORT_DIR_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| report::default_dir(&machine));
    let folder = LockedFolder::take(&dir)?;
    let conditions = Conditions::now(METHOD);
    // Start-up first, from a fresh parent: starting a child copies the
    // parent's page tables, so after a study of large sizes (a parent that
    // held gigabytes) it cost 134 ms a process instead of ~2 ms.
    let startup = sweep::startup_costs(&grid)?;
    let mut criterion = Criterion::default().configure_from_args();
    // The workloads at their defaults first, then a size study from the
    // smallest size up: the largest leave the parent's memory large.
    let mut families = families;
    families.sort_by(|a, b| {
        let size = |f: &sweep::Family<AnyWorkload>| f.size.as_ref().map(|s| s.value);
        size(a)
            .partial_cmp(&size(b))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut groups =
        sweep::groups_of_families(&families, &grid, None, &Default::default(), DEFAULT_SEED)?;
    println!(
        "Each point: 10 paired runs after one warm-up, whatever criterion's target; its \
         'Unable to complete 10 samples' warnings for slow points are expected."
    );
    let total: usize = groups.iter().map(|g| g.contestants.len()).sum();
    let mut measurements = Vec::new();
    let mut done = 0;
    for group in &mut groups {
        println!(
            "== [{done}/{total} points done, {:.0} s] {}: {} points, each run paired with serial",
            started.elapsed().as_secs_f64(),
            group.workload,
            group.contestants.len()
        );
        done += group.contestants.len();
        measurements.extend(bench_group(&mut criterion, group)?);
    }
    criterion.final_summary();

    if measurements.is_empty() {
        println!("no benchmark ran (filtered out?), so no report was written");
        return Ok(());
    }
    for family in &families {
        family.annotate(&mut measurements);
    }
    let rounds = measurements.iter().map(|m| m.samples).min().unwrap_or(0);
    let report =
        Report::new(machine, measurements, startup)?.with_conditions(conditions.finish(rounds));
    let path = report::write_to(&folder, &report)?;
    println!(
        "speedup report: {} (measured in {:.1} min)",
        path.display(),
        started.elapsed().as_secs_f64() / 60.0
    );
    Ok(())
}

/// Benchmarks every point of one workload; returns the measurements of the
/// points that ran (a criterion filter may skip some).
fn bench_group(criterion: &mut Criterion, group: &mut Group) -> speedup::Result<Vec<Measurement>> {
    let mut benchmarks = criterion.benchmark_group(&group.workload);
    benchmarks
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_millis(500))
        // The report computes its own intervals, from the pairs.
        .nresamples(1_000);
    let serial = &mut group.serial;
    let mut measurements = Vec::new();
    for contestant in &mut group.contestants {
        let mut pairs = Vec::new();
        let mut bracket: Option<Bracket> = None;
        let mut calls = 0;
        let mut failure: Option<Error> = None;
        let id = BenchmarkId::new(&contestant.strategy, contestant.workers);
        benchmarks.bench_function(id, |b| {
            b.iter_custom(|iters| {
                let mut point_time = Duration::ZERO;
                for _ in 0..iters {
                    if failure.is_some() {
                        break;
                    }
                    let pair = match bracket.as_mut() {
                        Some(bracket) => bracket.pair(serial, &mut contestant.run),
                        None => Bracket::start(serial).and_then(|started| {
                            bracket.insert(started).pair(serial, &mut contestant.run)
                        }),
                    };
                    match pair {
                        Ok(pair) => {
                            point_time += Duration::from_secs_f64(pair.0.seconds);
                            // The first call is criterion's warm-up: first-touch costs.
                            if calls > 0 {
                                pairs.push(pair);
                            }
                        }
                        Err(err) => failure = Some(err),
                    }
                }
                calls += 1;
                point_time.max(Duration::from_nanos(1))
            })
        });
        if let Some(err) = failure {
            return Err(err.context(format!(
                "{}/{}/{}",
                group.workload, contestant.strategy, contestant.workers
            )));
        }
        if !pairs.is_empty() {
            measurements.push(Measurement::from_runs(
                &group.workload,
                &contestant.strategy,
                contestant.workers,
                &pairs,
            ));
        }
    }
    benchmarks.finish();
    Ok(measurements)
}
