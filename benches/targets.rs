//! `cargo bench --bench targets`: the speed targets of issue 13, each as a
//! ratio measured in one run, in interleaved pairs (see `support/mod.rs`).
//!
//! | ratio (subject / reference)                   | target                   |
//! |-----------------------------------------------|--------------------------|
//! | `ma2` serial / its 1.02e8 bare normals        | <= 1.3                   |
//! | `ma2` serial / ELFI 0.8.8 native client       | <= 1/15 (inverse >= 15)  |
//! | `integration` serial / lecture numpy code     | <= 1/3 (inverse >= 3)    |
//! | `linear-normal` serial / its 500,000 normals  | as close to 1 as can be  |
//! | `linear-normal` serial / numpy                | (how far ahead)          |
//! | process-dynamic / thread-pool, 2 workers      | <= 1.05, ma2 and integration |
//!
//! and `linear-normal` serial itself, 100,000 draws: <= 0.5 ms.
//!
//! The peers run only where installed: `python3` with numpy for the lecture's
//! code, with `elfi` for ELFI's (`benches/peers/`). Where one is missing the
//! bench says `skipped` and goes on. Each `ratio` line gives the median of
//! `subject / reference` over the pairs, and its inverse; criterion's own
//! line above it is the subject's time.
//!
//! Short on purpose (about a minute without peers): ten samples each, and a
//! shared two-core machine drifts by 10-20% between minutes, which is why
//! only the ratios of interleaved pairs are worth quoting.

mod support;

use criterion::{Criterion, SamplingMode};
use speedup::normal::Ziggurat;
use speedup::seeds::{DEFAULT_SEED, chunk_rng};
use speedup::strategy::Strategy;
use speedup::timed_run::timed;
use speedup::workload::Workload;
use speedup::workloads::integration::Integration;
use speedup::workloads::linear_normal::LinearNormal;
use speedup::workloads::ma2::Ma2;
use speedup::{Schedule, Strategy::Serial};
use std::hint::black_box;
use std::time::Duration;
use support::{Pairs, Peer, time};

/// One timed run of `workload`, as `speedup run` times it.
fn run<W: Workload>(workload: &W, strategy: Strategy, workers: usize) -> Duration {
    timed(workload, strategy, workers, DEFAULT_SEED)
        .expect("a run")
        .1
}

/// `count` standard normals from the buffered sampler, in buffers of
/// `per_fill` as the workload fills them: the bare cost of its randomness.
fn bare_normals(count: usize, per_fill: usize) -> Duration {
    let zig = Ziggurat::new();
    let mut rng = chunk_rng(DEFAULT_SEED, 0);
    let mut buffer = vec![0.0; per_fill];
    time(|| {
        for _ in 0..count / per_fill {
            zig.fill(&mut buffer, &mut rng);
            black_box(&buffer);
        }
    })
}

/// Times `subject` against `reference` in interleaved pairs under criterion,
/// then prints the median ratio.
fn compare(
    criterion: &mut Criterion,
    name: &str,
    (what, target): (&str, &str),
    mut subject: impl FnMut() -> Duration,
    mut reference: impl FnMut() -> Duration,
) {
    let pairs = Pairs::default();
    let mut group = criterion.benchmark_group("targets");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    group.bench_function(name, |b| {
        b.iter_custom(|iters| pairs.run(iters, &mut subject, &mut reference))
    });
    group.finish();
    pairs.report(what, target);
}

fn ma2(criterion: &mut Criterion) {
    let ma2 = Ma2::default();
    let normals = ma2.n_sim() * (ma2.n_obs + 2);
    compare(
        criterion,
        "ma2 serial vs its bare normals",
        ("ma2 serial / its bare normals", "<= 1.3"),
        || run(&ma2, Serial, 1),
        || bare_normals(normals, ma2.n_obs + 2),
    );
    if let Some(mut elfi) = Peer::start("elfi_ma2.py") {
        compare(
            criterion,
            "ma2 serial vs ELFI",
            ("ma2 serial / ELFI native client", "inverse >= 15"),
            || run(&ma2, Serial, 1),
            || elfi.run_once(),
        );
    }
}

fn integration(criterion: &mut Criterion) {
    let study = Integration::default();
    match Peer::start("numpy_integration.py") {
        Some(mut numpy) => compare(
            criterion,
            "integration serial vs numpy",
            ("integration serial / lecture numpy", "inverse >= 3"),
            || run(&study, Serial, 1),
            || numpy.run_once(),
        ),
        None => {
            let mut group = criterion.benchmark_group("targets");
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(3));
            group.bench_function("integration serial", |b| b.iter(|| run(&study, Serial, 1)));
            group.finish();
        }
    }
}

fn linear_normal(criterion: &mut Criterion) {
    let lab = LinearNormal::default();
    compare(
        criterion,
        "linear-normal serial vs its bare normals",
        (
            "linear-normal serial / its bare normals",
            "close to 1 (and the run itself <= 0.5 ms)",
        ),
        || run(&lab, Serial, 1),
        || bare_normals(5 * lab.n, 320),
    );
    if let Some(mut numpy) = Peer::start("numpy_linear_normal.py") {
        compare(
            criterion,
            "linear-normal serial vs numpy",
            (
                "linear-normal serial / numpy Generator.normal x5",
                "none set",
            ),
            || run(&lab, Serial, 1),
            || numpy.run_once(),
        );
    }
}

/// process-dynamic against thread-pool, both at 2 workers, on the two
/// workloads where the process strategy's costs (round trips per chunk,
/// parts through pipes) used to show.
fn process_vs_threads(criterion: &mut Criterion) {
    let process = Strategy::Process(Schedule::Dynamic);
    let ma2 = Ma2::default();
    compare(
        criterion,
        "ma2 process-dynamic vs thread-pool x2",
        ("process-dynamic / thread-pool, ma2, 2 workers", "<= 1.05"),
        || run(&ma2, process, 2),
        || run(&ma2, Strategy::ThreadPool, 2),
    );
    let study = Integration::default();
    compare(
        criterion,
        "integration process-dynamic vs thread-pool x2",
        (
            "process-dynamic / thread-pool, integration, 2 workers",
            "<= 1.05",
        ),
        || run(&study, process, 2),
        || run(&study, Strategy::ThreadPool, 2),
    );
}

fn main() {
    // First thing: a child started by the process strategy serves chunks here.
    speedup::worker_hook();
    let mut criterion = Criterion::default().configure_from_args();
    ma2(&mut criterion);
    integration(&mut criterion);
    linear_normal(&mut criterion);
    process_vs_threads(&mut criterion);
    criterion.final_summary();
}
