//! A stand-in for the process boundary, to see what crossing it costs.
//!
//! A process worker cannot hand its parent a `Vec`: the parent cannot read
//! the worker's memory. So every reply is encoded into bytes, the bytes are
//! copied to where the parent can read them, and the parent decodes them
//! into its own memory. The library's process strategies do exactly this,
//! with the same encoding ([`speedup::wire`]). Here the workers are
//! threads, so nothing else a process costs (starting it, the pipe's
//! hand-overs) gets in the way: what a run pays beyond its work is the
//! encoding and decoding of what it sent, and [`Replies::bytes`] says how
//! much that was.
//!
//! Every byte of a reply is paid for twice, once on each side: what a
//! worker sends back is a decision, not a detail.

use speedup::wire::Wire;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Every chunk's reply, in chunk order, and the bytes that crossed.
#[derive(Debug, Clone, PartialEq)]
pub struct Replies<R> {
    pub replies: Vec<R>,
    pub bytes: usize,
}

/// Runs `reply(chunk)` for every chunk in `0..chunks` on `workers` threads,
/// each taking the next chunk nobody has taken yet, as a process pool's
/// workers do. Each reply leaves its worker as bytes; the caller's thread
/// decodes them as they arrive and returns them in chunk order, whichever
/// worker finished first.
pub fn gather<R: Wire>(
    chunks: usize,
    workers: usize,
    reply: impl Fn(usize) -> R + Sync,
) -> Replies<R> {
    let next = AtomicUsize::new(0);
    let (send, arrived) = mpsc::channel::<(usize, Vec<u8>)>();
    let mut replies: Vec<Option<R>> = (0..chunks).map(|_| None).collect();
    let mut bytes = 0;
    std::thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            let (send, next, reply) = (send.clone(), &next, &reply);
            scope.spawn(move || {
                loop {
                    let chunk = next.fetch_add(1, Ordering::Relaxed);
                    if chunk >= chunks {
                        break;
                    }
                    let encoded = crate::timing::busy(|| reply(chunk).to_bytes());
                    if send.send((chunk, encoded)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        for (chunk, encoded) in arrived {
            bytes += encoded.len();
            let decoded = R::from_bytes(&encoded).unwrap_or_else(|err| {
                panic!("chunk {chunk}'s reply does not decode from its own bytes ({err})")
            });
            replies[chunk] = Some(decoded);
        }
    });
    Replies {
        replies: replies
            .into_iter()
            .map(|reply| reply.expect("every chunk was taken by a worker"))
            .collect(),
        bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_come_back_in_chunk_order_with_their_bytes_counted() {
        for workers in [1, 2, 5] {
            let crossed = gather(7, workers, |chunk| vec![chunk as f64; chunk]);
            let lengths: Vec<usize> = crossed.replies.iter().map(Vec::len).collect();
            assert_eq!(lengths, [0, 1, 2, 3, 4, 5, 6], "{workers} workers");
            assert!(crossed.replies[3].iter().all(|&v| v == 3.0));
            // Each reply: its length (8 bytes), then 8 bytes a value.
            assert_eq!(crossed.bytes, 7 * 8 + 21 * 8, "{workers} workers");
        }
        assert_eq!(gather(0, 2, |chunk| chunk).replies, Vec::<usize>::new());
    }
}
