//! The child side of the process strategy, and the hook that starts it.
//!
//! The process strategy starts the *current executable* again as a worker,
//! so every binary that may use it must call [`worker_hook`] first thing in
//! `main`: in a worker, the hook serves chunks and exits; otherwise it returns
//! at once and `main` goes on as usual.
//!
//! ```text
//! fn main() {
//!     speedup::worker_hook();
//!     // ... the program proper ...
//! }
//! ```
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
use crate::workload::{Job, Workload};
use crate::workloads::{WorkloadVisitor, visit_by_name};
use crate::{Error, Result};
use std::io::{self, BufRead, BufWriter, Write};

/// Set in a child's environment: "you are a worker".
pub const WORKER_ENV: &str = "SPEEDUP_WORKER";

/// Test seam: `exit` or `abort` makes a worker fail on its first chunk, so
/// tests can check that the parent reports a dead child and cleans up.
pub const FAULT_ENV: &str = "SPEEDUP_WORKER_FAULT";

/// Arguments every child is started with (see the module docs).
pub const CHILD_ARGS: [&str; 4] = [
    "speedup_worker_entry",
    "--nocapture",
    "--test-threads=1",
    "--quiet",
];

/// In a worker process: serves chunks and exits. Elsewhere: returns at once.
pub fn worker_hook() {
    if std::env::var_os(WORKER_ENV).is_none() {
        return;
    }
    let code = match serve(io::stdin().lock(), BufWriter::new(io::stdout().lock())) {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("speedup worker {}: {err}", std::process::id());
            2
        }
    };
    std::process::exit(code);
}

/// Defines the `speedup_worker_entry` test that lets a libtest binary act as
/// a worker. Invoke it once in every test file that uses the process strategy.
#[macro_export]
macro_rules! worker_test {
    () => {
        #[test]
        fn speedup_worker_entry() {
            $crate::worker_hook();
        }
    };
}

/// Announces readiness, reads the header, then answers requests until stdin closes.
fn serve(mut input: impl BufRead, mut output: impl Write) -> Result<()> {
    writeln!(output, "{}", protocol::READY)?;
    output.flush()?;
    let Some(header) = protocol::read_line::<Header>(&mut input)? else {
        return Ok(()); // the parent only measured our start-up
    };
    let fault = std::env::var(FAULT_ENV).ok();
    let server = Server {
        seed: header.seed,
        input,
        output,
        fault,
    };
    visit_by_name(&header.workload, header.params, server)?
}

struct Server<R, W> {
    seed: u64,
    input: R,
    output: W,
    fault: Option<String>,
}

impl<R: BufRead, O: Write> WorkloadVisitor for Server<R, O> {
    type Output = Result<()>;

    fn visit<W: Workload>(mut self, workload: W) -> Result<()> {
        workload.validate()?;
        let job = Job::new(&workload, self.seed);
        while let Some(Request { chunk }) = protocol::read_line(&mut self.input)? {
            if chunk >= job.chunks() {
                return Err(Error::new(format!(
                    "asked for chunk {chunk} of {}",
                    job.chunks()
                )));
            }
            match self.fault.as_deref() {
                Some("exit") => std::process::exit(3),
                Some("abort") => std::process::abort(),
                _ => {}
            }
            protocol::write_reply(&mut self.output, chunk, &job.run_chunk(chunk).to_bytes())?;
        }
        Ok(())
    }
}
