//! `ma2`: rejection ABC for the MA(2) model, as in ELFI's tutorial.
//!
//! Approximate Bayesian computation by rejection, in four lines:
//!
//! 1. draw (t1, t2) from the prior (`model.rs`);
//! 2. simulate a series with them and compute its summaries S1, S2;
//! 3. measure the distance to the observed summaries (`observed.rs`);
//! 4. repeat `n_sim` times and keep the `n_samples` closest draws (`best.rs`).
//!
//! The kept draws approximate the posterior (`posterior.rs`). Each simulation
//! draws 102 normals, so the run is dominated by the normal generator.
//!
//! What a student should notice: **one chunk is one batch** of `batch_size`
//! simulations, as in ELFI, where each batch has its own seed. The layout
//! depends on `n_sim` and `batch_size` only, so the answer does not depend on
//! how many workers ran the batches. Each batch sends back only its own
//! `n_samples` best (at most, unsorted), and the merge offers those lists, in batch
//! order, to one more selection. Every batch costs the same, so static and
//! dynamic scheduling should tie here; compare with `integration`.

pub mod best;
pub mod model;
pub mod observed;
pub mod posterior;
pub mod python_g;

use self::best::{BestN, Candidate};
use self::model::{Scratch, Simulator, Summaries, Theta, draw_prior};
use self::observed::ObservedFile;
use self::posterior::Posterior;
use crate::seeds::ChunkRng;
use crate::workload::{Size, Workload};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// `n_sim` when neither `--n-sim` nor `--quantile` is given (the tutorial's).
pub const DEFAULT_N_SIM: usize = 1_000_000;

/// The most simulations one run may do: about an hour on one core, a few
/// minutes on a cluster node. More is almost surely a typo (`--quantile 1e-9`,
/// `--batch-size 100000000000`), and is refused before anything runs.
pub const MAX_N_SIM: usize = 10_000_000_000;

/// The most memory the per-batch best lists may take together. Every batch's
/// list is kept until the merge, so this bounds the run's footprint.
pub const MAX_LIST_BYTES: usize = 4 << 30;

/// Parameters of a rejection run: the tutorial's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
pub struct Ma2 {
    /// Number of accepted draws to keep
    #[arg(long, default_value_t = Ma2::default().n_samples, value_parser = crate::flags::count, allow_hyphen_values = true)]
    pub n_samples: usize,
    /// Number of simulations, rounded up to whole batches [default: 1000000]
    #[arg(long, value_name = "N", conflicts_with = "quantile", value_parser = crate::flags::count, allow_hyphen_values = true)]
    pub n_sim: Option<usize>,
    /// Accept this fraction of simulations instead: n_sim = ceil(n_samples / Q), in (0, 1]
    #[arg(long, value_name = "Q", value_parser = crate::flags::number, allow_hyphen_values = true)]
    pub quantile: Option<f64>,
    /// Simulations per batch; one batch is one chunk of work
    #[arg(long, default_value_t = Ma2::default().batch_size, value_parser = crate::flags::count, allow_hyphen_values = true)]
    pub batch_size: usize,
    /// Length of the simulated observed series (at least 3)
    #[arg(long, default_value_t = Ma2::default().n_obs, conflicts_with = "observed", value_parser = crate::flags::count, allow_hyphen_values = true)]
    pub n_obs: usize,
    /// Parameters that simulate the observed data (observation seed 20170530, whatever --seed), inside the prior's triangle
    #[arg(
        long,
        value_name = "T1,T2",
        default_value = "0.6,0.2",
        value_parser = observed::parse_true_params,
        allow_hyphen_values = true,
        conflicts_with = "observed"
    )]
    pub true_params: Theta,
    /// Use this series as the observed data: a JSON object with a "y" array of numbers
    #[arg(long, value_name = "FILE", value_parser = ObservedFile::read)]
    pub observed: Option<ObservedFile>,
}

