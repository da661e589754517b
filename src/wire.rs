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

macro_rules! wire_number {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            fn encode(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn decode(input: &mut &[u8]) -> Result<Self> {
                Ok(<$t>::from_le_bytes(take(input)?))
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
        for item in self {
            item.encode(out);
        }
    }
    fn decode(input: &mut &[u8]) -> Result<Self> {
        let len = usize::decode(input)?;
        // Never trust a length to size an allocation before the bytes are there.
        let mut items = Vec::with_capacity(len.min(input.len()));
        for _ in 0..len {
            items.push(T::decode(input)?);
        }
        Ok(items)
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
    fn truncated_and_padded_messages_are_errors() {
        let bytes = vec![1.0f64, 2.0].to_bytes();
        assert!(Vec::<f64>::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        let mut padded = bytes.clone();
        padded.push(0);
        assert!(Vec::<f64>::from_bytes(&padded).is_err());
    }
}
