//! Same seed, same bits: every strategy and schedule at every worker count
//! reproduces the serial result exactly (checksum and every estimate).

use speedup::Outcome;
use speedup::strategy::Strategy;
use speedup::timed_run::timed;
use speedup::workloads::integration::Integration;

// This test binary can act as a process-strategy worker (see `strategy/worker.rs`).
speedup::worker_test!();

const WORKER_COUNTS: [usize; 5] = [1, 2, 3, 4, 7];

#[test]
fn integration_is_bit_identical_for_every_strategy_and_worker_count() {
    let study = Integration {
        samples: 2000,
        ..Default::default()
    };
    let (serial, _) = timed(&study, Strategy::Serial, 1, 42).unwrap();
    let serial_bits: Vec<u64> = serial.areas.iter().map(|a| a.to_bits()).collect();
    assert_eq!(serial_bits.len(), 2000);
    for strategy in Strategy::all() {
        for workers in WORKER_COUNTS {
            let (output, _) = timed(&study, strategy, workers, 42).unwrap();
            let bits: Vec<u64> = output.areas.iter().map(|a| a.to_bits()).collect();
            assert_eq!(bits, serial_bits, "{strategy} with {workers} workers");
            assert_eq!(
                output.checksum(),
                serial.checksum(),
                "{strategy} with {workers} workers"
            );
        }
    }
}

#[test]
fn a_different_seed_gives_different_estimates() {
    let study = Integration {
        samples: 300,
        ..Default::default()
    };
    let (a, _) = timed(&study, Strategy::Serial, 1, 1).unwrap();
    let (b, _) = timed(&study, Strategy::Serial, 1, 2).unwrap();
    assert_ne!(a.checksum(), b.checksum());
}

#[test]
fn the_largest_estimate_is_within_1e_3_of_pi_over_4() {
    let study = Integration::default();
    let (output, _) = timed(
        &study,
        Strategy::ThreadPool,
        2,
        speedup::seeds::DEFAULT_SEED,
    )
    .unwrap();
    let (n, last) = output.last();
    assert_eq!(n, 9999);
    assert!(
        (last - std::f64::consts::FRAC_PI_4).abs() < 1e-3,
        "estimate {last}"
    );
}

#[test]
fn estimates_are_biased_low_on_average() {
    // The pieces before the first and after the last point are left out.
    let study = Integration {
        samples: 1000,
        ..Default::default()
    };
    let (output, _) = timed(&study, Strategy::ThreadPool, 2, 7).unwrap();
    let tail = &output.areas[500..];
    let mean = tail.iter().sum::<f64>() / tail.len() as f64;
    assert!(
        mean < output.exact,
        "mean {mean} should be below {}",
        output.exact
    );
    assert!(output.exact - mean < 5e-3);
}
