//! Lab 2 tests, named after the worksheet's tasks.

use speedup::seeds::chunk_rng;
use speedup_labs::lab02_linear_normal::*;

const SEED: u64 = 20170530;

/// What a test of task 1 can check without task 6's statistics: the mean
/// of a sample, and the share of its values within one standard deviation
/// of the mean (68.27% for any normal).
fn mean_and_share_within(values: &[f64], mean: f64, sd: f64) -> (f64, f64) {
    let n = values.len() as f64;
    let within = values.iter().filter(|v| (*v - mean).abs() < sd).count();
    (values.iter().sum::<f64>() / n, within as f64 / n)
}

#[test]
fn task1_every_value_has_its_distribution_and_y_its_formula() {
    let draws = generate(50_000, &mut chunk_rng(SEED, 0));
    for (name, values, mean, sd) in [
        ("alpha", &draws.alpha, 15.0, 2.0),
        ("x1", &draws.x1, 3.0, 5.0),
        ("x2", &draws.x2, 10.0, 1.0),
        ("x3", &draws.x3, 8.0, 8.0),
        ("eps", &draws.eps, 0.0, 1.0),
    ] {
        assert_eq!(values.len(), 50_000, "{name}: one value per draw");
        let (m, within) = mean_and_share_within(values, mean, sd);
        assert!(
            (m - mean).abs() < 5.0 * sd / 50_000f64.sqrt(),
            "{name}: mean {m}, expected {mean}"
        );
        // 50,000 draws pin the share down to about ±0.2 percentage points.
        assert!(
            (within - 0.6827).abs() < 0.01,
            "{name}: {:.1}% of the values lie within {sd} of {mean}, a normal with \
             standard deviation {sd} has 68.3% there",
            100.0 * within
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
fn task5_a_size_counts_only_where_its_whole_interval_beats_serial() {
    // (n, low, high): the 95% interval of the speedup at each size.
    let points = [
        (1_000, 0.1, 0.2),
        (10_000, 1.1, 1.4),
        (100_000, 0.9, 1.3),
        (1_000_000, 1.2, 1.5),
        (10_000_000, 1.6, 1.9),
    ];
    assert_eq!(
        break_even(&points),
        BreakEven::From(1_000_000),
        "the early win at 10,000 does not last, and 100,000's interval holds 1"
    );
    assert_eq!(break_even(&points[1..2]), BreakEven::From(10_000));
    assert_eq!(
        break_even(&points[..3]),
        BreakEven::CannotTell,
        "the largest size's interval holds 1"
    );
    assert_eq!(break_even(&points[..1]), BreakEven::Never);
    assert_eq!(
        break_even(&[(1_000, 1.0, 1.2)]),
        BreakEven::CannotTell,
        "a low end of exactly 1 is no win"
    );
    assert_eq!(break_even(&[]), BreakEven::CannotTell);
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

#[test]
fn task7_moments_of_chunks_merge_into_the_moments_of_all() {
    let first = Moments::of(&[1.0, 2.0]);
    let second = Moments::of(&[3.0, 6.0]);
    assert_eq!(
        Moments::of(&[1.0, 2.0, 3.0, 6.0]),
        Moments {
            count: 4,
            sum: 12.0,
            sum_sq: 50.0
        }
    );
    assert_eq!(first.merge(second), Moments::of(&[1.0, 2.0, 3.0, 6.0]));
    assert_eq!(
        Moments::default().merge(first),
        first,
        "nothing merged with something is that something"
    );
    let (mean, variance) = first.merge(second).mean_and_variance();
    assert_eq!(mean, 3.0);
    assert!(
        (variance - 14.0 / 3.0).abs() < 1e-12,
        "sample variance (n - 1) of 1, 2, 3, 6 is 14/3, not {variance}"
    );
}

#[test]
fn task7_moments_cross_the_boundary_bit_for_bit() {
    use speedup::wire::Wire;
    let moments = Moments {
        count: 10_000,
        sum: 420_123.456_789,
        sum_sq: 0.1 + 0.2,
    };
    let back = Moments::from_bytes(&moments.to_bytes()).unwrap();
    assert_eq!(back.count, moments.count);
    assert_eq!(back.sum.to_bits(), moments.sum.to_bits());
    assert_eq!(back.sum_sq.to_bits(), moments.sum_sq.to_bits());
}

#[test]
fn task7_both_replies_give_the_same_bits_at_every_worker_count() {
    let n = 45_000;
    let (reference, all_y_bytes) = moments_all_y_replies(n, SEED, 1);
    let bits = |m: &Moments| (m.count, m.sum.to_bits(), m.sum_sq.to_bits());
    for workers in [1, 2, 3, 4, 7] {
        let (all_y, _) = moments_all_y_replies(n, SEED, workers);
        let (small, _) = moments_small_replies(n, SEED, workers);
        assert_eq!(
            bits(&all_y),
            bits(&reference),
            "all-y replies, {workers} workers"
        );
        assert_eq!(
            bits(&small),
            bits(&reference),
            "small replies, {workers} workers"
        );
    }
    // The same statistics as task 6 computes from all of y, up to rounding.
    let (mean, variance) = reference.mean_and_variance();
    let (expected_mean, expected_variance) = mean_and_variance(&y_serial(n, SEED));
    assert_eq!(reference.count, n);
    assert!((mean - expected_mean).abs() < 1e-9, "mean {mean}");
    assert!(
        (variance / expected_variance - 1.0).abs() < 1e-9,
        "variance {variance}, task 6 says {expected_variance}"
    );
    // All of y crossed the boundary, 8 bytes a value; the small replies did not.
    let (_, small_bytes) = moments_small_replies(n, SEED, 2);
    assert!(all_y_bytes >= 8 * n, "all of y is {all_y_bytes} bytes");
    assert!(
        small_bytes * 100 < all_y_bytes,
        "the small replies sent {small_bytes} bytes, all of y {all_y_bytes}"
    );
}
