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
fn task1_integral_is_zero_below_two_points_and_draws_nothing() {
    let mut rng = chunk_rng(SEED, 0);
    assert_eq!(integral(0, &mut rng), 0.0);
    assert_eq!(integral(1, &mut rng), 0.0);
    // The next estimate of the chunk must see the stream untouched: a
    // point drawn for nothing shifts every later estimate.
    assert_eq!(
        integral(5, &mut rng),
        integral(5, &mut chunk_rng(SEED, 0)),
        "integral(0) and integral(1) drew from the stream"
    );
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

#[test]
fn task7_time_1_prints_the_imbalance_and_which_side_of_pi_over_4_the_estimates_fall() {
    let text = analysis(&[]);
    let imbalance = format!(
        "static_imbalance(10000, 2) = {:.4}, static_imbalance(10000, 4) = {:.4}",
        static_imbalance(10_000, 2),
        static_imbalance(10_000, 4)
    );
    assert!(text.contains(&imbalance), "{text}");
    let exact = std::f64::consts::FRAC_PI_4;
    let below = library(10_000, speedup::seeds::DEFAULT_SEED)[2..]
        .iter()
        .filter(|&&a| a < exact)
        .count();
    assert!(
        text.contains(&format!("{below} of 9998 below it")),
        "{text}"
    );
}

#[test]
fn task8_every_chunk_has_exactly_one_owner_among_the_workers() {
    for (chunks, workers) in [(200, 1), (200, 2), (200, 3), (200, 7), (5, 8), (1, 2)] {
        let mut runs = vec![0; chunks];
        for worker in 0..workers {
            for chunk in balanced_chunks(worker, workers, chunks) {
                runs[chunk] += 1;
            }
        }
        assert!(
            runs.iter().all(|&n| n == 1),
            "{chunks} chunks on {workers} workers: chunks run {runs:?} times"
        );
    }
}

#[test]
fn task8_the_schedule_is_static_the_same_whoever_asks_and_when() {
    // Static: a pure function of its arguments. Asked again, backwards, or
    // from other threads at once, it must give the same owner: no counter,
    // clock or thread id may creep in.
    let (chunks, workers) = (200, 3);
    let first: Vec<usize> = (0..chunks)
        .map(|c| balanced_owner(c, chunks, workers))
        .collect();
    let backwards: Vec<usize> = (0..chunks)
        .rev()
        .map(|c| balanced_owner(c, chunks, workers))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    assert_eq!(first, backwards, "asked backwards");
    let from_threads: Vec<Vec<usize>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    (0..chunks)
                        .map(|c| balanced_owner(c, chunks, workers))
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(
        from_threads.iter().all(|owners| *owners == first),
        "asked from 4 threads"
    );
    assert!(
        first.iter().all(|&w| w < workers),
        "owners are 0..{workers}"
    );
}

/// The largest worker's work over the mean, when estimate n costs n·log2 n
/// (the model of task 7), under the student's balanced schedule.
fn balanced_imbalance(samples: usize, workers: usize) -> f64 {
    let cost = |n: usize| {
        if n < 2 {
            0.0
        } else {
            n as f64 * (n as f64).log2()
        }
    };
    let chunks = samples.div_ceil(ESTIMATES_PER_CHUNK);
    let work: Vec<f64> = (0..workers)
        .map(|worker| {
            balanced_chunks(worker, workers, chunks)
                .into_iter()
                .flat_map(|c| c * ESTIMATES_PER_CHUNK..((c + 1) * ESTIMATES_PER_CHUNK).min(samples))
                .map(cost)
                .sum()
        })
        .collect();
    let mean = work.iter().sum::<f64>() / workers as f64;
    work.iter().cloned().fold(0.0, f64::max) / mean
}

#[test]
fn task8_the_schedule_balances_the_work_not_only_the_chunk_counts() {
    // Static blocks put 1.54× the mean work on one of 2 workers (task 7).
    // Balanced, the busiest worker is within 10% of the mean.
    for workers in [2, 3, 4] {
        let imbalance = balanced_imbalance(10_000, workers);
        assert!(
            imbalance < 1.10,
            "{workers} workers: the busiest has {imbalance:.3}× the mean work"
        );
    }
}

#[test]
fn task8_scoped_balanced_is_bit_identical_to_serial() {
    assert_same_bits(convergence_scoped_balanced, "convergence_scoped_balanced");
    assert_eq!(
        convergence_scoped_balanced(60, SEED, 5),
        convergence_serial(60, SEED),
        "more workers than chunks"
    );
}

// BEGIN HIDDEN TESTS
#[test]
fn task5_dynamic_handles_more_workers_than_chunks() {
    assert_eq!(convergence_scoped_dynamic(60, SEED, 5), library(60, SEED));
    assert_eq!(convergence_scoped_static(60, SEED, 5), library(60, SEED));
}
// END HIDDEN TESTS
