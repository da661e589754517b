//! `linear-normal`: draws of a linear model with normal inputs (the lab).
//!
//! The lab asks for n draws of
//!
//! ```text
//! y = alpha + x1 + 2*x2 + 0.5*x3 + eps
//! alpha ~ N(15, 2)   x1 ~ N(3, 5)   x2 ~ N(10, 1)   x3 ~ N(8, 8)   eps ~ N(0, 1)
//! ```
//!
//! all independent. The lab leaves the second parameter of `N(m, s)`
//! ambiguous; we read it as the **standard deviation**, as numpy's
//! `normal(loc, scale)` does. Then `E[y] = 42` and `Var[y] = 2² + 5² + 2²·1² +
//! 0.5²·8² + 1² = 50`. (Read as variances it would be 42 and 14: the summary's
//! variance tells the two readings apart.)
//!
//! What a student should notice: each draw is five normals and a few
//! multiplications, ~10 ns. A chunk of [`DRAWS_PER_CHUNK`] draws is over in
//! about 0.1 ms, so for small n the cost of starting threads or processes, and
//! of copying every `y` back from a child, is larger than the work itself.
//! Finding the n where each strategy starts to win is the lab.

use super::memory;
use crate::normal::Ziggurat;
use crate::seeds::ChunkRng;
use crate::workload::{Outcome, Size, Workload};
use crate::{Checksum, Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::time::Duration;

/// Draws per chunk, fixed whatever the worker count: ten chunks at the
/// default n, each long enough (~0.1 ms) to be worth handing out.
pub const DRAWS_PER_CHUNK: usize = 10_000;

/// The most draws one run may make: y takes 8 bytes a draw, so 10^9 draws
/// are 8 GB, a third of the machines this runs on.
pub const MAX_N: usize = 1_000_000_000;

/// A normal distribution as (mean, standard deviation).
type Normal = (f64, f64);
/// The lab's input distributions.
pub const ALPHA: Normal = (15.0, 2.0);
pub const X1: Normal = (3.0, 5.0);
pub const X2: Normal = (10.0, 1.0);
pub const X3: Normal = (8.0, 8.0);
pub const EPS: Normal = (0.0, 1.0);

/// E[y] and Var[y] under the standard-deviation reading.
pub const THEORY_MEAN: f64 = 42.0;
pub const THEORY_VARIANCE: f64 = 50.0;

/// Parameters of the lab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
pub struct LinearNormal {
    /// Number of draws of y
    #[arg(long, default_value_t = LinearNormal::default().n, value_parser = crate::flags::count, allow_hyphen_values = true)]
    pub n: usize,
}

impl Default for LinearNormal {
    fn default() -> Self {
        LinearNormal { n: 100_000 }
    }
}

/// The inputs of one draw, in the order the formula names them.
const INPUTS: [Normal; 5] = [ALPHA, X1, X2, X3, EPS];

/// Draws per call of [`Ziggurat::fill`]: 64 draws are 320 normals, five whole
/// blocks of the sampler's 64.
const DRAWS_PER_FILL: usize = 64;

/// y from one draw's five standard normals, in the formula's order.
#[inline(always)]
fn y_of(z: [f64; 5]) -> f64 {
    // N(mean, sd): a standard normal, scaled and shifted.
    let [alpha, x1, x2, x3, eps] = std::array::from_fn(|k| INPUTS[k].0 + INPUTS[k].1 * z[k]);
    alpha + x1 + 2.0 * x2 + 0.5 * x3 + eps
}

/// `n` draws of y: the standard normals come from the buffered sampler
/// ([`Ziggurat::fill`], two per 64-bit random number, the generator kept in
/// registers), and y is formed from them in a second, simple loop.
///
/// **The layout of the normals is the lesson here.** One fill gives 320
/// normals for 64 draws, stored *input by input*: 64 values of alpha, then
/// 64 of x1, and so on. The second loop then reads five arrays side by side
/// and does each step for two draws at once in SSE2 registers. Stored draw by
/// draw (alpha, x1, x2, x3, eps of draw 0, then of draw 1, ...), the same
/// loop had to pick every fifth number and worked one draw at a time: forming
/// and storing y took 0.16 ms beside the normals' 0.50 ms at the default n,
/// and takes 0.09 ms now. What is left is the generator itself.
fn draws(n: usize, rng: &mut ChunkRng) -> Vec<f64> {
    let zig = Ziggurat::new();
    let mut z = [0.0; DRAWS_PER_FILL * INPUTS.len()];
    let mut y = Vec::with_capacity(n);
    let mut left = n;
    while left > 0 {
        let draws = left.min(DRAWS_PER_FILL);
        let z = &mut z[..draws * INPUTS.len()];
        zig.fill(z, rng);
        let mut inputs = z.chunks_exact(draws);
        let [alpha, x1, x2, x3, eps] = std::array::from_fn(|_| inputs.next().expect("5 inputs"));
        y.extend(
            alpha
                .iter()
                .zip(x1)
                .zip(x2)
                .zip(x3)
                .zip(eps)
                .map(|((((&a, &b), &c), &d), &e)| y_of([a, b, c, d, e])),
        );
        left -= draws;
    }
    y
}

impl Workload for LinearNormal {
    const NAME: &'static str = "linear-normal";
    type Part = Vec<f64>;
    type Output = Draws;

    fn validate(&self) -> Result<()> {
        if self.n == 0 {
            return Err(Error::new("--n must be at least 1"));
        }
        if self.n > MAX_N {
            return Err(Error::new(format!(
                "--n {} is more than {MAX_N} draws (y alone would need {} GB of memory)",
                self.n,
                self.n / 125_000_000
            )));
        }
        // y, all of it, is held until the run ends: checked before it starts.
        memory::ensure_room::<f64>(self.n, &format!("y (--n {})", self.n))
    }

    fn chunk_count(&self) -> usize {
        self.n.div_ceil(DRAWS_PER_CHUNK)
    }

    fn run_chunk(&self, chunk: usize, rng: &mut ChunkRng) -> Vec<f64> {
        let first = chunk * DRAWS_PER_CHUNK;
        let last = (first + DRAWS_PER_CHUNK).min(self.n);
        draws(last - first, rng)
    }

    fn merge(&self, parts: Vec<Vec<f64>>) -> Draws {
        Draws { chunks: parts }
    }

    /// n draws of five normals each: 6.4 ns a draw on the reference
    /// machine (100,000 draws, 0.64 ms), counted as [`NANOS_PER_DRAW`].
    fn serial_cost(&self) -> Option<Duration> {
        Some(crate::estimate::units(self.n as f64, NANOS_PER_DRAW))
    }

    /// `--n`: every draw costs the same, so the work grows as n.
    fn size(&self) -> Option<Size> {
        Some(Size {
            flag: "n",
            value: self.n as f64,
            work_power: 1.0,
        })
    }

    fn resized(&self, value: f64) -> Option<Self> {
        Some(LinearNormal {
            n: crate::flags::rounded_count(value),
        })
    }
}

/// What one draw of y costs, for estimates: the reference machine's 6.4 ns,
/// rounded up to allow for slower machines.
pub const NANOS_PER_DRAW: f64 = 15.0;

/// The draws of y, in draw order, in the vectors the chunks made.
///
/// The merge keeps the chunks' vectors as they are. Concatenated, every y
/// would be copied into 800 kB of fresh memory at the default n, and the
/// first touch of each 4 kB page of it costs the kernel a page fault: a
/// quarter of a serial run's time (1.25 ms against 0.93 ms in a fresh process). Nothing needs the draws in one piece: the
/// summaries, the checksum and `--output` read them in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Draws {
    chunks: Vec<Vec<f64>>,
}

