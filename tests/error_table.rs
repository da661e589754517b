//! The error table in README.md is a test: every command in it is run, in a
//! folder holding the files it names, and must fail with exactly the message
//! the table shows, on one line, with a non-zero exit status.

mod common;

use common::committed_reference;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One row of the table: the command and the message it must print.
struct Row {
    env: Vec<(String, String)>,
    args: Vec<String>,
    message: String,
}

/// The text of a Markdown code span: `x` or ``x`` (for text holding backticks).
fn code_span(cell: &str) -> Option<&str> {
    let cell = cell.trim();
    let ticks = cell.len() - cell.trim_start_matches('`').len();
    if ticks == 0 || !cell.ends_with(&"`".repeat(ticks)) {
        return None;
    }
    Some(cell[ticks..cell.len() - ticks].trim())
}

/// A command's words as a shell splits them: on whitespace, except inside
/// double quotes (`--command "sort {workers}"` is two words).
fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    for c in command.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                word.get_or_insert_with(String::new);
            }
            c if c.is_whitespace() && !quoted => words.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

fn rows() -> Vec<Row> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md is readable");
    let start = readme.find("<!-- error-table -->").expect("start marker");
    let end = readme.find("<!-- /error-table -->").expect("end marker");
    readme[start..end]
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim().strip_prefix('|')?.split(" | ").collect();
            let command = code_span(cells.get(1)?)?;
            let message = code_span(cells.get(2)?.trim_end_matches('|'))?;
            let mut words = shell_words(command).into_iter().peekable();
            let mut env = Vec::new();
            while let Some((key, value)) = words.peek().and_then(|w| w.split_once('=')) {
                env.push((key.to_string(), value.to_string()));
                words.next();
            }
            (words.next().as_deref() == Some("speedup")).then(|| Row {
                env,
                args: words.collect(),
                message: message.to_string(),
            })
        })
        .collect()
}

/// A folder with the files the table's commands name.
fn fixtures() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("speedup-error-table-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["corrupt", "partial", "no-serial", "escape", "folder.svg"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    write("nan.json", r#"{"y": [0.1, NaN, 0.3]}"#);
    write("inf.json", r#"{"y": [0.1, 1e999, 0.3]}"#);
    write("short.json", r#"{"y": [0.1, 0.2]}"#);
    write("huge.json", r#"{"y": [0.1, 1e300, 0.3]}"#);
    write("words.json", r#"{"y": [0.1, "two", 0.3]}"#);
    write("no-y.json", r#"{"x": [0.1, 0.2, 0.3]}"#);
    write("not-json.json", "y = 0.1, 0.2, 0.3");
    write("corrupt/speedup.json", r#"{"machine": {"#);
    let reference = std::fs::read_to_string(committed_reference()).unwrap();
    write("partial/speedup.json", &reference[..reference.len() / 2]);
    // Hostile copies of the reference, one fault each (row 2 is a
    // thread-pool point at 2 workers, copies row 0 the ceiling at 2).
    let edited = |sub: &str, edit: &dyn Fn(&mut serde_json::Value)| {
        let mut report: serde_json::Value = serde_json::from_str(&reference).unwrap();
        edit(&mut report);
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        write(&format!("{sub}/speedup.json"), &report.to_string());
    };
    edited("ten-million-workers", &|r| {
        r["measurements"][2]["workers"] = 10_000_000.into();
    });
    edited("zero-copies", &|r| {
        r["copies"][0]["times_s"][0] = 0.0.into()
    });
    edited("duplicate", &|r| {
        let again = r["measurements"][2].clone();
        r["measurements"].as_array_mut().unwrap().push(again);
    });
    edited("escape", &|r| {
        for list in ["measurements", "copies"] {
            for m in r[list].as_array_mut().unwrap() {
                m["workload"] = "../../x".into();
            }
        }
    });
    let mut report: serde_json::Value = serde_json::from_str(&reference).unwrap();
    // A report whose first workload is named to climb out of its folder.
    let mut escape = report.clone();
    let first = escape["measurements"][0]["workload"].clone();
    for m in escape["measurements"].as_array_mut().unwrap() {
        if m["workload"] == first {
            m["workload"] = "../../x".into();
        }
    }
    write("escape/speedup.json", &escape.to_string());
    report["measurements"]
        .as_array_mut()
        .unwrap()
        .retain(|m| m["strategy"] != "serial");
    // Paired runs carry their own serial times; a report without them (made
    // before pairing) needs the serial point to compute any speedup.
    for m in report["measurements"].as_array_mut().unwrap() {
        let m = m.as_object_mut().unwrap();
        m.remove("times_s");
        m.remove("serial_s");
    }
    report.as_object_mut().unwrap().remove("copies");
    write("no-serial/speedup.json", &report.to_string());
    dir
}

/// Whether `text` holds the pieces of `pattern` between its `…`s, in order.
fn matches(pattern: &str, text: &str) -> bool {
    let mut rest = text;
    for piece in pattern.split('…') {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

#[test]
fn every_row_of_the_readme_error_table_holds() {
    let rows = rows();
    assert!(rows.len() >= 60, "only {} rows parsed", rows.len());
    let dir = fixtures();
    let mut wrong = Vec::new();
    for row in &rows {
        let out = Command::new(env!("CARGO_BIN_EXE_speedup"))
            .args(&row.args)
            .envs(row.env.iter().map(|(k, v)| (k, v)))
            .current_dir(&dir)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let line = stderr.trim_end();
        let ok = !out.status.success() && line.lines().count() == 1 && matches(&row.message, line);
        if !ok {
            wrong.push(format!(
                "speedup {}\n  expected: {}\n  got ({}): {stderr}",
                row.args.join(" "),
                row.message,
                out.status
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_pattern_matcher_needs_every_piece_in_order() {
    assert!(matches("worker 1 (pid …) died", "worker 1 (pid 42) died"));
    assert!(!matches("died … worker", "worker 1 died"));
    assert_eq!(code_span(" ``a `b` c`` "), Some("a `b` c"));
    assert_eq!(code_span("plain"), None);
    assert_eq!(
        shell_words(r#"sweep --command "sort -k {workers}" --name """#),
        ["sweep", "--command", "sort -k {workers}", "--name", ""]
    );
}
