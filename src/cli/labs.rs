//! `speedup labs check [N]`, `speedup labs hint N [TASK]` and
//! `speedup labs release --out DIR`.

use super::stdout;
use crate::labs::{self, LABS, check, hints, release};
use crate::{Error, Result};
use std::path::PathBuf;

const CHECK_HELP: &str = "\
Examples:
  speedup labs check 1      the tasks of lab 1
  speedup labs check        every lab

Runs `cargo test -p speedup-labs --test labNN_...` in the workbook that
contains the current folder and lists each worksheet task as ok or FAIL,
with the hint of any todo!() still in the way. Exit status 0: all done.";

const HINT_HELP: &str = "\
Examples:
  speedup labs hint 1       the next hint for the first task of lab 1 not done
  speedup labs hint 1 3     the next hint for task 3 of lab 1

Each call shows one hint more than the last, from the idea to the exact API,
never the solution line: try each before asking for the next. Without TASK
it runs the lab's tests first to find the task you are on.";

const RELEASE_HELP: &str = "\
Writes the student edition: a self-contained cargo workspace (this crate plus
labs/) in which every solution region is replaced by todo!(\"hint\") and hidden
tests are removed; its labs/README.md is the student README
(labs/README.student.md). Hand out DIR as it is (zip, or a template repository).";

#[derive(Debug, clap::Subcommand)]
pub enum LabsCommand {
    /// Run a lab's tests and list its tasks as done or not, with hints
    #[command(after_help = CHECK_HELP)]
    Check {
        /// The lab, 1 to 4 [default: all]
        #[arg(value_parser = crate::flags::count, allow_hyphen_values = true)]
        lab: Option<usize>,
    },
    /// Show the next hint for a task, one step more concrete each time
    #[command(after_help = HINT_HELP)]
    Hint {
        /// The lab, 1 to 4
        #[arg(value_parser = crate::flags::count, allow_hyphen_values = true)]
        lab: usize,
        /// The task [default: the first not done]
        #[arg(value_parser = crate::flags::count, allow_hyphen_values = true)]
        task: Option<usize>,
    },
    /// Write the student edition of the workbook into a new folder
    #[command(after_help = RELEASE_HELP)]
    Release {
        /// Folder to create (must be new or empty)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

pub fn execute(command: LabsCommand) -> Result<()> {
    let root = || release::find_root(&std::env::current_dir()?);
    match command {
        LabsCommand::Check { lab } => {
            let chosen = match lab {
                Some(number) => vec![labs::lab(number)?],
                None => LABS.to_vec(),
            };
            // After the lab number: a wrong number is the more useful message.
            let root = root()?;
            let mut missing = 0;
            for lab in chosen {
                let report = check::run_lab(&root, lab)?;
                stdout::print(report.render().trim_end());
                let (done, total) = report.score();
                missing += total - done;
            }
            if missing > 0 {
                return Err(Error::new(format!(
                    "{missing} task{} not done yet",
                    if missing == 1 { "" } else { "s" }
                )));
            }
            stdout::print("All tasks done.");
            Ok(())
        }
        LabsCommand::Hint { lab, task } => {
            let lab = labs::lab(lab)?;
            let root = root()?;
            // The task is checked against the hints file before any test runs.
            let all = hints::Hints::of(&root, lab)?;
            let task = match task {
                Some(task) => all.task(lab, task)?,
                None => match check::run_lab(&root, lab)?.first_unfinished() {
                    Some(task) => task,
                    None => {
                        stdout::print(format_args!(
                            "Every task of lab {} is done: no hint needed.",
                            lab.number
                        ));
                        return Ok(());
                    }
                },
            };
            let for_task = all.of_task(task);
            if for_task.is_empty() {
                return Err(Error::new(format!(
                    "lab {} has no hints for task {task} (tasks with hints: {}); see {}",
                    lab.number,
                    all.tasks
                        .iter()
                        .filter(|(_, hints)| !hints.is_empty())
                        .map(|(task, _)| task.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    hints::file(&root, lab).display()
                )));
            }
            let shown = hints::Seen::load(&root)?.one_more(lab, task, for_task.len())?;
            stdout::print(hints::render(lab, task, for_task, shown));
            Ok(())
        }
        LabsCommand::Release { out } => {
            let released = release::release(&root()?, &out)?;
            stdout::print(format_args!(
                "Student edition written to {}: {} files, {} solutions replaced by todo!(), {} hidden test regions removed.",
                out.display(),
                released.files,
                released.solutions,
                released.hidden_tests
            ));
            stdout::print(format_args!(
                "Students start with {}: it says what to run, beginning with `cargo run --release -- labs check 1`.",
                out.join("labs/README.md").display()
            ));
            Ok(())
        }
    }
}
