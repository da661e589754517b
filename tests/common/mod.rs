//! What several test files share (`mod common;` in each).
// Each test file uses some of these, none uses all.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `speedup` binary with `args`.
pub fn speedup(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_speedup"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs `speedup sweep ARGS --out DIR` (DIR a fresh temporary folder named
/// after `name`), which must succeed; returns DIR, its speedup.json and its
/// report.md.
pub fn sweep(name: &str, args: &[&str]) -> (PathBuf, serde_json::Value, String) {
    let dir = std::env::temp_dir().join(format!("speedup-test-{name}-{}", std::process::id()));
    let mut all = vec!["sweep"];
    all.extend(args);
    all.extend(["--out", dir.to_str().unwrap()]);
    let out = speedup(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = std::fs::read_to_string(dir.join("speedup.json")).unwrap();
    let markdown = std::fs::read_to_string(dir.join("report.md")).unwrap();
    (dir, serde_json::from_str(&json).unwrap(), markdown)
}

/// The speedup.json of a committed reference report (`reports/<machine>/`),
/// whichever machine it was measured on: the fixtures of hostile and broken
/// reports are made from it.
pub fn committed_reference() -> PathBuf {
    let reports = Path::new(env!("CARGO_MANIFEST_DIR")).join("reports");
    let mut found: Vec<_> = std::fs::read_dir(&reports)
        .unwrap()
        .map(|e| e.unwrap().path().join("speedup.json"))
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    found
        .into_iter()
        .next()
        .expect("a committed reference report")
}
