//! Waiting for a child process to exit, but not forever.
//!
//! A blocking `wait` would hang on a child that never exits (a hung worker,
//! a launcher whose ranks wait for a peer that never comes). So the parent
//! polls the exit status against a deadline: often at first, since a child
//! told to stop usually exits within a fraction of a millisecond, then less
//! and less. Worker processes (`strategy/child.rs`) and MPI launches
//! (`launcher.rs`) both wait this way.

use crate::lock::lock;
use std::process::{Child, ExitStatus};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The child's exit status once it has exited, waiting at most `limit`;
/// `None` if it still runs then.
pub fn exit_within(child: &Mutex<Child>, limit: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + limit;
    let mut pause = Duration::from_micros(20);
    loop {
        if let Ok(Some(status)) = lock(child).try_wait() {
            return Some(status);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(10));
    }
}
