//! A 64-bit fingerprint of a result's exact bits.
//!
//! Comparing two runs by printing a mean hides differences in the last bits;
//! comparing full outputs is bulky. A checksum of the wire bytes (see
//! `wire.rs`) is both exact and short: 16 hex digits that differ if any bit of
//! any number differs. FNV-1a is simple enough to read in one glance and fast
//! enough not to show in a timing; it is a fingerprint, not a security hash.

use crate::wire::Wire;
use std::fmt;

/// The FNV-1a hash of a value's wire bytes; displays as 16 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Checksum(pub u64);

impl Checksum {
    /// The checksum of `value`'s exact bits.
    pub fn of(value: &impl Wire) -> Checksum {
        Checksum::of_bytes(&value.to_bytes())
    }

    /// The checksum of a `Vec<T>` of `len` items, from the items one by one,
    /// never holding them all: a result kept in pieces (the chunks of
    /// `linear-normal`) is checked as the one vector it stands for, without
    /// a copy of it in memory.
    pub fn of_items<T: Wire>(len: usize, items: impl IntoIterator<Item = T>) -> Checksum {
        let mut fnv = Fnv::new(&len.to_bytes());
        let mut bytes = Vec::new();
        for item in items {
            bytes.clear();
            item.encode(&mut bytes);
            fnv = fnv.then(&bytes);
        }
        Checksum(fnv.0)
    }

    /// FNV-1a over raw bytes.
    pub fn of_bytes(bytes: &[u8]) -> Checksum {
        Checksum(Fnv::new(bytes).0)
    }
}

/// FNV-1a's running hash: bytes fed in pieces hash as their concatenation.
struct Fnv(u64);

impl Fnv {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    fn new(bytes: &[u8]) -> Fnv {
        Fnv(Self::OFFSET).then(bytes)
    }

    fn then(self, bytes: &[u8]) -> Fnv {
        Fnv(bytes.iter().fold(self.0, |hash, &byte| {
            (hash ^ byte as u64).wrapping_mul(Self::PRIME)
        }))
    }
}

impl fmt::Display for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_fnv1a_vectors() {
        assert_eq!(Checksum::of_bytes(b"").0, 0xcbf29ce484222325);
        assert_eq!(Checksum::of_bytes(b"a").0, 0xaf63dc4c8601ec8c);
        assert_eq!(Checksum::of_bytes(b"foobar").0, 0x85944171f73967e8);
    }

    #[test]
    fn items_one_by_one_hash_as_their_vector() {
        let y = vec![0.5f64, -2.0, 1e300];
        assert_eq!(Checksum::of_items(3, y.iter().copied()), Checksum::of(&y));
        assert_eq!(
            Checksum::of_items(0, Vec::<f64>::new()),
            Checksum::of(&Vec::<f64>::new())
        );
    }

    #[test]
    fn one_flipped_bit_changes_the_checksum() {
        let a = vec![0.1f64, 0.2];
        let b = vec![0.1f64, f64::from_bits(0.2f64.to_bits() ^ 1)];
        assert_ne!(Checksum::of(&a), Checksum::of(&b));
        assert_eq!(Checksum::of(&a).to_string().len(), 16);
    }
}
