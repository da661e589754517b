//! Lab 3 tests, named after the worksheet's tasks.

use rand::Rng;
use speedup::seeds::chunk_rng;
use speedup_labs::lab03_ma2::*;

const SEED: u64 = 20170530;

#[test]
fn task1_prior_draws_stay_inside_the_triangle_with_the_right_means() {
    let mut rng = chunk_rng(SEED, 0);
    let draws: Vec<(f64, f64)> = (0..100_000).map(|_| prior(&mut rng)).collect();
    for &(t1, t2) in &draws {
        assert!(
            t2 <= 1.0 && t2 >= -1.0 - t1 && t2 >= t1 - 1.0,
            "({t1}, {t2}) outside"
        );
    }
    let n = draws.len() as f64;
    let mean_t1 = draws.iter().map(|d| d.0).sum::<f64>() / n;
    let mean_t2 = draws.iter().map(|d| d.1).sum::<f64>() / n;
    // The centroid of the triangle (-2, 1), (2, 1), (0, -1) is (0, 1/3).
    assert!(mean_t1.abs() < 0.01, "mean of t1 {mean_t1}, expected 0");
    assert!(
        (mean_t2 - 1.0 / 3.0).abs() < 0.01,
        "mean of t2 {mean_t2}, expected 1/3"
    );
}

#[test]
fn task1_prior_uses_the_inverse_cdf_of_two_uniforms() {
    let mut rng = chunk_rng(SEED, 1);
    let (t1, t2) = prior(&mut rng.clone());
    let (u, v): (f64, f64) = (rng.random(), rng.random());
    let expected_t1 = if u < 0.5 {
        (2.0 * u).sqrt() * 2.0 - 2.0
    } else {
        2.0 - (2.0 * (1.0 - u)).sqrt() * 2.0
    };
    assert_eq!(t1, expected_t1);
    let lo = (-1.0 - t1).max(t1 - 1.0);
    assert!((t2 - (lo + (1.0 - lo) * v)).abs() < 1e-15);
}

#[test]
fn task2_simulator_is_the_ma2_recursion_on_102_noise_values() {
    let rng = chunk_rng(SEED, 2);
    let x = simulate(0.6, 0.2, 100, &mut rng.clone());
    assert_eq!(x.len(), 100);
    let mut noise_rng = rng.clone();
    let w: Vec<f64> = (0..102)
        .map(|_| noise_rng.sample(rand_distr::StandardNormal))
        .collect();
    for j in 0..100 {
        let expected = w[j + 2] + 0.6 * w[j + 1] + 0.2 * w[j];
        assert!(
            (x[j] - expected).abs() < 1e-12,
            "x[{j}] = {}, expected {expected}",
            x[j]
        );
    }
    let mut after = rng.clone();
    simulate(0.6, 0.2, 100, &mut after);
    assert_eq!(after, noise_rng, "exactly 102 draws per simulation");
}

#[test]
fn task3_summaries_and_distance_on_a_hand_computed_series() {
    let [s1, s2] = summaries(&[1.0, 2.0, 3.0, 4.0]);
    assert!(
        (s1 - 20.0 / 3.0).abs() < 1e-12,
        "S1 = (2·1 + 3·2 + 4·3)/3, got {s1}"
    );
    assert!((s2 - 5.5).abs() < 1e-12, "S2 = (3·1 + 4·2)/2, got {s2}");
    assert_eq!(distance([0.0, 0.0], [3.0, 4.0]), 5.0);
    assert_eq!(distance([1.0, 1.0], [1.0, 1.0]), 0.0);
}

fn small() -> Settings {
    Settings {
        n_samples: 50,
        n_sim: 2_500,
        batch_size: 400,
        n_obs: 100,
    }
}

#[test]
fn task4_a_batch_keeps_its_closest_draws_in_order() {
    let settings = small();
    let observed = observed_summaries(100, SEED);
    let everything = run_batch(
        3,
        &Settings {
            n_samples: 400,
            ..settings
        },
        observed,
        SEED,
    );
    assert_eq!(everything.len(), 400);
    let indices: std::collections::BTreeSet<usize> = everything.iter().map(|s| s.index).collect();
    assert_eq!(
        indices,
        (1200..1600).collect(),
        "batch 3 numbers draws 1200..1600"
    );
    assert!(
        everything
            .windows(2)
            .all(|w| w[0].distance <= w[1].distance)
    );
    let best = run_batch(3, &settings, observed, SEED);
    assert_eq!(best, everything[..50], "the 50 closest of the same draws");
    // The first draw of the batch comes from the batch's own stream.
    let mut rng = chunk_rng(SEED, 3);
    let (t1, t2) = prior(&mut rng);
    let first = everything.iter().find(|s| s.index == 1200).unwrap();
    assert_eq!((first.t1, first.t2), (t1, t2));
}

