//! Writing files so that a failed run loses nothing, and destroys nothing.
//!
//! A result is first written to a temporary file beside its target, flushed
//! to disk, and then renamed over the target. A rename within one directory
//! is atomic: readers see the old file or the new one, never half of one, and
//! a run that fails or is interrupted leaves the old file intact.
//!
//! The rename trick is only for regular files (and new paths): renaming over
//! `/dev/null` as root would replace the device with a file, and renaming over
//! a FIFO would cut off whoever reads it. So the target is looked at first:
//!
//! - a symlink is followed, and the file it points to is written (the link
//!   stays a link);
//! - a device, FIFO or socket, or anything reached through `/proc` (such as
//!   `/dev/stdout`), is written in place: opened for writing, no temporary;
//! - a folder is refused at once;
//! - anything else gets the temporary file and the rename.
//!
//! [`AtomicFile::create`] does all of this up front, so a bad path is
//! reported *before* a long computation rather than after it.
//!
//! [`write_folder`] does the same for a whole report: every file is staged
//! in a hidden folder inside the report folder, and the staged files are then
//! renamed into place in one step that the Ctrl-C handler waits for
//! ([`crate::interrupt::hold_off`]), so an interrupt leaves the old report or the new
//! one, never a mix.

use crate::interrupt::hold_off;
use crate::{Error, Result};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The name of a report's staging folder starts with this, then the pid.
pub const STAGING_PREFIX: &str = ".speedup-staging.";

/// Test switch: milliseconds to pause before each step of a folder's commit,
/// so that a test can interrupt a commit at every step (`tests/interrupts.rs`).
pub const COMMIT_PAUSE_ENV: &str = "SPEEDUP_TEST_COMMIT_PAUSE_MS";

/// A file being written; it replaces its target only on [`AtomicFile::commit`].
#[derive(Debug)]
pub struct AtomicFile {
    /// The path as the user gave it, for messages.
    target: PathBuf,
    how: How,
}

/// How a target is written.
#[derive(Debug)]
enum How {
    /// A regular file or a new path: `temp` is renamed over `dest` (the
    /// target with its symlinks followed).
    Renamed {
        dest: PathBuf,
        temp: PathBuf,
        file: Option<File>,
    },
    /// A device, FIFO or socket: written where it is. A FIFO is opened only
    /// when written, since opening it waits for a reader.
    InPlace { file: Option<File>, truncate: bool },
}

impl AtomicFile {
    /// Starts writing `target`; fails now if it cannot be written.
    pub fn create(target: impl AsRef<Path>) -> Result<AtomicFile> {
        let target = target.as_ref().to_path_buf();
        let failed =
            |e: std::io::Error| Error::new(format!("cannot write {}: {e}", target.display()));
        let how = match std::fs::metadata(&target) {
            Ok(meta) if meta.is_dir() => {
                return Err(failed(std::io::Error::from_raw_os_error(libc::EISDIR)));
            }
            Ok(meta) if !meta.is_file() => in_place(&target, &meta).map_err(failed)?,
            _ => match follow_links(&target).map_err(failed)? {
                // `/dev/stdout` and its kind: whatever the descriptor is,
                // written where it is.
                None => How::InPlace {
                    file: Some(open_for_writing(&target, true).map_err(failed)?),
                    truncate: true,
                },
                Some(dest) => {
                    let temp = temp_beside(&dest).map_err(failed)?;
                    let mut hold = hold_off();
                    let file = File::create(&temp).map_err(failed)?;
                    hold.track(&temp);
                    How::Renamed {
                        dest,
                        temp,
                        file: Some(file),
                    }
                }
            },
        };
        Ok(AtomicFile { target, how })
    }

    /// Writes `contents` and moves the file into place.
    pub fn commit(mut self, contents: &[u8]) -> Result<()> {
        self.write(contents)?;
        self.publish()
    }

    /// Writes `contents` (for a renamed file, to the temporary file, flushed to disk).
    fn write(&mut self, contents: &[u8]) -> Result<()> {
        let result = match &mut self.how {
            How::Renamed { file, .. } => {
                let mut file = file.take().expect("written once");
                file.write_all(contents).and_then(|()| file.sync_all())
            }
            How::InPlace { file, truncate } => {
                let opened = match file.take() {
                    Some(file) => Ok(file),
                    None => open_for_writing(&self.target, *truncate),
                };
                opened.and_then(|mut file| file.write_all(contents))
            }
        };
        result.map_err(|e| self.failed(e))
    }

    /// Renames the written temporary file over the target (nothing to do
    /// for a target written in place).
    fn publish(self) -> Result<()> {
        if let How::Renamed { dest, temp, .. } = &self.how {
            let mut hold = hold_off();
            std::fs::rename(temp, dest).map_err(|e| self.failed(e))?;
            hold.forget(temp);
        }
        Ok(())
    }

