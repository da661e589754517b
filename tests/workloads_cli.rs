//! `speedup run linear-normal` and `speedup run ma2` through the real binary:
//! the outputs users see, and one-line errors for every bad input.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

/// Small, fast ma2 parameters.
const SMALL: [&str; 6] = [
    "--n-sim",
    "2000",
    "--batch-size",
    "500",
    "--n-samples",
    "50",
];

fn speedup(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_speedup"))
        .args(args)
        .output()
        .expect("start speedup")
}

fn scratch(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("speedup-workloads-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// The run fails with one line on stderr that contains every one of `words`.
fn assert_fails_naming(args: &[&str], words: &[&str]) {
    let out = speedup(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    for word in words {
        assert!(stderr.contains(word), "{args:?}: {stderr} lacks {word}");
    }
}

#[test]
fn bad_numbers_are_one_line_errors_naming_the_flag() {
    fn ma2<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        [&["run", "ma2"], extra].concat()
    }
    assert_fails_naming(&["run", "linear-normal", "--n", "0"], &["--n"]);
    assert_fails_naming(
        &["run", "linear-normal", "--n", "18446744073709551615"],
        &["--n", "more than 1000000000"],
    );
    assert_fails_naming(&ma2(&["--n-samples", "0"]), &["--n-samples"]);
    assert_fails_naming(
        &ma2(&["--n-sim", "100", "--n-samples", "200"]),
        &["--n-samples", "--n-sim"],
    );
    assert_fails_naming(&ma2(&["--quantile", "0"]), &["--quantile"]);
    assert_fails_naming(&ma2(&["--quantile", "1.5"]), &["--quantile"]);
    assert_fails_naming(&ma2(&["--quantile", "-0.1"]), &["--quantile"]);
    assert_fails_naming(
        &ma2(&["--n-sim", "5000", "--quantile", "0.1"]),
        &["--n-sim", "--quantile"],
    );
    assert_fails_naming(&ma2(&["--batch-size", "0"]), &["--batch-size"]);
    assert_fails_naming(&ma2(&["--n-obs", "2"]), &["--n-obs"]);
    assert_fails_naming(
        &ma2(&["--true-params", "1.5,0"]),
        &["--true-params", "triangle"],
    );
    assert_fails_naming(&ma2(&["--true-params", "-0.5"]), &["--true-params"]);
}

#[test]
fn bad_observed_files_are_one_line_errors_naming_the_file() {
    let cases = [
        ("not-json.json", "this is not json", "not valid JSON"),
        ("no-y.json", r#"{"x": [1, 2, 3]}"#, r#"no "y""#),
        ("strings.json", r#"{"y": [1, "two", 3]}"#, "not a number"),
        ("nan.json", r#"{"y": [1, NaN, 3]}"#, "NaN"),
        ("inf.json", r#"{"y": [1, 1e999, 3]}"#, "finite"),
        ("short.json", r#"{"y": [1, 2]}"#, "at least 3"),
    ];
    for (name, contents, problem) in cases {
        let path = scratch(name, contents);
        let path = path.to_str().unwrap();
        assert_fails_naming(
            &["run", "ma2", "--observed", path],
            &["--observed", name, problem],
        );
    }
    assert_fails_naming(
        &["run", "ma2", "--observed", "/no/such/dir/y.json"],
        &["--observed", "y.json", "cannot read"],
    );
}

#[test]
fn ma2_prints_elfis_block_and_json_and_full_output() {
    let out = speedup(&[&["run", "ma2", "--strategy", "serial"], &SMALL[..]].concat());
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for line in [
        "strategy       serial with 1 worker",
        "Method: Rejection",
        "Number of samples: 50",
        "Number of simulations: 2000",
        "Parameter                Mean               2.5%              97.5%",
    ] {
        assert!(text.contains(line), "{text} lacks {line}");
    }
    assert!(text.lines().any(|l| l.starts_with("t1:        ")), "{text}");

    let output = scratch("posterior.json", "");
    let out = speedup(
        &[
            &["run", "ma2", "--json", "--output", output.to_str().unwrap()],
            &SMALL[..],
        ]
        .concat(),
    );
    assert!(out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let summary = &json["summary"];
    assert_eq!(summary["n_sim"], 2000);
    assert_eq!(summary["n_batches"], 4);
    assert_eq!(summary["accept_rate"], 0.025);
    let full: Value = serde_json::from_slice(&std::fs::read(&output).unwrap()).unwrap();
    let accepted = full["accepted"].as_array().unwrap();
    assert_eq!(accepted.len(), 50);
    let distances: Vec<f64> = accepted.iter().map(|r| r[0].as_f64().unwrap()).collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(summary["threshold"].as_f64(), Some(distances[49]));
    assert_eq!(full["observed"]["y"].as_array().unwrap().len(), 100);
    assert!(full["observed"]["s1"].is_f64());
    assert_eq!(full["true_params"]["t1"], 0.6);
}

#[test]
fn ma2_reads_a_users_series() {
    let y: Vec<f64> = (0..40)
        .map(|i| ((i * 37 % 11) as f64 - 5.0) / 3.0)
        .collect();
    let path = scratch("mine.json", &serde_json::json!({ "y": y }).to_string());
    let output = scratch("mine-out.json", "");
    let args = [
        &["run", "ma2", "--json", "--observed", path.to_str().unwrap()],
        &["--output", output.to_str().unwrap()][..],
        &SMALL[..],
    ]
    .concat();
    let out = speedup(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let full: Value = serde_json::from_slice(&std::fs::read(&output).unwrap()).unwrap();
    assert_eq!(full["observed"]["y"].as_array().unwrap().len(), 40);
    assert!(full["true_params"].is_null());
    // Same answer through child processes, which get the series in their parameters.
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let process = speedup(&[&args[..], &["--strategy", "process", "--workers", "2"]].concat());
    let via_process: Value = serde_json::from_slice(&process.stdout).unwrap();
    assert_eq!(json["checksum"], via_process["checksum"]);
}

#[test]
fn linear_normal_prints_theory_beside_the_sample() {
    let out = speedup(&["run", "linear-normal", "--n", "20000", "--json"]);
    assert!(out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["n"], 20000);
    assert_eq!(json["summary"]["theory_mean"], 42.0);
    assert_eq!(json["summary"]["theory_variance"], 50.0);
    let help = speedup(&["run", "linear-normal", "--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("standard deviation"));
}
