//! Standard normal draws by the ziggurat method, inlined into the caller.
//!
//! `ma2` draws 102 normals per simulation, 10^8 per run: the normal generator
//! *is* the workload. `rand_distr::StandardNormal` uses the same algorithm,
//! but its sampling function is not inlined, and a function call per draw cost
//! about as much as the draw itself. This file is the same method written so
//! the common case compiles into the caller's loop.
//!
//! The ziggurat (Marsaglia & Tsang, 2000) covers the right half of the bell
//! curve with 1024 horizontal layers of **equal area** V: 1023 rectangles
//! stacked up to the peak, and a base layer made of a rectangle plus the tail
//! beyond R. One **32-bit** draw gives a layer `i` (its low 10 bits) and a
//! signed position `x` in [-X[i], X[i]) (its top 22 bits: a sign and 21 bits
//! of magnitude). Then:
//!
//! - if `|x| < X[i+1]`, the point lies in the part of the layer that is under
//!   the curve: accept `x`. This happens 99.57% of the time (the layers'
//!   average of `X[i+1] / X[i]`), and costs half a random number, one
//!   multiplication and one comparison;
//! - otherwise (the layer's ragged right end) an exact accept-or-retry test
//!   against `exp(-x²/2)`, or, in the base layer, a draw from the tail.
//!
//! The result is *exactly* normal up to the resolution of the draws, not an
//! approximation: the fast path is just a shortcut through a rejection sampler.
//!
//! **Why 1024 layers.** More layers fit the curve more closely, so fewer draws
//! fall on a ragged end and take the slow path (about 13 ns each, with its
//! mispredicted branch): 1.5% of draws with Marsaglia and Tsang's 256 layers,
//! 0.43% with 1024. Measured on the 2-CPU reference machine, one normal cost
//! 1.33 ns with 256 layers, 1.14 ns with 512, 1.04 ns with 1024 and 1.02 ns
//! with 2048, whose fast-path tables (32 kB) crowd the 48 kB first-level
//! cache. 1024 is where the gain runs out.
//!
//! **The resolution is the trade-off to notice.** A 64-bit draw could place
//! `x` on a grid of 2^53 points; here each layer's positions lie on a grid of
//! step `X[i] / 2^21`, at most 2.0e-6 (the base layer) and finer in the upper
//! layers. Each draw thereby costs half a xoshiro step instead of a whole one
//! (a step was about 40% of a draw's instructions), and every layer bit taken
//! from the position makes its grid twice as coarse. For `ma2`, whose
//! summaries average 100 products of normals and whose distances are
//! compared at about 0.08, a grid of 2e-6 is invisible; a study of the far
//! tails would want the 64-bit version (the tail beyond R, drawn by the slow
//! path, keeps 53-bit uniforms). Marsaglia and Tsang's original also used 32
//! bits, but took the layer from the *same* bits as the position; here they
//! are disjoint bits, so layer and position are independent.
//!
//! The slow paths call `exp` and `ln` from the platform's maths library; a run
//! is bit-reproducible on one machine, like every workload's, since all
//! workers are the same executable.

use crate::seeds::ChunkRng;
use rand::RngCore;
use std::sync::LazyLock;

/// Bits of the random draw that pick the layer.
const LAYER_BITS: u32 = 10;
/// Number of layers.
const LAYERS: usize = 1 << LAYER_BITS;
/// Where the tail starts, for 1024 layers: the R for which the layers of
/// equal area close exactly at the peak (found by bisection; the test
/// `tables_close_at_the_peak_with_equal_areas` checks it).
const R: f64 = 4.038_849_846_109_505;
/// The area of every layer: `R f(R)` plus the tail area `sqrt(pi/2) erfc(R/sqrt 2)`,
/// for the unnormalised density `f(x) = exp(-x²/2)`.
const V: f64 = 0.001_226_324_646_353_085_2;

/// The unnormalised normal density.
fn f(x: f64) -> f64 {
    (-0.5 * x * x).exp()
}

/// The layer edges `x[i]`, the density there, `f[i] = f(x[i])`, each
/// layer's grid step `w[i] = x[i] / 2^21` (see [`Ziggurat::position`]), and
/// the two lines that squeeze the curve within each layer (see [`Squeeze`]).
struct Tables {
    x: [f64; LAYERS + 1],
    f: [f64; LAYERS + 1],
    w: [f64; LAYERS],
    squeeze: [Option<Squeeze>; LAYERS],
}