impl Default for Ma2 {
    fn default() -> Self {
        Ma2 {
            n_samples: 5000,
            n_sim: None,
            quantile: None,
            batch_size: 10_000,
            n_obs: 100,
            true_params: Theta { t1: 0.6, t2: 0.2 },
            observed: None,
        }
    }
}

impl Ma2 {
    /// The simulations asked for, before rounding up to whole batches.
    pub fn requested_n_sim(&self) -> usize {
        match (self.n_sim, self.quantile) {
            (Some(n_sim), _) => n_sim,
            // Saturating: an absurd quantile is caught by `validate`.
            (None, Some(q)) => (self.n_samples as f64 / q).ceil() as usize,
            (None, None) => DEFAULT_N_SIM,
        }
    }

    /// The simulations run: whole batches.
    pub fn n_sim(&self) -> usize {
        self.chunk_count() * self.batch_size
    }

    /// The observed series.
    pub fn observed_series(&self) -> Vec<f64> {
        match &self.observed {
            Some(file) => file.y.clone(),
            None => observed::simulate(self.true_params, self.n_obs),
        }
    }

    /// The parameters of the observed data, when they were simulated.
    pub fn known_params(&self) -> Option<Theta> {
        self.observed.is_none().then_some(self.true_params)
    }

    fn n_obs(&self) -> usize {
        self.observed
            .as_ref()
            .map_or(self.n_obs, |file| file.y.len())
    }
}

impl Workload for Ma2 {
    const NAME: &'static str = "ma2";
    type Part = Vec<Candidate>;
    type Output = Posterior;

    fn validate(&self) -> Result<()> {
        if self.n_samples == 0 {
            return Err(Error::new("--n-samples must be at least 1"));
        }
        if self.batch_size == 0 {
            return Err(Error::new("--batch-size must be at least 1"));
        }
        if self.n_sim == Some(0) {
            return Err(Error::new("--n-sim must be at least 1"));
        }
        if let Some(q) = self.quantile {
            if !(q > 0.0 && q <= 1.0) {
                return Err(Error::new(format!("--quantile must be in (0, 1], got {q}")));
            }
        }
        let n_sim = self.requested_n_sim();
        if n_sim > MAX_N_SIM {
            return Err(Error::new(format!(
                "{n_sim} simulations is more than the {MAX_N_SIM} one run may do: raise --quantile or lower --n-sim"
            )));
        }
        let rounded = self.chunk_count().checked_mul(self.batch_size);
        if rounded.is_none_or(|rounded| rounded > MAX_N_SIM) {
            return Err(Error::new(format!(
                "--batch-size {} rounds {n_sim} simulations up past the {MAX_N_SIM} one run may do",
                self.batch_size
            )));
        }
        if self.n_samples > n_sim {
            return Err(Error::new(format!(
                "--n-samples ({}) is more than the number of simulations ({n_sim}, --n-sim)",
                self.n_samples
            )));
        }
        let list_bytes = self.chunk_count()
            * self.n_samples.min(self.batch_size)
            * std::mem::size_of::<Candidate>();
        if list_bytes > MAX_LIST_BYTES {
            return Err(Error::new(format!(
                "the per-batch best lists would take {} MiB: raise --batch-size or lower --n-samples",
                list_bytes >> 20
            )));
        }
        match &self.observed {
            Some(file) => file.check(),
            None if !(observed::MIN_LEN..=observed::MAX_LEN).contains(&self.n_obs) => {
                Err(Error::new(format!(
                    "--n-obs must be from {} to {}, got {}",
                    observed::MIN_LEN,
                    observed::MAX_LEN,
                    self.n_obs
                )))
            }
            None if !self.true_params.in_prior_triangle() => Err(Error::new(format!(
                "--true-params {},{} lie outside the prior's triangle with corners (-2, 1), (2, 1), (0, -1)",
                self.true_params.t1, self.true_params.t2
            ))),
            None => Ok(()),
        }
    }

    fn chunk_count(&self) -> usize {
        self.requested_n_sim().div_ceil(self.batch_size.max(1))
    }

