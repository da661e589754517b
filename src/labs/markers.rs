//! Solution markers in instructor sources, and the student edition they imply.
//!
//! The idea comes from nbgrader and otter-grader: one source file is both the
//! instructor's solution and the student's exercise. Regions are marked by
//! comment lines (leading whitespace allowed, nothing else on the line):
//!
//! ```text
//! pub fn integral(n: usize, rng: &mut ChunkRng) -> f64 {
//!     // BEGIN SOLUTION hint: draw n uniforms, sort them, add the rectangles
//!     ...the instructor's body...
//!     // END SOLUTION
//! }
//! ```
//!
//! The student edition replaces each solution region, markers included, by
//! one line `todo!("<hint>")` at the marker's indentation, so the exercise
//! still compiles and its tests fail with the hint. A region between
//! `// BEGIN HIDDEN TESTS` and `// END HIDDEN TESTS` disappears altogether:
//! those tests stay with the instructor, for grading.
//!
//! Regions never nest, and every BEGIN has its END: anything else is an error
//! naming the file and line, because a silently mangled student edition is
//! worse than none.

use crate::{Error, Result};

/// The two kinds of marked region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Replaced by `todo!(hint)` in the student edition.
    Solution,
    /// Removed from the student edition.
    HiddenTests,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Solution => "SOLUTION",
            Kind::HiddenTests => "HIDDEN TESTS",
        }
    }
}

/// The hint a solution region gets when its marker names none.
pub const DEFAULT_HINT: &str = "not written yet: see the worksheet";

/// One marked region; lines are 1-based and include the marker lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub kind: Kind,
    pub begin_line: usize,
    pub end_line: usize,
    /// The marker line's leading whitespace.
    pub indent: String,
    /// The hint of a solution region (empty for hidden tests).
    pub hint: String,
}

/// What one line says, if it is a marker.
#[derive(Debug, PartialEq)]
enum Marker {
    Begin(Kind, String),
    End(Kind),
}

/// Recognises a marker line. A line that starts like a marker but says
/// something else (`// BEGIN SOLUTIONS`, `// END SOLUTION now`) is an error,
/// not silently ordinary text.
fn marker(line: &str) -> std::result::Result<Option<Marker>, String> {
    let text = line.trim();
    for kind in [Kind::Solution, Kind::HiddenTests] {
        let begin = format!("// BEGIN {}", kind.name());
        let end = format!("// END {}", kind.name());
        if let Some(rest) = text.strip_prefix(&begin) {
            return match (kind, rest.trim()) {
                (_, "") => Ok(Some(Marker::Begin(kind, DEFAULT_HINT.into()))),
                (Kind::Solution, rest) if rest.starts_with("hint:") => {
                    let hint = rest["hint:".len()..].trim();
                    if hint.is_empty() {
                        Err("empty hint after 'hint:'".into())
                    } else {
                        Ok(Some(Marker::Begin(kind, hint.into())))
                    }
                }
                (_, rest) => Err(format!("unexpected '{rest}' after '{begin}'")),
            };
        }
        if let Some(rest) = text.strip_prefix(&end) {
            return if rest.trim().is_empty() {
                Ok(Some(Marker::End(kind)))
            } else {
                Err(format!("unexpected '{}' after '{end}'", rest.trim()))
            };
        }
    }
    Ok(None)
}

/// Finds every marked region of `text`; `file` names it in errors.
pub fn regions(file: &str, text: &str) -> Result<Vec<Region>> {
    let mut found = Vec::new();
    let mut open: Option<(Kind, usize, String, String)> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let at = |message: String| Error::new(format!("{file}:{number}: {message}"));
        match (marker(line).map_err(at)?, &open) {
            (None, _) => {}
            (Some(Marker::Begin(kind, _)), Some((outer, start, _, _))) => {
                return Err(at(format!(
                    "BEGIN {} inside the BEGIN {} region opened at line {start} (regions cannot nest)",
                    kind.name(),
                    outer.name()
                )));
            }
            (Some(Marker::Begin(kind, hint)), None) => {
                let indent = &line[..line.len() - line.trim_start().len()];
                open = Some((kind, number, indent.to_string(), hint));
            }
            (Some(Marker::End(kind)), None) => {
                return Err(at(format!(
                    "END {0} without a BEGIN {0} before it",
                    kind.name()
                )));
            }
            (Some(Marker::End(kind)), Some((outer, start, indent, hint))) => {
                if kind != *outer {
                    return Err(at(format!(
                        "END {} closes the BEGIN {} region opened at line {start}",
                        kind.name(),
                        outer.name()
                    )));
                }
                found.push(Region {
                    kind,
                    begin_line: *start,
                    end_line: number,
                    indent: indent.clone(),
                    hint: if kind == Kind::Solution {
                        hint.clone()
                    } else {
                        String::new()
                    },
                });
                open = None;
            }
        }
    }
    if let Some((kind, start, _, _)) = open {
        return Err(Error::new(format!(
            "{file}:{start}: BEGIN {} is never closed by END {}",
            kind.name(),
            kind.name()
        )));
    }
    Ok(found)
}

