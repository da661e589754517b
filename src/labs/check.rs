//! `speedup labs check [N]`: run a lab's tests, report task by task.
//!
//! Like rustlings, the feedback is about the exercise, not the test harness:
//! each test of a lab is named `taskN_what_it_checks`, so the tests group into
//! the worksheet's numbered tasks. A task passes when all its tests pass. A
//! test that stopped at a `todo!` of its own task shows the todo's goal and
//! the task's first hint (`hints.rs` gives the next ones); one stopped by
//! another task's `todo!` says to finish that task first, rather than show
//! that task's goal under this one's name; a failed assertion shows its
//! message.
//!
//! The tests run through cargo (`cargo test -p speedup-labs --test labNN_...`),
//! exactly as a student could run them by hand; this module only reads
//! libtest's plain-text output.

use super::Lab;
use super::hints::Hints;
use crate::{Error, Result};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

/// How one test ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Passed,
    /// Failed; the panic message, first lines only.
    Failed(String),
    Ignored,
}

/// One test's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestOutcome {
    pub name: String,
    pub status: Status,
}

impl TestOutcome {
    /// The worksheet task this test belongs to (`task3_...` is task 3).
    pub fn task(&self) -> Option<u32> {
        let rest = self.name.strip_prefix("task")?;
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    }

    /// What the test checks, from its name: `task3_rayon_matches` -> "rayon matches".
    pub fn description(&self) -> String {
        let rest = self.name.trim_start_matches("task");
        let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        rest.trim_start_matches('_').replace('_', " ")
    }
}

/// Reads libtest's output: one `test NAME ... ok|FAILED|ignored` line per
/// test, then a `---- NAME stdout ----` block per failure.
pub fn parse_test_output(stdout: &str) -> Vec<TestOutcome> {
    let mut messages: BTreeMap<&str, String> = BTreeMap::new();
    let mut lines = stdout.lines().peekable();
    let mut outcomes = Vec::new();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("test ") {
            if let Some((name, result)) = rest.split_once(" ... ") {
                let status = match result.trim() {
                    "ok" => Status::Passed,
                    "FAILED" => Status::Failed(String::new()),
                    r if r.starts_with("ignored") => Status::Ignored,
                    _ => continue,
                };
                outcomes.push(TestOutcome {
                    name: name.trim().to_string(),
                    status,
                });
            }
        } else if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|rest| rest.strip_suffix(" stdout ----"))
        {
            let mut block = Vec::new();
            while let Some(next) = lines.peek() {
                if next.starts_with("---- ") || *next == "failures:" {
                    break;
                }
                block.push(lines.next().expect("peeked"));
            }
            messages.insert(name, panic_message(&block));
        }
    }
    for outcome in &mut outcomes {
        if let Status::Failed(message) = &mut outcome.status {
            *message = messages
                .get(outcome.name.as_str())
                .cloned()
                .unwrap_or_default();
        }
    }
    outcomes
}

