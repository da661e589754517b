//! The MA(2) model: its prior, its simulator, its summaries and the distance.
//!
//! Everything here is a pure function of its inputs and the random stream it
//! is handed; the rejection loop (`mod.rs`) only strings these together.
//!
//! ```text
//! x_j = w_{j+2} + t1 * w_{j+1} + t2 * w_j      j = 0 .. n-1,  w i.i.d. N(0, 1)
//! S1  = 1/(n-1) * sum_{i=0}^{n-2} x_{i+1} x_i  (lag-1 autocovariance, no mean removed)
//! S2  = 1/(n-2) * sum_{i=0}^{n-3} x_{i+2} x_i  (lag-2)
//! ```

use crate::normal::Ziggurat;
use crate::seeds::ChunkRng;
use crate::workloads::lanes;
use rand::RngCore;
use serde::{Deserialize, Serialize};

/// The model's two parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Theta {
    pub t1: f64,
    pub t2: f64,
}

impl Theta {
    /// Whether (t1, t2) lies in the prior's triangle, corners (-2, 1), (2, 1),
    /// (0, -1), edges included: the region where MA(2) is invertible.
    pub fn in_prior_triangle(&self) -> bool {
        let Theta { t1, t2 } = *self;
        t1.is_finite()
            && t2.is_finite()
            && (-2.0..=2.0).contains(&t1)
            && t2 <= 1.0
            && t2 >= lower_t2(t1)
    }
}

/// The lower edge of the triangle above t1.
fn lower_t2(t1: f64) -> f64 {
    (-1.0 - t1).max(t1 - 1.0)
}

/// A uniform in [0, 1) from the top 53 bits of one 64-bit draw.
fn uniform(rng: &mut ChunkRng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// One draw from the prior, uniform on the triangle.
///
/// The triangle is `2 - |t1|` tall above t1, so t1's marginal is triangular on
/// [-2, 2] with mode 0: drawn by inverting its CDF. Given t1, t2 is uniform on
/// the vertical slice of the triangle. Two uniforms per draw, nothing rejected.
pub fn draw_prior(rng: &mut ChunkRng) -> Theta {
    let u = uniform(rng);
    let t1 = if u < 0.5 {
        (2.0 * u).sqrt() * 2.0 - 2.0
    } else {
        2.0 - (2.0 * (1.0 - u)).sqrt() * 2.0
    };
    let low = lower_t2(t1);
    let t2 = low + (1.0 - low) * uniform(rng);
    Theta { t1, t2 }
}

/// The two summaries of a series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summaries {
    pub s1: f64,
    pub s2: f64,
}

impl Summaries {
    /// S1 and S2 of `x` (at least 3 values), each sum taken left to right.
    pub fn of(x: &[f64]) -> Summaries {
        let n = x.len();
        debug_assert!(n >= 3, "S2 needs 3 values");
        Summaries {
            s1: dot(&x[1..], x) / (n - 1) as f64,
            s2: dot(&x[2..], x) / (n - 2) as f64,
        }
    }

    /// The Euclidean distance between two pairs of summaries.
    pub fn distance(&self, other: &Summaries) -> f64 {
        let (d1, d2) = (self.s1 - other.s1, self.s2 - other.s2);
        // Not `hypot`: it guards against overflow we cannot have, at a call's cost.
        (d1 * d1 + d2 * d2).sqrt()
    }
}

/// `sum a[i] * b[i]` over the shorter length, in four interleaved lanes
/// (see [`lanes`]: a single running sum would make every addition wait for
/// the one before it).
fn dot(a: &[f64], b: &[f64]) -> f64 {
    lanes::sum(a, b, |x, y| x * y)
}

/// One value of the series from three consecutive noise values.
#[inline(always)]
fn ma2_value(theta: Theta, w0: f64, w1: f64, w2: f64) -> f64 {
    w2 + theta.t1 * w1 + theta.t2 * w0
}

/// Draws MA(2) series of one length from normal noise.
#[derive(Debug, Clone, Copy)]
pub struct Simulator {
    normal: Ziggurat,
    n_obs: usize,
}

impl Simulator {
    /// A simulator of series of `n_obs` values (at least 3; `n_obs + 2` noise values each).
    pub fn new(n_obs: usize) -> Simulator {
        debug_assert!(n_obs >= 3, "S2 needs 3 values");
        Simulator {
            normal: Ziggurat::new(),
            n_obs,
        }
    }