    /// One batch: `batch_size` simulations, keeping the `n_samples` best.
    fn run_chunk(&self, batch: usize, rng: &mut ChunkRng) -> Vec<Candidate> {
        let observed = Summaries::of(&self.observed_series());
        let simulator = Simulator::new(self.n_obs());
        let mut best = BestN::for_offers(self.n_samples, self.batch_size);
        let mut scratch = Scratch::default();
        let first = (batch * self.batch_size) as u64;
        for i in 0..self.batch_size as u64 {
            let theta = draw_prior(rng);
            let distance = simulator
                .summaries(theta, rng, &mut scratch)
                .distance(&observed);
            best.offer(Candidate {
                distance,
                index: first + i,
                t1: theta.t1,
                t2: theta.t2,
            });
        }
        best.into_unordered()
    }

    /// The n best of two lists are among the n best of each: folding keeps
    /// exactly what the merge could still accept, and the merge's order
    /// (distance, then global draw index) is total, so neither the order nor
    /// the grouping of the folds changes a bit of the result.
    fn condense(
        &self,
        kept: &mut Vec<Candidate>,
        part: Vec<Candidate>,
    ) -> Result<(), Vec<Candidate>> {
        let mut best = BestN::resume(self.n_samples, std::mem::take(kept));
        part.into_iter().for_each(|candidate| best.offer(candidate));
        *kept = best.into_unordered();
        Ok(())
    }

    fn merge(&self, parts: Vec<Vec<Candidate>>) -> Posterior {
        let mut best = BestN::new(self.n_samples);
        for candidate in parts.into_iter().flatten() {
            best.offer(candidate);
        }
        let observed = self.observed_series();
        Posterior {
            accepted: best.into_sorted(),
            n_sim: self.n_sim(),
            n_batches: self.chunk_count(),
            observed_summaries: Summaries::of(&observed),
            observed,
            true_params: self.known_params(),
        }
    }

    /// n_sim simulated series of n_obs + 2 normals, each made, summarised
    /// and compared: 1.8 ns a value on the reference machine (10^6
    /// simulations of 100 values, 0.184 s), counted as [`NANOS_PER_VALUE`].
    fn serial_cost(&self) -> Option<Duration> {
        let values = self.n_sim() as f64 * (self.n_obs() + 2) as f64;
        Some(crate::estimate::units(values, NANOS_PER_VALUE))
    }

    /// `--n-sim`: every simulation costs the same, so the work grows as
    /// n-sim. (Sized by `--quantile`, the simulations it asks for.)
    fn size(&self) -> Option<Size> {
        Some(Size {
            flag: "n-sim",
            value: self.requested_n_sim() as f64,
            work_power: 1.0,
        })
    }

    /// The simulations set to `value`; a `--quantile` gives way to it, so
    /// the kept `--n-samples` stay as they were.
    fn resized(&self, value: f64) -> Option<Self> {
        Some(Ma2 {
            n_sim: Some(crate::flags::rounded_count(value)),
            quantile: None,
            ..self.clone()
        })
    }
}

/// What one simulated value costs, for estimates: the reference machine's
/// 1.8 ns, rounded up to allow for slower machines.
pub const NANOS_PER_VALUE: f64 = 4.0;

#[cfg(test)]
mod tests {
    use super::*;

    fn error(ma2: Ma2) -> String {
        ma2.validate().unwrap_err().to_string()
    }

    #[test]
    fn n_sim_is_rounded_up_to_whole_batches() {
        let ma2 = Ma2 {
            n_sim: Some(25_001),
            ..Default::default()
        };
        assert_eq!((ma2.chunk_count(), ma2.n_sim()), (3, 30_000));
        let by_quantile = Ma2 {
            n_samples: 100,
            quantile: Some(0.01),
            batch_size: 300,
            ..Default::default()
        };
        assert_eq!(by_quantile.requested_n_sim(), 10_000);
        assert_eq!(by_quantile.n_sim(), 10_200);
        assert_eq!(Ma2::default().n_sim(), 1_000_000);
    }

