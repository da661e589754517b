//! `speedup labs release`: writes the student edition of the workbook.
//!
//! The edition is a complete, self-contained cargo workspace, so a course can
//! hand it out as one directory (a zip, or the template repository of a
//! GitHub Classroom assignment) and students need nothing else:
//!
//! - the `speedup` crate itself, copied as it is (`Cargo.toml`, `Cargo.lock`,
//!   `src/`, `benches/`, ...): the labs' path dependency `speedup = { path = ".." }`
//!   resolves inside the edition, and the lock file pins the same versions;
//! - `labs/`, with every Rust file passed through
//!   [`student_edition`](super::markers::student_edition) (solutions become
//!   `todo!(hint)`, hidden tests vanish) and everything else copied, except
//!   the READMEs: the edition's `labs/README.md` is the student README
//!   ([`STUDENT_README`]), not the instructor's. A student opening `labs/`
//!   should read what to run and how to read its output, not how solution
//!   markers work or how the folder in front of them was made.
//!
//! Build outputs (`target/`) and students' timing results (`labs/results/`)
//! are never copied. The output directory must be new or empty: a release
//! never overwrites anything.

use super::markers;
use crate::{Error, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// Files and folders of the `speedup` crate the edition needs to build (those
/// that exist are copied verbatim).
pub const CRATE_PATHS: [&str; 7] = [
    "Cargo.toml",
    "Cargo.lock",
    "README.md",
    "build.rs",
    "src",
    "benches",
    "examples",
];

/// The README written for students, in the instructor tree. The edition
/// ships it as its `labs/README.md`; a release refuses to run without it,
/// since the alternative would be an edition whose README is missing or
/// explains the release step to students.
pub const STUDENT_README: &str = "labs/README.student.md";

/// The instructor's README, which the student README replaces.
const INSTRUCTOR_README: &str = "labs/README.md";

/// Folder names never copied, wherever they are.
const SKIPPED_DIRS: [&str; 3] = ["target", "results", ".git"];

/// What a release wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Released {
    pub files: usize,
    pub solutions: usize,
    pub hidden_tests: usize,
}

/// The instructor tree containing `start`: the nearest folder above it with
/// both `Cargo.toml` and `labs/Cargo.toml`.
pub fn find_root(start: &Path) -> Result<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join("Cargo.toml").is_file() && dir.join("labs/Cargo.toml").is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            Error::new(format!(
                "no workbook found at or above {} (looking for labs/Cargo.toml)",
                start.display()
            ))
        })
}

/// Where a file of the instructor tree (`relative` to its root) goes in the
/// student edition, relative to the edition's root; `None` for a file the
/// edition does not get under any name (the instructor's README).
pub fn edition_path(relative: &Path) -> Option<PathBuf> {
    if relative == Path::new(INSTRUCTOR_README) {
        None
    } else if relative == Path::new(STUDENT_README) {
        Some(PathBuf::from(INSTRUCTOR_README))
    } else {
        Some(relative.to_path_buf())
    }
}

/// Writes the student edition of the tree at `root` into `out`.
///
/// Every marker error is found before anything is written.
pub fn release(root: &Path, out: &Path) -> Result<Released> {
    let labs = root.join("labs");
    let mut edited = Vec::new();
    let mut released = Released::default();
    for file in files_under(&labs)? {
        let relative = file.strip_prefix(root).expect("under root");
        let Some(destination) = edition_path(relative) else {
            continue;
        };
        let bytes = read(&file)?;
        let bytes = if file.extension().is_some_and(|ext| ext == "rs") {
            let name = relative.display().to_string();
            let text = String::from_utf8(bytes)
                .map_err(|_| Error::new(format!("{name}: not UTF-8 text")))?;
            for region in markers::regions(&name, &text)? {
                match region.kind {
                    markers::Kind::Solution => released.solutions += 1,
                    markers::Kind::HiddenTests => released.hidden_tests += 1,
                }
            }
            markers::student_edition(&name, &text)?.into_bytes()
        } else {
            bytes
        };
        edited.push((destination, bytes));
    }
    if !root.join(STUDENT_README).is_file() {
        return Err(Error::new(format!(
            "{STUDENT_README} is missing: it becomes the student edition's labs/README.md"
        )));
    }

    prepare_empty_dir(out)?;
    let out = out
        .canonicalize()
        .map_err(|e| Error::new(format!("{}: {e}", out.display())))?;
    if out.starts_with(root.canonicalize()?.join("labs")) {
        return Err(Error::new(format!(
            "--out {} is inside labs/, which is being released",
            out.display()
        )));
    }
    for name in CRATE_PATHS {
        let source = root.join(name);
        if source.is_file() {
            write(&out.join(name), &read(&source)?)?;
            released.files += 1;
        } else if source.is_dir() {
            for file in files_under(&source)? {
                let relative = file.strip_prefix(root).expect("under root");
                write(&out.join(relative), &read(&file)?)?;
                released.files += 1;
            }
        }
    }
    for (destination, bytes) in &edited {
        write(&out.join(destination), bytes)?;
        released.files += 1;
    }
    write(&out.join(".gitignore"), b"/target\n/labs/results\n")?;
    Ok(released)
}

/// Creates `dir` if needed; refuses one that already has contents.
fn prepare_empty_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        let mut entries =
            fs::read_dir(dir).map_err(|e| Error::new(format!("--out {}: {e}", dir.display())))?;
        if entries.next().is_some() {
            return Err(Error::new(format!(
                "--out {} is not empty; a release only writes into a new or empty folder",
                dir.display()
            )));
        }
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(|e| Error::new(format!("cannot create {}: {e}", dir.display())))
}

/// Every file under `dir`, sorted, skipping build outputs and results.
pub fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = fs::read_dir(&current)
            .map_err(|e| Error::new(format!("cannot read {}: {e}", current.display())))?;
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if !SKIPPED_DIRS.contains(&name) {
                    pending.push(path);
                }
            } else if path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| Error::new(format!("cannot read {}: {e}", path.display())))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let fail = |e: std::io::Error| Error::new(format!("cannot write {}: {e}", path.display()));
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(fail)?;
    }
    fs::write(path, bytes).map_err(fail)
}