    /// One series for `theta`, drawing its noise from `rng`.
    pub fn series(&self, theta: Theta, rng: &mut ChunkRng) -> Vec<f64> {
        let mut w = vec![0.0; self.n_obs + 2];
        self.normal.fill(&mut w, rng);
        w.windows(3)
            .map(|w| ma2_value(theta, w[0], w[1], w[2]))
            .collect()
    }

    /// The summaries of one fresh series for `theta`, drawn into `scratch`.
    ///
    /// The rejection loop calls this a million times, so it is written as
    /// three tight loops over reused buffers rather than one fused loop:
    /// fill all `n_obs + 2` noise values ([`Ziggurat::fill`], whose loop holds
    /// only the generator), form the series (vectorisable), then the two
    /// lagged dot products of [`Summaries::of`]. Same bits as
    /// `Summaries::of(&self.series(theta, rng))` for the same stream.
    #[inline]
    pub fn summaries(&self, theta: Theta, rng: &mut ChunkRng, scratch: &mut Scratch) -> Summaries {
        let Scratch { noise, series } = scratch;
        noise.resize(self.n_obs + 2, 0.0);
        self.normal.fill(noise, rng);
        series.clear();
        series.extend(noise.windows(3).map(|w| ma2_value(theta, w[0], w[1], w[2])));
        Summaries::of(series)
    }
}

/// Buffers reused across simulations, so the rejection loop never allocates.
#[derive(Debug, Default)]
pub struct Scratch {
    noise: Vec<f64>,
    series: Vec<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeds::chunk_rng;

    #[test]
    fn summaries_of_a_hand_computed_series() {
        // x = 1, 2, 3, 4:
        // S1 = (2*1 + 3*2 + 4*3) / 3 = 20/3,  S2 = (3*1 + 4*2) / 2 = 11/2.
        let s = Summaries::of(&[1.0, 2.0, 3.0, 4.0]);
        assert!((s.s1 - 20.0 / 3.0).abs() < 1e-15, "{s:?}");
        assert_eq!(s.s2, 5.5);
        // Shortest legal series: x = 2, -1, 3: S1 = (-2 - 3)/2, S2 = 6/1.
        let s = Summaries::of(&[2.0, -1.0, 3.0]);
        assert_eq!((s.s1, s.s2), (-2.5, 6.0));
    }

    #[test]
    fn streamed_summaries_are_the_bits_of_the_stored_series() {
        let theta = Theta { t1: -0.7, t2: 0.4 };
        for n_obs in [3, 4, 100] {
            let sim = Simulator::new(n_obs);
            let streamed = sim.summaries(theta, &mut chunk_rng(8, n_obs), &mut Scratch::default());
            let stored = Summaries::of(&sim.series(theta, &mut chunk_rng(8, n_obs)));
            assert_eq!(streamed, stored, "n_obs {n_obs}");
        }
    }

    #[test]
    fn series_follows_the_ma2_recursion() {
        let theta = Theta { t1: 0.6, t2: 0.2 };
        let x = Simulator::new(5).series(theta, &mut chunk_rng(3, 0));
        let mut rng = chunk_rng(3, 0);
        let zig = Ziggurat::new();
        let mut w = [0.0; 7];
        zig.fill(&mut w, &mut rng);
        for j in 0..5 {
            assert_eq!(x[j], w[j + 2] + 0.6 * w[j + 1] + 0.2 * w[j]);
        }
    }

    #[test]
    fn distance_is_euclidean() {
        let a = Summaries { s1: 1.0, s2: 2.0 };
        let b = Summaries { s1: 4.0, s2: -2.0 };
        assert_eq!(a.distance(&b), 5.0);
    }

    #[test]
    fn triangle_membership() {
        let inside = |t1, t2| Theta { t1, t2 }.in_prior_triangle();
        assert!(inside(0.6, 0.2) && inside(0.0, -1.0) && inside(-2.0, 1.0));
        assert!(!inside(1.5, 0.0)); // below the right edge t2 = t1 - 1
        assert!(!inside(-1.5, 0.0)); // below the left edge t2 = -1 - t1
        assert!(!inside(0.0, 1.01) && !inside(2.5, 1.0) && !inside(f64::NAN, 0.0));
    }
}
