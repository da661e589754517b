//! `speedup sweep --command`: any program through the same engine.
//!
//! The programs are of known behaviour: `speedup run integration` itself on
//! {workers} threads (real parallel work, so CPU time to record), `echo
//! {workers}` (prints another line at every count, for the output check), and
//! shell scripts that hang with a child of their own (for the timeout and
//! Ctrl-C). Only the report's structure is checked, never a speed: the
//! machine may be busy with anything.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const SPEEDUP: &str = env!("CARGO_BIN_EXE_speedup");

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("speedup-command-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn sweep(dir: &Path, args: &[&str]) -> Output {
    Command::new(SPEEDUP)
        .arg("sweep")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// Runs a sweep that must succeed and reads the speedup.json it wrote to
/// `report/`.
fn sweep_report(dir: &Path, args: &[&str]) -> Value {
    let out = sweep(dir, args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(dir.join("report/speedup.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn one_line_error(out: &Output) -> String {
    assert!(!out.status.success(), "the sweep should have failed");
    let stderr = String::from_utf8_lossy(&out.stderr).trim_end().to_string();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    stderr
}

fn rows<'a>(report: &'a Value, list: &str, workload: &str) -> Vec<&'a Value> {
    report[list]
        .as_array()
        .map(|rows| rows.iter().filter(|r| r["workload"] == workload).collect())
        .unwrap_or_default()
}

#[test]
fn a_command_is_measured_like_a_workload_with_its_cpu_time_and_output_check() {
    let dir = scratch("structure");
    let spin =
        format!("{SPEEDUP} run integration --samples 3000 --strategy scoped --workers {{workers}}");
    let report = sweep_report(
        &dir,
        &[
            "--command",
            &spin,
            "--name",
            "spin",
            "--command",
            "echo {workers}",
            "--check-output",
            "--workers",
            "1,2",
            "--rounds",
            "3",
            "--out",
            "report",
        ],
    );

    for name in ["spin", "echo"] {
        // The baseline at one worker, the command at 1 and 2, all paired,
        // each run with its CPU time.
        let points: Vec<(String, u64)> = rows(&report, "measurements", name)
            .iter()
            .map(|m| {
                (
                    m["strategy"].as_str().unwrap().to_string(),
                    m["workers"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            points,
            [("serial".into(), 1), (name.into(), 1), (name.into(), 2)],
            "{name}"
        );
        for m in rows(&report, "measurements", name) {
            let runs = |key: &str| m[key].as_array().map_or(0, Vec::len);
            assert_eq!(
                (runs("times_s"), runs("serial_s"), runs("cpu_s")),
                (3, 3, 3),
                "{m}"
            );
            assert!(
                m["cpu_s"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|c| c.as_f64().unwrap() >= 0.0)
            );
        }
        // The ceiling: p copies of the baseline at 2, rows at 1 and 2, and
        // the command's share of it.
        assert_eq!(rows(&report, "copies", name).len(), 1, "{name}");
        let ceiling: Vec<u64> = rows(&report, "ceiling", name)
            .iter()
            .map(|c| c["workers"].as_u64().unwrap())
            .collect();
        assert_eq!(ceiling, [1, 2], "{name}");
        let at_2 = rows(&report, "derived", name)
            .into_iter()
            .find(|d| d["strategy"] == name && d["workers"] == 2)
            .unwrap();
        assert!(at_2["of_ceiling"].as_f64().is_some(), "{at_2}");
    }
    let commands = report["commands"].as_array().unwrap();
    assert_eq!(commands[0]["name"], "spin");
    assert!(
        commands[0]["baseline"]
            .as_str()
            .unwrap()
            .contains("--workers 1`")
    );
    // speedup run prints its own time, so every count differs from the
    // baseline's run; echo differs exactly at 2.
    assert_eq!(commands[1]["output_differs"], serde_json::json!([2]));
    assert!(report["process_floor_s"].as_f64().unwrap() > 0.0);

    let md = std::fs::read_to_string(dir.join("report/report.md")).unwrap();
    for expected in [
        "| baseline of echo | `echo 1`, the command at {workers} = 1 |",
        "spin used ",
        " CPUs at 2 workers",
        "Output check: at 2 workers echo printed other output than its baseline",
        "Starting and reaping a process that does nothing (`true`) takes",
        "echo: speedup; baseline `echo 1`",
    ] {
        assert!(md.contains(expected), "report.md lacks {expected:?}");
    }
    // `speedup report DIR` redraws the same from speedup.json alone.
    std::fs::remove_file(dir.join("report/report.md")).unwrap();
    let redraw = Command::new(SPEEDUP)
        .args(["report", "report"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        redraw.status.success(),
        "{}",
        String::from_utf8_lossy(&redraw.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("report/report.md")).unwrap(),
        md
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_command_beside_a_built_in_workload_and_a_stated_serial_baseline() {
    let dir = scratch("mixed");
    let report = sweep_report(
        &dir,
        &[
            "--workloads",
            "integration",
            "--strategies",
            "thread-pool",
            "--command",
            "sh -c true",
            "--env",
            "N={workers}",
            "--serial",
            "sh -c exit",
            "--name",
            "shell",
            "--workers",
            "1,2",
            "--rounds",
            "1",
            "--out",
            "report",
        ],
    );
    assert!(!rows(&report, "measurements", "integration").is_empty());
    assert_eq!(rows(&report, "measurements", "shell").len(), 3);
    let shell = &report["commands"][0];
    assert_eq!(shell["env"], serde_json::json!(["N={workers}"]));
    assert_eq!(
        shell["baseline"],
        "`N=1 sh -c exit`, a serial program (--serial)"
    );
    // Built-in workloads keep their runs without CPU times.
    assert!(
        rows(&report, "measurements", "integration")
            .iter()
            .all(|m| m.get("cpu_s").is_none())
    );
    // --compare overlays a command's curve like a workload's.
    let compare = Command::new(SPEEDUP)
        .args(["report", "--compare", "report", "report", "--out", "cmp"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        compare.status.success(),
        "{}",
        String::from_utf8_lossy(&compare.stderr)
    );
    let svg = std::fs::read_to_string(dir.join("cmp/compare.svg")).unwrap();
    assert!(svg.contains("shell · A") && svg.contains("thread-pool · A"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A shell script for `--shell --command` that writes its own pid and its
/// child's to `pids`, then hangs.
fn hanging(dir: &Path) -> String {
    format!(
        "sleep 1000 & echo $! >> {0}; echo $$ >> {0}; wait; true {{workers}}",
        dir.join("pids").display()
    )
}

/// The pids the hanging script wrote, once both are there.
fn hanging_pids(dir: &Path) -> Vec<u32> {
    let start = Instant::now();
    loop {
        let text = std::fs::read_to_string(dir.join("pids")).unwrap_or_default();
        let pids: Vec<u32> = text.lines().filter_map(|l| l.parse().ok()).collect();
        if pids.len() >= 2 {
            return pids;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no pids: {text:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether none of `pids` runs any more (gone, or a zombie), waiting a while.
fn all_gone(pids: &[u32]) -> bool {
    let running = |pid: &u32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| Some(stat.rsplit_once(')')?.1.trim_start().chars().next()? != 'Z'))
            .unwrap_or(false)
    };
    let start = Instant::now();
    while pids.iter().any(running) {
        if start.elapsed() > Duration::from_secs(30) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}

#[test]
fn a_run_past_the_timeout_is_killed_with_everything_it_started() {
    let dir = scratch("timeout");
    let script = hanging(&dir);
    let out = sweep(
        &dir,
        &[
            "--shell",
            "--command",
            &script,
            "--workers",
            "1,2",
            "--timeout",
            "2",
            "--out",
            "report",
        ],
    );
    let err = one_line_error(&out);
    assert!(
        err.contains("did not end within 2 s, so it was killed with every process it started"),
        "{err}"
    );
    assert!(
        all_gone(&hanging_pids(&dir)),
        "a process of the command remains"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sigterm_during_a_command_leaves_nothing_running() {
    let dir = scratch("sigterm");
    let script = hanging(&dir);
    let mut child = Command::new(SPEEDUP)
        .args([
            "sweep",
            "--shell",
            "--command",
            &script,
            "--workers",
            "1,2",
            "--out",
            "report",
        ])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pids = hanging_pids(&dir);
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(
        all_gone(&pids),
        "a process of the command outlived the sweep"
    );
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(stderr.starts_with("error: interrupted"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_differing_output_stops_a_strict_check_and_a_failing_command_stops_the_sweep() {
    let dir = scratch("stops");
    let strict = sweep(
        &dir,
        &[
            "--command",
            "echo {workers}",
            "--check-output",
            "--strict",
            "--workers",
            "1,2",
            "--out",
            "a",
        ],
    );
    assert_eq!(
        one_line_error(&strict),
        "error: `echo 2` printed other output than the baseline `echo 1` (--check-output --strict)"
    );
    let failing = sweep(
        &dir,
        &[
            "--command",
            "cat missing-{workers}.txt",
            "--workers",
            "1,2",
            "--out",
            "b",
        ],
    );
    assert_eq!(
        one_line_error(&failing),
        "error: `cat missing-1.txt` failed (exit status: 1): cat: missing-1.txt: No such file or directory"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Whether python3 with numpy is here (the Python lecture example needs both).
fn python_with_numpy() -> bool {
    Command::new("python3")
        .args(["-c", "import numpy"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn the_lectures_python_prints_the_same_study_at_every_pool_size() {
    if !python_with_numpy() {
        eprintln!("skipped: python3 with numpy is not installed (.ci/run installs it)");
        return;
    }
    let dir = scratch("python");
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/python-integration/integration.py");
    let command = format!("python3 {} {{workers}} --samples 300", script.display());
    let serial = format!("python3 {} serial --samples 300", script.display());
    let report = sweep_report(
        &dir,
        &[
            "--command",
            &command,
            "--name",
            "python",
            "--serial",
            &serial,
            "--check-output",
            "--workers",
            "1,2",
            "--rounds",
            "1",
            "--out",
            "report",
        ],
    );
    assert_eq!(rows(&report, "measurements", "python").len(), 3);
    assert_eq!(
        report["commands"][0]["output_differs"],
        serde_json::json!([])
    );
    let _ = std::fs::remove_dir_all(&dir);
}
