//! Sizes and weak scaling in a study: `speedup sweep --sizes`, `--set` and
//! `--scaling weak` as a user meets them, and the report sections they add.

use speedup::Measurement;
use speedup::machine::Machine;
use speedup::measure::CEILING;
use speedup::report::{self, Report};
use speedup::scaling::{PointSize, Scaling};

mod common;
use common::{speedup, sweep};

/// Every measurement as `(workload, strategy, workers, size value)`.
fn sized_points(report: &serde_json::Value) -> Vec<(String, String, u64, Option<f64>)> {
    report["measurements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["workload"].as_str().unwrap().to_string(),
                m["strategy"].as_str().unwrap().to_string(),
                m["workers"].as_u64().unwrap(),
                m["size"]["value"].as_f64(),
            )
        })
        .collect()
}

#[test]
fn bad_sizes_and_settings_are_one_line_errors_naming_the_problem() {
    for (args, wanted) in [
        (vec!["--sizes", "fft:n=1,2"], "unknown workload 'fft'"),
        (
            vec!["--sizes", "linear-normal:m=1,2"],
            "linear-normal has no flag --m (its flags: --n)",
        ),
        (
            vec!["--sizes", "linear-normal:n=1e5,many"],
            "size 'many' of --n is not a number",
        ),
        (
            vec!["--sizes", "linear-normal:n=-5"],
            "linear-normal --n -5: must not be negative",
        ),
        (
            vec!["--set", "amdahl:speed=2"],
            "amdahl has no flag --speed",
        ),
        (
            vec!["--set", "amdahl:serial-fraction=half"],
            "amdahl --serial-fraction half: must be a number",
        ),
        (
            vec!["--workloads", "ma2", "--set", "amdahl:spin"],
            "--set names amdahl, which this study does not measure",
        ),
        (vec!["--scaling", "gentle"], "unknown scaling 'gentle'"),
        (
            vec!["--workloads", "ma2", "--sizes", "ma2:n-sim=1000"],
            "ma2 --n-sim 1000: --n-samples (5000) is more than",
        ),
    ] {
        let out = speedup(&[&["sweep"], args.as_slice(), &["--out", "/nonexistent/x"]].concat());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!out.status.success(), "{args:?} should fail");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr:?}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(
            stderr.contains(wanted),
            "{args:?}: {stderr:?} lacks {wanted:?}"
        );
    }
}