/// Two straight lines that bound the curve within one layer, so that most
/// draws of the slow path are settled without calling `exp`.
///
/// The slow path draws a height `y = f[i] + (f[i+1] - f[i]) u` with `u`
/// uniform, and accepts when `y < f(x)`. Within a layer the curve is
/// *convex* (beyond `x = 1`) or *concave* (inside it), except in the one
/// layer that holds the inflection point. A convex curve lies below its
/// chord and above its tangents; a concave one the other way round. So in
/// `u` units, with `d = x[i] - |x|`, the curve lies between the chord's
/// `d * chord` and the tangent's (at `x[i]`) `d * tangent`: below the lower
/// line means accept, above the higher one reject, and only the thin sliver
/// between them needs `exp`. (Marsaglia and Tsang skip this; McFarland's
/// 2016 ziggurat uses the same idea.)
///
/// **The same bits.** A settled draw must go the way the exact test would
/// have gone, or the checksums would change. Both tests are computed in
/// floating point, so the lines are trusted only beyond a margin of
/// [`SQUEEZE_MARGIN`] in `u`: rounding moves `u`, the lines and `exp` by
/// about 1e-16 of `f`, and `f[i+1] - f[i]` is at least `V / R` = 3.0e-4, so
/// rounding is worth at most 1e-12 in `u`, three orders of magnitude inside
/// the margin.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Squeeze {
    /// `u` on the chord per unit of `d`: `1 / (x[i] - x[i+1])`.
    chord: f64,
    /// `u` on the tangent at `x[i]` per unit of `d`: `x[i] f[i] / (f[i+1] - f[i])`.
    tangent: f64,
}

/// How far `u` must be beyond a squeezing line to trust it (see [`Squeeze`]).
const SQUEEZE_MARGIN: f64 = 1e-9;

impl Squeeze {
    /// The lines of layer `i` (from 1), or `None` for the base layer and the
    /// layer where the curve turns from concave to convex.
    fn of_layer(i: usize, x: &[f64; LAYERS + 1], f: &[f64; LAYERS + 1]) -> Option<Squeeze> {
        let (outer, inner) = (x[i], x[i + 1]);
        (i > 0 && (inner >= 1.0 || outer <= 1.0)).then(|| Squeeze {
            chord: 1.0 / (outer - inner),
            tangent: outer * f[i] / (f[i + 1] - f[i]),
        })
    }

    /// `Some(accept)` when the lines settle the draw at distance `d` inside
    /// the layer's outer edge with height `u`; `None` when only `exp` can.
    #[inline(always)]
    fn settle(self, d: f64, u: f64) -> Option<bool> {
        let (a, b) = (d * self.chord, d * self.tangent);
        let (low, high) = if a < b { (a, b) } else { (b, a) };
        if u < low - SQUEEZE_MARGIN {
            Some(true)
        } else if u > high + SQUEEZE_MARGIN {
            Some(false)
        } else {
            None
        }
    }
}

/// Bits of position: the draw's top 22 bits, a signed integer `j`, stand for
/// `j / 2^21` in [-1, 1).
const POSITION_BITS: u32 = 31 - LAYER_BITS;
const SCALE: f64 = (1u32 << POSITION_BITS) as f64;

/// The layer edges `x[i]`: decreasing, `x[1] = R`, `x[1024] = 0`. `x[0] = V / f(R)`
/// is the base layer's width if its tail were folded into a rectangle. Each
/// layer's top edge follows from equal areas: `x[i] (f(x[i+1]) - f(x[i])) = V`.
fn edges() -> [f64; LAYERS + 1] {
    let mut x = [0.0; LAYERS + 1];
    x[0] = V / f(R);
    x[1] = R;
    for i in 1..LAYERS - 1 {
        x[i + 1] = (-2.0 * (V / x[i] + f(x[i])).ln()).sqrt();
    }
    x[LAYERS] = 0.0;
    x
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let x = edges();
    let f = x.map(f);
    Tables {
        w: std::array::from_fn(|i| x[i] / SCALE),
        squeeze: std::array::from_fn(|i| Squeeze::of_layer(i, &x, &f)),
        f,
        x,
    }
});

