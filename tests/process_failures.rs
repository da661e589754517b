//! Worker processes that misbehave make the run fail cleanly: an error that
//! names the worker and what happened, no hang, no panic, and no child process
//! left behind. Faults are injected through `SPEEDUP_WORKER_FAULT`.

use speedup::strategy::RunOptions;
use speedup::strategy::process::{run, run_with, startup_time};
use speedup::workloads::integration::Integration;
use speedup::{Job, Schedule};
use std::sync::Mutex;
use std::time::{Duration, Instant};

speedup::worker_test!();

// Tests here count this process's children, so they must not overlap.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// This process's children that still exist, zombies included, from /proc.
fn children() -> Vec<u32> {
    let me = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            // Fields after the command name (which ends with ')'): state, ppid, ...
            let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
            after
                .split_whitespace()
                .nth(1)
                .and_then(|ppid| ppid.parse::<u32>().ok())
                == Some(me)
        })
        .collect()
}

/// Runs a 3-worker job with `fault` injected; returns the error and how long it took.
fn failing_run(fault: &str, schedule: Schedule) -> (String, Duration) {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let study = Integration {
        samples: 3000,
        ..Default::default()
    };
    let options = RunOptions::with_timeout(Duration::from_secs(1)).with_worker_fault(fault);
    let start = Instant::now();
    let result = run_with(&Job::new(&study, 1), 3, schedule, &options);
    let took = start.elapsed();
    let message = result.expect_err("a faulty worker must fail the run");
    assert_eq!(children(), Vec::<u32>::new(), "children left after {fault}");
    (message.to_string(), took)
}

fn assert_mentions(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "{part:?} missing in: {message}");
    }
}

#[test]
fn a_worker_that_exits_non_zero_is_named_with_its_status() {
    let (message, _) = failing_run("exit@1", Schedule::Dynamic);
    assert_mentions(
        &message,
        &["process worker 1 (pid", "exit status: 3", "no reply"],
    );
}

#[test]
fn a_worker_killed_by_a_signal_is_named_with_the_signal() {
    let (message, _) = failing_run("abort@2", Schedule::Static);
    assert_mentions(&message, &["process worker 2 (pid", "SIGABRT"]);
}

#[test]
fn a_worker_that_writes_garbage_is_caught_and_stopped() {
    let (message, took) = failing_run("garbage@0", Schedule::Static);
    assert_mentions(&message, &["process worker 0", "garbage", "Segmenta"]);
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn a_truncated_reply_is_reported_as_cut_off() {
    let (message, _) = failing_run("truncate@1", Schedule::Dynamic);
    assert_mentions(&message, &["process worker 1", "cut off after"]);
}

#[test]
fn a_hung_worker_is_killed_after_the_timeout_and_the_run_ends_within_seconds() {
    let (message, took) = failing_run("hang@2", Schedule::Static);
    assert_mentions(
        &message,
        &["process worker 2", "did not answer within 1 s", "--timeout"],
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn a_fault_in_every_worker_still_reports_one_cause() {
    let (message, _) = failing_run("exit", Schedule::Dynamic);
    assert_mentions(&message, &["process worker", "exit status: 3"]);
}

#[test]
fn a_malformed_fault_is_refused_before_any_worker_starts() {
    for spec in ["explode", "", "exit@", "exit@one", "@1"] {
        let (message, _) = failing_run(spec, Schedule::Dynamic);
        assert_eq!(
            message,
            format!(
                "SPEEDUP_WORKER_FAULT='{spec}' is not a fault: write KIND or KIND@WORKER, \
                 with KIND one of exit, abort, garbage, truncate, hang (or unset it)"
            )
        );
    }
}

#[test]
fn a_successful_run_leaves_no_child_and_startup_is_measurable() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let study = Integration {
        samples: 500,
        ..Default::default()
    };
    let ran = run(&Job::new(&study, 1), 2, Schedule::Dynamic).unwrap();
    assert_eq!(ran.parts.len(), 10);
    assert_eq!(ran.busy_s.len(), 2, "each child reports its busy time");
    let startup = startup_time(2).unwrap();
    assert!(startup.as_nanos() > 0);
    assert_eq!(children(), Vec::<u32>::new());
}
