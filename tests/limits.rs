//! Resource limits become one-line errors: a thread or process the system
//! refuses (`ulimit -u`) and memory it refuses (`ulimit -v`) end the run with
//! status 1 and one line naming the resource, never a hang, a panic or an
//! abort.
//!
//! The limits are real ones, set by `bash -c "ulimit ...; exec speedup ..."`.
//! Root is exempt from `ulimit -u`, so as root the process limit tests run
//! the command as a user of their own (`setpriv`, from util-linux), a numeric
//! uid that no one else uses, so other processes cannot count against the
//! limit. Where that is impossible (not root, or no setpriv) they say so and
//! pass: the refusal itself is then tested by `src/strategy/spawn.rs`'s unit
//! tests, with a thread the system really refuses.

use std::process::{Command, Output, Stdio};

/// Runs `speedup ARGS` under `limit` ("ulimit -u 4"), as `uid` when root.
/// `None` when the process limit cannot be applied here.
fn speedup_under(limit: &str, uid: u32, args: &str) -> Option<Output> {
    let exe = env!("CARGO_BIN_EXE_speedup");
    // A run that hangs is a failure, not a hung test: `timeout` ends it.
    let script = format!("{limit} && exec timeout -s KILL 120 {exe} {args}");
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let mut command = if limit.starts_with("ulimit -u") {
        if !root || Command::new("setpriv").arg("--help").output().is_err() {
            eprintln!(
                "skipped: `{limit}` needs root and setpriv to be applied to a user of its own"
            );
            return None;
        }
        let mut setpriv = Command::new("setpriv");
        setpriv.args([
            &format!("--reuid={uid}"),
            &format!("--regid={uid}"),
            "--clear-groups",
            "bash",
            "-c",
            &script,
        ]);
        setpriv
    } else {
        let mut bash = Command::new("bash");
        bash.args(["-c", &script]);
        bash
    };
    let out = command
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Some(out)
}

/// A uid for test `k` of this run, used by nothing else on the machine.
fn own_uid(k: u32) -> u32 {
    2_000_000 + (std::process::id() % 100_000) * 8 + k
}

/// The one line of stderr, after checking the run failed with status 1.
fn one_line_error(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{}: {stderr}", out.status);
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr}");
    stderr.trim_end().to_string()
}

/// `message` is "error: cannot start WHAT: Resource temporarily unavailable
/// (os error 11); raise ulimit -u", WHAT one of `whats`.
fn assert_refused(message: &str, whats: &[&str]) {
    let what = message
        .strip_prefix("error: cannot start ")
        .and_then(|rest| {
            rest.strip_suffix(": Resource temporarily unavailable (os error 11); raise ulimit -u")
        })
        .unwrap_or_else(|| panic!("unexpected message: {message}"));
    assert!(
        whats.iter().any(|w| what.starts_with(w)),
        "{what:?} is none of {whats:?}"
    );
}

#[test]
fn scoped_threads_the_system_refuses_are_one_line() {
    let args = "run integration --samples 3000 --strategy scoped --workers 16";
    let Some(out) = speedup_under("ulimit -u 4", own_uid(0), args) else {
        return;
    };
    assert_refused(&one_line_error(&out), &["thread "]);
    assert!(one_line_error(&out).contains(" of 16: "));
}

#[test]
fn a_thread_pool_the_system_refuses_is_one_line() {
    let args = "run integration --samples 3000 --strategy thread-pool --workers 16";
    let Some(out) = speedup_under("ulimit -u 4", own_uid(1), args) else {
        return;
    };
    assert_refused(&one_line_error(&out), &["thread "]);
}

#[test]
fn worker_processes_the_system_refuses_are_one_line() {
    let args = "run integration --samples 3000 --strategy process --workers 16";
    let Some(out) = speedup_under("ulimit -u 4", own_uid(2), args) else {
        return;
    };
    assert_refused(&one_line_error(&out), &["worker process "]);
}

#[test]
fn process_runs_short_of_threads_end_instead_of_hanging() {
    // The main thread, the Ctrl-C handler's and two workers fill 4; at 4 the
    // watchdog, at 5 a feeder, at 6 the second feeder cannot start (these
    // hung the run forever before issue 18). Whatever the exact count, each
    // limit ends in one line or in success.
    for (k, limit) in (4..=7).enumerate() {
        let args = "run integration --samples 3000 --strategy process --workers 2";
        let Some(out) = speedup_under(&format!("ulimit -u {limit}"), own_uid(3 + k as u32), args)
        else {
            return;
        };
        if !out.status.success() {
            assert_refused(
                &one_line_error(&out),
                &["thread ", "the watchdog thread", "worker process "],
            );
        }
    }
}

#[test]
fn memory_the_system_refuses_is_one_line_naming_how_much() {
    // 300 MB of address space; y alone would take 800 MB.
    let args = "run linear-normal --n 100000000";
    let out = speedup_under("ulimit -v 300000", 0, args).unwrap();
    assert_eq!(
        one_line_error(&out),
        "error: y (--n 100000000) needs 800 MB of memory, and the system refused it \
         (memory allocation failed); raise ulimit -v or ask for less"
    );
}
