//! `speedup report DIR` and `speedup report --compare A B`: redraw from data.
//!
//! An instructor gets a speedup.json from a student (or a 64-core machine)
//! and regenerates every table and figure without re-measuring anything.

use super::stdout;
use crate::Result;
use crate::report::{compare, regenerate};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
  speedup report reports/amd-epyc-2cpu
  speedup report --compare reports/amd-epyc-2cpu reports/my-laptop --out compare

DIR must hold a speedup.json written by `cargo bench`, `speedup sweep` or a lab's
`time N` (labs/results/labN/<run>: two runs of a lab compare like two machines).";

/// Redraw a report's Markdown, HTML and figures from its speedup.json, or compare two reports
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct ReportArgs {
    /// Report directory holding speedup.json
    #[arg(required_unless_present = "compare", conflicts_with = "compare")]
    dir: Option<PathBuf>,

    /// Overlay two reports' speedup curves in one figure (A solid, B dashed)
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    compare: Option<Vec<PathBuf>>,

    /// Where --compare writes compare.svg and compare.png
    #[arg(
        long,
        value_name = "DIR",
        default_value = "compare",
        requires = "compare"
    )]
    out: PathBuf,
}

pub fn execute(args: ReportArgs) -> Result<()> {
    let written = match (&args.compare, &args.dir) {
        (Some(pair), _) => {
            let (png, left_out) = compare::compare(&pair[0], &pair[1], &args.out)?;
            if !left_out.is_empty() {
                eprintln!(
                    "note: left out, measured by only one of the two reports: {}",
                    left_out.join(", ")
                );
            }
            png
        }
        (None, Some(dir)) => regenerate(dir)?,
        (None, None) => unreachable!("clap requires DIR or --compare"),
    };
    stdout::print(written.display());
    Ok(())
}
