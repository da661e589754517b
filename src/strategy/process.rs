//! Child processes of the same executable, fed chunks over pipes.
//!
//! This is Python's `multiprocessing.Pool` done by hand. Each worker is a
//! separate process with its own memory, so nothing is shared: the parent
//! sends the workload's parameters once, then chunk numbers, and receives each
//! chunk's result as bytes (`protocol.rs` documents the messages). What the
//! report shows, and students should look for:
//!
//! - **start-up cost**: every run starts `workers` processes (~1 ms each);
//!   [`startup_time`] measures it on its own;
//! - **transfer cost**: results are copied through a pipe, not shared;
//! - the same [`ChunkQueue`] as the scoped strategy, so static and dynamic
//!   scheduling behave alike with processes.
//!
//! One parent thread per child keeps each pipe busy. **Children never outlive
//! a run**: each is wrapped in a guard that kills and reaps it when dropped,
//! on success, on error and on panic alike. (If the parent itself is killed,
//! its children see their stdin close and exit after their current chunk.)

use super::in_chunk_order;
use super::protocol::{self, Header, Request};
use super::schedule::{ChunkQueue, Schedule};
use super::worker::{CHILD_ARGS, WORKER_ENV};
use crate::wire::Wire;
use crate::workload::{Job, Workload};
use crate::{Error, Result};
use std::io::{BufReader, BufWriter};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Runs the chunks in `workers` child processes.
pub fn run<W: Workload>(job: &Job<W>, workers: usize, schedule: Schedule) -> Result<Vec<W::Part>> {
    run_with_env(job, workers, schedule, &[])
}

/// [`run`], with extra environment variables for the children (a test seam).
pub fn run_with_env<W: Workload>(
    job: &Job<W>,
    workers: usize,
    schedule: Schedule,
    child_env: &[(&str, &str)],
) -> Result<Vec<W::Part>> {
    let header = Header {
        workload: W::NAME.into(),
        seed: job.seed,
        params: serde_json::to_value(job.workload)?,
    };
    let mut children = start_workers(workers, child_env)?;
    for child in &mut children {
        child.send(&header)?;
    }
    let queue = ChunkQueue::new(schedule, job.chunks(), workers);
    let finished: Vec<Result<Numbered<W::Part>>> = std::thread::scope(|scope| {
        let feeders: Vec<_> = children
            .iter_mut()
            .enumerate()
            .map(|(worker, child)| {
                let queue = &queue;
                scope.spawn(move || {
                    let parts: Result<Vec<_>> = queue
                        .chunks_for(worker)
                        .map(|chunk| child.run_chunk(chunk))
                        .collect();
                    if parts.is_err() {
                        queue.cancel();
                    }
                    parts
                })
            })
            .collect();
        feeders
            .into_iter()
            .map(|feeder| feeder.join().expect("a feeder thread panicked"))
            .collect()
    });
    let parts = finished.into_iter().collect::<Result<Vec<_>>>()?;
    for child in children {
        child.finish()?;
    }
    Ok(in_chunk_order(job.chunks(), parts.into_iter().flatten()))
}

/// Parts tagged with their chunk numbers, as one feeder thread collected them.
type Numbered<P> = Vec<(usize, P)>;

/// Time to start `workers` children, see them ready, and shut them down.
pub fn startup_time(workers: usize) -> Result<Duration> {
    let start = Instant::now();
    for child in start_workers(workers, &[])? {
        child.finish()?;
    }
    Ok(start.elapsed())
}

fn start_workers(workers: usize, child_env: &[(&str, &str)]) -> Result<Vec<WorkerProcess>> {
    (0..workers)
        .map(|id| WorkerProcess::start(id, child_env))
        .collect()
}

/// One child process; killed and reaped when dropped.
struct WorkerProcess {
    id: usize,
    child: Child,
    stdin: Option<BufWriter<ChildStdin>>,
    stdout: BufReader<ChildStdout>,
}

impl WorkerProcess {
    fn start(id: usize, child_env: &[(&str, &str)]) -> Result<WorkerProcess> {
        let exe = std::env::current_exe()
            .map_err(|e| Error::new(format!("cannot find the current executable: {e}")))?;
        let mut child = Command::new(&exe)
            .args(CHILD_ARGS)
            .env(WORKER_ENV, "1")
            .envs(child_env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| {
                Error::new(format!(
                    "cannot start worker process {}: {e}",
                    exe.display()
                ))
            })?;
        let stdin = child.stdin.take().map(BufWriter::new);
        let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut worker = WorkerProcess {
            id,
            child,
            stdin,
            stdout,
        };
        if !protocol::skip_to_ready(&mut worker.stdout)? {
            return Err(Error::new(format!(
                "{} did not start as a worker: call speedup::worker_hook() first in main, \
                 or add speedup::worker_test!() to the test file",
                exe.display()
            )));
        }
        Ok(worker)
    }

    fn send(&mut self, message: &impl serde::Serialize) -> Result<()> {
        let stdin = self.stdin.as_mut().expect("stdin is open until finish");
        protocol::write_line(stdin, message).map_err(|e| self.died(&e, "starting"))
    }

    /// Sends one request and waits for its part.
    fn run_chunk<P: Wire>(&mut self, chunk: usize) -> Result<(usize, P)> {
        self.exchange(chunk)
            .map_err(|e| self.died(&e, &format!("running chunk {chunk}")))
    }

    fn exchange<P: Wire>(&mut self, chunk: usize) -> Result<(usize, P)> {
        protocol::write_line(
            self.stdin.as_mut().expect("stdin is open"),
            &Request { chunk },
        )?;
        let (answered, bytes) = protocol::read_reply(&mut self.stdout)?;
        if answered != chunk {
            return Err(Error::new(format!("answered chunk {answered} instead")));
        }
        Ok((chunk, P::from_bytes(&bytes)?))
    }

    /// Closes the child's input and checks that it exited cleanly.
    fn finish(mut self) -> Result<()> {
        drop(self.stdin.take());
        let status = self.child.wait()?;
        if !status.success() {
            return Err(Error::new(format!(
                "process worker {} exited with {status}",
                self.id
            )));
        }
        Ok(())
    }

    /// Explains a failed exchange: usually the child died, and how says why.
    fn died(&mut self, err: &Error, doing: &str) -> Error {
        let id = self.id;
        let pid = self.child.id();
        match self.exit_status() {
            Some(status) => Error::new(format!(
                "process worker {id} (pid {pid}) died while {doing}: {status}"
            )),
            None => Error::new(format!(
                "process worker {id} (pid {pid}) failed while {doing}: {err}"
            )),
        }
    }

    /// The child's exit status, waiting briefly for a child that is closing down.
    fn exit_status(&mut self) -> Option<ExitStatus> {
        for _ in 0..50 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
