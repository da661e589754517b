//! Writing files so that a failed run loses nothing.
//!
//! A report or result is first written to a temporary file beside its target,
//! flushed to disk, and then renamed over the target. A rename within one
//! directory is atomic: readers see the old file or the new one, never half of
//! one, and a run that fails or is interrupted leaves the old file intact.
//!
//! [`AtomicFile::create`] opens the temporary file up front, so an unwritable
//! path is reported *before* a long computation rather than after it.

use crate::{Error, Result, interrupt};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A file being written; it replaces its target only on [`AtomicFile::commit`].
#[derive(Debug)]
pub struct AtomicFile {
    target: PathBuf,
    temp: PathBuf,
    file: Option<File>,
}

impl AtomicFile {
    /// Starts writing `target`; fails now if it cannot be written.
    pub fn create(target: impl AsRef<Path>) -> Result<AtomicFile> {
        let target = target.as_ref().to_path_buf();
        let name = target
            .file_name()
            .ok_or_else(|| Error::new(format!("{}: not a file name", target.display())))?;
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".{}.tmp", std::process::id()));
        let temp = target.with_file_name(temp_name);
        let file = File::create(&temp)
            .map_err(|e| Error::new(format!("cannot write {}: {e}", target.display())))?;
        interrupt::track_temp_file(&temp);
        Ok(AtomicFile {
            target,
            temp,
            file: Some(file),
        })
    }

    /// Writes `contents` and moves the file into place.
    pub fn commit(mut self, contents: &[u8]) -> Result<()> {
        self.write(contents)?;
        self.publish()
    }

    /// Writes `contents` to the temporary file and flushes it to disk.
    fn write(&mut self, contents: &[u8]) -> Result<()> {
        let mut file = self.file.take().expect("written once");
        file.write_all(contents)
            .and_then(|()| file.sync_all())
            .map_err(|e| self.failed(e))
    }

    /// Renames the written temporary file over the target.
    fn publish(self) -> Result<()> {
        std::fs::rename(&self.temp, &self.target).map_err(|e| self.failed(e))?;
        interrupt::forget_temp_file(&self.temp);
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
        let _ = std::fs::remove_file(&self.temp);
        interrupt::forget_temp_file(&self.temp);
    }
}

/// Writes `contents` to `target` atomically.
pub fn write_atomically(target: impl AsRef<Path>, contents: &[u8]) -> Result<()> {
    AtomicFile::create(target)?.commit(contents)
}

/// Writes several files, all or none: every file is written to its temporary
/// file first, and only when all are on disk are they renamed into place, one
/// quick rename after another. A failure while writing (a full disk, an
/// unwritable name) replaces nothing.
pub fn write_all_atomically<'a>(
    files: impl IntoIterator<Item = (PathBuf, &'a [u8])>,
) -> Result<()> {
    let mut staged = Vec::new();
    for (target, contents) in files {
        let mut file = AtomicFile::create(target)?;
        file.write(contents)?;
        staged.push(file);
    }
    staged.into_iter().try_for_each(AtomicFile::publish)
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

    #[test]
    fn a_group_with_one_unwritable_file_replaces_none() {
        let dir = scratch("group");
        std::fs::write(dir.join("a.json"), "old a").unwrap();
        let files = [
            (dir.join("a.json"), &b"new a"[..]),
            (dir.join("missing-dir/b.json"), &b"new b"[..]),
        ];
        let err = write_all_atomically(files).unwrap_err().to_string();
        assert!(err.contains("missing-dir/b.json"), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.join("a.json")).unwrap(),
            "old a"
        );
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        write_all_atomically([(dir.join("a.json"), &b"new a"[..])]).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("a.json")).unwrap(),
            "new a"
        );
    }

    #[test]
    fn an_unwritable_path_fails_up_front_and_names_the_path() {
        let err = AtomicFile::create("/nonexistent-dir/out.json")
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent-dir/out.json"), "{err}");
    }
}