#[test]
fn task5_merge_keeps_the_global_best_in_distance_then_index_order() {
    let s = |distance, index| Sample {
        distance,
        t1: 0.0,
        t2: 0.0,
        index,
    };
    let merged = merge(
        vec![vec![s(0.5, 0), s(0.9, 1)], vec![s(0.1, 2), s(0.5, 3)]],
        3,
    );
    assert_eq!(merged, vec![s(0.1, 2), s(0.5, 0), s(0.5, 3)]);
}

#[test]
fn task5_threads_give_the_serial_answer_at_every_worker_count() {
    let settings = small();
    let observed = observed_summaries(100, SEED);
    let serial = rejection_serial(&settings, observed, SEED);
    assert_eq!(serial.len(), 50);
    for workers in [1, 2, 3, 7] {
        assert_eq!(
            rejection_threads(&settings, observed, SEED, workers),
            serial,
            "{workers} workers"
        );
    }
}

#[test]
fn task5_the_posterior_concentrates_near_the_true_parameters() {
    let settings = Settings {
        n_samples: 1_000,
        n_sim: 100_000,
        ..Settings::default()
    };
    let observed = observed_summaries(100, SEED);
    let accepted = rejection_threads(&settings, observed, SEED, 2);
    let mean_t1 = accepted.iter().map(|s| s.t1).sum::<f64>() / accepted.len() as f64;
    assert!(
        (mean_t1 - 0.6).abs() < 0.2,
        "posterior mean of t1 {mean_t1}, true 0.6"
    );
}

#[test]
fn task6_summary_in_elfi_layout() {
    let accepted: Vec<Sample> = (0..5)
        .map(|i| Sample {
            distance: 0.01 * (i + 1) as f64,
            t1: i as f64 * 0.1,
            t2: -(i as f64) * 0.2,
            index: i,
        })
        .collect();
    let expected = "\
Method: Rejection
Number of samples: 5
Number of simulations: 1000
Threshold: 0.05
Parameter                Mean               2.5%              97.5%
t1:                     0.200              0.010              0.390
t2:                    -0.400             -0.780             -0.020";
    assert_eq!(summary_text(&accepted, 1000), expected);
}

#[test]
fn given_three_significant_digits() {
    assert_eq!(three_significant(0.082_64), "0.0826");
    assert_eq!(three_significant(0.05), "0.05");
    assert_eq!(three_significant(1.234_5), "1.23");
    assert_eq!(three_significant(123.4), "123");
}

#[test]
fn both_generators_rates_are_measured() {
    let (yours, library) = normal_rates(20_000);
    assert!(yours.is_finite() && yours > 0.0, "{yours}");
    assert!(library.is_finite() && library > 0.0, "{library}");
}

/// Small settings with batch size `batch_size`: cheap series, so that many
/// batch sizes can be checked.
fn sized(n_sim: usize, batch_size: usize, n_samples: usize) -> Settings {
    Settings {
        n_samples,
        n_sim,
        batch_size,
        n_obs: 20,
    }
}

#[test]
fn task8_messages_give_the_serial_answer_for_any_batch_size() {
    let observed = observed_summaries(20, SEED);
    for (settings, case) in [
        (sized(300, 1, 40), "one simulation a batch"),
        (sized(300, 7, 40), "a last batch rounded up"),
        (sized(300, 100, 40), "a few batches"),
        (
            sized(300, 1_000, 40),
            "one batch larger than all simulations",
        ),
        (sized(300, 50, 5_000), "more draws kept than simulated"),
    ] {
        let serial = rejection_serial(&settings, observed, SEED);
        assert_eq!(
            serial.len(),
            settings
                .n_samples
                .min(settings.batches() * settings.batch_size),
            "{case}"
        );
        for workers in [1, 2, 3, 7] {
            assert_eq!(
                rejection_channel(&settings, observed, SEED, workers),
                serial,
                "{case}: batch size {}, {workers} workers",
                settings.batch_size
            );
        }
    }
}