impl Draws {
    /// Every y, in draw order.
    pub fn y(&self) -> impl Iterator<Item = f64> + '_ {
        self.chunks.iter().flatten().copied()
    }

    /// The number of draws.
    pub fn len(&self) -> usize {
        self.chunks.iter().map(Vec::len).sum()
    }

    /// Whether there are none (never, for a valid run).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The sample mean.
    pub fn mean(&self) -> f64 {
        self.y().sum::<f64>() / self.len() as f64
    }

    /// The sample variance, divided by n - 1 (0 for a single draw).
    ///
    /// Two passes (mean first, then squared deviations) rather than one pass of
    /// sums of squares, which loses most of its digits when the mean is large
    /// next to the spread.
    pub fn variance(&self) -> f64 {
        if self.len() < 2 {
            return 0.0;
        }
        let mean = self.mean();
        let squares: f64 = self.y().map(|y| (y - mean) * (y - mean)).sum();
        squares / (self.len() - 1) as f64
    }
}

impl Outcome for Draws {
    fn summary(&self) -> serde_json::Value {
        json!({
            "n": self.len(),
            "mean": self.mean(),
            "variance": self.variance(),
            "theory_mean": THEORY_MEAN,
            "theory_variance": THEORY_VARIANCE,
        })
    }

    fn describe(&self) -> String {
        format!(
            "draws          {}\nmean           {:.4}  (theory {THEORY_MEAN})\nvariance       {:.4}  (theory {THEORY_VARIANCE}; sample variance, n - 1)",
            self.len(),
            self.mean(),
            self.variance()
        )
    }

