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
//!
//! **Only a parent can make a worker.** A worker serves its stdin and never
//! returns, so an environment variable alone must not be enough: a user who
//! types `SPEEDUP_WORKER=1` by mistake (for `SPEEDUP_WORKERS`) would find
//! every command, `--help` included, print the READY line and exit. So the
//! parent sets [`WORKER_ENV`] to `ID PARENT_PID TOKEN`, where the token is 128
//! random bits drawn once per parent process, *and* passes `speedup-worker-TOKEN`
//! as an argument after [`CHILD_ARGS`] (libtest reads it as one more test
//! filter, which matches no test). The hook takes over only when both agree;
//! anything else is a normal start.
//!
//! **Workers never outlive their parent.** On Linux the hook asks the kernel to
//! SIGKILL the worker when its parent dies (`PR_SET_PDEATHSIG`), then checks
//! the parent is still the one that started it (it may have died before the
//! request). A signal from the kernel reaches a stopped worker too (SIGSTOP,
//! a debugger), which a watching thread could not. Elsewhere, a thread checks
//! every tenth of a second who the parent is. (Linux sends the signal when the
//! parent's *thread* that started the worker ends; a run starts its workers
//! and reaps them on one thread, so that is never earlier than the run's end.)

use super::busy::BusyClock;
use super::protocol::{self, Header, Request};
use super::shared_replies::PartWriter;
use crate::wire::Wire;
use crate::workload::{Job, Workload, WorkloadSet, WorkloadVisitor};
use crate::{Error, Result};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{self, BufRead, BufWriter, Write};
use std::sync::OnceLock;

/// Set in a child's environment: `ID PARENT_PID TOKEN` (see the module docs).
pub const WORKER_ENV: &str = "SPEEDUP_WORKER";

/// Fault injection, for tests and for trying the error messages by hand:
/// `SPEEDUP_WORKER_FAULT=KIND` makes every worker misbehave on its first
/// chunk, `KIND@K` only worker K. Kinds: `exit` (exit with status 3), `abort`
/// (killed by SIGABRT), `garbage` (write text instead of a reply), `truncate`
/// (write half a reply, then exit), `hang` (never answer). Anything else, the
/// empty value included, is refused by the parent before a worker starts
/// ([`check_fault`]).
pub const FAULT_ENV: &str = "SPEEDUP_WORKER_FAULT";

/// The kinds of fault [`FAULT_ENV`] may name.
const FAULT_KINDS: [&str; 5] = ["exit", "abort", "garbage", "truncate", "hang"];

/// Arguments every child is started with (see the module docs), before the
/// token's argument ([`child_args`]).
pub const CHILD_ARGS: [&str; 4] = [
    "speedup_worker_entry",
    "--nocapture",
    "--test-threads=1",
    "--quiet",
];

/// What a child is told to be worker `id`: its arguments and its environment.
pub fn child_args() -> Vec<String> {
    let mut args: Vec<String> = CHILD_ARGS.iter().map(|a| a.to_string()).collect();
    args.push(token_arg(token()));
    args
}

/// The value of [`WORKER_ENV`] for worker `id` of this process.
pub fn child_env(id: usize) -> String {
    format!("{id} {} {}", std::process::id(), token())
}

/// This process's token: 128 bits from the standard library's randomly
/// keyed hasher (seeded by the operating system), drawn once.
fn token() -> &'static str {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| {
        let half = || {
            let mut hasher = RandomState::new().build_hasher();
            hasher.write_u32(std::process::id());
            hasher.finish()
        };
        format!("{:016x}{:016x}", half(), half())
    })
}

fn token_arg(token: &str) -> String {
    format!("speedup-worker-{token}")
}

/// Who this worker is, when its parent really made it one.
struct Marker {
    id: String,
    parent: u32,
}

