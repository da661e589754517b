//! Lab 2 tests, named after the worksheet's tasks.

use speedup::seeds::chunk_rng;
use speedup_labs::lab02_linear_normal::*;

const SEED: u64 = 20170530;

fn sd(values: &[f64]) -> f64 {
    mean_and_variance(values).1.sqrt()
}

#[test]
fn task1_every_value_has_its_distribution_and_y_its_formula() {
    let draws = generate(50_000, &mut chunk_rng(SEED, 0));
    for (name, values, mean, sd_expected) in [
        ("alpha", &draws.alpha, 15.0, 2.0),
        ("x1", &draws.x1, 3.0, 5.0),
        ("x2", &draws.x2, 10.0, 1.0),
        ("x3", &draws.x3, 8.0, 8.0),
        ("eps", &draws.eps, 0.0, 1.0),
    ] {
        assert_eq!(values.len(), 50_000, "{name}: one value per draw");
        let m = values.iter().sum::<f64>() / values.len() as f64;
        assert!(
            (m - mean).abs() < 5.0 * sd_expected / 50_000f64.sqrt(),
            "{name}: mean {m}, expected {mean}"
        );
        let s = sd(values);
        assert!(
            (s / sd_expected - 1.0).abs() < 0.03,
            "{name}: sd {s}, expected {sd_expected}"
        );
    }
    for i in 0..50_000 {
        let y = draws.alpha[i] + draws.x1[i] + 2.0 * draws.x2[i] + 0.5 * draws.x3[i] + draws.eps[i];
        assert_eq!(draws.y[i], y, "y[{i}] does not follow the formula");
    }
}

#[test]
fn task2_serial_has_n_draws_and_chunks_from_their_own_streams() {
    let y = y_serial(25_000, SEED);
    assert_eq!(y.len(), 25_000);
    assert_eq!(y[..CHUNK], generate(CHUNK, &mut chunk_rng(SEED, 0)).y[..]);
    assert_eq!(
        y[2 * CHUNK..],
        generate(5_000, &mut chunk_rng(SEED, 2)).y[..]
    );
}

#[test]
fn task3_parallel_is_bit_identical_to_serial_at_every_worker_count() {
    let serial = y_serial(45_000, SEED);
    for workers in [1, 2, 3, 4, 7] {
        let parallel = y_parallel(45_000, SEED, workers);
        let same = parallel.len() == serial.len()
            && parallel
                .iter()
                .zip(&serial)
                .all(|(a, b)| a.to_bits() == b.to_bits());
        assert!(same, "{workers} workers: not the same bits as serial");
    }
}

#[test]
fn task4_same_seed_on_every_worker_repeats_the_same_numbers() {
    let buggy = y_same_seed_bug(20_000, SEED, 2);
    assert_eq!(buggy.len(), 20_000);
    assert_eq!(
        buggy[..10_000],
        buggy[10_000..],
        "both workers should draw identical values"
    );
    let correct = y_serial(20_000, SEED);
    assert_ne!(correct[..10_000], correct[10_000..]);
}

#[test]
fn task4_seed_per_worker_changes_the_answer_with_the_worker_count() {
    let two = y_seed_per_worker(20_000, SEED, 2);
    assert_eq!(
        two,
        y_seed_per_worker(20_000, SEED, 2),
        "same workers, same answer"
    );
    assert_ne!(two[..10_000], two[10_000..], "no duplicates any more");
    assert_ne!(
        two,
        y_seed_per_worker(20_000, SEED, 3),
        "but 3 workers give other numbers"
    );
}

#[test]
fn task5_break_even_is_where_parallel_wins_for_good() {
    let points = [
        (1_000, 1.0, 5.0),
        (10_000, 2.0, 1.0),
        (100_000, 3.0, 4.0),
        (1_000_000, 9.0, 5.0),
        (10_000_000, 90.0, 46.0),
    ];
    assert_eq!(
        break_even(&points),
        Some(1_000_000),
        "the early win at 10,000 does not last"
    );
    assert_eq!(break_even(&points[..3]), None);
    assert_eq!(break_even(&points[1..2]), Some(10_000));
    assert_eq!(break_even(&[]), None);
}

#[test]
fn task6_theory_under_both_readings() {
    assert_eq!(theory(Convention::StandardDeviation), (42.0, 50.0));
    assert_eq!(theory(Convention::Variance), (42.0, 14.0));
}

#[test]
fn task6_sample_moments_and_the_convention_the_data_support() {
    assert_eq!(mean_and_variance(&[1.0, 2.0, 3.0, 6.0]), (3.0, 14.0 / 3.0));
    for seed in [1, 2, SEED] {
        let (mean, variance) = mean_and_variance(&y_serial(100_000, seed));
        assert!((mean - 42.0).abs() < 0.1, "seed {seed}: mean {mean}");
        assert!(
            (variance / 50.0 - 1.0).abs() < 0.02,
            "seed {seed}: variance {variance}"
        );
        assert_eq!(which_convention(variance), Convention::StandardDeviation);
    }
    assert_eq!(which_convention(15.0), Convention::Variance);
}