#[test]
fn a_size_study_measures_each_size_apart_and_reports_speedup_against_size() {
    let (dir, report, markdown) = sweep(
        "study",
        &[
            "--workloads",
            "linear-normal",
            "--sizes",
            "linear-normal:n=2e4,4e4",
            "--strategies",
            "serial,thread-pool",
            "--workers",
            "1,2",
            "--rounds",
            "6",
        ],
    );
    let mut points = sized_points(&report);
    points.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let expected: Vec<(String, String, u64, Option<f64>)> = [2e4, 4e4]
        .into_iter()
        .flat_map(|n| {
            let family = format!("linear-normal@n={}e4", n / 1e4);
            [("serial", 1), ("thread-pool", 1), ("thread-pool", 2)]
                .map(|(s, p)| (family.clone(), s.to_string(), p, Some(n)))
        })
        .collect();
    assert_eq!(points, expected);
    // Each size has its own machine ceiling, at its own size.
    let copies = report["copies"].as_array().unwrap();
    assert_eq!(copies.len(), 2);
    assert!(
        copies
            .iter()
            .all(|c| c["size"]["flag"] == "n" && c["size"]["value"].as_f64().is_some())
    );
    // Each size a section of its own, then the size section and its figure.
    assert!(markdown.contains("## linear-normal@n=2e4\n"), "{markdown}");
    assert!(markdown.contains("## linear-normal@n=4e4\n"));
    assert!(markdown.contains("## linear-normal: speedup against size"));
    assert!(markdown.contains("Break-even at 2 workers"));
    assert!(
        markdown.contains(
            "![linear-normal: speedup against --n at 2 workers](linear-normal-sizes-2.png)"
        )
    );
    for file in ["linear-normal-sizes-2.png", "linear-normal-sizes-2.svg"] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    // Redrawn from its speedup.json alone, the report says the same.
    report::regenerate(&dir).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("report.md")).unwrap(),
        markdown
    );
    // A later report in the folder takes the sizes' figures away with it.
    let out = speedup(&[
        "sweep",
        "--workloads",
        "linear-normal",
        "--strategies",
        "serial",
        "--workers",
        "1",
        "--rounds",
        "6",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for gone in [
        "linear-normal-sizes-2.png",
        "linear-normal@n=2e4-speedup.svg",
    ] {
        assert!(!dir.join(gone).exists(), "{gone} is left over");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn weak_scaling_grows_each_workload_with_the_workers() {
    let (dir, report, markdown) = sweep(
        "weak",
        &[
            "--workloads",
            "linear-normal,integration",
            "--set",
            "linear-normal:n=1e4",
            "--set",
            "integration:samples=400",
            "--scaling",
            "weak",
            "--strategies",
            "serial,thread-pool",
            "--workers",
            "1,2,4",
            "--rounds",
            "6",
        ],
    );
    let points = sized_points(&report);
    let size_at = |family: &str, workers: u64| {
        points
            .iter()
            .find(|p| p.0 == family && p.1 == "thread-pool" && p.2 == workers)
            .and_then(|p| p.3)
            .unwrap()
    };
    // linear-normal's work grows as n, integration's as samples².
    assert_eq!(size_at("linear-normal@weak", 1), 1e4);
    assert_eq!(size_at("linear-normal@weak", 2), 2e4);
    assert_eq!(size_at("linear-normal@weak", 4), 4e4);
    assert_eq!(size_at("integration@weak", 2), 566.0, "√2 · 400, rounded");
    assert_eq!(size_at("integration@weak", 4), 800.0);
    let weak = report["measurements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["scaling"] == "weak")
        .count();
    assert_eq!(weak, 2 * 4, "every point of both families but the copies");
    assert!(
        report["copies"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c.get("scaling").is_none()
                && (c["size"]["value"] == 1e4 || c["size"]["value"] == 400.0)),
        "the ceiling is p copies of the one-worker job"
    );
    assert!(markdown.contains("## linear-normal@weak\n"));
    assert!(markdown.contains("Weak scaling: the job grows with the workers"));
    assert!(
        markdown.contains("--n 1e4 at 1, --n 2e4 at 2, --n 4e4 at 4"),
        "{markdown}"
    );
    assert!(
        markdown.contains("workload settings | linear-normal --n 1e4; integration --samples 400")
    );
    // A Gustafson fit, or the reason there is none (it depends on how far
    // this machine's ceiling keeps up past its cores).
    assert!(markdown.contains("Gustafson"), "{markdown}");
    assert!(dir.join("linear-normal@weak-speedup.svg").is_file());
    let svg = std::fs::read_to_string(dir.join("linear-normal@weak-speedup.svg")).unwrap();
    assert!(
        svg.contains("scaled speedup"),
        "the figure says what it shows"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn machine() -> Machine {
    Machine {
        cpu_model: "Test CPU".into(),
        logical_cpus: 16,
        physical_cores: 16,
        os: "test".into(),
        rustc: "rustc".into(),
        speedup_version: "0".into(),
        date: "2026-01-01".into(),
    }
}

/// A weak-scaling point whose paired runs give scaled speedup `scaled`
/// (the ratio serial / point is scaled / p), give or take `noise`.
fn weak(strategy: &str, workers: usize, scaled: f64, noise: &[f64]) -> Measurement {
    let ratio = scaled / workers as f64;
    let pairs: Vec<(f64, f64)> = noise
        .iter()
        .map(|e| (1.0 / (ratio * (1.0 + e)), 1.0))
        .collect();
    Measurement {
        scaling: if strategy == CEILING {
            Scaling::Strong
        } else {
            Scaling::Weak
        },
        size: Some(PointSize {
            workload: "ma2".into(),
            flag: "n-sim".into(),
            value: 1e6 * workers as f64,
        }),
        ..Measurement::from_pairs("ma2@weak", strategy, workers, &pairs)
    }
}

#[test]
fn a_weak_scaling_report_fits_gustafsons_law_and_draws_it() {
    let noise = [0.0, 0.02, -0.02, 0.01, -0.01, 0.03, -0.03];
    let f = 0.2;
    let mut rows = vec![weak("serial", 1, 1.0, &noise)];
    for p in [1, 2, 4, 8, 16] {
        rows.push(weak(
            "thread-pool",
            p,
            p as f64 - f * (p as f64 - 1.0),
            &noise,
        ));
        if p > 1 {
            // p copies run p times the work in the time of one: the ceiling is p.
            rows.push(weak(CEILING, p, p as f64, &noise));
        }
    }
    let report = Report::new(machine(), rows, Vec::new()).unwrap();
    assert!(
        report.amdahl.is_empty() && report.usl.is_empty(),
        "no strong-scaling law"
    );
    let fit = &report.gustafson[0];
    let [low, high] = fit.interval.unwrap();
    assert!(low <= f && f <= high, "{fit:?}");
    let files = report::render(&report).unwrap();
    let markdown =
        String::from_utf8(files.iter().find(|f| f.0 == "report.md").unwrap().1.clone()).unwrap();
    assert!(
        markdown.contains("Gustafson fit for thread-pool"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| Gustafson serial share (95%) |"),
        "{markdown}"
    );
    let svg = &files
        .iter()
        .find(|f| f.0 == "ma2@weak-speedup.svg")
        .unwrap()
        .1;
    assert!(
        String::from_utf8_lossy(svg).contains("Gustafson fit"),
        "the fit is drawn and named"
    );
    // Karp–Flatt reads a fixed job's speedup: weak points have none.
    assert!(report.derived.iter().all(|d| d.karp_flatt.is_none()));
    // The file keeps what the report needs, and reads back the same.
    let json = serde_json::to_string(&report).unwrap();
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back.gustafson, report.gustafson);
    assert_eq!(back.measurements, report.measurements);
}
