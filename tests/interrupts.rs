//! Signals and closed pipes: a run that is stopped from outside leaves no
//! worker process behind, no temporary file, and the earlier output intact.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The children of `parent` that exist, with their state letter (R, S, Z ...).
fn children_of(parent: u32) -> Vec<(u32, char)> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let (state, ppid) = state_and_parent(pid)?;
            (ppid == parent).then_some((pid, state))
        })
        .collect()
}

/// A process's state letter and parent, from /proc/PID/stat.
fn state_and_parent(pid: u32) -> Option<(char, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace();
    let state = fields.next()?.chars().next()?;
    Some((state, fields.next()?.parse().ok()?))
}

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("speedup-interrupts-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Starts a long process-strategy run writing `out.json` in `dir`, and waits
/// until both its workers are up.
///
/// It starts as from a terminal, with SIGHUP at its default action, even
/// where this test runs under `nohup` (as CI scripts may): an ignored
/// SIGHUP is inherited, and the run would rightly keep going after one
/// (see the `nohup` test below).
#[allow(clippy::zombie_processes)] // clippy misses that the caller waits for it
fn long_run(dir: &Path) -> (Child, Vec<u32>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_speedup"));
    // SAFETY: between fork and exec only `signal`, which is async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGHUP, libc::SIG_DFL);
            Ok(())
        });
    }
    let child = command
        .args([
            "run",
            "integration",
            "--samples",
            "200000",
            "--strategy",
            "process",
        ])
        .args(["--workers", "2", "--output", "out.json"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    until_workers_start(child)
}

fn send(signal: &str, pid: u32) {
    let status = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn interrupted_run_cleans_up(signal: &str) {
    let dir = scratch(signal);
    std::fs::write(dir.join("out.json"), "earlier result").unwrap();
    let (child, workers) = long_run(&dir);
    send(signal, child.id());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "error: interrupted; stopped 2 worker processes"
    );
    // Reaped by the parent before it exited: not even a zombie is left.
    for pid in workers {
        assert!(
            state_and_parent(pid).is_none(),
            "worker {pid} is still there"
        );
    }
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["out.json"], "temporary files left");
    let earlier = std::fs::read_to_string(dir.join("out.json")).unwrap();
    assert_eq!(earlier, "earlier result");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sigterm_to_the_parent_stops_and_reaps_every_worker() {
    interrupted_run_cleans_up("-TERM");
}

#[test]
fn sigint_to_the_parent_alone_stops_and_reaps_every_worker() {
    interrupted_run_cleans_up("-INT");
}

#[test]
fn workers_exit_by_themselves_when_the_parent_is_killed_outright() {
    let dir = scratch("kill");
    let (mut child, workers) = long_run(&dir);
    send("-KILL", child.id());
    child.wait().unwrap();
    // The orphans are adopted by init, which reaps them (or, in a container
    // without an init, leaves zombies); either way none may still run.
    let start = Instant::now();
    while workers
        .iter()
        .any(|&pid| state_and_parent(pid).is_some_and(|(state, _)| state != 'Z'))
    {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "orphaned workers still running"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_closed_output_pipe_ends_the_program_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_speedup"))
        .args(["run", "integration", "--samples", "3000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Like `| head -0`: the reader goes away before the program prints.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", out.status);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// Waits until both workers of `child`'s process run are up and busy.
fn until_workers_start(mut child: Child) -> (Child, Vec<u32>) {
    let start = Instant::now();
    loop {
        let workers: Vec<u32> = children_of(child.id()).iter().map(|c| c.0).collect();
        if workers.len() == 2 {
            // Give them a moment to be busy with chunks.
            std::thread::sleep(Duration::from_millis(300));
            return (child, workers);
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("workers never started");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Waits until none of `pids` runs (gone, or a zombie left to init), for at
/// most `limit`; false if one still runs then.
fn all_end_within(pids: &[u32], limit: Duration) -> bool {
    let start = Instant::now();
    while pids
        .iter()
        .any(|&pid| state_and_parent(pid).is_some_and(|(state, _)| state != 'Z'))
    {
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}

#[test]
fn a_stopped_worker_dies_with_its_parent() {
    let dir = scratch("stopped");
    let (mut child, workers) = long_run(&dir);
    // A stopped worker cannot run a thread that watches its parent; the
    // kernel's parent-death signal reaches it all the same.
    send("-STOP", workers[0]);
    send("-KILL", child.id());
    child.wait().unwrap();
    let ended = all_end_within(&workers, Duration::from_secs(10));
    if !ended {
        for &pid in &workers {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
    }
    assert!(ended, "a stopped worker outlived its parent");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn workers_of_a_killed_parent_print_nothing() {
    let dir = scratch("silent");
    let (child, workers) = long_run(&dir);
    send("-KILL", child.id());
    // The workers share the parent's stderr: reading it to its end waits
    // for them too.
    let out = child.wait_with_output().unwrap();
    assert!(all_end_within(&workers, Duration::from_secs(10)));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sighup_to_the_parent_stops_and_reaps_every_worker() {
    interrupted_run_cleans_up("-HUP");
}

#[test]
fn a_run_started_with_sighup_ignored_keeps_running_after_one() {
    let dir = scratch("nohup");
    // What `nohup` does: SIGHUP ignored before the program starts.
    let script = format!(
        "trap '' HUP; exec {} run integration --samples 30000 --strategy process --workers 2",
        env!("CARGO_BIN_EXE_speedup")
    );
    let child = Command::new("bash")
        .args(["-c", &script])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (child, _) = until_workers_start(child);
    send("-HUP", child.id());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{}: {stderr}", out.status);
    assert_eq!(stderr, "");
    let _ = std::fs::remove_dir_all(&dir);
}
