//! Keeping the `n` best candidates of a stream, deterministically.
//!
//! Rejection ABC keeps the `n_samples` simulations closest to the data. Two
//! things make that harder than "sort and take the first n":
//!
//! - **Ties.** Two draws may land at exactly the same distance. Ordering by
//!   distance alone would then keep whichever came first *in the order of
//!   processing*, and that order changes with the strategy. So candidates are
//!   ordered by the key `(distance, global draw index)`: every candidate has a
//!   different key, and "the n smallest keys" is one well-defined set, whoever
//!   computes it and in whatever order.
//! - **Memory.** A batch may hold millions of draws. [`BestN`] never holds more
//!   than `2n` candidates: when its buffer fills, it keeps the n best
//!   (`select_nth_unstable`, linear time) and from then on refuses at once any
//!   candidate worse than the worst kept one.
//!
//! The same structure serves a batch (`run_chunk`) and the merge of all
//! batches: the merge offers every batch's list, in batch order, to one more
//! `BestN`. Because the key is a total order, the merged list is exactly the n
//! best of all draws, as if one process had seen them all.

use crate::Result;
use crate::wire::Wire;
use std::cmp::Ordering;

/// One simulated draw: its distance to the data, its place in the run, and
/// its parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub distance: f64,
    /// Global draw index: `batch * batch_size + position in the batch`.
    pub index: u64,
    pub t1: f64,
    pub t2: f64,
}

impl Candidate {
    /// The order of "better": smaller distance, then earlier draw.
    pub fn cmp_key(&self, other: &Candidate) -> Ordering {
        self.distance
            .total_cmp(&other.distance)
            .then(self.index.cmp(&other.index))
    }
}

/// On the wire a candidate is its four numbers, 32 bytes.
impl Wire for Candidate {
    fn encode(&self, out: &mut Vec<u8>) {
        (self.distance, self.index, self.t1, self.t2).encode(out);
    }
    fn decode(input: &mut &[u8]) -> Result<Self> {
        let (distance, index, t1, t2) = Wire::decode(input)?;
        Ok(Candidate {
            distance,
            index,
            t1,
            t2,
        })
    }
}

/// The `keep` best candidates offered so far.
#[derive(Debug, Clone)]
pub struct BestN {
    keep: usize,
    items: Vec<Candidate>,
    /// The worst candidate kept at the last compaction: anything worse can
    /// never be among the best again.
    cutoff: Option<Candidate>,
}

impl BestN {
    /// An empty selection that will keep `keep` candidates.
    pub fn new(keep: usize) -> BestN {
        BestN {
            keep,
            items: Vec::new(),
            cutoff: None,
        }
    }

    /// An empty selection that will keep `keep` of about `offers`
    /// candidates, its buffer sized for them at once.
    ///
    /// Grown by pushing, the buffer of a tutorial batch (10,000 offers)
    /// would be copied to a new place at every doubling, up to 512 kB.
    pub fn for_offers(keep: usize, offers: usize) -> BestN {
        BestN {
            items: Vec::with_capacity(offers.min(2 * keep.max(1))),
            ..BestN::new(keep)
        }
    }

    /// A selection that already holds `items`, at most `keep` of them (a list
    /// from [`BestN::into_unordered`]), to which more can be offered.
    ///
    /// A full list's worst item is a cutoff at once: whatever is worse can no
    /// longer get in, so most later offers cost one comparison. That is what
    /// makes folding one batch's list after another into a running list
    /// cheap (`Ma2::condense`): after a few batches, few candidates of a new
    /// batch beat the worst of the n best so far.
    pub fn resume(keep: usize, items: Vec<Candidate>) -> BestN {
        debug_assert!(items.len() <= keep, "resume a list of at most {keep}");
        let full = keep > 0 && items.len() >= keep;
        let cutoff = full
            .then(|| items.iter().copied().max_by(Candidate::cmp_key))
            .flatten();
        BestN {
            keep,
            items,
            cutoff,
        }
    }

    /// Considers one candidate.
    pub fn offer(&mut self, candidate: Candidate) {
        if self
            .cutoff
            .is_some_and(|cutoff| candidate.cmp_key(&cutoff) == Ordering::Greater)
        {
            return;
        }
        self.items.push(candidate);
        if self.items.len() >= 2 * self.keep.max(1) {
            self.compact();
        }
    }

    /// Drops all but the `keep` best, in linear time.
    fn compact(&mut self) {
        if self.keep == 0 {
            self.items.clear();
            return;
        }
        if self.items.len() > self.keep {
            self.items
                .select_nth_unstable_by(self.keep - 1, Candidate::cmp_key);
            self.items.truncate(self.keep);
            self.cutoff = Some(self.items[self.keep - 1]);
        }
    }

