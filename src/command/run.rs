//! One run of a command: spawned, timed to its reaped exit, its CPU time
//! read, its output captured.
//!
//! The clock starts just before the spawn and stops when the process has
//! been reaped: everything a user of the program waits for, process start-up
//! included (`floor.rs` measures that part alone). The CPU time is the
//! child's user plus system time from `wait4` (`process_group.rs`), which
//! includes every descendant it waited for: divided by the wall time it
//! says how many CPUs the run kept busy.
//!
//! Standard input is closed (a program waiting for input would hang), and
//! standard output and error go to temporary files (`capture.rs`), never to
//! the terminal, where they would break the progress bar. A run that fails
//! stops the sweep with one line: the command, its status and the last line
//! it wrote to standard error. A run past `--timeout` is killed with its
//! whole process group.

use super::spec::Invocation;
use crate::capture::Capture;
use crate::process_group::GroupChild;
use crate::{Error, Result};
use std::hash::Hasher;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run told.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ran {
    /// Wall seconds from the spawn to the reaped exit.
    pub seconds: f64,
    /// User plus system CPU seconds, where the system says.
    pub cpu_s: Option<f64>,
    /// A hash of the standard output, when asked for.
    pub output: Option<u64>,
}

/// Runs `invocation` once, killing it (and its process group) past `limit`;
/// hashes its standard output if `hash_output`.
pub fn run_once(invocation: &Invocation, limit: Duration, hash_output: bool) -> Result<Ran> {
    let shown = &invocation.shown;
    let (stdout, stderr) = (
        Capture::new("command", "out"),
        Capture::new("command", "err"),
    );
    let mut command = Command::new(&invocation.program);
    command
        .args(&invocation.args)
        .envs(invocation.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(stdout.file()?)
        .stderr(stderr.file()?);
    let start = Instant::now();
    let child = GroupChild::start(&mut command)
        .map_err(|e| Error::new(format!("cannot run `{shown}`: {e}")))?;
    drop(command);
    let Some(exit) = child.wait(limit) else {
        child.kill();
        return Err(Error::new(format!(
            "`{shown}` did not end within {} s, so it was killed with every process it \
             started (raise --timeout if a run really takes this long)",
            limit.as_secs_f64()
        )));
    };
    let seconds = start.elapsed().as_secs_f64();
    if !exit.status.success() {
        let stderr = stderr.read();
        let last = stderr
            .lines()
            .rev()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .unwrap_or("(nothing on standard error)");
        return Err(Error::new(format!(
            "`{shown}` failed ({}): {last}",
            exit.status
        )));
    }
    let output = hash_output.then(|| {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        hasher.write(&stdout.bytes());
        hasher.finish()
    });
    Ok(Ran {
        seconds,
        cpu_s: exit.cpu_s,
        output,
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn sh(script: &str) -> Invocation {
        Invocation {
            program: "sh".into(),
            args: vec!["-c".into(), script.into()],
            env: vec![("WHO".into(), "world".into())],
            shown: format!("sh -c {script}"),
        }
    }

    const LIMIT: Duration = Duration::from_secs(60);

    #[test]
    fn a_run_is_timed_and_its_output_hashed() {
        let hello = run_once(&sh("echo hello $WHO"), LIMIT, true).unwrap();
        assert!(hello.seconds > 0.0 && hello.cpu_s.is_some(), "{hello:?}");
        let again = run_once(&sh("echo hello $WHO"), LIMIT, true).unwrap();
        let other = run_once(&sh("echo bye"), LIMIT, true).unwrap();
        assert_eq!(hello.output, again.output);
        assert_ne!(hello.output, other.output);
        assert_eq!(run_once(&sh("true"), LIMIT, false).unwrap().output, None);
    }

    #[test]
    fn stdin_is_closed() {
        // `cat` copies standard input: closed, it ends at once.
        let cat = run_once(&sh("cat"), LIMIT, true).unwrap();
        let empty = run_once(&sh("printf ''"), LIMIT, true).unwrap();
        assert_eq!(cat.output, empty.output);
    }

    #[test]
    fn a_failure_names_the_command_its_status_and_the_last_line_of_stderr() {
        let err = run_once(&sh("echo first >&2; echo last >&2; exit 3"), LIMIT, false)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "`sh -c echo first >&2; echo last >&2; exit 3` failed (exit status: 3): last"
        );
        let silent = run_once(&sh("exit 4"), LIMIT, false)
            .unwrap_err()
            .to_string();
        assert!(
            silent.ends_with("(exit status: 4): (nothing on standard error)"),
            "{silent}"
        );
    }

    #[test]
    fn a_run_past_its_limit_is_killed() {
        let err = run_once(&sh("sleep 100"), Duration::from_millis(200), false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("did not end within 0.2 s"), "{err}");
    }
}
