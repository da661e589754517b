//! The report end to end: synthetic measurements in, files out, and
//! `speedup report` redrawing them from speedup.json alone.

use plotters::style::RGBColor;
use speedup::Strategy;
use speedup::machine::Machine;
use speedup::measure::CEILING;
use speedup::measurement::Measurement;
use speedup::measurement::StartupCost;
use speedup::plot::{EXTRA, svg_texts};
use speedup::report::figures::CHART_SIZE;
use speedup::report::view::Label;
use speedup::report::{self, Report};
use std::path::{Path, PathBuf};
use std::process::Command;

fn machine(physical: usize, logical: usize) -> Machine {
    Machine::imagined(physical, logical)
}

/// Amdahl-shaped times (serial fraction 5%), each run paired with a serial
/// run of 1 s, with a little jitter whose median is zero; and a machine
/// ceiling of 0.9 per worker up to the 8 logical CPUs.
fn measurements(max_workers: usize) -> Vec<Measurement> {
    let jitter = [1.0, 1.01, 0.99, 1.02, 0.98, 1.0, 1.0];
    let point = |strategy: &str, workers: usize, t: f64| {
        let pairs: Vec<(f64, f64)> = jitter.iter().map(|j| (t / j, 1.0)).collect();
        Measurement::from_pairs("integration", strategy, workers, &pairs)
    };
    let mut all = vec![point("serial", 1, 1.0)];
    for strategy in ["thread-pool", "scoped-static"] {
        for p in 1..=max_workers {
            all.push(point(strategy, p, 0.05 + 0.95 / p as f64));
        }
    }
    for p in 2..=max_workers {
        let ceiling = 0.9 * p.min(8) as f64;
        all.push(point(CEILING, p, p as f64 / ceiling));
    }
    all
}

/// The same study as a report written before runs were paired: summaries
/// only, no raw runs, no ceiling, no conditions.
fn old_style_json(max_workers: usize) -> String {
    let mut rows = Vec::new();
    for m in measurements(max_workers) {
        if m.strategy == CEILING {
            continue;
        }
        rows.push(serde_json::json!({
            "workload": m.workload, "strategy": m.strategy, "workers": m.workers,
            "median_s": m.median_s, "mean_s": m.mean_s, "ci_low_s": m.median_s * 0.95,
            "ci_high_s": m.median_s * 1.05, "samples": 10
        }));
    }
    serde_json::json!({
        "machine": machine(4, 8),
        "measurements": rows,
        "derived": [],
        "amdahl": [],
    })
    .to_string()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("speedup-report-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn speedup(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_speedup"))
        .args(args)
        .output()
        .unwrap()
}

fn written(dir: &Path) -> Report {
    let startup = vec![StartupCost {
        workers: 8,
        seconds: 0.008,
    }];
    let report = Report::new(machine(4, 8), measurements(16), startup).unwrap();
    report::write(dir, &report).unwrap();
    report
}

