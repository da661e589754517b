//! Waiting for a child process to exit, but not forever.
//!
//! A blocking `wait` would hang on a child that never exits (a hung worker,
//! a launcher whose ranks wait for a peer that never comes). So the parent
//! polls the exit status against a deadline: often at first, since a child
//! told to stop usually exits within a fraction of a millisecond, then less
//! and less. Worker processes (`strategy/child.rs`), MPI launches and
//! measured commands (`process_group.rs`) all wait this way.

use crate::lock::lock;
use std::process::{Child, ExitStatus};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The child's exit status once it has exited, waiting at most `limit`;
/// `None` if it still runs then.
pub fn exit_within(child: &Mutex<Child>, limit: Duration) -> Option<ExitStatus> {
    poll_within(limit, || lock(child).try_wait().ok().flatten())
}

/// Asks `exited` until it answers, at most for `limit`: at once, then after
/// pauses that double from 20 µs up to 10 ms. `None` if it never answered.
pub fn poll_within<T>(limit: Duration, mut exited: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + limit;
    let mut pause = Duration::from_micros(20);
    loop {
        if let Some(exit) = exited() {
            return Some(exit);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(10));
    }
}
