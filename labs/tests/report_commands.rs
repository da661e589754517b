//! The report `time N` draws names only commands the student has.
//!
//! Its advice (more rounds for wide intervals, a workload that shows the
//! laws) once named the sweep's `--until 5%` and `speedup sweep`: a student
//! who ran `time N` has neither a sweep to re-run nor a `speedup` on the
//! path. Here a lab report in which every piece of advice fires is
//! rendered, and each command between backticks is checked against the
//! `--help` of the program it names: this crate's `lab` binary, or the
//! workspace's `speedup` run through `cargo run --`. In the student
//! edition the test runs against the edition's own programs.

use speedup::Measurement;
use speedup::measure::CEILING;
use std::process::Command;

/// A program's help: what `PROGRAM ARGS --help` prints, `None` if there is
/// no such subcommand.
type Help = fn(&[&str]) -> Option<String>;

/// What `lab ARGS --help` prints.
fn lab_help(args: &[&str]) -> Option<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_lab"))
        .args(args)
        .arg("--help")
        .output()
        .unwrap();
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).unwrap())
}

/// What `speedup ARGS --help` prints.
fn speedup_help(args: &[&str]) -> Option<String> {
    speedup::cli::help::<speedup::AnyWorkload>(args)
}

/// Why the command in one backticked span is not one the student has, if
/// it is not: a subcommand or a flag its program's help does not list, a
/// flag with no command, or `speedup` called as if it were installed.
fn missing(span: &str) -> Option<String> {
    let words: Vec<&str> = span.split_whitespace().collect();
    let (help, rest): (Help, &[&str]) = match words.as_slice() {
        [
            "cargo",
            "run",
            "-p",
            "speedup-labs",
            "--release",
            "--",
            rest @ ..,
        ] => (lab_help, rest),
        ["cargo", "run", "--release", "--", rest @ ..] | ["cargo", "run", "--", rest @ ..] => {
            (speedup_help, rest)
        }
        ["speedup", ..] => {
            return Some(format!(
                "`{span}`: students run speedup as `cargo run --release -- ...`"
            ));
        }
        [flag, ..] if flag.starts_with("--") => {
            return Some(format!(
                "`{span}`: a flag without the command it belongs to"
            ));
        }
        _ => return None,
    };
    let Some(sub) = rest.first() else {
        return Some(format!("`{span}`: no subcommand"));
    };
    let Some(sub_help) = help(&[sub]) else {
        return Some(format!("`{span}`: there is no subcommand {sub}"));
    };
    rest.iter()
        .filter(|w| w.starts_with("--"))
        .find(|flag| !sub_help.contains(&format!("{flag} ")))
        .map(|flag| format!("`{span}`: {sub} has no flag {flag}"))
}

fn missing_commands(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter_map(missing)
        .collect()
}

/// The report.md of a lab-1-shaped study on 2 workers whose intervals are
/// wide: the noisy finding, the ceiling's caveat and "no Amdahl fit" all
/// give their advice.
fn lab_report(lab: u32) -> String {
    let wide = |ratio: f64| -> Vec<(f64, f64)> {
        [1.0, 0.7, 1.3, 0.8, 1.2, 0.9, 1.1]
            .iter()
            .map(|w| (1.0 / (ratio * w), 1.0))
            .collect()
    };
    let all = vec![
        Measurement::from_pairs("integration", "student-serial", 1, &wide(1.0)),
        Measurement::from_pairs("integration", CEILING, 2, &wide(0.9)),
        Measurement::from_pairs("integration", "student-threads", 1, &wide(1.0)),
        Measurement::from_pairs("integration", "student-threads", 2, &wide(1.7)),
        Measurement::from_pairs("integration", "serial", 1, &wide(1.0)),
        Measurement::from_pairs("integration", "thread-pool", 2, &wide(1.6)),
    ];
    let report = speedup_labs::report(lab, all).unwrap();
    let files = speedup::report::render(&report).unwrap();
    let (_, markdown) = files.iter().find(|(name, _)| name == "report.md").unwrap();
    String::from_utf8(markdown.clone()).unwrap()
}

#[test]
fn the_lab_report_names_only_commands_the_student_edition_has() {
    let text = lab_report(1);
    for advice in ["Noisy:", "read these shares loosely", "No Amdahl fit"] {
        assert!(text.contains(advice), "{advice} missing from:\n{text}");
    }
    assert!(
        text.contains("`cargo run -p speedup-labs --release -- time 1 --rounds 15`"),
        "{text}"
    );
    let missing = missing_commands(&text);
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    // "±" is explained where it first appears.
    let first = text.find('±').unwrap();
    assert!(
        text[first..].starts_with("± is half the interval's width"),
        "{}",
        &text[first.saturating_sub(80)..first + 80]
    );
}

#[test]
fn the_checker_catches_commands_the_student_does_not_have() {
    // The sweep's advice, as a lab report once gave it.
    let sweep = "(more rounds: `--until 5%`), (`speedup sweep --until 5%`), \
                 `cargo run -p speedup-labs --release -- time 1 --until 5%`, \
                 `cargo run -p speedup-labs --release -- sweep 1`, \
                 `cargo run --release -- sweep --cores 16`";
    let missing = missing_commands(sweep);
    assert_eq!(missing.len(), 5, "{missing:?}");
    assert!(
        missing_commands(
            "`cargo run -p speedup-labs --release -- time 3 --rounds 15` and \
             `cargo run --release -- sweep --workloads amdahl --workers 1,2`"
        )
        .is_empty()
    );
}

/// One number of rounds: the README and the worksheets tell the student
/// the same `--rounds` as the report's advice.
#[test]
fn every_rounds_the_student_reads_is_the_reports() {
    let labs = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // The student edition ships README.student.md as its labs/README.md.
    let mut texts: Vec<_> = ["README.student.md", "README.md"]
        .iter()
        .map(|name| labs.join(name))
        .filter(|path| path.exists())
        .collect();
    for entry in std::fs::read_dir(labs.join("worksheets")).unwrap() {
        texts.push(entry.unwrap().path());
    }
    let expected = format!("--rounds {}", speedup::report::context::LAB_ROUNDS);
    let mut seen = 0;
    for path in texts {
        let text = std::fs::read_to_string(&path).unwrap();
        for (at, _) in text.match_indices("--rounds ") {
            let number: String = text[at + 9..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if number.is_empty() {
                continue; // a placeholder such as `--rounds K`
            }
            let found = format!("--rounds {number}");
            assert_eq!(found, expected, "{}", path.display());
            seen += 1;
        }
    }
    assert!(seen > 0, "the README names --rounds");
}
