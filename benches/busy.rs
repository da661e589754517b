//! What recording busy time costs (`src/strategy/busy.rs`): two clock reads
//! and one atomic addition per chunk.
//!
//! - **per chunk**: 10,000 tiny chunks (a few hundred nanoseconds of
//!   arithmetic each) run in a loop with and without the clock: the worst
//!   case, where the clock's cost is the largest share of a chunk;
//! - **a real run**: the default integration workload's chunks in order, as
//!   the serial strategy runs them with its clock, against the same loop
//!   without one.
//!
//! Run it alone: `cargo bench --bench busy -- --quick`.

use criterion::{Criterion, criterion_group, criterion_main};
use speedup::strategy::BusyClock;
use speedup::workloads::integration::Integration;
use speedup::{Job, Strategy};
use std::hint::black_box;
use std::time::Duration;

/// A chunk of a few hundred nanoseconds.
fn tiny_chunk(chunk: usize) -> u64 {
    (0..200u64).fold(chunk as u64, |acc, i| {
        acc.wrapping_mul(6364136223846793005).wrapping_add(i)
    })
}

fn per_chunk(c: &mut Criterion) {
    const CHUNKS: usize = 10_000;
    let mut group = c.benchmark_group("busy-clock-10000-tiny-chunks");
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("without clock", |b| {
        b.iter(|| (0..CHUNKS).map(|c| tiny_chunk(black_box(c))).sum::<u64>())
    });
    group.bench_function("with clock", |b| {
        b.iter(|| {
            let clock = BusyClock::new(1);
            let sum = (0..CHUNKS)
                .map(|c| clock.time(0, || tiny_chunk(black_box(c))))
                .sum::<u64>();
            (sum, clock.seconds())
        })
    });
    group.finish();
}

fn real_run(c: &mut Criterion) {
    let workload = Integration::default();
    let job = Job::new(&workload, 1);
    let mut group = c.benchmark_group("busy-clock-integration");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("without clock", |b| {
        b.iter(|| {
            (0..job.chunks())
                .map(|c| job.run_chunk(c))
                .collect::<Vec<_>>()
        })
    });
    group.bench_function("with clock (serial strategy)", |b| {
        b.iter(|| {
            Strategy::Serial
                .run_recorded(&job, 1, &Default::default())
                .expect("serial runs")
        })
    });
    group.finish();
}

criterion_group!(benches, per_chunk, real_run);
criterion_main!(benches);
