//! Hints in steps: `speedup labs hint N [TASK]` (for a student, `cargo run
//! -- labs hint N [TASK]`: see [`super::command`]).
//!
//! A `todo!` in an exercise names the *goal* of a piece of a task, never the
//! code. Whoever is stuck asks for a hint, and gets one at a time, each a
//! little more concrete than the last, as rustlings does: the first points
//! at the idea, the middle ones at the shape of the code, the last at the
//! exact API. None is the solution line: a student who reads every hint
//! still writes the code.
//!
//! The hints of lab N live in `labs/hints/NN-<slug>.md`, next to the
//! worksheets, one section per task:
//!
//! ```text
//! ## Task 2
//! 1. What decides which random numbers a chunk sees?
//! 2. A chunk's numbers come from one generator, made once, from the seed
//!    and the chunk's number.
//! 3. `chunk_rng(seed, chunk)`, then `(first..last).map(...)`.
//! ```
//!
//! How many hints of each task a student has seen is kept in
//! `labs/results/hints.json`, so asking again gives the next one.

use super::Lab;
use crate::{Error, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The hints of one lab, by task, in the order they are given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hints {
    pub tasks: BTreeMap<u32, Vec<String>>,
}

impl Hints {
    /// Reads the hints file of `lab` in the workbook at `root`.
    pub fn of(root: &Path, lab: Lab) -> Result<Hints> {
        let path = file(root, lab);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::new(format!("cannot read the hints {}: {e}", path.display())))?;
        parse(&text).map_err(|e| Error::new(format!("{}: {e}", path.display())))
    }

    /// Task `number` of `lab`, if the lab has it; otherwise an error naming
    /// the tasks it has. Checked before anything runs: a task that does not
    /// exist needs no build and no tests to say so.
    pub fn task(&self, lab: Lab, number: usize) -> Result<u32> {
        u32::try_from(number)
            .ok()
            .filter(|task| self.tasks.contains_key(task))
            .ok_or_else(|| {
                let tasks: Vec<String> = self.tasks.keys().map(u32::to_string).collect();
                Error::new(format!(
                    "lab {} has no task {number} (its tasks are {})",
                    lab.number,
                    tasks.join(", ")
                ))
            })
    }

    /// The hints of `task`; empty if it has none.
    pub fn of_task(&self, task: u32) -> &[String] {
        self.tasks.get(&task).map_or(&[], Vec::as_slice)
    }
}

/// Where the hints of `lab` are.
pub fn file(root: &Path, lab: Lab) -> PathBuf {
    root.join("labs/hints").join(lab.worksheet())
}

/// Reads a hints file: `## Task N` headings, each followed by a numbered
/// list; a hint's further lines are indented.
pub fn parse(text: &str) -> std::result::Result<Hints, String> {
    let mut hints = Hints::default();
    let mut task: Option<u32> = None;
    for (index, line) in text.lines().enumerate() {
        let at = |message: &str| format!("line {}: {message}", index + 1);
        if let Some(number) = line.strip_prefix("## Task ") {
            let number = number
                .trim()
                .parse()
                .map_err(|_| at("a task heading is '## Task N'"))?;
            if hints.tasks.insert(number, Vec::new()).is_some() {
                return Err(at("a second section for the same task"));
            }
            task = Some(number);
        } else if let Some((step, rest)) = line
            .split_once(". ")
            .filter(|(step, _)| !step.is_empty() && step.bytes().all(|b| b.is_ascii_digit()))
        {
            let list = task
                .and_then(|task| hints.tasks.get_mut(&task))
                .ok_or_else(|| at("a hint before any '## Task N' heading"))?;
            if step.parse::<usize>() != Ok(list.len() + 1) {
                return Err(at(&format!(
                    "hint {step} should be hint {}",
                    list.len() + 1
                )));
            }
            list.push(rest.trim().to_string());
        } else if line.starts_with(' ') && !line.trim().is_empty() {
            let last = task
                .and_then(|task| hints.tasks.get_mut(&task))
                .and_then(|list| list.last_mut())
                .ok_or_else(|| at("an indented line that continues no hint"))?;
            last.push(' ');
            last.push_str(line.trim());
        }
    }
    Ok(hints)
}

/// How many hints of each task a student has seen, kept between calls.
#[derive(Debug, Default)]
pub struct Seen {
    path: PathBuf,
    counts: BTreeMap<String, usize>,
}

impl Seen {
    /// What the workbook at `root` has shown so far (nothing, the first time).
    pub fn load(root: &Path) -> Result<Seen> {
        let path = root.join("labs/results/hints.json");
        let counts = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                Error::new(format!(
                    "{} is not a hint record ({e}); delete it to start the hints again",
                    path.display()
                ))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(Error::new(format!("cannot read {}: {e}", path.display()))),
        };
        Ok(Seen { path, counts })
    }

    fn key(lab: Lab, task: u32) -> String {
        format!("lab {} task {task}", lab.number)
    }

    /// How many hints of `task` have been shown.
    pub fn count(&self, lab: Lab, task: u32) -> usize {
        self.counts.get(&Self::key(lab, task)).copied().unwrap_or(0)
    }

    /// Shows one more hint of `task` (up to `available`), and returns how
    /// many are shown now.
    pub fn one_more(&mut self, lab: Lab, task: u32, available: usize) -> Result<usize> {
        let shown = (self.count(lab, task) + 1).min(available);
        self.counts.insert(Self::key(lab, task), shown);
        if let Some(folder) = self.path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        crate::atomic_file::write_atomically(
            &self.path,
            &serde_json::to_vec_pretty(&self.counts)?,
        )?;
        Ok(shown)
    }
}

