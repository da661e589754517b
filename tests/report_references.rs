//! No finding names a report, file or command the reader does not have.
//!
//! Reports once ended every "No Amdahl fit" with "the 16-core reference
//! report shows the law", and `reports/` held no such report. Here every
//! report the repository commits, and reports of both laws' cases (fits
//! and no fits, the `amdahl` workload among them), are rendered, and each
//! reference in their text is checked against what a reader has: a path
//! under `reports/` must exist, and a command `speedup SUB --flag ...` must
//! name a subcommand and flags that `speedup --help` and `speedup SUB
//! --help` list, and only workloads `speedup` knows.

use speedup::Measurement;
use speedup::machine::Machine;
use speedup::report::{self, Report};
use std::path::Path;
use std::process::Command;

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn help(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_speedup"))
        .args(args)
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success(), "speedup {args:?} --help failed");
    String::from_utf8(out.stdout).unwrap()
}

/// The text of every span between backticks.
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// Every reference in `text` that the reader cannot follow, as messages.
fn broken_references(text: &str) -> Vec<String> {
    let top = help(&[]);
    let mut broken = Vec::new();
    for span in backticked(text) {
        for word in span.split_whitespace().filter(|w| w.contains("reports/")) {
            let path = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '/' && c != '-');
            if !repository().join(path).exists() {
                broken.push(format!("`{span}`: {path} does not exist"));
            }
        }
        let words: Vec<&str> = span.split_whitespace().collect();
        if words.first() != Some(&"speedup") {
            continue;
        }
        let Some(sub) = words.get(1).filter(|w| !w.starts_with('-')) else {
            continue;
        };
        if !top
            .lines()
            .any(|l| l.trim_start().starts_with(&format!("{sub} ")))
        {
            broken.push(format!("`{span}`: speedup has no subcommand {sub}"));
            continue;
        }
        let sub_help = help(&[sub]);
        for (i, flag) in words
            .iter()
            .enumerate()
            .filter(|(_, w)| w.starts_with("--"))
        {
            if !sub_help.contains(&format!("{flag} ")) {
                broken.push(format!("`{span}`: speedup {sub} has no flag {flag}"));
            }
            if *flag == "--workloads" {
                for name in words.get(i + 1).unwrap_or(&"").split(',') {
                    if !speedup::workloads::NAMES.contains(&name) {
                        broken.push(format!("`{span}`: no workload {name}"));
                    }
                }
            }
        }
    }
    broken
}

fn machine() -> Machine {
    Machine::imagined(2, 2)
}

/// A paired measurement whose runs all have speedup `ratio`, give or take 2%.
fn paired(workload: &str, strategy: &str, workers: usize, ratio: f64) -> Measurement {
    let pairs: Vec<(f64, f64)> = [1.0, 0.98, 1.02, 0.99, 1.01, 1.0, 0.985]
        .iter()
        .map(|wobble| (1.0 / (ratio * wobble), 1.0))
        .collect();
    Measurement::from_pairs(workload, strategy, workers, &pairs)
}

/// The report.md of a study on 2 cores: `ma2` measured at 1 and 2 workers
/// (no fit of either law), `integration` at 1 to 4 (USL only), and the
/// `amdahl` workload at 1 to 16, whose ceiling keeps up (both laws).
fn rendered_study() -> String {
    let mut all = Vec::new();
    for workload in ["ma2", "integration", "amdahl"] {
        all.push(paired(workload, "serial", 1, 1.0));
    }
    for p in [1, 2] {
        all.push(paired("ma2", "thread-pool", p, p as f64 * 0.9));
    }
    for p in 1..=4 {
        all.push(paired("integration", "thread-pool", p, (p as f64).min(1.8)));
    }
    for p in [1, 2, 4, 8, 16] {
        let amdahl = 1.0 / (0.1 + 0.9 / p as f64);
        all.push(paired("amdahl", "thread-pool", p, amdahl));
        if p > 1 {
            all.push(paired("amdahl", speedup::measure::CEILING, p, 1.0));
        }
    }
    let report = Report::new(machine(), all, Vec::new()).unwrap();
    let files = report::render(&report).unwrap();
    let (_, markdown) = files.iter().find(|(name, _)| name == "report.md").unwrap();
    String::from_utf8(markdown.clone()).unwrap()
}

#[test]
fn the_rendered_findings_name_only_what_the_reader_has() {
    let text = rendered_study();
    // The study covers each case of the fit paragraphs.
    for case in [
        "No Amdahl fit",
        "No USL fit",
        "Amdahl fit for",
        "USL fit for",
    ] {
        assert!(text.contains(case), "{case} missing from:\n{text}");
    }
    assert!(
        text.contains("speedup sweep --workloads amdahl"),
        "the way to see the laws is named"
    );
    let broken = broken_references(&text);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn every_committed_report_names_only_what_the_reader_has() {
    for entry in std::fs::read_dir(repository().join("reports")).unwrap() {
        let md = entry.unwrap().path().join("report.md");
        if let Ok(text) = std::fs::read_to_string(&md) {
            let broken = broken_references(&text);
            assert!(broken.is_empty(), "{}: {}", md.display(), broken.join("\n"));
        }
    }
}

#[test]
fn the_checker_catches_what_a_reader_does_not_have() {
    // The test must be able to fail: each kind of wrong reference is caught.
    let wrong = "see `reports/amd-epyc-16cpu`, or run `speedup measure`, \
                 `speedup sweep --cores 16` or `speedup sweep --workloads fft`";
    let broken = broken_references(wrong);
    assert_eq!(broken.len(), 4, "{broken:?}");
    assert!(broken_references("`speedup sweep --workloads amdahl --workers 1,2`").is_empty());
}
