//! Long floating-point sums, in four interleaved lanes.
//!
//! `a + b + c + ...` from left to right is one chain: every addition waits for
//! the one before it, about 4 cycles each, whatever else the processor could
//! do meanwhile. Four running sums, term `i` going to lane `i % 4`, are four
//! independent chains, and the compiler packs them two to an SSE2 register
//! (part of every x86-64 processor), so the terms themselves are computed two
//! at a time too.
//!
//! What a student should notice: the result is the **same bits on every
//! run**, strategy and worker count, because the lanes are combined in one
//! fixed order. It is only a different *order* of the same additions than the
//! left-to-right sum, so the last bits differ from it. (numpy's `sum` does the
//! same, with eight lanes inside a pairwise sum.)
//!
//! `ma2` sums its lagged products this way. `integration` does not: lab 1
//! checks a student's plain left-to-right loop against the library's sum bit
//! for bit, which is worth more there than the 7.5% four lanes took off it.
//!
//! The lanes are combined as (0 + 2) + (1 + 3): a register holds lanes (0, 1)
//! and another (2, 3), so adding the two registers gives both pairs at once.
//! Combining 0 + 1 and 2 + 3 instead made the compiler deal the lanes into
//! registers as (0, 2) and (1, 3), shuffling after every load, and cost `ma2`
//! about 5% more instructions.

/// `term(a[0], b[0]) + term(a[1], b[1]) + ...` over the shorter of the two
/// slices, in four lanes.
///
/// The terms past the last whole group of four are added left to right, and
/// then to the lanes' total. (Taking slices, rather than a term by index,
/// lets the compiler see that every access is in bounds: with indices it
/// kept a bounds check per term, and `ma2` ran 10% slower.)
#[inline(always)]
pub fn sum<A: Copy, B: Copy>(a: &[A], b: &[B], term: impl Fn(A, B) -> f64) -> f64 {
    let len = a.len().min(b.len());
    let (a, b) = (&a[..len], &b[..len]);
    let mut lanes = [0.0; 4];
    for (a, b) in a.chunks_exact(4).zip(b.chunks_exact(4)) {
        for lane in 0..4 {
            lanes[lane] += term(a[lane], b[lane]);
        }
    }
    let whole = len - len % 4;
    let rest: f64 = a[whole..]
        .iter()
        .zip(&b[whole..])
        .map(|(&a, &b)| term(a, b))
        .sum();
    (lanes[0] + lanes[2]) + (lanes[1] + lanes[3]) + rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_every_term_once() {
        let numbers: Vec<f64> = (0..20).map(f64::from).collect();
        for count in 0..20_usize {
            let expected = (count * count.saturating_sub(1) / 2) as f64;
            let ones = vec![1.0; count + 3];
            let total = sum(&numbers[..count], &ones, |x, one| x * one);
            assert_eq!(total, expected, "count {count}");
        }
    }

    #[test]
    fn lanes_combine_in_their_fixed_order() {
        // 1e16 + 1 rounds back to 1e16 (the spacing of doubles there is 2):
        // which terms meet first decides what survives. Lanes 0 and 2 hold
        // 1e16 and -1e16, lanes 1 and 3 hold 1 each, and the rest adds 1.
        let terms = [1e16, 1.0, -1e16, 1.0, 1.0];
        assert_eq!(sum(&terms, &terms, |x, _| x), 3.0);
        // Left to right, the one added to 1e16 is lost.
        assert_eq!(terms.iter().sum::<f64>(), 2.0);
    }
}
