//! Writing files and report folders: nothing at the path is destroyed, no
//! file lands outside its folder, one writer per folder, and bad paths fail
//! before any work is done.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("speedup-output-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn speedup(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_speedup"));
    command.args(args).current_dir(dir);
    command
}

/// Waits for `child` at most `limit` (generous: the machine may be busy);
/// kills it and fails past that.
fn wait_within(mut child: Child, limit: Duration, what: &str) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} still ran after {limit:?}: the check came after the work");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn one_line_error(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).trim_end().to_string();
    assert!(!out.status.success(), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    stderr
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

#[test]
fn output_to_dev_null_leaves_the_device_a_device() {
    use std::os::unix::fs::FileTypeExt;
    if !is_root() {
        // As non-root a rename over /dev/null fails anyway; the FIFO test
        // below checks the same path through the code.
        eprintln!("skipped: only root could damage /dev/null, and this is not root");
        return;
    }
    let dir = scratch("dev-null");
    let out = speedup(
        &dir,
        &[
            "run",
            "integration",
            "--samples",
            "100",
            "--output",
            "/dev/null",
        ],
    )
    .output()
    .unwrap();
    let meta = std::fs::symlink_metadata("/dev/null").unwrap();
    assert!(
        meta.file_type().is_char_device(),
        "/dev/null is no longer a device: restore it with `rm /dev/null; mknod -m 666 /dev/null c 1 3`"
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

#[test]
fn output_to_a_fifo_writes_into_it_and_leaves_it_a_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let dir = scratch("fifo");
    let fifo = dir.join("results.fifo");
    let path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let child = speedup(
        &dir,
        &[
            "run",
            "integration",
            "--samples",
            "100",
            "--output",
            "results.fifo",
        ],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let out = wait_within(child, Duration::from_secs(120), "the run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let received = reader.join().unwrap();
    let json: serde_json::Value = serde_json::from_str(&received).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 100, "one estimate per n");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    let names: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary file beside the FIFO");
}

#[test]
fn output_through_a_symlink_writes_its_target_and_keeps_the_link() {
    let dir = scratch("symlink");
    std::fs::create_dir(dir.join("data")).unwrap();
    std::fs::write(dir.join("data/real.json"), "earlier").unwrap();
    std::os::unix::fs::symlink("data/real.json", dir.join("link.json")).unwrap();
    let out = speedup(
        &dir,
        &[
            "run",
            "integration",
            "--samples",
            "50",
            "--output",
            "link.json",
        ],
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let link = std::fs::symlink_metadata(dir.join("link.json")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    let written = std::fs::read_to_string(dir.join("data/real.json")).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&written)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        50
    );
    assert_eq!(
        std::fs::read_dir(dir.join("data")).unwrap().count(),
        1,
        "no temporary file"
    );
}

/// A run of hours (`--samples 1000000`) with a bad output path must fail at
/// once: if the check came after the work, this would time out.
#[test]
fn a_folder_as_output_or_plot_fails_before_the_run() {
    let dir = scratch("folder-target");
    std::fs::create_dir(dir.join("results")).unwrap();
    std::fs::create_dir(dir.join("pairs.png")).unwrap();
    for (args, message) in [
        (
            &[
                "run",
                "integration",
                "--samples",
                "1000000",
                "--output",
                "results",
            ][..],
            "error: cannot write results: Is a directory (os error 21)",
        ),
        (
            &[
                "run",
                "ma2",
                "--n-sim",
                "10000000000",
                "--n-samples",
                "1",
                "--plot",
                "pairs.png",
            ][..],
            "error: cannot write pairs.png: Is a directory (os error 21)",
        ),
    ] {
        let child = speedup(&dir, args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = wait_within(child, Duration::from_secs(60), "the run");
        assert_eq!(one_line_error(&out), message);
    }
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["pairs.png", "results"],
        "nothing written beside them"
    );
}

/// The committed reference report with its first workload renamed `name`.
fn report_with_workload(dir: &Path, name: &str) {
    let text = std::fs::read_to_string(common::committed_reference()).unwrap();
    let mut report: serde_json::Value = serde_json::from_str(&text).unwrap();
    let first = report["measurements"][0]["workload"]
        .as_str()
        .unwrap()
        .to_string();
    for list in ["measurements", "copies"] {
        for m in report[list].as_array_mut().into_iter().flatten() {
            if m["workload"] == first.as_str() {
                m["workload"] = name.into();
            }
        }
    }
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("speedup.json"), report.to_string()).unwrap();
}

#[test]
fn a_workload_named_like_a_path_never_writes_outside_the_report_folder() {
    let root = scratch("escape");
    let dir = root.join("a/b/report");
    for name in ["../../x", "/tmp/x", ".."] {
        report_with_workload(&dir, name);
        let out = speedup(&root, &["report", "a/b/report"]).output().unwrap();
        let err = one_line_error(&out);
        assert!(err.contains(&format!("{name:?}")), "{err}");
        let mut everything = Vec::new();
        let mut todo = vec![root.clone()];
        while let Some(d) = todo.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    todo.push(path.clone());
                }
                everything.push(path.strip_prefix(&root).unwrap().display().to_string());
            }
        }
        everything.sort();
        assert_eq!(
            everything,
            [
                "a",
                "a/b",
                "a/b/report",
                "a/b/report/.speedup.lock",
                "a/b/report/speedup.json"
            ],
            "{name}"
        );
        assert!(!Path::new("/tmp/x-speedup.svg").exists());
    }
}