    fn to_json(&self) -> serde_json::Value {
        json!({ "y": self.y().collect::<Vec<_>>() })
    }

    fn checksum(&self) -> Checksum {
        // The bits of y as one vector, so the checksum does not depend on
        // how the draws were chunked (and y is never copied to compute it).
        Checksum::of_items(self.len(), self.y())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeds::chunk_rng;

    #[test]
    fn chunks_cover_n_exactly() {
        let lab = LinearNormal { n: 25_001 };
        assert_eq!(lab.chunk_count(), 3);
        let sizes: Vec<usize> = (0..3)
            .map(|c| lab.run_chunk(c, &mut chunk_rng(1, c)).len())
            .collect();
        assert_eq!(sizes, vec![10_000, 10_000, 5_001]);
    }

    #[test]
    fn draws_follow_the_formula_on_the_samplers_normals() {
        // 130 draws: two full fills of 64 draws and one of 2, each holding
        // its draws' alphas first, then their x1s, and so on.
        let y = draws(130, &mut chunk_rng(5, 0));
        let mut rng = chunk_rng(5, 0);
        let mut by_hand = Vec::new();
        for draws in [64, 64, 2] {
            let mut z = vec![0.0; draws * 5];
            Ziggurat::new().fill(&mut z, &mut rng);
            for d in 0..draws {
                let input = |k: usize| z[k * draws + d];
                by_hand.push(
                    (15.0 + 2.0 * input(0))
                        + (3.0 + 5.0 * input(1))
                        + 2.0 * (10.0 + input(2))
                        + 0.5 * (8.0 + 8.0 * input(3))
                        + input(4),
                );
            }
        }
        assert_eq!(y, by_hand);
    }

    #[test]
    fn mean_and_variance_of_a_known_sample() {
        let draws = Draws {
            chunks: vec![vec![40.0], vec![42.0, 44.0]],
        };
        assert_eq!(draws.mean(), 42.0);
        assert_eq!(draws.variance(), 4.0);
        assert_eq!(
            Draws {
                chunks: vec![vec![7.0]]
            }
            .variance(),
            0.0
        );
        assert_eq!(
            Checksum::of(&vec![40.0, 42.0, 44.0]),
            draws.checksum(),
            "the checksum is of y in one piece"
        );
    }

    #[test]
    fn zero_draws_are_refused() {
        let err = LinearNormal { n: 0 }.validate().unwrap_err().to_string();
        assert!(err.contains("--n"), "{err}");
    }
}