/// A standard normal sampler. Cheap to copy: it holds a reference to the tables.
#[derive(Clone, Copy)]
pub struct Ziggurat {
    tables: &'static Tables,
}

impl std::fmt::Debug for Ziggurat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Ziggurat({LAYERS} layers)")
    }
}

impl Default for Ziggurat {
    fn default() -> Self {
        Ziggurat::new()
    }
}

impl Ziggurat {
    /// The sampler (its tables are built once per process, in microseconds).
    pub fn new() -> Ziggurat {
        Ziggurat { tables: &TABLES }
    }

    /// One N(0, 1) draw, from the top 32 bits of one 64-bit draw (for callers
    /// that want a few at a time; a buffer is better served by [`Self::fill`]).
    #[inline(always)]
    pub fn sample(&self, rng: &mut ChunkRng) -> f64 {
        let bits = rng.next_u32();
        self.fast(bits).unwrap_or_else(|| self.slow(rng, bits))
    }

    /// Fills `out` with N(0, 1) draws, two from each 64-bit draw (low half first).
    ///
    /// The loop runs only the fast path, on a copy of the generator: with no
    /// call inside it, the compiler keeps the generator's four words in
    /// registers instead of loading and storing them around every draw. The
    /// 0.43% of draws that miss the fast path leave their bits in their slot
    /// and a bit in `misses`; the slow path finishes them after the loop, in
    /// order, drawing its extra numbers after the block's. (So the values
    /// differ from 64 calls of [`Self::sample`]; the same stream always
    /// gives the same values.) Blocks of 64 keep the bookkeeping to one `u64`.
    #[inline(always)]
    pub fn fill(&self, out: &mut [f64], rng: &mut ChunkRng) {
        for block in out.chunks_mut(64) {
            let mut misses = 0u64;
            let mut stream = rng.clone();
            let paired = block.len() & !1;
            for (k, pair) in block[..paired].chunks_exact_mut(2).enumerate() {
                let bits = stream.next_u64();
                let halves = [bits as u32, (bits >> 32) as u32];
                let [(x0, in0), (x1, in1)] = halves.map(|h| self.position(h));
                pair[0] = x0;
                pair[1] = x1;
                if !(in0 & in1) {
                    for (h, inside) in [in0, in1].into_iter().enumerate() {
                        if !inside {
                            pair[h] = f64::from_bits(halves[h].into());
                            misses |= 1 << (2 * k + h);
                        }
                    }
                }
            }
            *rng = stream;
            while misses != 0 {
                let k = misses.trailing_zeros() as usize;
                misses &= misses - 1;
                block[k] = self.slow(rng, block[k].to_bits() as u32);
            }
            for slot in &mut block[paired..] {
                *slot = self.sample(rng);
            }
        }
    }

    /// The position a 32-bit draw stands for, and whether it is on the fast
    /// path: the low 10 bits pick the layer `i`, the top 22, read as a signed
    /// integer `j`, the position `x = j * w[i]`; the draw is accepted as it
    /// is when `|x| < x[i+1]`.
    ///
    /// [`Self::fill`] calls this for both halves of a 64-bit draw side by
    /// side, with nothing but plain arithmetic in between, and the compiler
    /// does the two at once with SSE2 (part of every x86-64 processor): one
    /// shift and one conversion of two integers, one multiplication, one
    /// 16-byte store.
    #[inline(always)]
    fn position(&self, bits: u32) -> (f64, bool) {
        let (i, j) = split(bits);
        let x = j as f64 * self.tables.w[i];
        (x, x.abs() < self.tables.x[i + 1])
    }

    /// The fast path's result, or `None` when the draw needs the slow path.
    #[inline(always)]
    fn fast(&self, bits: u32) -> Option<f64> {
        let (x, inside) = self.position(bits);
        inside.then_some(x)
    }