/// The panic message inside a failure block: the lines after
/// `thread '...' panicked at FILE:LINE:COL:`, up to libtest's `note:`.
fn panic_message(block: &[&str]) -> String {
    let start = block
        .iter()
        .position(|line| line.starts_with("thread '") && line.contains("panicked at"));
    let Some(start) = start else {
        return String::new();
    };
    block[start + 1..]
        .iter()
        .take_while(|line| !line.starts_with("note: ") && !line.trim().is_empty())
        .take(4)
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

/// A lab's test outcomes, grouped by task.
#[derive(Debug, Clone)]
pub struct LabReport {
    pub lab: Lab,
    pub tests: Vec<TestOutcome>,
    pub hints: Hints,
}

impl LabReport {
    /// Tasks in order, each with its tests.
    pub fn tasks(&self) -> BTreeMap<u32, Vec<&TestOutcome>> {
        let mut tasks: BTreeMap<u32, Vec<&TestOutcome>> = BTreeMap::new();
        for test in &self.tests {
            if let Some(task) = test.task() {
                tasks.entry(task).or_default().push(test);
            }
        }
        tasks
    }

    /// Number of tasks whose tests all passed, and number of tasks.
    pub fn score(&self) -> (usize, usize) {
        let tasks = self.tasks();
        let done = tasks
            .values()
            .filter(|tests| tests.iter().all(|t| !matches!(t.status, Status::Failed(_))))
            .count();
        (done, tasks.len())
    }

    /// The first task not done yet, if any.
    pub fn first_unfinished(&self) -> Option<u32> {
        self.tasks()
            .into_iter()
            .find(|(_, tests)| tests.iter().any(|t| matches!(t.status, Status::Failed(_))))
            .map(|(task, _)| task)
    }

    /// The rustlings-style listing.
    pub fn render(&self) -> String {
        let (done, total) = self.score();
        let mut out = format!(
            "Lab {}: {} (labs/worksheets/{})\n",
            self.lab.number,
            self.lab.title,
            self.lab.worksheet()
        );
        for (task, tests) in self.tasks() {
            for test in tests {
                let (mark, note) = match &test.status {
                    Status::Passed => ("ok  ", None),
                    Status::Ignored => ("skip", None),
                    Status::Failed(message) => ("FAIL", Some(self.explain(message, task))),
                };
                out.push_str(&format!("  [{mark}] task {task}: {}\n", test.description()));
                if let Some(note) = note {
                    for line in note.lines() {
                        out.push_str(&format!("           {line}\n"));
                    }
                }
            }
        }
        out.push_str(&format!("  {done} of {total} tasks done\n"));
        out
    }
}

impl LabReport {
    /// Turns the panic message of a failed test of `task` into advice.
    fn explain(&self, message: &str, task: u32) -> String {
        let Some(todo) = message.strip_prefix("not yet implemented") else {
            return if message.is_empty() {
                "failed (run the test by hand for details)".into()
            } else {
                message.to_string()
            };
        };
        let todo = todo.trim_start_matches(": ");
        match todo_task(todo) {
            Some((owner, goal)) if owner != task => {
                format!("finish task {owner} first: this test needs it ({goal})")
            }
            owned => {
                let goal = owned.map_or(todo, |(_, goal)| goal);
                let mut advice = format!(
                    "to do: {}",
                    if goal.is_empty() {
                        "see the worksheet"
                    } else {
                        goal
                    }
                );
                if let Some(first) = self.hints.of_task(task).first() {
                    advice.push_str(&format!(
                        "\nhint: {first}\nmore hints, one at a time: {}",
                        super::command(&format!("hint {} {task}", self.lab.number))
                    ));
                }
                advice
            }
        }
    }
}

/// The task a `todo!`'s text names (`"task 2: the serial study"`), and its goal.
pub fn todo_task(todo: &str) -> Option<(u32, &str)> {
    let rest = todo.strip_prefix("task ")?;
    let (number, goal) = rest.split_once(": ")?;
    Some((number.parse().ok()?, goal.trim()))
}

/// Runs the tests of `lab` in the workspace at `root` through cargo.
///
/// The tests build in the profile this program was built in: a student who
/// types `cargo run --release -- labs check` then shares one build with
/// `time N` (release too), instead of compiling the whole workspace twice,
/// minutes each on a 2-core laptop. Cargo's own progress and any compiler
/// errors go straight to the terminal; the tests' output is read.
pub fn run_lab(root: &Path, lab: Lab) -> Result<LabReport> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let profile: &[&str] = if cfg!(debug_assertions) {
        &[]
    } else {
        &["--release"]
    };
    let output = Command::new(cargo)
        .current_dir(root)
        .args(["test", "-p", "speedup-labs", "--test", &lab.test_target()])
        .args(profile)
        .args(["--", "--color", "never"])
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| Error::new(format!("cannot run cargo: {e}")))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let tests = parse_test_output(&stdout);
    if tests.is_empty() && !output.status.success() {
        return Err(Error::new(format!(
            "lab {} does not build yet: fix the compiler errors above, then check again",
            lab.number
        )));
    }
    let hints = Hints::of(root, lab).unwrap_or_default();
    Ok(LabReport { lab, tests, hints })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "\nrunning 4 tests\ntest task2_serial_matches_library ... FAILED\ntest task1_integral_is_zero_below_two_points ... ok\ntest task2_chunks_have_the_right_length ... ok\ntest speedup_worker_entry ... ok\ntest task3_rayon_is_bit_identical ... FAILED\n\nfailures:\n\n---- task2_serial_matches_library stdout ----\n\nthread 'task2_serial_matches_library' panicked at labs/src/lab01_integration.rs:40:5:\nnot yet implemented: task 2: one chunk after another\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n---- task3_rayon_is_bit_identical stdout ----\nthread 'task3_rayon_is_bit_identical' panicked at labs/tests/lab01_integration.rs:9:5:\nassertion `left == right` failed: estimate 7 differs\n  left: 1\n right: 2\n\nfailures:\n    task2_serial_matches_library\n    task3_rayon_is_bit_identical\n\ntest result: FAILED. 2 passed; 2 failed; 0 ignored\n";

    fn report() -> LabReport {
        LabReport {
            lab: super::super::LABS[0],
            tests: parse_test_output(OUTPUT),
            hints: super::super::hints::parse("## Task 2\n1. Chunks in order.\n2. More.\n")
                .unwrap(),
        }
    }

    #[test]
    fn outcomes_and_panic_messages_are_read() {
        let tests = parse_test_output(OUTPUT);
        assert_eq!(tests.len(), 5);
        assert_eq!(
            tests[0].status,
            Status::Failed("not yet implemented: task 2: one chunk after another".into())
        );
        assert_eq!(tests[1].status, Status::Passed);
        let Status::Failed(message) = &tests[4].status else {
            panic!("task 3 failed")
        };
        assert!(message.starts_with("assertion `left == right` failed: estimate 7"));
        assert!(message.ends_with(" right: 2"), "{message}");
    }

    #[test]
    fn tests_group_into_tasks_and_score_counts_whole_tasks() {
        let report = report();
        let tasks = report.tasks();
        assert_eq!(tasks.keys().copied().collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(tasks[&2].len(), 2);
        assert_eq!(report.score(), (1, 3), "task 2 has one failure");
    }

    #[test]
    fn the_listing_shows_hints_for_todos_and_messages_for_assertions() {
        let text = report().render();
        assert!(
            text.contains("[ok  ] task 1: integral is zero below two points"),
            "{text}"
        );
        assert!(
            text.contains("[FAIL] task 2: serial matches library"),
            "{text}"
        );
        assert!(text.contains("to do: one chunk after another"), "{text}");
        assert!(text.contains("hint: Chunks in order."), "{text}");
        assert!(!text.contains("More."), "only the first hint: {text}");
        assert!(
            text.contains("cargo run --release -- labs hint 1 2"),
            "{text}"
        );
        assert!(text.contains("estimate 7 differs"), "{text}");
        assert!(text.contains("1 of 3 tasks done"), "{text}");
        assert!(!text.contains("worker entry"), "{text}");
        assert_eq!(report().first_unfinished(), Some(2));
    }

    #[test]
    fn a_test_stopped_by_another_tasks_todo_says_to_finish_that_task() {
        let report = report();
        let advice = report.explain("not yet implemented: task 2: one chunk after another", 4);
        assert_eq!(
            advice,
            "finish task 2 first: this test needs it (one chunk after another)"
        );
        assert_eq!(
            todo_task("task 12: goal: with a colon"),
            Some((12, "goal: with a colon"))
        );
        assert_eq!(todo_task("no task"), None);
        assert_eq!(
            report.explain("not yet implemented", 3),
            "to do: see the worksheet"
        );
    }
}
