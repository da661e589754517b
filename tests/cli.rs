//! The `speedup` binary as a user meets it: output, files, and one-line errors.

mod common;
use common::{speedup, sweep};

/// Runs a command that must fail; returns its stderr after checking the basics.
fn fails(args: &[&str]) -> String {
    let out = speedup(args);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success(), "{args:?} should fail");
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "{args:?}: one line, got {stderr:?}"
    );
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
    stderr
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = speedup(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("--json prints one JSON object")
}

#[test]
fn json_output_has_the_documented_fields_and_checksums_agree_across_strategies() {
    let base = [
        "run",
        "integration",
        "--samples",
        "1500",
        "--json",
        "--workers",
        "2",
    ];
    let mut checksums = Vec::new();
    for strategy in [
        "serial",
        "thread-pool",
        "scoped",
        "process",
        "process-static",
    ] {
        let value = json(&[&base[..], &["--strategy", strategy]].concat());
        for field in [
            "workload",
            "strategy",
            "workers",
            "seed",
            "wall_seconds",
            "checksum",
            "summary",
        ] {
            assert!(value.get(field).is_some(), "missing {field} in {value}");
        }
        let summary = &value["summary"];
        assert!(summary["abs_error"].as_f64().unwrap() < 1e-2);
        assert_eq!(
            summary["exact"].as_f64().unwrap(),
            std::f64::consts::FRAC_PI_4
        );
        assert_eq!(value["seed"], 20170530);
        checksums.push(value["checksum"].as_str().unwrap().to_string());
    }
    assert_eq!(checksums[0].len(), 16);
    assert!(
        checksums.iter().all(|c| *c == checksums[0]),
        "{checksums:?}"
    );
}

