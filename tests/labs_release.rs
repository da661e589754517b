//! The workbook's instructor path, end to end: `speedup labs release` writes
//! a student edition that has no solutions left, builds on its own, whose
//! tests fail exactly on the `todo!`s, each with its hint, and whose
//! `labs/README.md` is the one written for students.
//!
//! The edition is built with its own `CARGO_TARGET_DIR` under this project's
//! `target/labs-edition/`: a separate directory, because the `cargo test`
//! running this file may hold the lock on the main one (older cargo holds it
//! while tests run), and a fixed one, so later runs reuse what it built.
//!
//! Building the edition from nothing would compile every dependency and the
//! whole `speedup` crate a second time: on a fresh checkout that was most of
//! this file's several minutes, and it proves nothing the outer build has
//! not. So before building, the test seeds the edition's target directory
//! with what the outer `cargo test` has just compiled ([`seed_target`]), and
//! gives the edition's copy of the `speedup` crate, checked byte for byte
//! against the instructor's, the instructor files' modification times
//! ([`same_crate_same_times`]). Where the outer build compiled a unit with
//! the same features, cargo finds it up to date by its own fingerprints (a
//! workspace member's artifact names do not depend on where the workspace
//! lies), and compiles for real what the release changed: the labs crate,
//! every target of it. The workspace-wide `cargo test` unifies features
//! with `speedup`'s dev-dependencies, so its `speedup` is not the unit a
//! `-p speedup-labs` build needs and the edition still compiles that one
//! (a `cargo test -p speedup-labs` or `labs check` in this tree compiles the
//! same unit the edition needs). Nothing is trusted that cargo would not
//! trust itself: a unit built with other features, or a file that differs,
//! is rebuilt as usual.

use speedup::labs::check::{Status, parse_test_output};
use speedup::labs::markers;
use speedup::labs::release::{CRATE_PATHS, STUDENT_README, edition_path, files_under};
use std::path::{Path, PathBuf};
use std::process::Command;

const SPEEDUP: &str = env!("CARGO_BIN_EXE_speedup");

fn instructor_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `target/labs-edition`, found from this test binary's own path
/// (`target/<profile>/deps/<binary>`).
fn scratch() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.ancestors().nth(3).unwrap().join("labs-edition")
}

/// Copies the compiled dependencies of the outer build (`from`, this
/// project's `target/debug`) into the edition's (`to`): fingerprints, build
/// script outputs and libraries, with their modification times, which cargo
/// compares. Executables in `deps/` are the outer workspace's own tests and
/// binaries, of no use to the edition, and most of the bytes: they stay.
/// A file already there and no older is kept: it is the same file, copied
/// by an earlier run, or the edition's own newer build of that unit, which
/// an older outer copy must not replace. A second run costs a directory walk.
fn seed_target(from: &Path, to: &Path) {
    for part in [".fingerprint", "build", "deps"] {
        let source = from.join(part);
        if !source.is_dir() {
            continue;
        }
        for file in files_under(&source).unwrap() {
            let executable = part == "deps"
                && file
                    .extension()
                    .is_none_or(|ext| ext == "exe" || ext == "pdb");
            if executable {
                continue;
            }
            let target = to.join(file.strip_prefix(from).unwrap());
            let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
            let kept = std::fs::metadata(&target).is_ok_and(|m| m.modified().unwrap() >= modified);
            if !kept {
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::copy(&file, &target).unwrap();
                set_modified(&target, modified);
            }
        }
    }
}

/// The edition's copy of the `speedup` crate is the instructor's, byte for
/// byte (the release copies it as it is); each file then gets the
/// instructor file's modification time, so cargo sees the sources it has
/// just compiled, not newer ones.
fn same_crate_same_times(root: &Path, edition: &Path) {
    let mut files = Vec::new();
    for name in CRATE_PATHS {
        let path = root.join(name);
        if path.is_dir() {
            files.extend(files_under(&path).unwrap());
        } else if path.is_file() {
            files.push(path);
        }
    }
    assert!(files.len() > 20, "only {} crate files", files.len());
    for file in files {
        let relative = file.strip_prefix(root).unwrap();
        let copy = edition.join(relative);
        assert!(
            std::fs::read(&copy).unwrap() == std::fs::read(&file).unwrap(),
            "{} differs from the instructor's",
            relative.display()
        );
        set_modified(&copy, std::fs::metadata(&file).unwrap().modified().unwrap());
    }
}