    /// The rare cases: the ragged end of a layer, or the tail.
    #[cold]
    #[inline(never)]
    fn slow(&self, rng: &mut ChunkRng, mut bits: u32) -> f64 {
        let t = self.tables;
        loop {
            let (i, j) = split(bits);
            let x = j as f64 * t.w[i];
            if i == 0 {
                return tail(rng, j < 0);
            }
            // A uniform height within the layer: below the curve means
            // accept. The squeezing lines settle most heights without `exp`.
            let u = unit(rng.next_u64());
            let settled = t.squeeze[i].and_then(|lines| lines.settle(t.x[i] - x.abs(), u));
            if settled.unwrap_or_else(|| t.f[i] + (t.f[i + 1] - t.f[i]) * u < f(x)) {
                return x;
            }
            bits = rng.next_u32();
            if let Some(z) = self.fast(bits) {
                return z;
            }
        }
    }
}

/// A 32-bit draw as (layer, signed position): low 10 bits and top 22 bits.
#[inline(always)]
fn split(bits: u32) -> (usize, i32) {
    (bits as usize & (LAYERS - 1), (bits as i32) >> LAYER_BITS)
}

/// A draw from the tail beyond R, with the given sign (Marsaglia's method:
/// `R + e1/R` for exponentials e1, e2, accepted when `2 e2 > (e1/R)²`).
fn tail(rng: &mut ChunkRng, negative: bool) -> f64 {
    loop {
        let x = -open_unit(rng.next_u64()).ln() / R;
        let y = -open_unit(rng.next_u64()).ln();
        if 2.0 * y > x * x {
            return if negative { -(R + x) } else { R + x };
        }
    }
}

