//! One worker process, from start to reaping, with a clear word on how it failed.
//!
//! A child process is a resource like a file: it must be released on every
//! path, including errors and panics. Here that is a guard, [`WorkerProcess`],
//! that kills and reaps its child when dropped. *Reaping* (waiting for the
//! exit status) matters as much as killing: a child that has exited but not
//! been waited for stays in the process table as a zombie.
//!
//! The child itself sits in a [`Handle`] behind a mutex, shared with the
//! watchdog (`watchdog.rs`) and the signal handler (`interrupt.rs`): while a
//! feeder thread is blocked reading the child's reply, those two can still
//! kill it, which ends the read.

use super::protocol::{self, Header, Part, Request};
use super::shared_replies::SharedRegion;
use super::spawn;
use super::worker::{self, WORKER_ENV};
use crate::child_exit;
use crate::interrupt::{self, Interruptible};
use crate::lock::lock;
use crate::wire::Wire;
use crate::{Error, Result};
use std::io::{BufReader, BufWriter, ErrorKind};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Why the parent killed a child, for the message that reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// It took longer than the timeout to answer.
    TimedOut(Duration),
    /// Another worker failed, so the run is over.
    RunFailed,
    /// The user pressed Ctrl-C or sent SIGTERM.
    Interrupted,
}

/// The part of a worker that other threads may touch: its process, and what
/// it is waiting on.
#[derive(Debug)]
pub struct Handle {
    pub id: usize,
    pub pid: u32,
    child: Mutex<Child>,
    /// When the parent started waiting for this child's answer, if it is.
    waiting_since: Mutex<Option<Instant>>,
    stopped: Mutex<Option<Stop>>,
}

