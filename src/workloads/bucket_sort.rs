//! Sorting uniform random keys in linear expected time.
//!
//! The integration workload sorts ~50 million random numbers per run, so the
//! sort *is* the workload. A comparison sort needs ~n log2 n comparisons (13
//! per element at n = 10,000). But these keys are uniform, and for uniform keys
//! the top bits already say roughly where each key belongs:
//!
//! 1. choose `2^b >= n` buckets and count how many keys fall in each, by their
//!    top `b` bits;
//! 2. turn the counts into starting offsets and scatter the keys there;
//! 3. finish with insertion sort, which only has to move keys within their
//!    bucket (about one key per bucket on average).
//!
//! That is three passes over the data, whatever n is. The result is always
//! correctly sorted; only the *speed* relies on uniformity (keys that all share
//! their top bits would make step 3 quadratic). Know your data, and a sort can
//! beat n log n. `benches/kernels.rs` measures it against `sort_unstable`.
//!
//! Two details, with a cheaper integer-to-float conversion in the summing loop
//! (`integration.rs`), took 14% off the integration workload (the profile said
//! where):
//!
//! - the insertion sort avoids a branch per key that went the unexpected way
//!   for about a quarter of the keys ([`insertion_sort`]);
//! - the output buffer is never cleared: the scatter writes every slot, and
//!   zeroing it first was 4% of the run.
//!
//! Two that looked promising made it *slower*, a lesson in measuring: counting
//! each key in the loop that draws it, saving a pass (30% slower), and
//! inserting each key into place as it is scattered, saving another (35%
//! slower; each insertion first reads slots that were just written at random
//! places). Fewer passes is a guess about speed; the clock decides.

/// Reusable buffers, so sorting many arrays allocates only once.
#[derive(Debug, Default)]
pub struct BucketSorter {
    keys: Vec<u64>,
    sorted: Vec<u64>,
    offsets: Vec<u32>,
}

impl BucketSorter {
    /// Sorts `keys`, each below `2^key_bits`, ascending.
    pub fn sort(&mut self, keys: &mut [u64], key_bits: u32) {
        let n = keys.len();
        let mut input = keys.iter();
        let sorted = self.draw_sorted(n, key_bits, || *input.next().expect("n keys"));
        keys.copy_from_slice(sorted);
    }

    /// Draws `n` keys, each below `2^key_bits`, from `draw`, and returns them
    /// sorted ascending. The keys are drawn in order, one call each.
    pub fn draw_sorted(
        &mut self,
        n: usize,
        key_bits: u32,
        mut draw: impl FnMut() -> u64,
    ) -> &[u64] {
        // At least n buckets, at most one per key value.
        let bucket_bits = (usize::BITS - n.saturating_sub(1).leading_zeros()).min(key_bits);
        let shift = key_bits - bucket_bits;
        let bucket = |key: u64| (key >> shift) as usize;

        // 1. Draw, then count keys per bucket (shifted by one, so that the
        //    prefix sums below are the buckets' starts).
        self.offsets.clear();
        self.offsets.resize((1 << bucket_bits) + 1, 0);
        self.keys.clear();
        self.keys.extend((0..n).map(|_| draw()));
        for &key in &self.keys {
            self.offsets[bucket(key) + 1] += 1;
        }
        for i in 1..self.offsets.len() {
            self.offsets[i] += self.offsets[i - 1];
        }
        // 2. Scatter.
        // Every slot is written, so the buffer needs no clearing, only length.
        if self.sorted.len() < n {
            self.sorted.resize(n, 0);
        }
        let sorted = &mut self.sorted[..n];
        for &key in &self.keys {
            let next = &mut self.offsets[bucket(key)];
            sorted[*next as usize] = key;
            *next += 1;
        }
        // 3. Insertion sort: each key moves only within its bucket.
        insertion_sort(sorted);
        sorted
    }
}

/// Insertion sort for keys that are almost in order: each key moves only
/// within its bucket.
///
/// Written so that the common steps need no branch the processor could
/// mispredict. The largest key so far stays in a register (`top`); each new
/// key trades places with it through `min` and `max` (conditional moves), and
/// only when the smaller of the two is also below the key before it (three
/// keys or more in one bucket, a few percent of keys) does a loop shift keys
/// up. The textbook loop branched on every key, and a quarter of those
/// branches went the unexpected way, at ~15 cycles each.
fn insertion_sort(keys: &mut [u64]) {
    let Some((&first, _)) = keys.split_first() else {
        return;
    };
    let mut top = first;
    for i in 1..keys.len() {
        let key = keys[i];
        let low = key.min(top);
        top = key.max(top);
        let mut slot = i - 1;
        while slot > 0 && keys[slot - 1] > low {
            keys[slot] = keys[slot - 1];
            slot -= 1;
        }
        keys[slot] = low;
    }
    let last = keys.len() - 1;
    keys[last] = top;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeds::chunk_rng;
    use rand::RngCore;

    fn check(mut keys: Vec<u64>, key_bits: u32) {
        let mut expected = keys.clone();
        expected.sort_unstable();
        BucketSorter::default().sort(&mut keys, key_bits);
        assert_eq!(keys, expected);
    }

    #[test]
    fn sorts_uniform_keys_of_every_small_length() {
        let mut rng = chunk_rng(1, 0);
        for n in 0..200 {
            check((0..n).map(|_| rng.next_u64() >> 11).collect(), 53);
        }
    }

    #[test]
    fn sorts_adversarial_keys_correctly() {
        check(vec![5; 100], 53);
        check((0..300).rev().collect(), 53);
        check(vec![u64::MAX, 0, u64::MAX - 1, 1], 64);
    }

    #[test]
    fn buffers_are_reused_across_calls() {
        let mut sorter = BucketSorter::default();
        let mut rng = chunk_rng(2, 0);
        for n in [1000, 10, 500] {
            let mut keys: Vec<u64> = (0..n).map(|_| rng.next_u64() >> 11).collect();
            let mut expected = keys.clone();
            expected.sort_unstable();
            sorter.sort(&mut keys, 53);
            assert_eq!(keys, expected);
        }
    }
}
