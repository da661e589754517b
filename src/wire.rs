//! A compact binary encoding for the numbers that cross a process boundary.
//!
//! The process strategy sends every chunk's result from a child to its parent.
//! Text formats are the obvious choice and a slow one: printing and re-parsing a
//! float costs ~100 ns, more than computing many of them. So bulk results travel
//! as raw little-endian bytes (8 per `f64`, bit-exact), and only small control
//! messages use JSON (see `strategy/protocol.rs`). The same bytes feed the
//! run's checksum, so "bit-identical" means exactly that.
//!
//! Implementations exist for the building blocks workloads use: numbers, vectors
//! and tuples. A workload whose result is made of these needs no wire code at all.

use crate::{Error, Result};

/// A value that can be written to and read back from bytes, bit for bit.
pub trait Wire: Sized {
    /// Appends this value's bytes to `out`.
    fn encode(&self, out: &mut Vec<u8>);
    /// Reads one value from the front of `input`, advancing it.
    fn decode(input: &mut &[u8]) -> Result<Self>;

    /// Appends the bytes of every value in `items`, one after another.
    ///
    /// The default encodes them one by one. Numbers override it with one
    /// pass over a buffer sized once: a result of 10,000 floats then costs
    /// a copy, not 10,000 small appends, each checking the buffer's room.
    /// (Measured on linear-normal's 80 kB parts: about 5× faster both ways,
    /// and it is most of what a process strategy pays to move results.)
    fn encode_all(items: &[Self], out: &mut Vec<u8>) {
        for item in items {
            item.encode(out);
        }
    }

    /// Reads `count` values from the front of `input`, advancing it.
    fn decode_all(input: &mut &[u8], count: usize) -> Result<Vec<Self>> {
        // Never trust a count to size an allocation before the bytes are there.
        let mut items = Vec::with_capacity(count.min(input.len()));
        for _ in 0..count {
            items.push(Self::decode(input)?);
        }
        Ok(items)
    }

    /// This value as a fresh byte vector.
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    /// Decodes a value that must use all of `bytes`.
    fn from_bytes(mut bytes: &[u8]) -> Result<Self> {
        let value = Self::decode(&mut bytes)?;
        if !bytes.is_empty() {
            return Err(Error::new(format!(
                "{} stray bytes after a message",
                bytes.len()
            )));
        }
        Ok(value)
    }
}

fn take<const N: usize>(input: &mut &[u8]) -> Result<[u8; N]> {
    if input.len() < N {
        return Err(Error::new("message ended early"));
    }
    let (head, rest) = input.split_at(N);
    *input = rest;
    Ok(head.try_into().expect("split_at gave N bytes"))
}

/// The bytes `count` values of `size` bytes take at the front of `input`,
/// split off it; an error if the message is shorter.
fn take_many<'a>(input: &mut &'a [u8], count: usize, size: usize) -> Result<&'a [u8]> {
    let bytes = count
        .checked_mul(size)
        .filter(|&bytes| bytes <= input.len())
        .ok_or_else(|| Error::new("message ended early"))?;
    let (head, rest) = input.split_at(bytes);
    *input = rest;
    Ok(head)
}

macro_rules! wire_number {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            fn encode(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn decode(input: &mut &[u8]) -> Result<Self> {
                Ok(<$t>::from_le_bytes(take(input)?))
            }
            fn encode_all(items: &[Self], out: &mut Vec<u8>) {
                const SIZE: usize = size_of::<$t>();
                let start = out.len();
                out.resize(start + items.len() * SIZE, 0);
                for (bytes, item) in out[start..].chunks_exact_mut(SIZE).zip(items) {
                    bytes.copy_from_slice(&item.to_le_bytes());
                }
            }
            fn decode_all(input: &mut &[u8], count: usize) -> Result<Vec<Self>> {
                const SIZE: usize = size_of::<$t>();
                Ok(take_many(input, count, SIZE)?
                    .chunks_exact(SIZE)
                    .map(|bytes| <$t>::from_le_bytes(bytes.try_into().expect("SIZE bytes")))
                    .collect())
            }
        }
    )*};
}
wire_number!(f64, u64, u32);

/// `usize` travels as `u64`, so 32- and 64-bit machines agree.
impl Wire for usize {
    fn encode(&self, out: &mut Vec<u8>) {
        (*self as u64).encode(out);
    }
    fn decode(input: &mut &[u8]) -> Result<Self> {
        usize::try_from(u64::decode(input)?).map_err(|_| Error::new("count too large"))
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn encode(&self, out: &mut Vec<u8>) {
        self.len().encode(out);
        T::encode_all(self, out);
    }
    fn decode(input: &mut &[u8]) -> Result<Self> {
        let len = usize::decode(input)?;
        T::decode_all(input, len)
    }
}

macro_rules! wire_tuple {
    ($($name:ident)+) => {
        impl<$($name: Wire),+> Wire for ($($name,)+) {
            #[allow(non_snake_case)]
            fn encode(&self, out: &mut Vec<u8>) {
                let ($($name,)+) = self;
                $($name.encode(out);)+
            }
            fn decode(input: &mut &[u8]) -> Result<Self> {
                Ok(($($name::decode(input)?,)+))
            }
        }
    };
}
wire_tuple!(A B);
wire_tuple!(A B C);
wire_tuple!(A B C D);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_round_trip_bit_for_bit() {
        let values = vec![0.1, -0.0, f64::MIN_POSITIVE / 2.0, f64::INFINITY, 1e300];
        let back = Vec::<f64>::from_bytes(&values.to_bytes()).unwrap();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(&values));
    }

    #[test]
    fn nested_values_round_trip() {
        let value: Vec<(f64, u64, usize)> = vec![(1.5, 7, 3), (-2.0, u64::MAX, 0)];
        assert_eq!(
            Vec::<(f64, u64, usize)>::from_bytes(&value.to_bytes()).unwrap(),
            value
        );
    }

    #[test]
    fn bulk_and_one_by_one_encodings_are_the_same_bytes() {
        let values: Vec<u64> = (0..1000u64)
            .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect();
        let mut one_by_one = Vec::new();
        for v in &values {
            v.encode(&mut one_by_one);
        }
        let mut bulk = Vec::new();
        u64::encode_all(&values, &mut bulk);
        assert_eq!(bulk, one_by_one);
        let floats: Vec<f64> = values.iter().map(|&v| f64::from_bits(v)).collect();
        let mut input = &bulk[..];
        let back = f64::decode_all(&mut input, floats.len()).unwrap();
        assert!(input.is_empty());
        assert!(
            back.iter()
                .zip(&floats)
                .all(|(a, b)| a.to_bits() == b.to_bits())
        );
        // A count the bytes cannot hold, even one that overflows, is an error.
        assert!(u32::decode_all(&mut &bulk[..], bulk.len()).is_err());
        assert!(u64::decode_all(&mut &bulk[..], usize::MAX).is_err());
    }

    #[test]
    fn truncated_and_padded_messages_are_errors() {
        let bytes = vec![1.0f64, 2.0].to_bytes();
        assert!(Vec::<f64>::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        let mut padded = bytes.clone();
        padded.push(0);
        assert!(Vec::<f64>::from_bytes(&padded).is_err());
    }
}
