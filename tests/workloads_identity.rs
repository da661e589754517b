//! Same seed and parameters, same bits: every strategy at every worker count
//! agrees with serial on `linear-normal`, `ma2` and `amdahl`.

use speedup::timed_run::timed;
use speedup::workloads::amdahl::Amdahl;
use speedup::workloads::linear_normal::LinearNormal;
use speedup::workloads::ma2::Ma2;
use speedup::{Outcome, Strategy, Workload};

speedup::worker_test!();

const WORKERS: [usize; 5] = [1, 2, 3, 4, 7];

/// Runs `workload` every way and checks each full output against serial's.
fn assert_bit_identical<W: Workload>(workload: &W, seed: u64)
where
    W::Output: PartialEq + std::fmt::Debug,
{
    let (reference, _) = timed(workload, Strategy::Serial, 1, seed).expect("serial run");
    for strategy in Strategy::all() {
        for workers in WORKERS {
            let (output, _) = timed(workload, strategy, workers, seed).expect("run");
            assert_eq!(
                output.checksum(),
                reference.checksum(),
                "{} {strategy} x{workers}",
                W::NAME
            );
            assert!(output == reference, "{} {strategy} x{workers}", W::NAME);
        }
    }
}

#[test]
fn linear_normal_is_bit_identical_across_strategies_and_workers() {
    assert_bit_identical(&LinearNormal { n: 30_000 }, 7);
}

#[test]
fn ma2_is_bit_identical_across_strategies_and_workers() {
    let ma2 = Ma2 {
        n_samples: 200,
        n_sim: Some(20_000),
        batch_size: 2_000,
        ..Default::default()
    };
    assert_bit_identical(&ma2, 20170530);
}

#[test]
fn ma2_with_more_samples_than_a_batch_is_bit_identical_too() {
    // Each batch then returns all its draws, and only the merge selects.
    let ma2 = Ma2 {
        n_samples: 1_500,
        n_sim: Some(5_000),
        batch_size: 1_000,
        ..Default::default()
    };
    assert_bit_identical(&ma2, 3);
}

#[test]
fn amdahl_is_bit_identical_waiting_or_spinning() {
    // Short work: the result is the chunks' numbers, not the time spent.
    for spin in [false, true] {
        let amdahl = Amdahl {
            serial_fraction: 0.3,
            work: 0.005,
            spin,
        };
        assert_bit_identical(&amdahl, 11);
    }
}

#[test]
fn different_seeds_give_different_draws() {
    let lab = LinearNormal { n: 30_000 };
    let run = |seed| timed(&lab, Strategy::Serial, 1, seed).unwrap().0.checksum();
    assert_ne!(run(1), run(2));
}
