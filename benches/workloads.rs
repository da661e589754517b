//! `cargo bench --bench workloads`: the speed targets of `linear-normal` and `ma2`.
//!
//! - `normal`: the bare ziggurat generator, filling 102 draws at a time as
//!   `ma2` does (throughput in normals per second): the ceiling for `ma2`.
//! - `ma2`: the tutorial's run (1,000,000 simulations), serial and with 2
//!   workers on a thread pool and in processes.
//! - `linear-normal`: a ladder of n for every strategy at 2 workers, to find
//!   where each one starts to beat serial (n = 100,000 is the lab's size).
//!
//! Samples are few and flat so the whole file runs in about a minute on two
//! cores; on a shared machine expect noise of 10-20%.

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use rand::SeedableRng;
use speedup::normal::Ziggurat;
use speedup::seeds::{ChunkRng, DEFAULT_SEED};
use speedup::strategy::Strategy;
use speedup::timed_run::timed;
use speedup::workloads::linear_normal::LinearNormal;
use speedup::workloads::ma2::Ma2;
use std::hint::black_box;
use std::time::Duration;

/// Normals per simulation of `ma2` (100 observations + 2).
const PER_SIMULATION: usize = 102;

fn normal_generator(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("normal");
    let simulations = 10_000;
    group.throughput(Throughput::Elements((simulations * PER_SIMULATION) as u64));
    group.bench_function("ziggurat", |b| {
        let zig = Ziggurat::new();
        let mut rng = ChunkRng::seed_from_u64(1);
        let mut noise = [0.0; PER_SIMULATION];
        b.iter(|| {
            for _ in 0..simulations {
                zig.fill(&mut noise, &mut rng);
                black_box(&noise);
            }
        })
    });
    group.finish();
}

fn ma2(criterion: &mut Criterion) {
    let workload = Ma2::default();
    let mut group = criterion.benchmark_group("ma2");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements(workload.n_sim() as u64));
    for (strategy, workers) in [
        (Strategy::Serial, 1),
        (Strategy::ThreadPool, 2),
        (Strategy::Process(speedup::Schedule::Dynamic), 2),
    ] {
        group.bench_function(BenchmarkId::new(strategy.label(), workers), |b| {
            b.iter(|| timed(&workload, strategy, workers, DEFAULT_SEED).expect("ma2 run"))
        });
    }
    group.finish();
}

fn linear_normal(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("linear-normal");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_millis(500));
    for n in [10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000] {
        let workload = LinearNormal { n };
        group.throughput(Throughput::Elements(n as u64));
        for strategy in Strategy::all() {
            let workers = if strategy == Strategy::Serial { 1 } else { 2 };
            let id = BenchmarkId::new(format!("{}/{workers}", strategy.label()), n);
            group.bench_function(id, |b| {
                b.iter(|| timed(&workload, strategy, workers, DEFAULT_SEED).expect("run"))
            });
        }
    }
    group.finish();
}

fn main() {
    // First thing: a child started by the process strategy serves chunks here.
    speedup::worker_hook();
    let mut criterion = Criterion::default().configure_from_args();
    normal_generator(&mut criterion);
    ma2(&mut criterion);
    linear_normal(&mut criterion);
    criterion.final_summary();
}
