//! The committed reference report, redrawn from its `speedup.json` alone,
//! is exactly the committed report: report.md, report.html and every figure,
//! byte for byte.
//!
//! Nothing in a report depends on when or where it is redrawn (the date in
//! report.md is the measuring date, stored in speedup.json), so the
//! comparison is exact. This is what keeps a change to how a report is
//! *made* (its views, outline, renderers, figures) from changing what it
//! *says*: a change that means to alter the report must commit the redrawn
//! reference with it (`speedup report reports/amd-epyc-2cpu`).

use speedup::report::{self, DATA_FILE, Report};
use std::path::{Path, PathBuf};

fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/amd-epyc-2cpu")
}

/// The first line where two texts differ, for a message a reader can act on.
fn first_difference(expected: &str, actual: &str) -> String {
    let (mut e, mut a) = (expected.lines(), actual.lines());
    for line in 1.. {
        match (e.next(), a.next()) {
            (None, None) => return "only in line endings".into(),
            (x, y) if x != y => {
                return format!("line {line}:\n  committed: {x:?}\n  redrawn:   {y:?}");
            }
            _ => {}
        }
    }
    unreachable!("the loop returns")
}

#[test]
fn redrawing_the_reference_gives_every_committed_file_byte_for_byte() {
    let dir = reference_dir();
    let report = Report::load(&dir).unwrap();
    let rendered = report::render(&report).unwrap();

    let mut committed: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // Hidden files (the folder's lock) are not part of a report.
        .filter(|name| name != DATA_FILE && !name.starts_with('.'))
        .collect();
    committed.sort();
    let mut drawn: Vec<String> = rendered.iter().map(|(name, _)| name.clone()).collect();
    drawn.sort();
    assert_eq!(drawn, committed, "the same files, no more, no fewer");

    let mut differ = Vec::new();
    for (name, bytes) in &rendered {
        let expected = std::fs::read(dir.join(name)).unwrap();
        if *bytes == expected {
            continue;
        }
        differ.push(
            match (std::str::from_utf8(&expected), std::str::from_utf8(bytes)) {
                (Ok(e), Ok(a)) if !name.ends_with(".svg") => {
                    format!("{name}: {}", first_difference(e, a))
                }
                _ => format!(
                    "{name}: {} bytes committed, {} redrawn",
                    expected.len(),
                    bytes.len()
                ),
            },
        );
    }
    assert!(
        differ.is_empty(),
        "redrawn from speedup.json, these differ from the committed reference:\n{}",
        differ.join("\n")
    );
}

/// Whether two lines of pretty-printed JSON say the same, allowing a number
/// to differ in its last bits: serde_json (without its `float_roundtrip`
/// feature) reads some decimals one unit in the last place off, so a number
/// read and written again may come back as its neighbour
/// (`0.21122304679999998` as `0.2112230468`).
fn same_json_line(committed: &str, written: &str) -> bool {
    if committed == written {
        return true;
    }
    let split = |line: &str| {
        let body = line.trim_end_matches(',');
        let at = body.rfind([' ', ':']).map_or(0, |i| i + 1);
        (
            line[..at].to_string(),
            body[at..].parse::<f64>().ok(),
            line.ends_with(','),
        )
    };
    match (split(committed), split(written)) {
        ((key_c, Some(c), comma_c), (key_w, Some(w), comma_w)) => {
            key_c == key_w && comma_c == comma_w && (c - w).abs() <= 4.0 * f64::EPSILON * c.abs()
        }
        _ => false,
    }
}

#[test]
fn the_reference_speedup_json_is_written_back_in_the_same_format() {
    // Loading recomputes everything derived; writing it again must give the
    // same file: the same fields in the same order, the same numbers (to the
    // last bits the JSON reader rounds), so the format stays what old files hold.
    let dir = reference_dir();
    let report = Report::load(&dir).unwrap();
    let committed = std::fs::read_to_string(dir.join(DATA_FILE)).unwrap();
    let written = serde_json::to_string_pretty(&report).unwrap();
    assert_eq!(
        committed.lines().count(),
        written.lines().count(),
        "speedup.json written back has a different shape: {}",
        first_difference(&committed, &written)
    );
    let differ: Vec<String> = committed
        .lines()
        .zip(written.lines())
        .enumerate()
        .filter(|(_, (c, w))| !same_json_line(c, w))
        .map(|(i, (c, w))| format!("line {}:\n  committed: {c}\n  written:   {w}", i + 1))
        .collect();
    assert!(
        differ.is_empty(),
        "speedup.json written back differs:\n{}",
        differ.join("\n")
    );
    assert!(
        same_json_line(
            "  \"mean_s\": 0.21122304679999998,",
            "  \"mean_s\": 0.2112230468,"
        ) && !same_json_line("  \"mean_s\": 0.2112230468,", "  \"mean_s\": 0.2112230469,")
            && !same_json_line("  \"mean_s\": 0.5,", "  \"median_s\": 0.5,")
            && !same_json_line("  \"noisy\": true", "  \"noisy\": false"),
        "the comparison forgives the last bits of a number and nothing else"
    );
}