#[test]
fn task8_more_workers_than_batches_still_give_every_batch_once() {
    let observed = observed_summaries(20, SEED);
    let settings = sized(30, 10, 30);
    let all = rejection_channel(&settings, observed, SEED, 8);
    let mut indices: Vec<usize> = all.iter().map(|s| s.index).collect();
    indices.sort_unstable();
    assert_eq!(
        indices,
        (0..30).collect::<Vec<_>>(),
        "each draw exactly once"
    );
}

#[test]
fn task9_the_chosen_batch_size_gives_the_serial_answer() {
    let chosen = chosen_batch_size();
    assert!(
        (1..=1_000_000).contains(&chosen),
        "a batch holds 1 to the tutorial's 1,000,000 simulations, not {chosen}"
    );
    // Three batches at the chosen size (the last rounded up), with short
    // series, so the check stays quick whatever the choice.
    let settings = Settings {
        n_samples: 50,
        n_sim: 2 * chosen + 1,
        batch_size: chosen,
        n_obs: 4,
    };
    let observed = observed_summaries(4, SEED);
    assert_eq!(
        rejection_channel(&settings, observed, SEED, 2),
        rejection_serial(&settings, observed, SEED)
    );
}

#[test]
fn task9_a_message_is_merged_into_a_full_best_so_far() {
    // What the caller of rejection_channel holds after its first messages
    // is a best of n_samples, whatever the batch size: a batch of 100 sends
    // 100 draws into 5,000, not into another 100.
    let n_samples = Settings::default().n_samples;
    for (batch_size, kept) in [(100, 100), (n_samples + 1, n_samples)] {
        let cost = batch_costs(batch_size, 1);
        assert_eq!(cost.kept, kept, "batch of {batch_size}");
        assert_eq!(cost.merged_into, n_samples, "batch of {batch_size}");
        assert!(cost.work_s > 0.0 && cost.message_s > 0.0, "{cost:?}");
    }
    let table = batch_cost_table(&[50], 2);
    assert!(
        table.contains("message share") && table.contains("batches/worker@2"),
        "{table}"
    );
}

#[test]
fn a_process_workers_message_is_32_bytes_a_draw_and_a_count() {
    let bytes = process_message_bytes(5_000);
    assert!(
        (5_000 * 32..=5_000 * 32 + 8).contains(&bytes),
        "{bytes} bytes for 5,000 draws of four 8-byte numbers"
    );
    assert_eq!(process_message_bytes(10_000) - bytes, 5_000 * 32);
}

#[test]
fn the_library_generator_changes_the_noise_on_this_thread_only() {
    let rng = chunk_rng(SEED, 5);
    let draw = || {
        let mut noise = vec![0.0; 20];
        fill_normals(&mut noise, &mut rng.clone());
        noise
    };
    let yours = draw();
    let mut expected_rng = rng.clone();
    let expected: Vec<f64> = (0..20)
        .map(|_| expected_rng.sample(rand_distr::StandardNormal))
        .collect();
    assert_eq!(yours, expected, "rand_distr's draws, in order, by default");
    let library = with_generator(Generator::Library, || {
        let other_thread = std::thread::scope(|scope| scope.spawn(draw).join().unwrap());
        assert_eq!(other_thread, yours, "another thread keeps its generator");
        draw()
    });
    assert_ne!(library, yours);
    assert_eq!(draw(), yours, "restored");
    let panicked = std::panic::catch_unwind(|| {
        with_generator(Generator::Library, || panic!("a test failing inside"))
    });
    assert!(panicked.is_err());
    assert_eq!(draw(), yours, "restored after a panic too");
}

#[test]
fn task6_the_rejection_command_reports_the_summary_at_the_settings_it_was_given() {
    let settings = sized(300, 100, 40);
    let text = rejection_experiment(&settings, Generator::Library, 1).unwrap();
    let observed = observed_summaries(20, speedup::seeds::DEFAULT_SEED);
    let library = with_generator(Generator::Library, || {
        rejection_serial(&settings, observed, speedup::seeds::DEFAULT_SEED)
    });
    assert!(text.contains(&summary_text(&library, 300)), "{text}");
    assert!(text.contains("300 simulations in batches of 100"), "{text}");
    let yours = rejection_serial(&settings, observed, speedup::seeds::DEFAULT_SEED);
    assert_ne!(yours, library, "the library's noise gives other draws");
    let text = rejection_experiment(&settings, Generator::RandDistr, 2).unwrap();
    assert!(text.contains(&summary_text(&yours, 300)), "{text}");
    assert!(
        text.contains("time: median") && text.contains("of 2 runs"),
        "{text}"
    );
}