    /// The kept candidates, in no particular order.
    ///
    /// This is what a batch sends to the merge: the merge selects again and
    /// sorts once at the end, so sorting each batch's list first would be
    /// wasted work. With the tutorial's numbers it was not small: a batch
    /// keeps 5000 of its 10,000 draws, and sorting those 100 times (random
    /// keys, so many comparisons are branches the processor cannot predict)
    /// took about 5% of the whole run.
    ///
    /// The list comes back in an allocation of its own length, and the
    /// working buffer (twice as long) goes back to the allocator, which hands
    /// it to the next batch. Returned as it is, every batch's buffer would
    /// stay alive until the merge, and each new batch would touch fresh
    /// memory: the tutorial's run took 8,200 page faults instead of 4,400.
    pub fn into_unordered(mut self) -> Vec<Candidate> {
        self.compact();
        self.items.to_vec()
    }

    /// The kept candidates, best first.
    pub fn into_sorted(self) -> Vec<Candidate> {
        let mut items = self.into_unordered();
        items.sort_unstable_by(Candidate::cmp_key);
        items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(distance: f64, index: u64) -> Candidate {
        Candidate {
            distance,
            index,
            t1: index as f64,
            t2: -(index as f64),
        }
    }

    #[test]
    fn keeps_the_smallest_keys_in_order() {
        let mut best = BestN::new(3);
        // Distances 9, 8, ..., 0 for indices 0..10: the best are 9, 8, 7.
        for i in 0..10 {
            best.offer(candidate(9.0 - i as f64, i));
        }
        let kept: Vec<u64> = best.into_sorted().iter().map(|c| c.index).collect();
        assert_eq!(kept, vec![9, 8, 7]);
    }

    #[test]
    fn ties_go_to_the_earlier_draw_whatever_the_offer_order() {
        let tied = [candidate(1.0, 5), candidate(1.0, 2), candidate(1.0, 7)];
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
            let mut best = BestN::new(2);
            for i in order {
                best.offer(tied[i]);
            }
            let kept: Vec<u64> = best.into_sorted().iter().map(|c| c.index).collect();
            assert_eq!(kept, vec![2, 5]);
        }
    }

    #[test]
    fn merging_lists_equals_selecting_from_everything() {
        // Pseudo-random distances with many ties, split into uneven "batches".
        let all: Vec<Candidate> = (0..1000u64)
            .map(|i| candidate(((i * 7919) % 97) as f64, i))
            .collect();
        let mut everything = BestN::new(50);
        all.iter().for_each(|&c| everything.offer(c));
        let mut merged = BestN::new(50);
        for batch in all.chunks(137) {
            let mut one = BestN::new(50);
            batch.iter().for_each(|&c| one.offer(c));
            one.into_unordered()
                .into_iter()
                .for_each(|c| merged.offer(c));
        }
        let expected = {
            let mut sorted = all.clone();
            sorted.sort_by(Candidate::cmp_key);
            sorted.truncate(50);
            sorted
        };
        assert_eq!(everything.into_sorted(), expected);
        assert_eq!(merged.into_sorted(), expected);
    }

    #[test]
    fn resuming_a_list_equals_offering_everything_to_one_selection() {
        let all: Vec<Candidate> = (0..1000u64)
            .map(|i| candidate(((i * 7919) % 97) as f64, i))
            .collect();
        let mut everything = BestN::new(50);
        all.iter().for_each(|&c| everything.offer(c));
        // Fold uneven batches into a running list, last batch first.
        let mut kept = Vec::new();
        for batch in all.chunks(137).rev() {
            let mut running = BestN::resume(50, kept);
            batch.iter().for_each(|&c| running.offer(c));
            kept = running.into_unordered();
        }
        assert_eq!(
            BestN::resume(50, kept).into_sorted(),
            everything.into_sorted()
        );
    }

    #[test]
    fn never_holds_more_than_twice_what_it_keeps() {
        let mut best = BestN::new(10);
        for i in 0..10_000u64 {
            best.offer(candidate((10_000 - i) as f64, i));
            assert!(best.items.len() < 20);
        }
    }

    #[test]
    fn candidates_round_trip_on_the_wire() {
        let list = vec![candidate(0.25, 3), candidate(f64::MIN_POSITIVE, u64::MAX)];
        assert_eq!(
            Vec::<Candidate>::from_bytes(&list.to_bytes()).unwrap(),
            list
        );
    }
}