/// The student edition of `text`: solutions become `todo!(hint)`, hidden
/// tests vanish, every other line is kept byte for byte.
pub fn student_edition(file: &str, text: &str) -> Result<String> {
    let regions = regions(file, text)?;
    let mut out = String::with_capacity(text.len());
    let mut next = regions.iter().peekable();
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let number = index + 1;
        let Some(region) = next.peek() else {
            out.push_str(line);
            continue;
        };
        if number < region.begin_line {
            out.push_str(line);
            continue;
        }
        if number == region.begin_line && region.kind == Kind::Solution {
            out.push_str(&format!(
                "{}todo!({})\n",
                region.indent,
                todo_literal(&region.hint)
            ));
        }
        if number == region.end_line {
            next.next();
        }
    }
    Ok(out)
}

/// The hint as the literal argument of `todo!`: a format string, so braces
/// are doubled; `{:?}` of a str then makes a valid Rust string literal.
fn todo_literal(hint: &str) -> String {
    format!("{:?}", hint.replace('{', "{{").replace('}', "}}"))
}

/// True if any line of `text` is a marker (used to check a student edition).
pub fn has_markers(text: &str) -> bool {
    text.lines().any(|line| !matches!(marker(line), Ok(None)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const INSTRUCTOR: &str = "fn keep() {}\n\nfn solve(n: u32) -> u32 {\n    // BEGIN SOLUTION hint: use \"n + 1\"\n    let m = n;\n    m + 1\n    // END SOLUTION\n}\n\n// BEGIN HIDDEN TESTS\n#[test]\nfn hidden() {}\n// END HIDDEN TESTS\nfn tail() {}\n";

    #[test]
    fn solutions_become_todo_with_the_hint_and_hidden_tests_vanish() {
        let student = student_edition("lab.rs", INSTRUCTOR).unwrap();
        assert_eq!(
            student,
            "fn keep() {}\n\nfn solve(n: u32) -> u32 {\n    todo!(\"use \\\"n + 1\\\"\")\n}\n\nfn tail() {}\n"
        );
        assert!(!has_markers(&student));
        assert!(has_markers(INSTRUCTOR));
    }

    #[test]
    fn regions_report_lines_indent_and_hint() {
        let found = regions("lab.rs", INSTRUCTOR).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].kind, found[0].begin_line, found[0].end_line),
            (Kind::Solution, 4, 7)
        );
        assert_eq!(found[0].indent, "    ");
        assert_eq!(found[0].hint, "use \"n + 1\"");
        assert_eq!(
            (found[1].kind, found[1].begin_line, found[1].end_line),
            (Kind::HiddenTests, 10, 13)
        );
    }

    #[test]
    fn a_marker_without_hint_gets_the_default_hint() {
        let text = "fn a() -> u8 {\n  // BEGIN SOLUTION\n  1\n  // END SOLUTION\n}\n";
        let student = student_edition("a.rs", text).unwrap();
        assert_eq!(
            student,
            format!("fn a() -> u8 {{\n  todo!({DEFAULT_HINT:?})\n}}\n")
        );
    }

    #[test]
    fn braces_in_hints_are_escaped_for_the_format_string() {
        let text =
            "fn a() -> S {\n// BEGIN SOLUTION hint: S { x: 1 }\nS { x: 1 }\n// END SOLUTION\n}\n";
        let student = student_edition("a.rs", text).unwrap();
        assert_eq!(student, "fn a() -> S {\ntodo!(\"S {{ x: 1 }}\")\n}\n");
    }

    #[test]
    fn text_without_markers_is_kept_exactly() {
        let text = "no markers\r\nhere, not even a final newline";
        assert_eq!(student_edition("a.rs", text).unwrap(), text);
    }

    fn error(text: &str) -> String {
        regions("labs/src/x.rs", text).unwrap_err().to_string()
    }

    #[test]
    fn nested_regions_name_file_and_both_lines() {
        let text =
            "// BEGIN SOLUTION\nx\n// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS\n// END SOLUTION\n";
        let message = error(text);
        assert!(message.starts_with("labs/src/x.rs:3: "), "{message}");
        assert!(message.contains("opened at line 1"), "{message}");
        assert!(message.contains("cannot nest"), "{message}");
    }

    #[test]
    fn unpaired_markers_name_file_and_line() {
        let never_closed = error("a\n  // BEGIN SOLUTION hint: h\nb\n");
        assert!(
            never_closed.starts_with("labs/src/x.rs:2: ") && never_closed.contains("never closed"),
            "{never_closed}"
        );
        let stray_end = error("a\nb\n// END HIDDEN TESTS\n");
        assert!(
            stray_end.starts_with("labs/src/x.rs:3: ") && stray_end.contains("without a BEGIN"),
            "{stray_end}"
        );
        let crossed = error("// BEGIN SOLUTION\n// END HIDDEN TESTS\n");
        assert!(
            crossed.starts_with("labs/src/x.rs:2: ")
                && crossed.contains("closes the BEGIN SOLUTION"),
            "{crossed}"
        );
    }

    #[test]
    fn malformed_markers_are_errors_not_text() {
        assert!(error("// BEGIN SOLUTIONS\n").starts_with("labs/src/x.rs:1: unexpected 'S'"));
        assert!(error("x\n// BEGIN SOLUTION hint:\n").contains("empty hint"));
        assert!(error("// BEGIN HIDDEN TESTS hint: no\n").contains("unexpected"));
        assert!(error("// BEGIN SOLUTION\n// END SOLUTION now\n").starts_with("labs/src/x.rs:2:"));
    }
}
