//! The reader of criterion's private JSON, tested on files that a tiny
//! criterion run (the pinned version) writes here and now.

use criterion::{BenchmarkId, Criterion, SamplingMode};
use speedup::report::criterion::read_measurements;
use std::hint::black_box;
use std::time::{Duration, SystemTime};

#[test]
fn reads_back_what_a_criterion_run_wrote() {
    let dir = std::env::temp_dir().join(format!("speedup-criterion-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let started = SystemTime::now();
    let mut criterion = Criterion::default().output_directory(&dir);
    {
        let mut group = criterion.benchmark_group("toy");
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_millis(20))
            .measurement_time(Duration::from_millis(60))
            .nresamples(100);
        for (strategy, workers) in [("serial", 1), ("scoped-static", 2)] {
            group.bench_with_input(
                BenchmarkId::new(strategy, workers),
                &workers,
                // Ten times the work at 2 "workers": a gap no noise can close.
                |b, &workers| {
                    let n = 2_000 * 10u64.pow(workers - 1);
                    b.iter(|| (0..n).map(black_box).sum::<u64>())
                },
            );
        }
        group.finish();
    }

    let measurements = read_measurements(&dir, Some(started)).unwrap();
    assert_eq!(measurements.len(), 2, "{measurements:?}");
    let scoped = &measurements[0];
    assert_eq!(
        (
            scoped.workload.as_str(),
            scoped.strategy.as_str(),
            scoped.workers
        ),
        ("toy", "scoped-static", 2)
    );
    let serial = &measurements[1];
    assert_eq!((serial.strategy.as_str(), serial.workers), ("serial", 1));
    for m in &measurements {
        assert_eq!(m.samples, 10, "one timing per criterion sample");
        assert!(
            m.median_s > 0.0 && m.median_s < 0.01,
            "seconds per iteration: {m:?}"
        );
        assert!(m.ci_low_s <= m.mean_s && m.mean_s <= m.ci_high_s, "{m:?}");
    }
    // Ten times the work per iteration takes longer: the units line up.
    assert!(scoped.median_s > serial.median_s, "{measurements:?}");

    // Results older than `since` belong to an earlier run and are skipped.
    let later = SystemTime::now() + Duration::from_secs(3600);
    assert!(read_measurements(&dir, Some(later)).unwrap().is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_missing_directory_is_a_one_line_error() {
    let err = read_measurements(std::path::Path::new("/nonexistent/criterion"), None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("/nonexistent/criterion") && !err.contains('\n'),
        "{err}"
    );
}