    #[test]
    fn bad_parameters_name_their_flag() {
        let cases = [
            (
                Ma2 {
                    n_samples: 0,
                    ..Default::default()
                },
                "--n-samples",
            ),
            (
                Ma2 {
                    batch_size: 0,
                    ..Default::default()
                },
                "--batch-size",
            ),
            (
                Ma2 {
                    quantile: Some(0.0),
                    ..Default::default()
                },
                "--quantile",
            ),
            (
                Ma2 {
                    quantile: Some(1.5),
                    ..Default::default()
                },
                "--quantile",
            ),
            (
                Ma2 {
                    quantile: Some(f64::NAN),
                    ..Default::default()
                },
                "--quantile",
            ),
            (
                Ma2 {
                    quantile: Some(1e-300),
                    ..Default::default()
                },
                "--quantile",
            ),
            (
                Ma2 {
                    n_sim: Some(4999),
                    ..Default::default()
                },
                "--n-sim",
            ),
            (
                Ma2 {
                    n_obs: 2,
                    ..Default::default()
                },
                "--n-obs",
            ),
            (
                Ma2 {
                    n_obs: 2_000_000,
                    ..Default::default()
                },
                "--n-obs",
            ),
            (
                Ma2 {
                    n_sim: Some(0),
                    ..Default::default()
                },
                "--n-sim must be at least 1",
            ),
            (
                Ma2 {
                    batch_size: 100_000_000_000,
                    ..Default::default()
                },
                "--batch-size",
            ),
            (
                Ma2 {
                    true_params: Theta { t1: 1.5, t2: 0.0 },
                    ..Default::default()
                },
                "--true-params",
            ),
            (
                Ma2 {
                    n_samples: 1 << 30,
                    n_sim: Some(1 << 33),
                    ..Default::default()
                },
                "--batch-size",
            ),
            (
                Ma2 {
                    batch_size: 1 << 62,
                    ..Default::default()
                },
                "--batch-size",
            ),
        ];
        for (ma2, flag) in cases {
            let message = error(ma2.clone());
            assert!(message.contains(flag), "{ma2:?}: {message}");
        }
        assert!(Ma2::default().validate().is_ok());
    }

    #[test]
    fn condensing_any_groups_in_any_order_leaves_the_merge_unchanged() {
        let ma2 = Ma2 {
            n_samples: 150,
            n_sim: Some(1_000),
            batch_size: 200,
            ..Default::default()
        };
        let parts: Vec<Vec<Candidate>> = (0..ma2.chunk_count())
            .map(|c| ma2.run_chunk(c, &mut crate::seeds::chunk_rng(5, c)))
            .collect();
        let expected = ma2.merge(parts.clone());
        // Chunks {3, 0} fold into slot 0 and {4, 1, 2} into slot 2, as two
        // process workers that ran them in that order would send them.
        let mut condensed = vec![Vec::new(); parts.len()];
        for (slot, group) in [(0, [3, 0].as_slice()), (2, &[4, 1, 2])] {
            for &chunk in group {
                ma2.condense(&mut condensed[slot], parts[chunk].clone())
                    .unwrap();
            }
            assert!(condensed[slot].len() <= ma2.n_samples);
        }
        assert_eq!(ma2.merge(condensed), expected);
    }

    #[test]
    fn a_batch_keeps_its_best_with_global_indices() {
        let ma2 = Ma2 {
            n_samples: 10,
            n_sim: Some(200),
            batch_size: 100,
            ..Default::default()
        };
        let batch = |ma2: &Ma2| {
            let mut part = ma2.run_chunk(1, &mut crate::seeds::chunk_rng(1, 1));
            part.sort_by(Candidate::cmp_key);
            part
        };
        // Keeping 100 of 100 returns the whole batch: its 10 best are the part.
        let mut whole = batch(&Ma2 {
            n_samples: 100,
            ..ma2.clone()
        });
        assert_eq!(whole.len(), 100);
        assert!(whole.iter().all(|c| (100..200).contains(&c.index)));
        whole.truncate(10);
        assert_eq!(batch(&ma2), whole);
    }
}
