//! The child side of the process strategy, and the hook that starts it.
//!
//! The process strategy starts the *current executable* again as a worker,
//! so every binary that may use it must call the hook first thing in
//! `main`: in a worker, the hook serves chunks and exits; otherwise it returns
//! at once and `main` goes on as usual.
//!
//! ```text
//! fn main() {
//!     speedup::worker_hook();                  // the library's workloads, or
//!     serve_if_worker::<MyWorkloads>();         // a program's own set
//!     // ... the program proper ...
//! }
//! ```
//!
//! A worker receives a workload's *name* and parameters, so it must know
//! the program's workloads: [`serve_if_worker`] takes them as a
//! [`WorkloadSet`], and this file names no workload of its own.
//!
//! **The test-harness trick.** Test binaries built by libtest have no `main`
//! of ours. A test file that uses the process strategy invokes
//! [`worker_test!`](crate::worker_test), which defines a test named
//! `speedup_worker_entry` that calls the hook. Children are always started with
//! the arguments [`CHILD_ARGS`], which libtest reads as "run only tests whose
//! name contains `speedup_worker_entry`, one at a time"; a normal binary never
//! reads them, because its hook has already taken over. libtest's banner
//! ("running 1 test") is skipped by the parent, which waits for the READY line
//! (`protocol.rs`). In a normal test run that entry test just returns.

use super::protocol::{self, Header, Request};
use crate::wire::Wire;
use crate::workload::{Job, Workload, WorkloadSet, WorkloadVisitor};
use crate::{Error, Result};
use std::io::{self, BufRead, BufWriter, Write};

/// Set in a child's environment: "you are worker number N".
pub const WORKER_ENV: &str = "SPEEDUP_WORKER";

/// Fault injection, for tests and for trying the error messages by hand:
/// `SPEEDUP_WORKER_FAULT=KIND` makes every worker misbehave on its first
/// chunk, `KIND@K` only worker K. Kinds: `exit` (exit with status 3), `abort`
/// (killed by SIGABRT), `garbage` (write text instead of a reply), `truncate`
/// (write half a reply, then exit), `hang` (never answer).
pub const FAULT_ENV: &str = "SPEEDUP_WORKER_FAULT";

/// Arguments every child is started with (see the module docs).
pub const CHILD_ARGS: [&str; 4] = [
    "speedup_worker_entry",
    "--nocapture",
    "--test-threads=1",
    "--quiet",
];

/// In a worker process: serves chunks of the workloads of `S` and exits.
/// Elsewhere: returns at once.
pub fn serve_if_worker<S: WorkloadSet>() {
    let Some(id) = std::env::var_os(WORKER_ENV) else {
        return;
    };
    exit_with_parent();
    let fault = std::env::var(FAULT_ENV).ok().and_then(|spec| {
        let (kind, only) = spec.split_once('@').unwrap_or((&spec, ""));
        (only.is_empty() || only == id.to_string_lossy()).then(|| kind.to_string())
    });
    let output = BufWriter::new(io::stdout().lock());
    let code = match serve::<S>(io::stdin().lock(), output, fault) {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("speedup worker {}: {err}", std::process::id());
            2
        }
    };
    std::process::exit(code);
}

/// Exits this worker when its parent is gone.
///
/// A parent that is killed outright (SIGKILL, or a crash) cannot stop its
/// children, and they would go on with their current chunk as orphans, adopted
/// by init. So a worker keeps a thread that checks every tenth of a second who
/// its parent is: when the parent dies the answer changes, and the worker exits.
fn exit_with_parent() {
    #[cfg(unix)]
    {
        use std::os::unix::process::parent_id;
        let parent = parent_id();
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(std::time::Duration::from_millis(100));
                if parent_id() != parent {
                    std::process::exit(1);
                }
            }
        });
    }
}

/// Announces readiness, then serves one job after another (each a header,
/// then requests up to the rest request) until stdin closes. A fresh-process
/// run sends one job; a kept pool sends many; the parent that only measures
/// start-up sends none.
fn serve<S: WorkloadSet>(
    mut input: impl BufRead,
    mut output: impl Write,
    mut fault: Option<String>,
) -> Result<()> {
    writeln!(output, "{}", protocol::READY)?;
    output.flush()?;
    while let Some(header) = protocol::read_line::<Header>(&mut input)? {
        let server = Server {
            seed: header.seed,
            input: &mut input,
            output: &mut output,
            fault: &mut fault,
        };
        S::visit_by_name(&header.workload, header.params, server)??;
    }
    Ok(())
}

/// One job's server: the workload is rebuilt for it, and dropped after it.
struct Server<'a, R, W> {
    seed: u64,
    input: &'a mut R,
    output: &'a mut W,
    fault: &'a mut Option<String>,
}

impl<R: BufRead, O: Write> WorkloadVisitor for Server<'_, R, O> {
    type Output = Result<()>;

    /// Answers requests in order, until the rest request ends the job. Each
    /// chunk's part is offered to [`Workload::condense`] first: folded into
    /// `kept`, it is answered with an empty part, and `kept` goes back once,
    /// on the rest request.
    fn visit<W: Workload>(self, workload: W) -> Result<()> {
        workload.validate()?;
        let job = Job::new(&workload, self.seed);
        let mut kept = W::Part::default();
        while let Some(request) = protocol::read_line(self.input)? {
            let chunk = match request {
                Request::Chunk(chunk) => chunk,
                Request::Rest => {
                    let rest = std::mem::take(&mut kept).to_bytes();
                    return protocol::write_reply(self.output, protocol::REST_FRAME, &rest);
                }
            };
            if chunk >= job.chunks() {
                return Err(Error::new(format!(
                    "asked for chunk {chunk} of {}",
                    job.chunks()
                )));
            }
            let part = match workload.condense(&mut kept, job.run_chunk(chunk)) {
                Ok(()) => W::Part::default(),
                Err(part) => part,
            };
            let part = part.to_bytes();
            if let Some(fault) = self.fault.take() {
                misbehave(&fault, self.output, chunk, &part)?;
            }
            protocol::write_reply(self.output, chunk, &part)?;
        }
        Ok(()) // input closed in the middle of a job: the parent gave up on it
    }
}

/// Acts out an injected fault (see [`FAULT_ENV`]).
fn misbehave(fault: &str, output: &mut impl Write, chunk: usize, part: &[u8]) -> Result<()> {
    match fault {
        "exit" => std::process::exit(3),
        "abort" => std::process::abort(),
        "garbage" => {
            output.write_all(b"Segmentation fault (core dumped)\n")?;
            output.flush()?;
        }
        "truncate" => {
            let mut frame = Vec::new();
            protocol::write_reply(&mut frame, chunk, part)?;
            output.write_all(&frame[..frame.len() / 2])?;
            output.flush()?;
            std::process::exit(0);
        }
        "hang" => loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        },
        _ => return Err(Error::new(format!("unknown {FAULT_ENV} kind '{fault}'"))),
    }
    Ok(())
}
