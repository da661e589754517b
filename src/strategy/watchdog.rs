//! The watchdog: a thread that kills worker processes which stop answering.
//!
//! Reading from a pipe blocks until the other end writes or closes it, and the
//! standard library offers no read with a time limit. So a hung child would
//! hang its feeder thread, and the whole run, forever. The cure is a second
//! thread that looks at the clock instead of the pipe: every tick it checks how
//! long each feeder has been waiting, and kills a child that is past the
//! timeout. Killing the child closes its end of the pipe, which wakes the
//! blocked feeder with an error (`child.rs` then says it was a timeout).
//!
//! The same thread stops everyone when one worker fails: there is no point in
//! waiting for the others' chunks once the run is lost.

use super::child::{Handle, Stop};
use crate::lock::lock;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often the watchdog looks at the clock: the precision of `--timeout`.
const TICK: Duration = Duration::from_millis(20);

/// Watches the workers of one run.
pub struct Watchdog {
    workers: Vec<Arc<Handle>>,
    timeout: Duration,
    dismissed: Mutex<Option<Sender<()>>>,
    wake: Mutex<Receiver<()>>,
}

impl Watchdog {
    pub fn new(workers: Vec<Arc<Handle>>, timeout: Duration) -> Watchdog {
        let (sender, receiver) = mpsc::channel();
        Watchdog {
            workers,
            timeout,
            dismissed: Mutex::new(Some(sender)),
            wake: Mutex::new(receiver),
        }
    }

    /// Checks the workers every tick until [`Watchdog::dismiss`] is called.
    pub fn patrol(&self) {
        let wake = self.wake.lock().expect("only the patrol thread locks this");
        while let Err(RecvTimeoutError::Timeout) = wake.recv_timeout(TICK) {
            for worker in &self.workers {
                if worker.waiting_for().is_some_and(|t| t > self.timeout) {
                    worker.stop(Stop::TimedOut(self.timeout));
                }
            }
        }
    }

    /// Kills every worker: the run has failed.
    pub fn stop_all(&self) {
        for worker in &self.workers {
            worker.stop(Stop::RunFailed);
        }
    }

    /// Ends the patrol (dropping the sender wakes it at once).
    pub fn dismiss(&self) {
        lock(&self.dismissed).take();
    }
}