fn set_modified(path: &Path, time: std::time::SystemTime) {
    let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    file.set_modified(time).unwrap();
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Lines of solution bodies that appear nowhere else in the instructor file:
/// if one of them shows up in the student edition, a solution leaked.
fn solution_only_lines(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let regions = markers::regions(&file.display().to_string(), &text).unwrap();
    let inside = |n: usize| {
        regions
            .iter()
            .any(|r| (r.begin_line..=r.end_line).contains(&n))
    };
    let outside: Vec<&str> = (1..=lines.len())
        .filter(|&n| !inside(n))
        .map(|n| lines[n - 1].trim())
        .collect();
    regions
        .iter()
        .flat_map(|r| &lines[r.begin_line..r.end_line - 1])
        .map(|line| line.trim())
        .filter(|line| line.len() > 20 && !outside.contains(line))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_student_edition_has_no_solutions_builds_and_fails_on_its_todos() {
    let root = instructor_root();
    let scratch = scratch();
    let edition = scratch.join("student");
    if edition.exists() {
        std::fs::remove_dir_all(&edition).unwrap();
    }
    let release = Command::new(SPEEDUP)
        .args(["labs", "release", "--out"])
        .arg(&edition)
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(
        release.status.success(),
        "{}",
        String::from_utf8_lossy(&release.stderr)
    );

    // No marker and no solution line remains; hidden tests are gone.
    let mut solutions = 0;
    for file in files_under(&root.join("labs")).unwrap() {
        let relative = file.strip_prefix(&root).unwrap();
        let Some(destination) = edition_path(relative) else {
            continue;
        };
        let student = std::fs::read_to_string(edition.join(destination)).unwrap();
        assert!(
            !markers::has_markers(&student),
            "{} keeps a marker",
            relative.display()
        );
        // Hints may quote a fragment of code; the rest of the file may not.
        let code: Vec<&str> = student
            .lines()
            .map(str::trim)
            .filter(|line| !line.starts_with("todo!("))
            .collect();
        for line in solution_only_lines(&file) {
            assert!(
                !code.contains(&line.as_str()),
                "{} leaks `{line}`",
                relative.display()
            );
            solutions += 1;
        }
    }
    assert!(
        solutions > 50,
        "only {solutions} solution lines were checked"
    );
    let lab1 = std::fs::read_to_string(edition.join("labs/tests/lab01_integration.rs")).unwrap();
    assert!(!lab1.contains("task5_dynamic_handles_more_workers_than_chunks"));
    assert!(edition.join("src/lib.rs").is_file() && edition.join("Cargo.lock").is_file());

    // The README a student opens in labs/ is theirs: how to check and time
    // their work, not how the edition was made from the instructor's tree.
    let readme = std::fs::read_to_string(edition.join("labs/README.md")).unwrap();
    assert!(
        readme == std::fs::read_to_string(root.join(STUDENT_README)).unwrap(),
        "the edition's labs/README.md is not {STUDENT_README}"
    );
    for instructor_only in [
        "SOLUTION",
        "HIDDEN TESTS",
        "labs release",
        "instructor edition",
    ] {
        assert!(
            !readme.contains(instructor_only),
            "the student README mentions {instructor_only:?}"
        );
    }
    for command in [
        "cargo run --release -- labs check 1",
        "cargo run -p speedup-labs --release -- time 1",
        "--rounds",
        "labs/results/lab1/latest",
        "report.html",
        "cargo run --release -- labs hint 4 3",
    ] {
        assert!(
            readme.contains(command),
            "the student README lacks {command:?}"
        );
    }
    assert!(!edition.join(STUDENT_README).exists());

    // It builds where it stands, and every task test stops at a todo!.
    let target = scratch.join("target");
    same_crate_same_times(&root, &edition);
    seed_target(
        &scratch.parent().unwrap().join("debug"),
        &target.join("debug"),
    );
    let run = cargo()
        .args([
            "test",
            "-p",
            "speedup-labs",
            "--tests",
            "--offline",
            "--no-fail-fast",
        ])
        .args(["--", "--color", "never"])
        .current_dir(&edition)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        !run.status.success(),
        "the student edition's tests must fail"
    );
    assert!(
        !stderr.contains("error[E"),
        "the edition does not compile:\n{stderr}"
    );
    let tests = parse_test_output(&stdout);
    let tasks: Vec<_> = tests.iter().filter(|t| t.task().is_some()).collect();
    assert!(
        tasks.len() >= 30,
        "only {} task tests ran:\n{stdout}",
        tasks.len()
    );
    for test in &tasks {
        match &test.status {
            Status::Failed(message) if message.starts_with("not yet implemented: ") => {}
            other => panic!("{} should stop at a todo!, got {other:?}", test.name),
        }
    }
    for test in tests.iter().filter(|t| t.task().is_none()) {
        assert_eq!(
            test.status,
            Status::Passed,
            "{} does not depend on the exercises",
            test.name
        );
    }

    // `speedup labs check` in the edition lists the tasks with their hints.
    let check = Command::new(SPEEDUP)
        .args(["labs", "check", "4"])
        .current_dir(&edition)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{listing}");
    assert!(listing.contains("[FAIL] task 3: karp flatt"), "{listing}");
    // The goal and the first hint, never the code; more hints on request.
    assert!(
        listing.contains("to do: the serial fraction a measured speedup implies"),
        "{listing}"
    );
    assert!(
        listing.contains("hint: Amdahl's law gives S from f and p. Turn it round"),
        "{listing}"
    );
    assert!(
        listing.contains("cargo run --release -- labs hint 4 3"),
        "{listing}"
    );
    assert!(listing.contains("0 of 7 tasks done"), "{listing}");
    let error = String::from_utf8_lossy(&check.stderr);
    assert!(
        error.trim_end().ends_with("error: 7 tasks not done yet"),
        "{error}"
    );

    // A test stopped by an earlier task's todo! says so, under its own task.
    let check = Command::new(SPEEDUP)
        .args(["labs", "check", "3"])
        .current_dir(&edition)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&check.stdout);
    let task4 = listing
        .split("[FAIL] task 4")
        .nth(1)
        .and_then(|rest| rest.split("[FAIL]").next())
        .unwrap_or_else(|| panic!("no task 4 in {listing}"));
    assert!(task4.contains(" first: this test needs it ("), "{listing}");

    // Hints come one at a time, for the first task not done unless named.
    let hint = |args: &[&str]| {
        let out = Command::new(SPEEDUP)
            .args(["labs", "hint"])
            .args(args)
            .current_dir(&edition)
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let first = hint(&["4", "3"]);
    assert!(
        first.contains("task 3") && first.contains("hint 1 of 3"),
        "{first}"
    );
    assert!(!first.contains("  2. "), "{first}");
    let second = hint(&["4", "3"]);
    assert!(
        second.contains("hint 2 of 3") && second.contains("  2. "),
        "{second}"
    );
    let unnamed = hint(&["4"]);
    assert!(unnamed.contains("Lab 4, task 1"), "{unnamed}");
}

/// A minimal instructor tree whose lab source has `source` as its text.
fn fake_tree(name: &str, source: &str) -> PathBuf {
    let root = scratch().join(name);
    if root.exists() {
        std::fs::remove_dir_all(&root).unwrap();
    }
    std::fs::create_dir_all(root.join("labs/src")).unwrap();
    std::fs::write(root.join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
    std::fs::write(root.join("labs/Cargo.toml"), "[package]\nname = \"y\"\n").unwrap();
    std::fs::write(root.join("labs/src/lib.rs"), source).unwrap();
    std::fs::write(root.join(STUDENT_README), "# The labs\n").unwrap();
    root
}

#[test]
fn marker_errors_name_file_and_line_and_write_nothing() {
    let cases = [
        (
            "unclosed",
            "fn a() {\n    // BEGIN SOLUTION hint: h\n}\n",
            "labs/src/lib.rs:2: BEGIN SOLUTION is never closed",
        ),
        (
            "nested",
            "// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION\n// END SOLUTION\n",
            "labs/src/lib.rs:2: BEGIN SOLUTION inside",
        ),
        (
            "stray",
            "x\n// END HIDDEN TESTS\n",
            "labs/src/lib.rs:2: END HIDDEN TESTS without a BEGIN",
        ),
    ];
    for (name, source, expected) in cases {
        let root = fake_tree(name, source);
        let out = root.join("edition");
        let run = Command::new(SPEEDUP)
            .args(["labs", "release", "--out", "edition"])
            .current_dir(&root)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{name}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{name}: one line, got {stderr}");
        assert!(
            stderr.starts_with(&format!("error: {expected}")),
            "{name}: {stderr}"
        );
        assert!(!out.exists(), "{name}: nothing may be written");
    }
}

#[test]
fn check_and_release_refuse_bad_requests_in_one_line() {
    let root = fake_tree("refusals", "fn a() {}\n");
    let run = |args: &[&str], dir: &Path| {
        let out = Command::new(SPEEDUP)
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, error) = run(&["labs", "check", "9"], &root);
    assert_eq!(
        (code, error.as_str()),
        (Some(1), "error: there is no lab 9 (the labs are 1 to 4)\n")
    );
    // A task the lab lacks is refused from its hints file, before any build.
    std::fs::create_dir_all(root.join("labs/hints")).unwrap();
    std::fs::write(
        root.join("labs/hints/02-linear-normal.md"),
        "## Task 1\n1. a\n2. b\n## Task 2\n1. c\n2. d\n",
    )
    .unwrap();
    let (code, error) = run(&["labs", "hint", "2", "9"], &root);
    assert_eq!(
        (code, error.as_str()),
        (Some(1), "error: lab 2 has no task 9 (its tasks are 1, 2)\n")
    );
    std::fs::create_dir_all(root.join("full")).unwrap();
    std::fs::write(root.join("full/keep.txt"), "mine").unwrap();
    let (code, error) = run(&["labs", "release", "--out", "full"], &root);
    assert_eq!(code, Some(1));
    assert!(
        error.contains("is not empty") && error.lines().count() == 1,
        "{error}"
    );
    std::fs::remove_dir_all(root.join("full")).unwrap();
    std::fs::remove_file(root.join(STUDENT_README)).unwrap();
    let (code, error) = run(&["labs", "release", "--out", "edition"], &root);
    assert_eq!(
        (code, error.as_str()),
        (
            Some(1),
            "error: labs/README.student.md is missing: it becomes the student edition's labs/README.md\n"
        )
    );
    assert!(!root.join("edition").exists(), "nothing may be written");
    let (code, error) = run(&["labs", "check"], &std::env::temp_dir());
    assert_eq!(code, Some(1));
    assert!(error.contains("no workbook found"), "{error}");
}

#[test]
fn every_lab_has_a_worksheet_an_exercise_and_tests() {
    let labs = instructor_root().join("labs");
    let student_readme = std::fs::read_to_string(instructor_root().join(STUDENT_README)).unwrap();
    for lab in speedup::labs::LABS {
        for row in [
            format!("`worksheets/{}`", lab.worksheet()),
            format!("`cargo run --release -- labs check {}`", lab.number),
        ] {
            assert!(
                student_readme.contains(&row),
                "lab {}: {STUDENT_README} lacks {row}",
                lab.number
            );
        }
        let target = lab.test_target();
        for path in [
            labs.join("worksheets").join(lab.worksheet()),
            labs.join("src").join(format!("{target}.rs")),
            labs.join("tests").join(format!("{target}.rs")),
        ] {
            assert!(
                path.is_file(),
                "lab {}: {} is missing",
                lab.number,
                path.display()
            );
        }
        let worksheet =
            std::fs::read_to_string(labs.join("worksheets").join(lab.worksheet())).unwrap();
        for section in [
            "## Goals",
            "## Background",
            "## Tasks",
            "## Predictions",
            "## Results",
            "## Questions",
        ] {
            assert!(
                worksheet.contains(section),
                "lab {}: worksheet lacks {section}",
                lab.number
            );
        }
    }
}