    fn failed(&self, err: std::io::Error) -> Error {
        Error::new(format!("cannot write {}: {err}", self.target.display()))
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Not committed, or the rename failed: remove the temporary file. (After
        // a commit it is gone already, and this does nothing.)
        if let How::Renamed { temp, .. } = &self.how {
            let mut hold = hold_off();
            let _ = std::fs::remove_file(temp);
            hold.forget(temp);
        }
    }
}

/// How to write an existing target that is neither a file nor a folder.
fn in_place(target: &Path, meta: &std::fs::Metadata) -> std::io::Result<How> {
    use std::os::unix::fs::FileTypeExt;
    if meta.file_type().is_fifo() {
        // Opening would wait for a reader: check now, open when writing.
        let path = std::ffi::CString::new(target.as_os_str().as_encoded_bytes())?;
        // SAFETY: `path` is a valid NUL-terminated string for the call.
        if unsafe { libc::access(path.as_ptr(), libc::W_OK) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        return Ok(How::InPlace {
            file: None,
            truncate: false,
        });
    }
    Ok(How::InPlace {
        file: Some(open_for_writing(target, false)?),
        truncate: false,
    })
}

fn open_for_writing(path: &Path, truncate: bool) -> std::io::Result<File> {
    OpenOptions::new().write(true).truncate(truncate).open(path)
}

/// Where a write to `path` lands: `path` with every symlink of its last
/// component followed (the file may not exist yet), or `None` for a path
/// that leads through /proc (`/dev/stdout`, `/dev/fd/1`): the kernel's links
/// to open descriptors, which only opening the path follows rightly (the
/// descriptor may be a pipe, or a file the shell opened).
fn follow_links(path: &Path) -> std::io::Result<Option<PathBuf>> {
    let mut path = path.to_path_buf();
    // As many links as the kernel follows before it gives up (ELOOP).
    for _ in 0..40 {
        if in_proc(&path) {
            return Ok(None);
        }
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&path)?;
                path = match path.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(Some(path)),
        }
    }
    Err(std::io::Error::from_raw_os_error(libc::ELOOP))
}

/// Whether `path`'s folder is in /proc (through symlinks such as /dev/fd).
fn in_proc(path: &Path) -> bool {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::canonicalize(folder).is_ok_and(|folder| folder.starts_with("/proc"))
}

/// `.NAME.PID.tmp` beside `dest`.
fn temp_beside(dest: &Path) -> std::io::Result<PathBuf> {
    let name = dest
        .file_name()
        .ok_or_else(|| std::io::Error::from_raw_os_error(libc::EISDIR))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".{}.tmp", std::process::id()));
    Ok(dest.with_file_name(temp_name))
}

/// Writes `contents` to `target` atomically (see [`AtomicFile`]).
pub fn write_atomically(target: impl AsRef<Path>, contents: &[u8]) -> Result<()> {
    AtomicFile::create(target)?.commit(contents)
}

