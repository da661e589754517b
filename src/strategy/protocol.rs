//! The wire protocol between the process strategy and its children.
//!
//! A child is the current executable started again with `SPEEDUP_WORKER` set in
//! its environment (see `worker.rs`). It talks to its parent over its own
//! stdin and stdout; stderr stays attached to the terminal for messages.
//!
//! ```text
//! child  -> parent   READY line        "speedup-worker ready v6\n"
//! parent -> child    header line       {"workload":"integration","seed":20170530,"params":{...}}\n
//! parent -> child    request line      {"chunks":[16,17]}\n            (a batch; repeated)
//! child  -> parent   reply frame       chunk | length | place | part bytes if place = PIPE   (one per chunk, in order)
//! parent -> child    rest request      "rest"\n                        (once, after the last request)
//! child  -> parent   rest frame        u64::MAX | length | place | part bytes if place = PIPE | busy ns: u64 LE
//! parent -> child    header line       (the next job, from here on as above) or
//! parent -> child    end of input      (stdin closed)  -> the child exits with status 0
//! ```
//!
//! The rest request ends a job. Its frame ends with how long the child spent
//! running this job's chunks, in nanoseconds (its busy time, `busy.rs`).
//! A fresh-process run (`process.rs`) then
//! closes the child's input and the child exits; a kept pool
//! (`process_pool.rs`) sends the next job's header to the same child
//! instead, so it pays for starting the process once, not once a run.
//!
//! A frame's three numbers are u64, little-endian. `place` says where the
//! part's bytes are: right behind the frame in the pipe ([`PIPE`]), or at
//! that offset in the memory the child shares with its parent
//! (`shared_replies.rs`), which spares large parts the pipe.
//!
//! Control messages are JSON lines: readable, easy to debug with a terminal.
//! Results are binary (`wire.rs`): they are the bulk of the traffic, and a
//! float printed as text would cost more than computing it.
//!
//! Three things keep the protocol's cost small next to the work:
//!
//! - **Chunks in batches.** A request names a few chunks, and the child
//!   sends their replies together, so parent and child wake each other once
//!   per batch, not once per chunk. Waking a process that sleeps on a pipe
//!   costs a few microseconds of both sides' time, against tens of
//!   microseconds of work in a chunk of linear-normal: per chunk, that is a
//!   tax the thread strategies never pay. The first batches follow
//!   Python's `Pool.map` rule ([`chunks_per_message`]); later ones hold
//!   about a millisecond of work ([`batch_for`]), so heavy chunks go one by
//!   one and the end of a run still balances.
//! - **Requests in flight.** The parent sends the next request before it has
//!   the reply to the last one ([`IN_FLIGHT`] at a time), so a child finds its
//!   next chunk waiting in its input the moment it finishes one, instead of
//!   idling for a round trip through the parent. The child answers in order.
//! - **Only what the merge needs.** A workload whose merge only selects (ma2
//!   keeps the n best draws) folds each chunk's part into the one it keeps
//!   (`Workload::condense`) and replies with an empty part; the *rest* request
//!   collects what it kept, once, sent right behind the last chunk request
//!   (the child answers in order). For ma2 at its defaults that is 160 kB per
//!   worker instead of 160 kB per batch (16 MB a run). A workload that keeps
//!   nothing answers the rest request with an empty part.
//!
//! Anything the child prints *before* the READY line is skipped. That is what
//! lets a libtest test binary act as a worker: libtest prints its "running 1
//! test" banner first (see `worker.rs`).

use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Read, Write};

/// The line a child prints once it is ready to receive its header.
pub const READY: &str = "speedup-worker ready v6";

/// The first message of a job: which workload to rebuild, with which
/// parameters and seed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    pub workload: String,
    pub seed: u64,
    pub params: serde_json::Value,
}

/// What the parent asks of a child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Request {
    /// Run these chunks, and reply to each, in order: `{"chunks":[16,17]}`.
    Chunks(Vec<usize>),
    /// Send what you kept back (condensed parts), and end the job: `"rest"`.
    Rest,
}

/// How many requests the parent keeps in flight per child: two, so the child
/// always has the next one waiting. More would only let a child hoard chunks
/// at the end of a run, when another child could take them.
pub const IN_FLIGHT: usize = 2;

/// The most chunks one request names: Python's `Pool.map` rule for its
/// `chunksize`, the chunks split into about four batches per worker. Fewer,
/// larger batches would save more wake-ups but leave a worker with a long
/// last batch while the others idle; one chunk per batch pays a wake-up for
/// every chunk.
pub fn chunks_per_message(chunks: usize, workers: usize) -> usize {
    chunks.div_ceil(4 * workers.max(1)).max(1)
}

/// The work a batch should hold: enough that a message's cost (a few tens
/// of microseconds of wake-ups and copies) is a few percent of it, little
/// enough that the last batches of a run still balance.
pub const WORK_PER_MESSAGE: f64 = 1e-3;