/// A uniform in [0, 1) from the top 53 bits.
fn unit(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform in (0, 1), safe to take the logarithm of.
fn open_unit(bits: u64) -> f64 {
    ((bits >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeds::chunk_rng;

    /// The area under `f` beyond `r`, by Simpson's rule (the tail is
    /// negligible 12 past R): an independent check of the constant V.
    fn tail_area(r: f64) -> f64 {
        let (steps, h) = (20_000, 12.0 / 20_000.0);
        let weight = |k: usize| match k {
            0 | 20_000 => 1.0,
            k if k % 2 == 1 => 4.0,
            _ => 2.0,
        };
        (0..=steps)
            .map(|k| weight(k) * f(r + k as f64 * h))
            .sum::<f64>()
            * h
            / 3.0
    }

    #[test]
    fn tables_close_at_the_peak_with_equal_areas() {
        let x = edges();
        // The base layer: the rectangle under f(R) plus the tail.
        assert!((R * f(R) + tail_area(R) - V).abs() < 1e-12 * V);
        assert!((x[0] * f(R) - V).abs() <= 1e-15 * V);
        // Every other layer has area V too, up to the top one, which closes
        // at the peak (x[1024] = 0, f = 1): R and V are the right pair.
        for i in 1..LAYERS {
            let area = x[i] * (f(x[i + 1]) - f(x[i]));
            assert!((area - V).abs() < 1e-9 * V, "layer {i}: {area}");
        }
        // The sampler's edges are these, and each layer's grid spans it:
        // 2^21 steps from 0 to x[i].
        let t = &*TABLES;
        assert_eq!(t.x, x);
        for (w, x) in t.w.iter().zip(&x) {
            assert_eq!(w * SCALE, *x);
        }
    }

    #[test]
    fn squeezed_decisions_are_the_exact_tests_decisions() {
        // Every grid position of the wedge (the slow path's part of a layer),
        // for a spread of heights u: where the lines settle a draw, the
        // exact test must agree, or the squeeze would change the bits.
        let t = &*TABLES;
        let mut settled = 0usize;
        let mut total = 0usize;
        for i in 1..LAYERS {
            let Some(lines) = t.squeeze[i] else { continue };
            let first = (t.x[i + 1] / t.w[i]).floor() as i32;
            for j in (first..=1 << POSITION_BITS).step_by(97) {
                let x = f64::from(j) * t.w[i];
                if x < t.x[i + 1] {
                    continue;
                }
                for k in 0..=64 {
                    let u = unit((k as u64) << 58 | (j as u64) << 11);
                    let exact = t.f[i] + (t.f[i + 1] - t.f[i]) * u < f(x);
                    total += 1;
                    if let Some(accept) = lines.settle(t.x[i] - x, u) {
                        settled += 1;
                        assert_eq!(accept, exact, "layer {i}, x {x}, u {u}");
                    }
                }
            }
        }
        // And they settle nearly all of them.
        assert!(settled as f64 > 0.9 * total as f64, "{settled} of {total}");
        // Only the base layer and the inflection point's layer lack lines.
        assert_eq!(t.squeeze.iter().filter(|s| s.is_none()).count(), 2);
    }

    /// `n` draws from stream (11, 0): through `fill` in buffers of 102, as
    /// `ma2` draws them, or one at a time through `sample`.
    fn draws(n: usize, buffered: bool) -> Vec<f64> {
        let zig = Ziggurat::new();
        let mut rng = chunk_rng(11, 0);
        let mut z = vec![0.0; n];
        if buffered {
            z.chunks_mut(102)
                .for_each(|chunk| zig.fill(chunk, &mut rng));
        } else {
            z.iter_mut().for_each(|z| *z = zig.sample(&mut rng));
        }
        z
    }

    /// The standard normal CDF, through `erfc` by Abramowitz & Stegun 7.1.26
    /// (absolute error below 1.5e-7, far below what the tests can resolve).
    fn normal_cdf(x: f64) -> f64 {
        let y = x.abs() / std::f64::consts::SQRT_2;
        let t = 1.0 / (1.0 + 0.327_591_1 * y);
        let poly = t
            * (0.254_829_592
                + t * (-0.284_496_736
                    + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
        let upper = 0.5 * poly * (-y * y).exp();
        if x < 0.0 { upper } else { 1.0 - upper }
    }

    /// The Kolmogorov-Smirnov distance between the draws and N(0, 1).
    fn ks_distance(mut z: Vec<f64>) -> f64 {
        z.sort_by(f64::total_cmp);
        let n = z.len() as f64;
        z.iter()
            .enumerate()
            .map(|(i, &x)| {
                let cdf = normal_cdf(x);
                (cdf - i as f64 / n).max((i + 1) as f64 / n - cdf)
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn draws_have_the_moments_and_tails_of_a_standard_normal() {
        for buffered in [true, false] {
            let z = draws(1_000_000, buffered);
            let n = z.len() as f64;
            let moment = |k: i32| z.iter().map(|z| z.powi(k)).sum::<f64>() / n;
            let beyond = |x: f64| z.iter().filter(|z| z.abs() > x).count() as f64 / n;
            // Standard errors: mean 0.001, variance 0.0014, kurtosis ~0.01.
            assert!(moment(1).abs() < 0.005, "{buffered}");
            assert!((moment(2) - 1.0).abs() < 0.007, "{buffered}");
            assert!((moment(4) - 3.0).abs() < 0.05, "{buffered}");
            // P(|Z| > 2) = 0.0455 (sd 0.0002), P(|Z| > 3.5) = 4.65e-4 (sd 2.2e-5),
            // P(|Z| > R) = 5.37e-5 (sd 7e-6: the tail, drawn by its own method).
            assert!((beyond(2.0) - 0.04550).abs() < 0.001, "{buffered}");
            assert!((beyond(3.5) - 4.65e-4).abs() < 1e-4, "{buffered}");
            assert!((beyond(R) - 5.37e-5).abs() < 3e-5, "{buffered}");
        }
    }

    #[test]
    fn draws_pass_a_kolmogorov_smirnov_test_against_the_normal_cdf() {
        // At n = 10^6 a true N(0, 1) sample exceeds D = 1.95 / sqrt(n) with
        // probability 0.001; a coarse grid, a wrong layer table or a lost
        // sign would show here first.
        for buffered in [true, false] {
            let d = ks_distance(draws(1_000_000, buffered));
            assert!(d < 1.95e-3, "buffered {buffered}: D = {d}");
        }
    }

    #[test]
    fn fill_finishes_every_slow_draw_whatever_the_length() {
        // A draw that missed the fast path holds its raw bits until the slow
        // path replaces them; left there, it would read as a subnormal number.
        let zig = Ziggurat::new();
        let mut rng = chunk_rng(4, 1);
        for len in [1, 2, 63, 64, 65, 101, 1000] {
            let mut z = vec![f64::NAN; len];
            zig.fill(&mut z, &mut rng);
            assert!(z.iter().all(|z| z.is_normal() || *z == 0.0), "length {len}");
        }
    }

    #[test]
    fn same_stream_same_draws() {
        let zig = Ziggurat::new();
        let draw = || {
            let mut rng = chunk_rng(2, 9);
            (0..1000).map(|_| zig.sample(&mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(draw(), draw());
    }
}