/// Writes a folder's files, all or none, and removes the `stale` ones (files
/// an earlier write put there that the new set does not have), in one step.
///
/// Every file is first written into a hidden staging folder inside `dir` (the
/// same file system, so a rename moves it); a failure there (a full disk)
/// replaces nothing. Then each staged file is renamed into place and the
/// stale ones are deleted. All of it runs under [`hold_off`]: an interrupt
/// waits for it (the bytes are rendered already: writing them takes
/// moments), so it leaves the old set whole or the new one, and no staging
/// folder. The
/// caller holds `dir`'s lock ([`crate::folder_lock`]), so no other writer
/// mixes in. Names must be plain file names.
pub fn write_folder(dir: &Path, files: &[(String, Vec<u8>)], stale: &[String]) -> Result<()> {
    for (name, _) in files {
        crate::names::plain_name(name)?;
        // A folder in a file's place would stop the commit halfway: refuse it now.
        let target = dir.join(name);
        if target.is_dir() {
            let err = std::io::Error::from_raw_os_error(libc::EISDIR);
            return Err(Error::new(format!(
                "cannot write {}: {err}",
                target.display()
            )));
        }
    }
    let failed = |e: std::io::Error| Error::new(format!("cannot write {}: {e}", dir.display()));
    let staging = dir.join(format!("{STAGING_PREFIX}{}", std::process::id()));
    // Held from here to the end: the handler deleting the staging folder
    // while files are still being written into it could leave it behind.
    let mut hold = hold_off();
    std::fs::create_dir(&staging).map_err(failed)?;
    hold.track(&staging);
    let staged = files.iter().try_for_each(|(name, bytes)| {
        let mut file = File::create(staging.join(name))?;
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(e) = staged {
        let _ = std::fs::remove_dir_all(&staging);
        hold.forget(&staging);
        return Err(failed(e));
    }
    let pause = commit_pause();
    let committed = files
        .iter()
        .try_for_each(|(name, _)| {
            std::thread::sleep(pause);
            std::fs::rename(staging.join(name), dir.join(name))
        })
        .and_then(|()| {
            stale.iter().try_for_each(|name| {
                std::thread::sleep(pause);
                match std::fs::remove_file(dir.join(name)) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                    _ => Ok(()),
                }
            })
        });
    let _ = std::fs::remove_dir_all(&staging);
    hold.forget(&staging);
    committed.map_err(failed)
}

/// The pause before each step of a commit ([`COMMIT_PAUSE_ENV`]; none unless set).
fn commit_pause() -> Duration {
    let millis = std::env::var(COMMIT_PAUSE_ENV).ok();
    Duration::from_millis(millis.and_then(|m| m.parse().ok()).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("speedup-atomic-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn commit_replaces_the_target_and_leaves_no_temporary_file() {
        let dir = scratch("commit");
        let target = dir.join("out.json");
        std::fs::write(&target, "old").unwrap();
        write_atomically(&target, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    }

    #[test]
    fn an_abandoned_write_keeps_the_old_file() {
        let dir = scratch("abandon");
        let target = dir.join("out.json");
        std::fs::write(&target, "old").unwrap();
        drop(AtomicFile::create(&target).unwrap());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        list.iter()
            .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn a_folder_write_replaces_the_files_removes_the_stale_ones_and_leaves_no_staging() {
        let dir = scratch("folder");
        for name in ["a.svg", "old.svg", "user-notes.txt"] {
            std::fs::write(dir.join(name), "old").unwrap();
        }
        let stale = ["old.svg".to_string(), "gone-already.svg".to_string()];
        write_folder(
            &dir,
            &files(&[("a.svg", "new a"), ("b.svg", "new b")]),
            &stale,
        )
        .unwrap();
        assert_eq!(names_in(&dir), ["a.svg", "b.svg", "user-notes.txt"]);
        assert_eq!(std::fs::read_to_string(dir.join("a.svg")).unwrap(), "new a");
    }

    #[test]
    fn a_folder_write_that_cannot_stage_replaces_nothing() {
        let dir = scratch("unstaged");
        std::fs::write(dir.join("a.svg"), "old a").unwrap();
        // A name refused before anything is staged, then a folder that is not there.
        let err = write_folder(&dir, &files(&[("a.svg", "new a"), ("", "x")]), &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("is empty"), "{err}");
        let missing = dir.join("missing");
        let err = write_folder(&missing, &files(&[("a.svg", "new")]), &[])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("cannot write") && err.contains("missing"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(dir.join("a.svg")).unwrap(), "old a");
        assert_eq!(names_in(&dir), ["a.svg"]);
    }

    #[test]
    fn a_folder_in_a_files_place_is_refused_before_anything_moves() {
        let dir = scratch("folder-in-place");
        std::fs::write(dir.join("a.svg"), "old a").unwrap();
        std::fs::create_dir(dir.join("b.svg")).unwrap();
        let err = write_folder(&dir, &files(&[("a.svg", "new a"), ("b.svg", "new b")]), &[])
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with("b.svg: Is a directory (os error 21)"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(dir.join("a.svg")).unwrap(), "old a");
        assert_eq!(names_in(&dir), ["a.svg", "b.svg"]);
    }

    #[test]
    fn a_name_with_a_separator_never_leaves_the_folder() {
        let dir = scratch("escape");
        let err = write_folder(&dir, &files(&[("../escaped.svg", "x")]), &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("path separator"), "{err}");
        assert!(!dir.parent().unwrap().join("escaped.svg").exists());
    }

    #[test]
    fn a_symlink_keeps_its_link_and_its_target_gets_the_content() {
        let dir = scratch("symlink");
        std::fs::write(dir.join("real.json"), "old").unwrap();
        std::os::unix::fs::symlink("real.json", dir.join("link.json")).unwrap();
        write_atomically(dir.join("link.json"), b"new").unwrap();
        let link = std::fs::symlink_metadata(dir.join("link.json")).unwrap();
        assert!(link.file_type().is_symlink());
        assert_eq!(
            std::fs::read_to_string(dir.join("real.json")).unwrap(),
            "new"
        );
        assert_eq!(names_in(&dir), ["link.json", "real.json"]);
    }

    #[test]
    fn a_folder_as_target_is_refused_before_anything_is_written() {
        let dir = scratch("is-a-folder");
        let err = AtomicFile::create(&dir).unwrap_err().to_string();
        assert!(err.ends_with("Is a directory (os error 21)"), "{err}");
        assert!(names_in(&dir).is_empty(), "no temporary file beside it");
    }

    #[test]
    fn an_unwritable_path_fails_up_front_and_names_the_path() {
        let err = AtomicFile::create("/nonexistent-dir/out.json")
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent-dir/out.json"), "{err}");
    }
}
