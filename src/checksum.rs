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

    /// FNV-1a over raw bytes.
    pub fn of_bytes(bytes: &[u8]) -> Checksum {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        Checksum(bytes.iter().fold(OFFSET, |hash, &byte| {
            (hash ^ byte as u64).wrapping_mul(PRIME)
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
    fn one_flipped_bit_changes_the_checksum() {
        let a = vec![0.1f64, 0.2];
        let b = vec![0.1f64, f64::from_bits(0.2f64.to_bits() ^ 1)];
        assert_ne!(Checksum::of(&a), Checksum::of(&b));
        assert_eq!(Checksum::of(&a).to_string().len(), 16);
    }
}
