//! The small pieces under the workloads, measured on their own:
//!
//! - **sorting**: the integration workload sorts ~50 million uniform numbers
//!   per run. Three ways to sort 10,000 of them: a comparison sort on floats,
//!   a comparison sort on integer keys, and the linear-time bucket sort the
//!   workload uses (`src/workloads/bucket_sort.rs`).
//! - **process start-up**: what the process strategy pays per run before any
//!   chunk is computed.

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput};
use rand::RngCore;
use speedup::seeds::chunk_rng;
use speedup::strategy::process::startup_time;
use speedup::workloads::bucket_sort::BucketSorter;
use std::time::Duration;

fn sorting(c: &mut Criterion) {
    const N: usize = 10_000;
    // A fresh array for every sort: sorting one array over and over would let
    // the branch predictor learn its exact pattern, and hide the mispredicted
    // branches that cost a real sort of fresh random keys most of its time.
    let mut rng = chunk_rng(1, 0);
    let mut keys = move || -> Vec<u64> { (0..N).map(|_| rng.next_u64() >> 11).collect() };
    let to_float = |k: u64| k as f64 / (1u64 << 53) as f64;
    let mut group = c.benchmark_group("sort-10000-uniforms");
    group
        .throughput(Throughput::Elements(N as u64))
        .measurement_time(Duration::from_secs(2));
    group.bench_function("f64 sort_unstable_by(total_cmp)", |b| {
        b.iter_batched_ref(
            || keys().into_iter().map(to_float).collect::<Vec<f64>>(),
            |v| v.sort_unstable_by(f64::total_cmp),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("u64 sort_unstable", |b| {
        b.iter_batched_ref(&mut keys, |v| v.sort_unstable(), BatchSize::SmallInput)
    });
    let mut sorter = BucketSorter::default();
    group.bench_function("u64 bucket sort", |b| {
        b.iter_batched_ref(&mut keys, |v| sorter.sort(v, 53), BatchSize::SmallInput)
    });
    group.finish();
}

fn process_startup(c: &mut Criterion) {
    let mut group = c.benchmark_group("process-startup");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(3));
    for workers in [1, 2] {
        group.bench_with_input(
            BenchmarkId::from_parameter(workers),
            &workers,
            |b, &workers| b.iter(|| startup_time(workers).expect("workers start")),
        );
    }
    group.finish();
}

fn main() {
    // First thing: children started by the process strategy serve chunks here.
    speedup::worker_hook();
    let mut criterion = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_millis(500));
    sorting(&mut criterion);
    process_startup(&mut criterion);
    criterion.final_summary();
}
