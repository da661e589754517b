//! A worker process that dies makes the run fail cleanly: an error that says
//! what happened, no hang, no panic, and no child process left behind.

use speedup::strategy::process::{run_with_env, startup_time};
use speedup::strategy::worker::FAULT_ENV;
use speedup::workloads::integration::Integration;
use speedup::{Job, Schedule};
use std::sync::Mutex;

speedup::worker_test!();

// Tests here count this process's children, so they must not overlap.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Live (not yet reaped) children of this process, read from /proc.
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

fn failing_run(fault: &str, schedule: Schedule) -> String {
    let study = Integration {
        samples: 3000,
        ..Default::default()
    };
    let job = Job::new(&study, 1);
    let result = run_with_env(&job, 3, schedule, &[(FAULT_ENV, fault)]);
    result
        .expect_err("a dead worker must fail the run")
        .to_string()
}

#[test]
fn a_worker_that_exits_non_zero_fails_the_run_and_leaves_no_child() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let message = failing_run("exit", Schedule::Dynamic);
    assert!(
        message.contains("process worker") && message.contains("exit status: 3"),
        "{message}"
    );
    assert_eq!(children(), Vec::<u32>::new());
}

#[test]
fn a_killed_worker_fails_the_run_and_leaves_no_child() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let message = failing_run("abort", Schedule::Static);
    assert!(
        message.contains("process worker") && message.contains("signal"),
        "{message}"
    );
    assert_eq!(children(), Vec::<u32>::new());
}

#[test]
fn a_successful_run_leaves_no_child_and_startup_is_measurable() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let study = Integration {
        samples: 500,
        ..Default::default()
    };
    let parts =
        speedup::strategy::process::run(&Job::new(&study, 1), 2, Schedule::Dynamic).unwrap();
    assert_eq!(parts.len(), 10);
    let startup = startup_time(2).unwrap();
    assert!(startup.as_nanos() > 0);
    assert_eq!(children(), Vec::<u32>::new());
}