impl Handle {
    /// Kills the child (if it still runs) and reaps it, remembering why.
    pub fn stop(&self, why: Stop) {
        let mut child = lock(&self.child);
        if let Ok(None) = child.try_wait() {
            lock(&self.stopped).get_or_insert(why);
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Whether the child is still running.
    pub fn is_running(&self) -> bool {
        matches!(lock(&self.child).try_wait(), Ok(None))
    }

    /// How long the parent has been waiting for this child, if it is.
    pub fn waiting_for(&self) -> Option<Duration> {
        lock(&self.waiting_since).map(|since| since.elapsed())
    }

    fn set_waiting(&self, waiting: bool) {
        *lock(&self.waiting_since) = waiting.then(Instant::now);
    }

    /// The exit status, once the child has exited, waiting at most `limit`
    /// (a worker exits a fraction of a millisecond after its input closes).
    fn wait_for_exit(&self, limit: Duration) -> Option<ExitStatus> {
        child_exit::exit_within(&self.child, limit)
    }
}

/// The Ctrl-C handler stops worker processes through this (`interrupt.rs`).
impl Interruptible for Handle {
    fn is_running(&self) -> bool {
        Handle::is_running(self)
    }

    fn interrupt(&self) {
        self.stop(Stop::Interrupted);
    }
}

/// One child process and its pipes; killed and reaped when dropped.
pub struct WorkerProcess {
    handle: Arc<Handle>,
    stdin: Option<BufWriter<ChildStdin>>,
    stdout: BufReader<ChildStdout>,
    /// The memory the child puts its parts in, if it could be made.
    replies: Option<SharedRegion>,
}

impl WorkerProcess {
    /// Starts worker `id` of `count` (it then prints READY; see
    /// [`WorkerProcess::start`]), marked as a worker the way only a parent
    /// can (`worker.rs`).
    pub fn spawn(id: usize, count: usize, child_env: &[(String, String)]) -> Result<WorkerProcess> {
        let exe = std::env::current_exe()
            .map_err(|e| Error::new(format!("cannot find the current executable: {e}")))?;
        let mut replies = SharedRegion::create();
        let mut command = Command::new(&exe);
        command
            .args(worker::child_args())
            .env(WORKER_ENV, worker::child_env(id))
            .envs(child_env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let spawned = match &replies {
            Some(replies) => replies.spawn_child(&mut command),
            None => command.spawn(),
        };
        let mut child = spawned.map_err(|e| match e.kind() {
            ErrorKind::NotFound | ErrorKind::PermissionDenied => Error::new(format!(
                "cannot start worker process {}: {e}",
                exe.display()
            )),
            _ => spawn::process_failed(id, count, &e),
        })?;
        if let Some(replies) = &mut replies {
            replies.started();
        }
        let stdin = child.stdin.take().map(BufWriter::new);
        let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let handle = Arc::new(Handle {
            id,
            pid: child.id(),
            child: Mutex::new(child),
            waiting_since: Mutex::new(Some(Instant::now())),
            stopped: Mutex::new(None),
        });
        interrupt::track_child(Arc::clone(&handle) as Arc<dyn Interruptible>);
        Ok(WorkerProcess {
            handle,
            stdin,
            stdout,
            replies,
        })
    }

    pub fn handle(&self) -> &Arc<Handle> {
        &self.handle
    }

    /// Waits for the READY line: the child has started and can take jobs.
    pub fn wait_ready(&mut self) -> Result<()> {
        let ready = protocol::skip_to_ready(&mut self.stdout);
        self.handle.set_waiting(false);
        match ready {
            Ok(true) => {}
            Ok(false) => {
                let exe = std::env::current_exe().unwrap_or_default();
                let hint = format!(
                    "it ended without the READY line; is {} a speedup worker? Call \
                     speedup::worker_hook() first in main, or add speedup::worker_test!() \
                     to the test file",
                    exe.display()
                );
                return Err(self.failed(Error::new(hint), "starting"));
            }
            Err(err) => return Err(self.failed(err, "starting")),
        }
        Ok(())
    }

    /// Sends a job's header: the child rebuilds the workload and waits for
    /// its requests. (A kept child takes one job after another.)
    pub fn begin(&mut self, header: &Header) -> Result<()> {
        protocol::write_line(self.stdin.as_mut().expect("stdin is open"), header)
            .map_err(|e| self.failed(e, "starting a job"))
    }

    /// Asks the child to run a batch of chunks; their replies are collected
    /// one by one by [`Self::receive`].
    pub fn send(&mut self, batch: &[usize]) -> Result<()> {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        protocol::write_line(stdin, &Request::Chunks(batch.to_vec()))
            .map_err(|e| self.failed(e, &format!("sending chunks {batch:?}")))
    }

    /// Waits for the part of `chunk`, the oldest request still unanswered.
    pub fn receive<P: Wire>(&mut self, chunk: usize) -> Result<(usize, P)> {
        self.reply(chunk)
            .map(|part| (chunk, part))
            .map_err(|e| self.failed(e, &format!("running chunk {chunk}")))
    }

    /// Asks for what the child kept back (see `Workload::condense`); it
    /// comes after the replies to every chunk sent before, through
    /// [`Self::receive_rest`].
    pub fn ask_rest(&mut self) -> Result<()> {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        protocol::write_line(stdin, &Request::Rest)
            .map_err(|e| self.failed(e, "asking for what it kept"))
    }

    /// Waits for what the child kept back, and its busy time for the job
    /// in nanoseconds.
    pub fn receive_rest<P: Wire>(&mut self) -> Result<(P, u64)> {
        self.reply(protocol::REST_FRAME)
            .and_then(|rest| {
                self.handle.set_waiting(true);
                let busy = protocol::read_busy(&mut self.stdout);
                self.handle.set_waiting(false);
                Ok((rest, busy?))
            })
            .map_err(|e| self.failed(e, "sending what it kept"))
    }

    /// Reads one reply frame, with the watchdog's clock running, and decodes
    /// its part from the pipe or from shared memory.
    fn reply<P: Wire>(&mut self, chunk: usize) -> Result<P> {
        self.handle.set_waiting(true);
        let part = protocol::read_reply(&mut self.stdout, chunk);
        self.handle.set_waiting(false);
        match part? {
            Part::Piped(bytes) => P::from_bytes(&bytes),
            Part::Shared { offset, len } => {
                let bytes = self
                    .replies
                    .as_ref()
                    .and_then(|replies| replies.bytes(offset, len))
                    .ok_or_else(|| {
                        Error::new(format!(
                            "garbage instead of a reply frame (a part of {len} bytes at {offset} \
                             outside its shared memory)"
                        ))
                    })?;
                P::from_bytes(bytes)
            }
        }
    }

    /// Closes the child's input: it has no more to do, and exits. (A feeder
    /// calls this at once after its last reply, so each child exits while
    /// the parent still collects the others, rather than one after another
    /// in [`Self::finish`].)
    pub fn close_input(&mut self) {
        drop(self.stdin.take());
    }

    /// Closes the child's input (if still open), then checks that it exits
    /// cleanly within `timeout`.
    pub fn finish(mut self, timeout: Duration) -> Result<()> {
        self.close_input();
        let Some(status) = self.handle.wait_for_exit(timeout) else {
            self.handle.stop(Stop::TimedOut(timeout));
            return Err(self.failed(Error::new("it did not exit"), "shutting down"));
        };
        if !status.success() {
            return Err(Error::new(format!(
                "process worker {} (pid {}) exited with {status} after its last chunk",
                self.handle.id, self.handle.pid
            )));
        }
        Ok(())
    }

    /// Explains a failed exchange. The child's fate says most: killed by us
    /// for taking too long, died (with its exit status), or alive but talking
    /// nonsense.
    fn failed(&mut self, err: Error, doing: &str) -> Error {
        let Handle { id, pid, .. } = *self.handle;
        let stopped = *lock(&self.handle.stopped);
        if let Some(Stop::TimedOut(limit)) = stopped {
            return Error::new(format!(
                "process worker {id} (pid {pid}) did not answer within {} s while {doing}, \
                 so it was killed (raise --timeout if a chunk really takes this long)",
                limit.as_secs_f64()
            ));
        }
        // A child that is closing down may need a moment to be reapable.
        let ended = stopped
            .is_none()
            .then(|| self.handle.wait_for_exit(Duration::from_millis(100)));
        if let Some(Some(status)) = ended {
            return Error::new(format!(
                "process worker {id} (pid {pid}) died while {doing} ({status}): {err}"
            ));
        }
        Error::new(format!(
            "process worker {id} (pid {pid}) failed while {doing}: {err}"
        ))
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        // A no-op for a child that finished; kills one left running by an error.
        self.handle.stop(Stop::RunFailed);
    }
}