impl Marker {
    /// The marker from [`WORKER_ENV`], if the token there is also among the
    /// arguments; `None` for every other start.
    fn of_this_process() -> Option<Marker> {
        let value = std::env::var(WORKER_ENV).ok()?;
        let mut words = value.split(' ');
        let (id, parent, token) = (words.next()?, words.next()?, words.next()?);
        let parent = parent.parse().ok()?;
        let valid = words.next().is_none()
            && id.parse::<usize>().is_ok()
            && token.len() == 32
            && token.bytes().all(|b| b.is_ascii_hexdigit());
        let arg = token_arg(token);
        (valid && std::env::args_os().any(|a| a == *arg)).then(|| Marker {
            id: id.to_string(),
            parent,
        })
    }
}

/// In a worker process: serves chunks of the workloads of `S` and exits.
/// Elsewhere: returns at once.
pub fn serve_if_worker<S: WorkloadSet>() {
    let Some(marker) = Marker::of_this_process() else {
        return;
    };
    exit_with_parent(marker.parent);
    // The parent checked the spec before starting us (`check_fault`).
    let fault = std::env::var(FAULT_ENV)
        .ok()
        .and_then(|spec| parse_fault(&spec).ok().flatten())
        .and_then(|(kind, only)| {
            only.is_none_or(|k| k.to_string() == marker.id)
                .then_some(kind)
        });
    let output = BufWriter::new(io::stdout().lock());
    let code = match serve::<S>(io::stdin().lock(), output, fault) {
        Ok(()) => 0,
        Err(err) => {
            // With the parent gone, or no longer reading, there is no one to
            // tell: a message would only add "Broken pipe" lines under the
            // parent's own one-line error.
            if !parent_is_gone(marker.parent) && !output_is_closed() {
                eprintln!("speedup worker {}: {err}", std::process::id());
            }
            2
        }
    };
    std::process::exit(code);
}

/// `KIND` or `KIND@K` as the fault kind and the one worker it is for.
fn parse_fault(spec: &str) -> Result<Option<(String, Option<usize>)>> {
    let (kind, only) = match spec.split_once('@') {
        Some((kind, only)) => (kind, Some(only.parse::<usize>().ok())),
        None => (spec, None),
    };
    if !FAULT_KINDS.contains(&kind) || only == Some(None) {
        return Err(Error::new(format!(
            "{FAULT_ENV}='{spec}' is not a fault: write KIND or KIND@WORKER, with KIND one of {} \
             (or unset it)",
            FAULT_KINDS.join(", ")
        )));
    }
    Ok(Some((kind.to_string(), only.flatten())))
}

/// Refuses a malformed [`FAULT_ENV`], as this process has it or as `child_env`
/// sets it for the children, before any child starts.
pub fn check_fault(child_env: &[(String, String)]) -> Result<()> {
    let set = child_env.iter().rev().find(|(k, _)| k == FAULT_ENV);
    let spec = match set {
        Some((_, value)) => Some(value.clone()),
        None => std::env::var_os(FAULT_ENV).map(|v| v.to_string_lossy().into_owned()),
    };
    match spec {
        Some(spec) => parse_fault(&spec).map(drop),
        None => Ok(()),
    }
}

/// Makes this worker end when `parent`, which started it, is gone (see the
/// module docs).
fn exit_with_parent(parent: u32) {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: prctl with PR_SET_PDEATHSIG takes a signal number and
        // touches no memory of ours.
        unsafe {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0);
        }
        if parent_is_gone(parent) {
            std::process::exit(1);
        }
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        // A thread that cannot start leaves the worker without this watch;
        // the parent still kills it at the end of a run.
        let _ = std::thread::Builder::new()
            .name("speedup-parent-watch".into())
            .spawn(move || {
                loop {
                    if parent_is_gone(parent) {
                        std::process::exit(1);
                    }
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
            });
    }
}

/// Whether the process that started this worker has died (the worker then
/// belongs to another parent, usually init).
fn parent_is_gone(parent: u32) -> bool {
    #[cfg(unix)]
    {
        std::os::unix::process::parent_id() != parent
    }
    #[cfg(not(unix))]
    {
        let _ = parent;
        false
    }
}