/// A small sweep into `out`, its commit slowed to `pause_ms` a step.
fn small_sweep(dir: &Path, workload: &str, out: &str, pause_ms: u64) -> Command {
    let mut command = speedup(
        dir,
        &[
            "sweep",
            "--workloads",
            workload,
            "--strategies",
            "serial",
            "--workers",
            "1",
            "--rounds",
            "1",
            "--out",
            out,
        ],
    );
    command
        .env("SPEEDUP_TEST_COMMIT_PAUSE_MS", pause_ms.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// The names in `dir` and their contents, sorted.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().into_string().unwrap();
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (name, bytes)
        })
        .collect();
    files.sort();
    files
}

fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
    files.iter().map(|(n, _)| n.as_str()).collect()
}

/// A whole linear-normal report: its files, each new (none equal to the
/// earlier report's), speedup.json naming the workload.
fn assert_whole_new_report(now: &[(String, Vec<u8>)], earlier: &[(String, Vec<u8>)]) {
    let expected = [
        ".speedup.lock",
        "linear-normal-efficiency.png",
        "linear-normal-efficiency.svg",
        "linear-normal-speedup.png",
        "linear-normal-speedup.svg",
        "overview.png",
        "overview.svg",
        "report.html",
        "report.md",
        "speedup.json",
    ];
    assert_eq!(names(now), expected);
    for (name, bytes) in now.iter().filter(|(n, _)| n != ".speedup.lock") {
        assert!(
            earlier.iter().all(|(n, b)| n != name || b != bytes),
            "{name} is the earlier report's: a mixed folder"
        );
    }
}

#[test]
fn two_sweeps_into_one_folder_one_runs_the_other_fails_at_once() {
    let dir = scratch("two-sweeps");
    // The first holds the lock through a commit slowed to over ten seconds.
    let first = small_sweep(&dir, "linear-normal", "shared", 1000)
        .spawn()
        .unwrap();
    let lock = dir.join("shared/.speedup.lock");
    let start = Instant::now();
    while std::fs::read_to_string(&lock).ok().as_deref() != Some(&first.id().to_string()) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the first sweep never locked"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let second = small_sweep(&dir, "linear-normal", "shared", 0)
        .output()
        .unwrap();
    let mut first = first;
    assert!(
        first.try_wait().unwrap().is_none(),
        "the second sweep waited for the first instead of failing at once"
    );
    assert_eq!(
        one_line_error(&second),
        format!(
            "error: another speedup (pid {}) is writing shared",
            first.id()
        )
    );
    let first = wait_within(first, Duration::from_secs(120), "the first sweep");
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert_whole_new_report(&snapshot(&dir.join("shared")), &[]);
}

