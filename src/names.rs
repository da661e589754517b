//! Plain names: what a workload or strategy name must be before it becomes
//! part of a file name.
//!
//! A report's figures are named after its workloads (`<workload>-speedup.svg`),
//! and `speedup report DIR` redraws a `speedup.json` that someone else may
//! have written. A name like `../../x` or `/etc/x` would put the figures
//! outside DIR. So every name that reaches a file name is checked here first,
//! by the one rule below, and refused with a sentence that says why.

use crate::{Error, Result};

/// Refuses `name` unless it is a plain name: not empty, not `.` or `..`, no
/// `/` or `\`, no control characters (a newline would also break the
/// report's one-line errors).
pub fn plain_name(name: &str) -> Result<()> {
    let problem = if name.is_empty() {
        Some("is empty")
    } else if name == "." || name == ".." {
        Some("is a folder, not a name")
    } else if name.contains(['/', '\\']) {
        Some("contains a path separator")
    } else if name.chars().any(char::is_control) {
        Some("contains a control character")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(Error::new(format!(
            "the name {name:?} {problem}: names become file names, so they must be plain"
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_pass() {
        for name in [
            "integration",
            "linear-normal",
            "student threads",
            "ma2.v2",
            "x..y",
        ] {
            assert!(plain_name(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn names_that_leave_the_folder_or_break_a_line_are_refused_with_the_reason() {
        for (name, reason) in [
            ("", "is empty"),
            ("..", "is a folder"),
            (".", "is a folder"),
            ("../../x", "path separator"),
            ("/etc/x", "path separator"),
            ("a\\b", "path separator"),
            ("a\nb", "control character"),
        ] {
            let err = plain_name(name).unwrap_err().to_string();
            assert!(err.contains(reason), "{name:?}: {err}");
            assert!(!err.contains('\n'), "one line: {err:?}");
        }
    }
}