/// The size of the next batch, once a chunk's time is known: as many
/// chunks as make [`WORK_PER_MESSAGE`], at least one, at most `most`
/// ([`chunks_per_message`]). Python's fixed rule alone would send
/// integration's 200 chunks of ~1.5 ms in batches of 25, and a worker that
/// takes the last batch of the costliest chunks then runs long after the
/// other has finished; chunks that take a millisecond gain nothing from
/// batching anyway.
pub fn batch_for(chunk_seconds: f64, most: usize) -> usize {
    let fits = (WORK_PER_MESSAGE / chunk_seconds).floor();
    if fits >= most as f64 {
        most
    } else {
        (fits as usize).max(1)
    }
}

/// The chunk number a rest frame carries, so it cannot pass for a reply.
pub const REST_FRAME: usize = usize::MAX;

/// Writes one JSON message as a line.
pub fn write_line(out: &mut impl Write, message: &impl Serialize) -> Result<()> {
    let mut line = serde_json::to_vec(message)?;
    line.push(b'\n');
    out.write_all(&line)?;
    out.flush()?;
    Ok(())
}

/// Reads one JSON line; `Ok(None)` at a clean end of input.
pub fn read_line<T: for<'de> Deserialize<'de>>(input: &mut impl BufRead) -> Result<Option<T>> {
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    serde_json::from_str(&line)
        .map(Some)
        .map_err(|e| Error::new(format!("bad message {:?}: {e}", line.trim_end())))
}

/// Reads and discards output until the READY line. `false` if input ended first.
pub fn skip_to_ready(input: &mut impl BufRead) -> Result<bool> {
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(false);
        }
        if line.trim_end() == READY {
            return Ok(true);
        }
    }
}

/// The `place` of a frame whose part follows it in the pipe.
pub const PIPE: u64 = u64::MAX;

/// Writes one reply frame with the part's bytes behind it. (Not flushed:
/// the replies of a batch go out together, see the module docs.)
pub fn write_reply(out: &mut impl Write, chunk: usize, part: &[u8]) -> Result<()> {
    write_frame(out, chunk, part.len(), PIPE)?;
    out.write_all(part)?;
    Ok(())
}

/// Writes one reply frame for a part of `len` bytes already placed at
/// `offset` in shared memory. (Not flushed, as [`write_reply`].)
pub fn write_shared_reply(
    out: &mut impl Write,
    chunk: usize,
    len: usize,
    offset: u64,
) -> Result<()> {
    write_frame(out, chunk, len, offset)
}

/// Writes the busy time that ends a rest frame (after [`write_reply`]).
pub fn write_busy(out: &mut impl Write, busy_nanos: u64) -> Result<()> {
    out.write_all(&busy_nanos.to_le_bytes())?;
    out.flush()?;
    Ok(())
}

fn write_frame(out: &mut impl Write, chunk: usize, len: usize, place: u64) -> Result<()> {
    let mut head = [0u8; 24];
    head[..8].copy_from_slice(&(chunk as u64).to_le_bytes());
    head[8..16].copy_from_slice(&(len as u64).to_le_bytes());
    head[16..].copy_from_slice(&place.to_le_bytes());
    out.write_all(&head)?;
    Ok(())
}

/// A reply's part: its bytes, read from the pipe, or where they lie in
/// shared memory.
#[derive(Debug, PartialEq, Eq)]
pub enum Part {
    Piped(Vec<u8>),
    Shared { offset: u64, len: u64 },
}

/// Reads the busy time that ends a rest frame, in nanoseconds.
pub fn read_busy(input: &mut impl Read) -> Result<u64> {
    let mut busy = [0u8; 8];
    let got = read_fully(input, &mut busy)?;
    if got < busy.len() {
        return Err(Error::new(format!(
            "rest frame cut off after {got} of 8 busy-time bytes"
        )));
    }
    Ok(u64::from_le_bytes(busy))
}

/// The largest part a reply may carry. Real parts are kilobytes to a few
/// megabytes; a header claiming more is garbage, and trusting it would mean
/// allocating whatever the garbage says.
pub const MAX_PART_BYTES: u64 = 1 << 32;

/// The most a reply's buffer reserves before its bytes arrive.
const RESERVE_AT_ONCE: u64 = 1 << 24;

