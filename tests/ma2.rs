//! `ma2` against theory and against ELFI: the prior, the posterior, the summary layout.

use speedup::Strategy;
use speedup::seeds::chunk_rng;
use speedup::timed_run::timed;
use speedup::workloads::ma2::Ma2;
use speedup::workloads::ma2::best::Candidate;
use speedup::workloads::ma2::model::{Summaries, Theta, draw_prior};
use speedup::workloads::ma2::posterior::Posterior;
use speedup::{Outcome, Workload};

#[test]
fn prior_draws_fill_the_triangle_with_the_right_marginal_means() {
    let mut rng = chunk_rng(42, 0);
    let n = 200_000;
    let draws: Vec<Theta> = (0..n).map(|_| draw_prior(&mut rng)).collect();
    assert!(draws.iter().all(Theta::in_prior_triangle));
    // Uniform on the triangle: the means are its centroid (0, 1/3). The
    // standard deviations are 0.82 and 0.47, so the standard errors ~0.002.
    let mean = |f: fn(&Theta) -> f64| draws.iter().map(f).sum::<f64>() / n as f64;
    assert!(mean(|t| t.t1).abs() < 0.01);
    assert!((mean(|t| t.t2) - 1.0 / 3.0).abs() < 0.01);
    // Triangular t1: P(|t1| < 1) = 3/4.
    let inner = draws.iter().filter(|t| t.t1.abs() < 1.0).count() as f64 / n as f64;
    assert!((inner - 0.75).abs() < 0.01, "{inner}");
}

#[test]
fn posterior_concentrates_near_the_true_parameters() {
    // The tutorial's run: data simulated at (0.6, 0.2), 5000 kept of 1,000,000.
    let ma2 = Ma2::default();
    let (posterior, _) = timed(&ma2, Strategy::ThreadPool, 2, 20170530).unwrap();
    assert_eq!(posterior.n_samples(), 5000);
    assert_eq!(posterior.n_sim, 1_000_000);
    assert_eq!(posterior.n_batches, 100);
    assert_eq!(posterior.true_params, Some(Theta { t1: 0.6, t2: 0.2 }));
    let mean = posterior.mean();
    assert!(
        (mean.t1 - 0.6).abs() < 0.15,
        "posterior mean of t1 {}",
        mean.t1
    );
    // The accepted draws are the closest ones, best first, within the threshold.
    let d: Vec<f64> = posterior.accepted.iter().map(|c| c.distance).collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(posterior.threshold(), d[4999]);
    assert_eq!(posterior.accept_rate(), 0.005);
    // The observed summaries are those of the observed series.
    assert_eq!(
        posterior.observed_summaries,
        Summaries::of(&posterior.observed)
    );
}

#[test]
fn summary_is_elfis_block_to_the_character() {
    // Four accepted draws chosen so the numbers are the tutorial's.
    let draws = [
        (0.0100, 0.594, -0.274),
        (0.0200, 0.694, 0.226),
        (0.0500, 0.794, 0.726),
        (0.0826, 0.694, 0.226),
    ];
    let posterior = Posterior {
        accepted: draws
            .iter()
            .enumerate()
            .map(|(i, &(distance, t1, t2))| Candidate {
                distance,
                index: i as u64,
                t1,
                t2,
            })
            .collect(),
        n_sim: 1_000_000,
        n_batches: 100,
        observed: vec![0.0; 3],
        observed_summaries: Summaries { s1: 0.0, s2: 0.0 },
        true_params: None,
    };
    let golden = "\
Method: Rejection
Number of samples: 4
Number of simulations: 1000000
Threshold: 0.0826
Parameter                Mean               2.5%              97.5%
t1:                     0.694              0.594              0.794
t2:                     0.226             -0.274              0.726";
    assert_eq!(posterior.describe(), golden);
}

#[test]
fn quantile_gives_n_sim_and_json_summary_has_every_field() {
    let ma2 = Ma2 {
        n_samples: 100,
        quantile: Some(0.02),
        batch_size: 1000,
        ..Default::default()
    };
    assert_eq!(ma2.chunk_count(), 5);
    let (posterior, _) = timed(&ma2, Strategy::Serial, 1, 1).unwrap();
    let summary = posterior.summary();
    assert_eq!(summary["n_sim"], 5000);
    assert_eq!(summary["n_batches"], 5);
    assert_eq!(summary["n_samples"], 100);
    assert_eq!(summary["accept_rate"], 0.02);
    for field in ["mean", "std", "q025", "q975"] {
        for parameter in ["t1", "t2"] {
            assert!(summary[field][parameter].is_f64(), "{field}.{parameter}");
        }
    }
    let std = summary["std"]["t1"].as_f64().unwrap();
    assert!(std > 0.0 && std < 1.5);
    assert!(summary["q025"]["t1"].as_f64() <= summary["q975"]["t1"].as_f64());
}