#[test]
fn a_narrower_sweep_removes_the_earlier_reports_figures_but_not_the_users_files() {
    let dir = scratch("narrower");
    let out = small_sweep(&dir, "integration", "r", 0).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(dir.join("r/notes.txt"), "mine").unwrap();
    std::fs::write(dir.join("r/my-speedup.png"), "mine too").unwrap();
    let earlier = snapshot(&dir.join("r"));
    let out = small_sweep(&dir, "linear-normal", "r", 0).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut now = snapshot(&dir.join("r"));
    now.retain(|(n, _)| n != "notes.txt" && n != "my-speedup.png");
    assert_whole_new_report(&now, &earlier);
    assert_eq!(
        std::fs::read_to_string(dir.join("r/notes.txt")).unwrap(),
        "mine"
    );
    assert!(dir.join("r/my-speedup.png").exists());
}

/// Puts `files` back as the whole content of `dir`.
fn restore(dir: &Path, files: &[(String, Vec<u8>)]) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

/// SIGTERM at many points of a report's commit (each step slowed to 60 ms):
/// the folder always holds the earlier report whole or the new one whole,
/// and no staging folder or temporary file is left.
#[test]
fn an_interrupt_at_any_step_of_the_commit_leaves_one_whole_report() {
    const PAUSE_MS: u64 = 60;
    let dir = scratch("interrupted-commit");
    let out = small_sweep(&dir, "integration", "base", 0)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut earlier = snapshot(&dir.join("base"));
    earlier.retain(|(n, _)| n != ".speedup.lock");
    let report = dir.join("r");
    let mut interrupted_in_commit = 0;
    // About 14 steps (10 renames, 4 stale figures): signals from before the
    // first to after the last.
    for step in 0..18u64 {
        restore(&report, &earlier);
        let child = small_sweep(&dir, "linear-normal", "r", PAUSE_MS)
            .spawn()
            .unwrap();
        let staging = report.join(format!(".speedup-staging.{}", child.id()));
        let start = Instant::now();
        let mut child = child;
        let mut staged = false;
        while child.try_wait().unwrap().is_none() && start.elapsed() < Duration::from_secs(120) {
            if staging.exists() {
                staged = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_millis(step * PAUSE_MS * 9 / 10));
        if child.try_wait().unwrap().is_none() {
            // SAFETY: a pid this test started and has not reaped (so not reused).
            unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        }
        let out = wait_within(child, Duration::from_secs(120), "the interrupted sweep");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let mut now = snapshot(&report);
        now.retain(|(n, _)| n != ".speedup.lock");
        let old_whole = now == earlier;
        if !old_whole {
            let mut with_lock = now.clone();
            with_lock.push((".speedup.lock".into(), Vec::new()));
            with_lock.sort();
            assert_whole_new_report(&with_lock, &earlier);
        }
        match out.status.code() {
            Some(130) => assert_eq!(stderr.trim_end(), "error: interrupted", "step {step}"),
            Some(0) => assert!(!old_whole, "exit 0 without its report"),
            other => panic!("step {step}: status {other:?}: {stderr}"),
        }
        if staged && !old_whole && out.status.code() == Some(130) {
            interrupted_in_commit += 1;
        }
    }
    assert!(
        interrupted_in_commit > 0,
        "no signal landed while the report was being committed"
    );
}

/// `/dev/stdout` leads through /proc to whatever the descriptor is: a pipe
/// gets the bytes, a file the shell opened stays that same file (the same
/// inode, not a new file renamed over it).
#[test]
fn output_to_dev_stdout_writes_the_descriptor_whatever_it_is() {
    use std::os::unix::fs::MetadataExt;
    let dir = scratch("dev-stdout");
    let args = [
        "run",
        "integration",
        "--samples",
        "5",
        "--output",
        "/dev/stdout",
    ];
    let out = speedup(&dir, &args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("[[0,0.0],[1,0.0],"), "{stdout}");
    let file = dir.join("redirected.txt");
    std::fs::write(&file, "earlier").unwrap();
    let inode = std::fs::metadata(&file).unwrap().ino();
    let out = speedup(&dir, &args)
        .stdout(std::fs::File::create(&file).unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::metadata(&file).unwrap().ino(), inode, "replaced");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "no temporary file"
    );
}
