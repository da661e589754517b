//! Lab 1 tests. Each test is named after the worksheet task it checks, so
//! `speedup labs check 1` can list the tasks.
//!
//! The reference is the library itself: its `integration` workload uses the
//! same chunk layout and random streams, so a correct student version agrees
//! with it to the last bit.

use speedup::seeds::chunk_rng;
use speedup::workloads::integration::Integration;
use speedup::{Job, Strategy, Workload};
use speedup_labs::lab01_integration::*;

const SEED: u64 = 20170530;

/// The library's convergence study (serial strategy), the reference answer.
fn library(samples: usize, seed: u64) -> Vec<f64> {
    let study = Integration {
        samples,
        ..Default::default()
    };
    let parts = Strategy::Serial.run(&Job::new(&study, seed), 1).unwrap();
    study.merge(parts).areas
}

#[test]
fn task1_integral_is_zero_below_two_points() {
    let mut rng = chunk_rng(SEED, 0);
    assert_eq!(integral(0, &mut rng), 0.0);
    assert_eq!(integral(1, &mut rng), 0.0);
}

#[test]
fn task1_integral_converges_to_pi_over_four_from_below() {
    let exact = Integration::default().exact();
    let estimate = integral(9_999, &mut chunk_rng(SEED, 7));
    assert!(
        (estimate - exact).abs() < 1e-3,
        "estimate {estimate} is not within 1e-3 of {exact}"
    );
    let low = (0..20)
        .filter(|&c| integral(500, &mut chunk_rng(SEED, c)) < exact)
        .count();
    assert!(
        low >= 15,
        "only {low} of 20 estimates were below pi/4: the pieces at the ends must be left out"
    );
}

#[test]
fn task2_serial_study_matches_the_library_bit_for_bit() {
    let mine = convergence_serial(777, SEED);
    let reference = library(777, SEED);
    assert_eq!(mine.len(), 777, "one estimate per n in 0..samples");
    for (n, (a, b)) in mine.iter().zip(&reference).enumerate() {
        assert_eq!(
            a.to_bits(),
            b.to_bits(),
            "estimate n = {n}: {a} vs library {b}"
        );
    }
}

#[test]
fn task2_each_chunk_has_its_own_stream() {
    let chunk = estimate_chunk(3, 1000, SEED);
    assert_eq!(chunk.len(), ESTIMATES_PER_CHUNK);
    assert_eq!(chunk, library(1000, SEED)[150..200]);
    assert_eq!(
        estimate_chunk(2, 120, SEED).len(),
        20,
        "the last chunk stops at samples"
    );
}

fn assert_same_bits(version: fn(usize, u64, usize) -> Vec<f64>, name: &str) {
    let serial = convergence_serial(1_000, SEED);
    for workers in [1, 2, 3, 7] {
        let parallel = version(1_000, SEED, workers);
        assert_eq!(parallel.len(), serial.len(), "{name} at {workers} workers");
        let same = parallel
            .iter()
            .zip(&serial)
            .all(|(a, b)| a.to_bits() == b.to_bits());
        assert!(
            same,
            "{name} at {workers} workers differs from your serial study"
        );
    }
}

#[test]
fn task3_rayon_is_bit_identical_to_serial() {
    assert_same_bits(convergence_rayon, "convergence_rayon");
}

#[test]
fn task4_static_blocks_cover_every_chunk_once_in_order() {
    let blocks: Vec<_> = (0..3).map(|w| static_block(w, 3, 10)).collect();
    assert_eq!(blocks, vec![0..3, 3..6, 6..10]);
    assert_eq!(static_block(3, 4, 2), 1..2);
}

#[test]
fn task4_scoped_static_is_bit_identical_to_serial() {
    assert_same_bits(convergence_scoped_static, "convergence_scoped_static");
}

#[test]
fn task5_scoped_dynamic_is_bit_identical_to_serial() {
    assert_same_bits(convergence_scoped_dynamic, "convergence_scoped_dynamic");
}

#[test]
fn task7_static_blocks_are_imbalanced_as_n_log_n_predicts() {
    assert!((static_imbalance(10_000, 1) - 1.0).abs() < 1e-12);
    // Were the cost n, the total would grow like n²/2: the second half of
    // the estimates would hold 3/4 of the work (max/mean = 1.5), the last of
    // four blocks 7/16 (1.75). The log factor tips it further: 1.54 and 1.82.
    let two = static_imbalance(10_000, 2);
    let four = static_imbalance(10_000, 4);
    assert!((1.50..1.58).contains(&two), "two workers: {two}");
    assert!((1.78..1.86).contains(&four), "four workers: {four}");
}

// BEGIN HIDDEN TESTS
#[test]
fn task5_dynamic_handles_more_workers_than_chunks() {
    assert_eq!(convergence_scoped_dynamic(60, SEED, 5), library(60, SEED));
    assert_eq!(convergence_scoped_static(60, SEED, 5), library(60, SEED));
}
// END HIDDEN TESTS