/// The text `speedup labs hint` prints: the first `shown` hints of `task`,
/// and what to do next.
pub fn render(lab: Lab, task: u32, hints: &[String], shown: usize) -> String {
    let mut out = format!(
        "Lab {}, task {task} (labs/worksheets/{}): hint {shown} of {}\n",
        lab.number,
        lab.worksheet(),
        hints.len()
    );
    for (step, hint) in hints.iter().take(shown).enumerate() {
        out.push_str(&format!("  {}. {hint}\n", step + 1));
    }
    if shown < hints.len() {
        out.push_str(&format!(
            "Try it first; `{}` gives the next hint.",
            super::command(&format!("hint {} {task}", lab.number))
        ));
    } else {
        out.push_str(
            "That was the last hint. The function's doc comment and the worksheet say the \
             rest; if you are still stuck, ask your instructor and bring `labs check`'s output.",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# Lab 1 hints\n\n## Task 1\n1. Think first.\n2. Then look at\n   the slice's methods.\n\n## Task 3\n1. Only one.\n";

    #[test]
    fn hints_are_read_by_task_with_their_continuation_lines() {
        let hints = parse(TEXT).unwrap();
        assert_eq!(
            hints.of_task(1),
            ["Think first.", "Then look at the slice's methods."]
        );
        assert_eq!(hints.of_task(3), ["Only one."]);
        assert!(hints.of_task(2).is_empty());
    }

    #[test]
    fn a_task_the_lab_lacks_is_an_error_naming_its_tasks() {
        let hints = parse(TEXT).unwrap();
        let lab = super::super::LABS[1];
        assert_eq!(hints.task(lab, 3).unwrap(), 3);
        assert_eq!(
            hints.task(lab, 9).unwrap_err().to_string(),
            "lab 2 has no task 9 (its tasks are 1, 3)"
        );
        assert!(hints.task(lab, usize::MAX).is_err());
    }

    #[test]
    fn a_malformed_file_names_its_line() {
        let error = |text: &str| parse(text).unwrap_err();
        assert_eq!(
            error("1. orphan\n"),
            "line 1: a hint before any '## Task N' heading"
        );
        assert_eq!(
            error("## Task one\n"),
            "line 1: a task heading is '## Task N'"
        );
        assert_eq!(
            error("## Task 1\n1. a\n3. c\n"),
            "line 3: hint 3 should be hint 2"
        );
        assert_eq!(
            error("## Task 1\n1. a\n## Task 1\n"),
            "line 3: a second section for the same task"
        );
        assert_eq!(
            error("## Task 1\n   stray\n"),
            "line 2: an indented line that continues no hint"
        );
    }

    /// The workbook's own hints: every `todo!` names a task that has tests,
    /// and every such task has hints to give, more than one.
    #[test]
    fn every_task_with_an_exercise_has_hints_in_steps() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for lab in super::super::LABS {
            let hints = Hints::of(root, lab).unwrap();
            let source = root.join(format!("labs/src/{}.rs", lab.test_target()));
            let text = std::fs::read_to_string(&source).unwrap();
            let tests =
                std::fs::read_to_string(root.join(format!("labs/tests/{}.rs", lab.test_target())))
                    .unwrap();
            for region in super::super::markers::regions("source", &text).unwrap() {
                if region.kind != super::super::markers::Kind::Solution {
                    continue;
                }
                let (task, goal) =
                    super::super::check::todo_task(&region.hint).unwrap_or_else(|| {
                        panic!("lab {}: '{}' names no task", lab.number, region.hint)
                    });
                assert!(
                    tests.contains(&format!("fn task{task}_")),
                    "lab {} task {task} ({goal}) has no test",
                    lab.number
                );
                assert!(
                    hints.of_task(task).len() >= 2,
                    "lab {} task {task} needs hints in steps",
                    lab.number
                );
            }
        }
    }

    #[test]
    fn each_call_shows_one_more_hint_and_remembers_it() {
        let dir = std::env::temp_dir().join(format!("speedup-hints-{}", std::process::id()));
        let lab = super::super::LABS[0];
        let mut seen = Seen::load(&dir).unwrap();
        assert_eq!(seen.one_more(lab, 2, 3).unwrap(), 1);
        assert_eq!(seen.one_more(lab, 2, 3).unwrap(), 2);
        let mut again = Seen::load(&dir).unwrap();
        assert_eq!(again.count(lab, 2), 2, "kept between calls");
        assert_eq!(again.one_more(lab, 2, 3).unwrap(), 3);
        assert_eq!(again.one_more(lab, 2, 3).unwrap(), 3, "never past the last");
        assert_eq!(again.count(lab, 1), 0, "each task counts on its own");
        std::fs::remove_dir_all(&dir).unwrap();

        let hints = ["a".to_string(), "b".to_string()];
        let text = render(lab, 2, &hints, 1);
        assert!(
            text.contains("hint 1 of 2") && text.contains("1. a"),
            "{text}"
        );
        assert!(
            !text.contains("2. b") && text.contains("`cargo run --release -- labs hint 1 2`"),
            "{text}"
        );
        assert!(render(lab, 2, &hints, 2).contains("the last hint"));
    }
}