#[test]
fn writes_every_file_with_the_numbers_and_the_figure_elements() {
    let dir = scratch("files");
    let report = written(&dir);
    for name in [
        "speedup.json",
        "report.md",
        "report.html",
        "integration-speedup.svg",
        "integration-speedup.png",
        "integration-efficiency.svg",
        "integration-efficiency.png",
        "overview.svg",
        "overview.png",
    ] {
        assert!(dir.join(name).is_file(), "{name} missing");
    }
    let views = report.views();
    let integration = &views[0];
    assert_eq!((views.len(), integration.name), (1, "integration"));
    let pool = Label::Strategy(Strategy::ThreadPool);
    let fit = integration.fit(&pool).unwrap();
    assert!((fit.serial_fraction - 0.05).abs() < 1e-9, "{fit:?}");

    let svg = std::fs::read_to_string(dir.join("integration-speedup.svg")).unwrap();
    let texts = svg_texts(&svg);
    for expected in [
        "thread-pool",
        "scoped-static",
        "Amdahl fit",
        "4 physical cores",
        "8 logical CPUs",
        "oversubscribed: workers > 8 logical CPUs",
        "speedup over serial (×)",
        "machine ceiling",
        "(p serial copies at once)",
    ] {
        assert!(
            texts.iter().any(|t| t == expected),
            "{expected} not in {texts:?}"
        );
    }
    assert_eq!(
        texts.iter().filter(|t| t.trim() == "ideal").count(),
        2,
        "legend and line"
    );
    assert!(svg.contains("stroke-dasharray") || svg.matches("<polyline").count() > 4);

    let png = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(dir.join("integration-speedup.png")).unwrap(),
    ));
    let info = png.read_info().unwrap();
    assert_eq!((info.info().width, info.info().height), CHART_SIZE);

    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("![integration: speedup](integration-speedup.png)"));
    assert!(md.contains("serial fraction 5.0%"), "{md}");
    assert!(md.contains("Process start-up cost"), "{md}");
    // 8 workers: the machine gives 7.2×; thread-pool's 1/(0.05 + 0.95/8) = 5.93× is 82% of it.
    assert!(
        md.contains("The machine itself gives 7.20× at 8") && md.contains("reaches 82% of that"),
        "{md}"
    );
    assert!(md.contains("| thread-pool | 8 | 5.93× |"), "{md}");
    assert!(md.contains("| machine ceiling | 8 | 7.20× |"), "{md}");
    assert!(!md.contains("predates"), "{md}");
    let d = integration.point(&pool, 8).unwrap().derived.unwrap();
    assert!((d.of_ceiling.unwrap() - d.speedup / 7.2).abs() < 1e-12);
    assert_eq!(integration.ceiling.len(), 16, "1 (serial) to 16");
    assert!(
        integration
            .points
            .iter()
            .all(|p| p.label.to_string() != CEILING),
        "the ceiling is rows of its own, not a point"
    );
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), 3, "figures inlined");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn report_command_redraws_the_figures_from_speedup_json_alone() {
    let dir = scratch("redraw");
    written(&dir);
    let original = std::fs::read(dir.join("integration-speedup.svg")).unwrap();
    for name in ["integration-speedup.svg", "overview.png", "report.md"] {
        std::fs::remove_file(dir.join(name)).unwrap();
    }
    let out = speedup(&["report", dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(dir.join("integration-speedup.svg")).unwrap(),
        original
    );
    assert!(dir.join("overview.png").is_file() && dir.join("report.md").is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_report_from_before_pairing_still_renders_and_says_so() {
    let dir = scratch("old");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("speedup.json"), old_style_json(16)).unwrap();
    let out = speedup(&["report", dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("predates paired measurement"), "{md}");
    assert!(md.contains("conditions not recorded"), "{md}");
    assert!(
        md.contains("serial fraction 5.0%"),
        "the old numbers still fit: {md}"
    );
    assert!(
        !md.contains("machine ceiling |"),
        "no ceiling was measured: {md}"
    );
    let svg = std::fs::read_to_string(dir.join("integration-speedup.svg")).unwrap();
    assert!(
        !svg_texts(&svg)
            .iter()
            .any(|t| t.contains("machine ceiling"))
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_speedup_json_is_a_one_line_error_and_touches_nothing() {
    let dir = scratch("bad");
    written(&dir);
    let md_before = std::fs::read(dir.join("report.md")).unwrap();
    let full = std::fs::read_to_string(dir.join("speedup.json")).unwrap();
    let mut partial: serde_json::Value = serde_json::from_str(&full).unwrap();
    partial.as_object_mut().unwrap().remove("measurements");
    for (case, contents, expect) in [
        (
            "malformed",
            "{ not json".to_string(),
            "not a speedup report",
        ),
        (
            "truncated",
            full[..full.len() / 2].to_string(),
            "not a speedup report",
        ),
        ("partial", partial.to_string(), "measurements"),
    ] {
        std::fs::write(dir.join("speedup.json"), contents).unwrap();
        let out = speedup(&["report", dir.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{case}");
        assert_eq!(stderr.lines().count(), 1, "{case}: {stderr}");
        assert!(
            stderr.contains(expect) && stderr.contains("speedup.json"),
            "{case}: {stderr}"
        );
        assert_eq!(
            std::fs::read(dir.join("report.md")).unwrap(),
            md_before,
            "{case}"
        );
    }
    std::fs::remove_file(dir.join("speedup.json")).unwrap();
    let out = speedup(&["report", dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("cannot read"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn compare_overlays_two_reports() {
    let (a, b, out) = (scratch("cmp-a"), scratch("cmp-b"), scratch("cmp-out"));
    written(&a);
    let other = Report::new(machine(2, 2), measurements(4), Vec::new()).unwrap();
    report::write(&b, &other).unwrap();
    let run = speedup(&[
        "report",
        "--compare",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let svg = std::fs::read_to_string(out.join("compare.svg")).unwrap();
    let texts = svg_texts(&svg);
    assert!(
        texts.iter().any(|t| t == "thread-pool · test-8cpu"),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t == "thread-pool · test-2cpu"),
        "{texts:?}"
    );
    for machine in ["test-8cpu", "test-2cpu"] {
        let ceiling = format!("machine ceiling · {machine}");
        assert!(texts.contains(&ceiling), "{ceiling} missing: {texts:?}");
    }
    assert!(out.join("compare.png").is_file());
    for dir in [a, b, out] {
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[test]
fn a_students_versions_are_curves_of_their_own_beside_the_librarys() {
    // As `lab time` measures them: the library's strategies and two of the
    // student's versions, labelled `student-...`, on the same workload.
    let mut all = measurements(4);
    all.retain(|m| m.strategy != "scoped-static");
    for (label, serial_part) in [("student-threads", 0.2_f64), ("student-rayon", 0.1)] {
        for p in 1..=4 {
            let t = serial_part + (1.0 - serial_part) / p as f64;
            let pairs = [(t, 1.0); 7];
            all.push(Measurement::from_pairs("integration", label, p, &pairs));
        }
    }
    let report = Report::new(machine(4, 8), all, Vec::new()).unwrap();
    let views = report.views();
    let view = &views[0];
    let threads = Label::Other("student-threads".into());
    let rayon = Label::Other("student-rayon".into());
    assert_eq!(
        view.labels(),
        [
            &Label::Strategy(Strategy::Serial),
            &Label::Strategy(Strategy::ThreadPool),
            &threads,
            &rayon
        ],
        "library strategies in table order, then the student's in the order measured"
    );

    let chart = report::figures::chart(view, report::figures::Quantity::Speedup);
    let color_of = |name: &str| {
        chart
            .series
            .iter()
            .find(|s| s.label.as_deref() == Some(name))
            .unwrap_or_else(|| panic!("no curve for {name}"))
            .color
    };
    let pool = Strategy::ThreadPool.entry().color;
    assert_eq!(color_of("thread-pool"), RGBColor(pool.0, pool.1, pool.2));
    assert_eq!(color_of("student-threads"), EXTRA[0]);
    assert_eq!(color_of("student-rayon"), EXTRA[1]);
    assert!(
        chart
            .series
            .iter()
            .all(|s| s.label.as_deref() != Some("serial")),
        "serial is the baseline, not a curve"
    );

    let files = report::render(&report).unwrap();
    let md = &files
        .iter()
        .find(|(name, _)| name == "report.md")
        .unwrap()
        .1;
    let md = String::from_utf8_lossy(md);
    assert!(
        md.contains("| workers | serial | thread-pool | student-threads | student-rayon |"),
        "{md}"
    );
    assert!(md.contains("| student-rayon | 4 | "), "{md}");
}

/// `speedup.json` of a written report, edited by `edit`, then loaded.
fn load_edited(name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> speedup::Result<Report> {
    let dir = scratch(name);
    written(&dir);
    let path = dir.join("speedup.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut json);
    std::fs::write(&path, json.to_string()).unwrap();
    let loaded = Report::load(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    loaded
}

/// The row of `json`'s `list` at `index`, as an object to edit.
fn row<'a>(
    json: &'a mut serde_json::Value,
    list: &str,
    index: usize,
) -> &'a mut serde_json::Map<String, serde_json::Value> {
    json[list][index].as_object_mut().unwrap()
}

#[test]
fn a_loaded_report_is_held_to_what_the_cli_could_have_measured() {
    use serde_json::json;
    let refused = |name: &str, edit: &dyn Fn(&mut serde_json::Value), expect: &str| {
        let err = load_edited(name, edit).unwrap_err().to_string();
        assert!(err.contains(expect), "{name}: {err}");
        assert!(
            err.contains("speedup.json: "),
            "{name}: names the file: {err}"
        );
        assert!(!err.contains('\n'), "{name}: one line: {err}");
    };
    // Row 2 is thread-pool at 2 workers; copies row 0 the ceiling at 2.
    for workers in [0u64, 1025, 10_000_000, 1_000_000_000_000] {
        refused(
            "workers",
            &|j| {
                row(j, "measurements", 2).insert("workers".into(), json!(workers));
            },
            &format!("thread-pool / {workers} workers: a point has 1 to 1024 workers"),
        );
    }
    for time in [json!(0.0), json!(-0.5)] {
        refused(
            "copies",
            &|j| {
                row(j, "copies", 0)["times_s"][0] = time.clone();
            },
            "integration / ceiling / 2 workers has impossible values",
        );
        refused(
            "copies-median",
            &|j| {
                row(j, "copies", 0).insert("median_s".into(), time.clone());
            },
            "integration / ceiling / 2 workers has impossible values",
        );
    }
    refused(
        "duplicate",
        &|j| {
            let again = j["measurements"][2].clone();
            j["measurements"].as_array_mut().unwrap().push(again);
        },
        "integration / thread-pool / 2 workers appears twice",
    );
    refused(
        "duplicate-copies",
        &|j| {
            let again = j["copies"][0].clone();
            j["copies"].as_array_mut().unwrap().push(again);
        },
        "integration / ceiling / 2 workers appears twice",
    );
    for (name, expect) in [
        ("../../x", "contains a path separator"),
        ("/tmp/x", "contains a path separator"),
        ("", "is empty"),
        ("..", "is a folder"),
        ("a\u{7}b", "contains a control character"),
    ] {
        refused(
            "names",
            &|j| {
                for list in ["measurements", "copies"] {
                    for m in j[list].as_array_mut().unwrap() {
                        m["workload"] = json!(name);
                    }
                }
            },
            &format!("workload: the name {name:?} {expect}"),
        );
    }
    refused(
        "strategy-name",
        &|j| {
            row(j, "measurements", 2).insert("strategy".into(), json!("../pool"));
        },
        "strategy: the name \"../pool\" contains a path separator",
    );
    refused(
        "startup",
        &|j| {
            row(j, "process_startup", 0).insert("seconds".into(), json!(-1.0));
        },
        "process_startup at 8 workers has impossible values",
    );
    // The edit itself is harmless: untouched, the same file loads.
    assert!(load_edited("untouched", |_| {}).is_ok());
}

#[test]
fn a_report_at_the_worker_limit_draws_its_fitted_curves() {
    // Ten curve points per worker made 10^7 workers abort; the limit is 1024
    // now, and the fitted curve has a bounded number of points either way.
    let report = load_edited("limit", |j| {
        let last = j["measurements"].as_array().unwrap().len() - 1;
        row(j, "measurements", last).insert("workers".into(), serde_json::json!(1024));
    })
    .unwrap();
    let views = report.views();
    let integration = views.iter().find(|v| v.name == "integration").unwrap();
    let chart =
        speedup::report::figures::chart(integration, speedup::report::figures::Quantity::Speedup);
    assert_eq!(chart.x_max, 1024.0);
    let longest = chart.series.iter().map(|s| s.points.len()).max().unwrap();
    assert!(
        longest <= speedup::report::amdahl::CURVE_POINTS + 1,
        "{longest}"
    );
    assert!(!report::render(&report).unwrap().is_empty());
}

#[test]
fn a_point_of_millions_of_spread_out_runs_keeps_a_wide_interval() {
    // Above 1,074 runs the rank search's 0.5^n underflowed and every
    // interval collapsed onto its median; and it was quadratic in the runs.
    let n: usize = 2_500_000;
    // Ratios spread evenly over 1.5..2.5, in a scrambled order.
    let pairs: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let ratio = 1.5 + ((i * 7919) % n) as f64 / n as f64;
            (1.0 / ratio, 1.0)
        })
        .collect();
    let measurements = vec![
        Measurement::from_pairs("integration", "serial", 1, &[(1.0, 1.0); 7]),
        Measurement::from_pairs("integration", "thread-pool", 2, &pairs),
    ];
    let report = Report::new(machine(2, 2), measurements, Vec::new()).unwrap();
    let views = report.views();
    let d = views[0]
        .point(&Label::Strategy(Strategy::ThreadPool), 2)
        .and_then(|p| p.derived)
        .unwrap();
    assert!((d.speedup - 2.0).abs() < 1e-3, "{d:?}");
    // 95% of the median's rank lies within ±0.98·√n ranks: ±0.00062 here.
    let half_width = 0.98 / (n as f64).sqrt();
    for (end, want) in [
        (d.speedup_ci_low, 2.0 - half_width),
        (d.speedup_ci_high, 2.0 + half_width),
    ] {
        assert!((end - want).abs() < 1e-5, "{end} vs {want}: {d:?}");
    }
}