#[test]
fn human_output_names_the_run_and_the_error() {
    let out = speedup(&[
        "run",
        "integration",
        "--samples",
        "500",
        "--strategy",
        "scoped",
        "--schedule",
        "static",
        "--workers",
        "3",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "integration",
        "scoped-static with 3 workers",
        "wall time",
        "checksum",
        "last estimate",
        "abs error",
    ] {
        assert!(text.contains(expected), "{expected:?} missing in\n{text}");
    }
}

#[test]
fn output_file_holds_every_estimate_in_order_of_n() {
    let path = std::env::temp_dir().join(format!("speedup-cli-{}.json", std::process::id()));
    let value = json(&[
        "run",
        "integration",
        "--samples",
        "120",
        "--json",
        "--output",
        path.to_str().unwrap(),
    ]);
    let full: Vec<(usize, f64)> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(full.len(), 120);
    assert!(full.iter().enumerate().all(|(i, &(n, _))| i == n));
    assert_eq!(
        full[119].1,
        value["summary"]["last_estimate"].as_f64().unwrap()
    );
}

#[test]
fn every_bad_input_gets_a_one_line_error_naming_it() {
    let run = |extra: &[&str]| fails(&[&["run", "integration"], extra].concat());
    assert!(run(&["--workers", "0"]).contains("--workers"));
    assert!(run(&["--workers", "-3"]).contains("--workers"));
    assert!(run(&["--workers", "many"]).contains("--workers"));
    assert!(run(&["--workers", "5000"]).contains("1 to 1024"));
    assert!(run(&["--samples", "0"]).contains("--samples"));
    assert!(run(&["--samples", "-5"]).contains("-5"));
    assert!(run(&["--samples", "18446744073709551615"]).contains("more than 1000000"));
    assert!(run(&["--lower", "1", "--upper", "0.5"]).contains("--lower"));
    assert!(run(&["--lower", "1", "--upper", "1"]).contains("--upper"));
    assert!(run(&["--strategy", "gpu"]).contains("'gpu'"));
    assert!(run(&["--strategy", "serial", "--schedule", "static"]).contains("--schedule"));
    assert!(run(&["--schedule", "guided"]).contains("guided"));
    assert!(run(&["--seed", "x"]).contains("--seed"));
    assert!(run(&["--output", "/nonexistent-dir/out.json"]).contains("/nonexistent-dir/out.json"));
    assert!(fails(&["run", "nope"]).contains("nope"));
}

#[test]
fn an_unwritable_output_fails_before_the_run_and_keeps_old_files() {
    let dir = std::env::temp_dir().join(format!("speedup-cli-keep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.join("old.json");
    std::fs::write(&target, "earlier result").unwrap();
    // A failed run (bad parameters) must not touch the existing file.
    fails(&[
        "run",
        "integration",
        "--samples",
        "0",
        "--output",
        target.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "earlier result");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "no temporary file left behind"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn help_teaches_the_strategies() {
    let out = speedup(&["run", "--help"]);
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "--strategy",
        "--schedule",
        "--workers",
        "--seed",
        "integration",
        "checksum",
        "Strategies:",
    ] {
        assert!(help.contains(expected), "{expected:?} missing in help");
    }
    // Every strategy of the table has its line.
    for entry in speedup::strategy::TABLE {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(entry.label) && l.contains(entry.help)),
            "{} missing in help",
            entry.label
        );
    }
}

#[test]
fn a_sweep_with_chosen_lists_writes_a_report_of_just_those_points() {
    let (dir, report, _) = sweep(
        "lists",
        &[
            "--workloads",
            "linear-normal",
            "--strategies",
            "thread-pool,scoped-static",
            "--workers",
            "1,2",
            "--rounds",
            "2",
        ],
    );
    let mut points: Vec<String> = report["measurements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{} {} {}",
                m["workload"].as_str().unwrap(),
                m["strategy"].as_str().unwrap(),
                m["workers"]
            )
        })
        .collect();
    points.sort();
    assert_eq!(
        points,
        [
            "linear-normal scoped-static 1",
            "linear-normal scoped-static 2",
            "linear-normal serial 1",
            "linear-normal thread-pool 1",
            "linear-normal thread-pool 2",
        ]
    );
    // Every point keeps its runs, each with the serial time beside it.
    for m in report["measurements"].as_array().unwrap() {
        assert_eq!(m["times_s"].as_array().unwrap().len(), 2, "{m}");
        assert_eq!(m["serial_s"].as_array().unwrap().len(), 2, "{m}");
    }
    // The machine ceiling at 2: two serial copies at once, paired too.
    let copies = report["copies"].as_array().unwrap();
    assert_eq!(copies.len(), 1);
    assert_eq!(
        (
            copies[0]["strategy"].as_str(),
            copies[0]["workers"].as_u64()
        ),
        (Some("ceiling"), Some(2))
    );
    let ceiling: Vec<u64> = report["ceiling"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["workers"].as_u64().unwrap())
        .collect();
    assert_eq!(ceiling, [1, 2]);
    for d in report["derived"].as_array().unwrap() {
        assert!(d["of_ceiling"].as_f64().unwrap() > 0.0, "{d}");
        assert!(d["noisy"].is_boolean(), "{d}");
    }
    assert_eq!(report["conditions"]["rounds"], 2);
    assert!(dir.join("report.md").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn until_adds_rounds_up_to_the_maximum() {
    let (dir, report, _) = sweep(
        "until",
        &[
            "--workloads",
            "linear-normal",
            "--strategies",
            "process-static",
            "--workers",
            "2",
            "--rounds",
            "2",
            "--until",
            "0.001%",
            "--max-rounds",
            "4",
        ],
    );
    // No real machine times process start-up within 0.001% in 4 rounds:
    // the maximum ends the sweep.
    assert_eq!(report["conditions"]["rounds"], 4);
    for m in report["measurements"].as_array().unwrap() {
        assert_eq!(m["samples"], 4, "{m}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_sweep_prints_its_headline_and_its_advice_fits_how_it_was_run() {
    let run = |name: &str, through_cargo: bool| {
        let dir =
            std::env::temp_dir().join(format!("speedup-headline-{name}-{}", std::process::id()));
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_speedup"));
        command.args([
            "sweep",
            "--workloads",
            "linear-normal",
            "--set",
            "linear-normal:n=20000",
        ]);
        command.args([
            "--strategies",
            "thread-pool",
            "--workers",
            "1,2",
            "--rounds",
            "2",
        ]);
        command.arg("--out").arg(&dir);
        // `cargo run` tells the program where cargo is; a shell does not.
        match through_cargo {
            true => command.env("CARGO", "cargo"),
            false => command.env_remove("CARGO"),
        };
        let out = command.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json = std::fs::read_to_string(dir.join("speedup.json")).unwrap();
        let report: serde_json::Value = serde_json::from_str(&json).unwrap();
        let markdown = std::fs::read_to_string(dir.join("report.md")).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        (out, report, markdown)
    };
    let (out, report, markdown) = run("shell", false);
    // stdout is the report's path alone, for scripts; the headline is on stderr.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("linear-normal: Fastest: thread-pool"),
        "{stderr}"
    );
    assert!(
        stderr.contains("linear-normal: The machine itself gives"),
        "{stderr}"
    );
    assert!(stderr.contains("linear-normal: No Amdahl fit"), "{stderr}");
    assert!(
        report.get("context").is_none(),
        "a plain sweep's context is left out"
    );
    assert!(
        markdown.contains("`speedup sweep --workloads amdahl"),
        "{markdown}"
    );

    let (_, report, markdown) = run("cargo", true);
    assert_eq!(report["context"], "cargo");
    assert!(
        markdown.contains("`cargo run --release -- sweep --workloads amdahl")
            && !markdown.contains("`speedup sweep"),
        "{markdown}"
    );
}
