//! `cargo bench`: every strategy of every workload over a sweep of worker counts.

use criterion::{BenchmarkId, Criterion, SamplingMode};
use speedup::strategy::Strategy;
use speedup::timed_run::timed;
use speedup::workloads::integration::Integration;
use std::time::Duration;

fn main() {
    // First thing: a child started by the process strategy serves chunks here.
    speedup::worker_hook();
    let mut criterion = Criterion::default().configure_from_args();
    let workload = Integration::default();
    let max_workers = 2 * num_cpus::get();
    let mut group = criterion.benchmark_group("integration");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .measurement_time(Duration::from_secs(3));
    for strategy in Strategy::ALL {
        let counts: Vec<usize> = if strategy == Strategy::Serial {
            vec![1]
        } else {
            (1..=max_workers).collect()
        };
        for workers in counts {
            group.bench_with_input(
                BenchmarkId::new(strategy.label(), workers),
                &workers,
                |b, &workers| b.iter(|| timed(&workload, strategy, workers, 1).expect("run")),
            );
        }
    }
    group.finish();
    criterion.final_summary();
}
