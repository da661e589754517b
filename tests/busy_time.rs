//! Every strategy reports how long each of its workers was busy running
//! chunks (`strategy/busy.rs`): one entry per worker, each within the run's
//! wall time. (No timing thresholds: a worker's busy time is bounded by the
//! run that contains it, however loaded the machine is.)

use speedup::strategy::RunOptions;
use speedup::workloads::integration::Integration;
use speedup::{Job, Strategy};
use std::time::Instant;

speedup::worker_test!();

#[test]
fn every_strategy_records_one_busy_time_per_worker_within_the_run() {
    let study = Integration {
        samples: 2000,
        ..Default::default()
    };
    let job = Job::new(&study, 3);
    let options = RunOptions::default();
    for strategy in Strategy::all() {
        for workers in [1, 2, 3] {
            let workers = if strategy == Strategy::Serial {
                1
            } else {
                workers
            };
            let start = Instant::now();
            let ran = strategy.run_recorded(&job, workers, &options).unwrap();
            let wall = start.elapsed().as_secs_f64();
            assert_eq!(ran.parts.len(), job.chunks(), "{strategy}");
            assert_eq!(ran.busy_s.len(), workers, "{strategy} at {workers}");
            let total: f64 = ran.busy_s.iter().sum();
            assert!(total > 0.0, "{strategy} at {workers}: someone ran chunks");
            for busy in &ran.busy_s {
                assert!(
                    (0.0..=wall).contains(busy),
                    "{strategy} at {workers}: busy {busy} s outside the run's {wall} s"
                );
            }
        }
    }
}

#[test]
fn static_blocks_give_every_worker_with_chunks_a_busy_time() {
    // 10 chunks over 3 static workers: every worker owns a block, so every
    // worker was busy for some time; the busy time follows the block.
    let study = Integration {
        samples: 2000,
        ..Default::default()
    };
    let job = Job::new(&study, 3);
    let ran = Strategy::parse("scoped-static", None)
        .unwrap()
        .run_recorded(&job, 3, &RunOptions::default())
        .unwrap();
    assert!(
        ran.busy_s.iter().all(|&busy| busy > 0.0),
        "{:?}",
        ran.busy_s
    );
}