/// Reads the reply frame for `chunk` and returns its part.
///
/// Every way a reply can be wrong gets its own message: no reply at all (the
/// child's output closed), a frame for another chunk or of absurd length
/// (garbage on the child's stdout), or a frame cut off part-way.
pub fn read_reply(input: &mut impl Read, chunk: usize) -> Result<Part> {
    let mut head = [0u8; 24];
    let got = read_fully(input, &mut head)?;
    if got == 0 {
        return Err(Error::new("no reply (its output closed)"));
    }
    if got < head.len() {
        return Err(Error::new(format!(
            "reply cut off after {got} of 24 header bytes"
        )));
    }
    let number = |at: usize| u64::from_le_bytes(head[at..at + 8].try_into().expect("8 bytes"));
    let (answered, len, place) = (number(0), number(8), number(16));
    if answered != chunk as u64 || len > MAX_PART_BYTES {
        return Err(Error::new(format!(
            "garbage instead of a reply frame (it starts with \"{}\")",
            head[..8].escape_ascii()
        )));
    }
    if place != PIPE {
        return Ok(Part::Shared { offset: place, len });
    }
    // Room for the whole part at once: grown from nothing, the vector would
    // be reallocated and copied a dozen times for a part of 80 kB, and read
    // in as many small pieces. (Capped, so a header that lies about its
    // length cannot make us reserve gigabytes before the bytes arrive.)
    let mut part = Vec::with_capacity(len.min(RESERVE_AT_ONCE) as usize);
    input.take(len).read_to_end(&mut part)?;
    if part.len() as u64 != len {
        return Err(Error::new(format!(
            "reply cut off after {} of {len} bytes",
            part.len()
        )));
    }
    Ok(Part::Piped(part))
}

/// Reads until `buffer` is full or the input ends; returns the bytes read.
fn read_fully(input: &mut impl Read, buffer: &mut [u8]) -> Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match input.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    #[test]
    fn ready_line_is_found_after_a_test_harness_banner() {
        let text = format!("\nrunning 1 test\n{READY}\n{{\"chunks\":[3]}}\n");
        let mut input = BufReader::new(text.as_bytes());
        assert!(skip_to_ready(&mut input).unwrap());
        let request: Request = read_line(&mut input).unwrap().unwrap();
        assert_eq!(request, Request::Chunks(vec![3]));
        assert!(read_line::<Request>(&mut input).unwrap().is_none());
    }

    #[test]
    fn requests_are_the_documented_lines() {
        let line = |request| {
            let mut out = Vec::new();
            write_line(&mut out, &request).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            line(Request::Chunks(vec![16, 17])),
            "{\"chunks\":[16,17]}\n"
        );
        assert_eq!(line(Request::Rest), "\"rest\"\n");
    }

    #[test]
    fn batches_follow_pythons_pool_map_rule() {
        // Python: chunksize, extra = divmod(len(iterable), len(pool) * 4)
        // (plus one if extra), at least 1.
        assert_eq!(chunks_per_message(10, 2), 2);
        assert_eq!(chunks_per_message(100, 2), 13);
        assert_eq!(chunks_per_message(200, 16), 4);
        assert_eq!(chunks_per_message(3, 8), 1);
        assert_eq!(chunks_per_message(0, 1), 1);
    }

    #[test]
    fn batches_hold_about_a_millisecond_of_work_within_the_rule() {
        // linear-normal's 80 µs chunks: twelve would make a millisecond, but
        // the rule allows two at 10 chunks on 2 workers.
        assert_eq!(batch_for(80e-6, 2), 2);
        assert_eq!(batch_for(80e-6, 100), 12);
        // integration's 1.5 ms chunks and ma2's 10 ms ones: one at a time.
        assert_eq!(batch_for(1.5e-3, 25), 1);
        assert_eq!(batch_for(10e-3, 25), 1);
        // A chunk too quick to time: the rule.
        assert_eq!(batch_for(0.0, 7), 7);
    }

    #[test]
    fn missing_ready_line_is_reported() {
        assert!(!skip_to_ready(&mut BufReader::new("usage: something else\n".as_bytes())).unwrap());
    }

    #[test]
    fn reply_frames_round_trip_and_every_bad_frame_says_what_is_wrong() {
        let mut buffer = Vec::new();
        write_reply(&mut buffer, 42, b"payload").unwrap();
        assert_eq!(
            read_reply(&mut buffer.as_slice(), 42).unwrap(),
            Part::Piped(b"payload".to_vec())
        );
        let mut shared = Vec::new();
        write_shared_reply(&mut shared, 7, 1000, 64).unwrap();
        assert_eq!(shared.len(), 24, "a shared part sends only its frame");
        assert_eq!(
            read_reply(&mut shared.as_slice(), 7).unwrap(),
            Part::Shared {
                offset: 64,
                len: 1000
            }
        );
        let error =
            |bytes: &[u8], chunk| read_reply(&mut &bytes[..], chunk).unwrap_err().to_string();
        assert!(error(&buffer[..buffer.len() - 1], 42).contains("cut off after 6 of 7 bytes"));
        assert!(error(&buffer[..5], 42).contains("cut off after 5 of 24 header bytes"));
        assert!(error(&[], 42).contains("no reply"));
        assert!(error(&buffer, 41).contains("garbage"));
        let text = b"Segmentation fault, and more text";
        assert!(error(text, 0).contains("garbage"));
    }

    #[test]
    fn busy_time_round_trips_and_a_cut_one_is_reported() {
        let mut buffer = Vec::new();
        write_busy(&mut buffer, 1_500_000_000).unwrap();
        assert_eq!(read_busy(&mut buffer.as_slice()).unwrap(), 1_500_000_000);
        let cut = read_busy(&mut &buffer[..3]).unwrap_err().to_string();
        assert!(cut.contains("cut off after 3 of 8"), "{cut}");
    }
}
