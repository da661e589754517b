//! `linear-normal` against its theory: E[y] = 42, Var[y] = 50 when the second
//! parameter of N(m, s) is the standard deviation.

use speedup::Strategy;
use speedup::timed_run::timed;
use speedup::workloads::linear_normal::{LinearNormal, THEORY_MEAN, THEORY_VARIANCE};

#[test]
fn mean_and_variance_match_the_standard_deviation_reading() {
    // Standard errors at n = 100,000: mean 0.022, variance 0.22 (0.45%).
    for seed in [1, 2, 3, 20170530, 987654321] {
        let (draws, _) = timed(&LinearNormal::default(), Strategy::ThreadPool, 2, seed).unwrap();
        assert_eq!(draws.len(), 100_000);
        let (mean, variance) = (draws.mean(), draws.variance());
        assert!((mean - THEORY_MEAN).abs() < 0.1, "seed {seed}: mean {mean}");
        assert!(
            (variance / THEORY_VARIANCE - 1.0).abs() < 0.02,
            "seed {seed}: variance {variance}"
        );
    }
}