/// Whether no one reads this worker's output any more (the parent closed its
/// end of the pipe): poll reports an error condition on such a pipe.
fn output_is_closed() -> bool {
    #[cfg(unix)]
    {
        let mut stdout = libc::pollfd {
            fd: libc::STDOUT_FILENO,
            events: libc::POLLOUT,
            revents: 0,
        };
        // SAFETY: one valid pollfd, a timeout of 0 (no waiting).
        let ready = unsafe { libc::poll(&mut stdout, 1, 0) };
        ready == 1 && stdout.revents & (libc::POLLERR | libc::POLLHUP) != 0
    }
    #[cfg(not(unix))]
    {
        false
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
    let mut parts = PartWriter::of_this_worker();
    let mut encoded = Vec::new();
    while let Some(header) = protocol::read_line::<Header>(&mut input)? {
        parts.start_job();
        let server = Server {
            seed: header.seed,
            input: &mut input,
            output: &mut output,
            parts: &mut parts,
            encoded: &mut encoded,
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
    parts: &'a mut PartWriter,
    /// One buffer that every part is encoded into, kept for the worker's
    /// life: a fresh one per chunk would ask the allocator for 80 kB (and
    /// the kernel for 20 new zeroed pages) every time, on the critical path.
    encoded: &'a mut Vec<u8>,
    fault: &'a mut Option<String>,
}

impl<R: BufRead, O: Write> WorkloadVisitor for Server<'_, R, O> {
    type Output = Result<()>;

    /// Answers requests in order, until the rest request ends the job. Each
    /// chunk's part is offered to [`Workload::condense`] first: folded into
    /// `kept`, it is answered with an empty part, and `kept` goes back once,
    /// on the rest request, with the job's busy time. A batch's replies are
    /// flushed together, after its last chunk: one wake-up of the parent per
    /// batch (`protocol.rs`).
    fn visit<W: Workload>(self, workload: W) -> Result<()> {
        workload.validate()?;
        let job = Job::new(&workload, self.seed);
        let clock = BusyClock::new(1);
        let mut kept = W::Part::default();
        while let Some(request) = protocol::read_line(self.input)? {
            let chunks = match request {
                Request::Chunks(chunks) => chunks,
                Request::Rest => {
                    self.encoded.clear();
                    std::mem::take(&mut kept).encode(self.encoded);
                    reply(self.output, self.parts, protocol::REST_FRAME, self.encoded)?;
                    return protocol::write_busy(self.output, clock.nanos(0));
                }
            };
            for chunk in chunks {
                if chunk >= job.chunks() {
                    return Err(Error::new(format!(
                        "asked for chunk {chunk} of {}",
                        job.chunks()
                    )));
                }
                let part = clock.time(0, || job.run_chunk(chunk));
                let part = match workload.condense(&mut kept, part) {
                    Ok(()) => W::Part::default(),
                    Err(part) => part,
                };
                self.encoded.clear();
                part.encode(self.encoded);
                if let Some(fault) = self.fault.take() {
                    misbehave(&fault, self.output, chunk, self.encoded)?;
                }
                reply(self.output, self.parts, chunk, self.encoded)?;
            }
            self.output.flush()?;
        }
        Ok(()) // input closed in the middle of a job: the parent gave up on it
    }
}

/// Sends a part: into shared memory with only its frame down the pipe, or,
/// where it does not fit, down the pipe behind its frame.
fn reply(output: &mut impl Write, parts: &mut PartWriter, chunk: usize, part: &[u8]) -> Result<()> {
    match parts.place(part) {
        Some(offset) => protocol::write_shared_reply(output, chunk, part.len(), offset),
        None => protocol::write_reply(output, chunk, part),
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
        _ => unreachable!("parse_fault admits only the kinds above, not '{fault}'"),
    }
    Ok(())
}
