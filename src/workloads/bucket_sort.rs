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

/// Reusable buffers, so sorting many arrays allocates only once.
#[derive(Debug, Default)]
pub struct BucketSorter {
    spare: Vec<u64>,
    offsets: Vec<u32>,
}

impl BucketSorter {
    /// Sorts `keys`, each below `2^key_bits`, ascending.
    pub fn sort(&mut self, keys: &mut Vec<u64>, key_bits: u32) {
        let n = keys.len();
        if n < 2 {
            return;
        }
        debug_assert!(key_bits == 64 || keys.iter().all(|&k| k >> key_bits == 0));
        let bucket_bits = (usize::BITS - (n - 1).leading_zeros()).min(key_bits);
        let shift = key_bits - bucket_bits;
        let bucket = |key: u64| (key >> shift) as usize;

        // 1. Count keys per bucket (shifted by one, so the prefix sum gives starts).
        self.offsets.clear();
        self.offsets.resize((1 << bucket_bits) + 1, 0);
        for &key in keys.iter() {
            self.offsets[bucket(key) + 1] += 1;
        }
        // 2. Starting offsets, then scatter.
        for i in 1..self.offsets.len() {
            self.offsets[i] += self.offsets[i - 1];
        }
        self.spare.clear();
        self.spare.resize(n, 0);
        for &key in keys.iter() {
            let slot = &mut self.offsets[bucket(key)];
            self.spare[*slot as usize] = key;
            *slot += 1;
        }
        // 3. Insertion sort: each key moves only within its bucket.
        insertion_sort(&mut self.spare);
        std::mem::swap(keys, &mut self.spare);
    }
}

fn insertion_sort(keys: &mut [u64]) {
    for i in 1..keys.len() {
        let key = keys[i];
        let mut j = i;
        while j > 0 && keys[j - 1] > key {
            keys[j] = keys[j - 1];
            j -= 1;
        }
        keys[j] = key;
    }
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
