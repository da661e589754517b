//! One writer per report folder.
//!
//! Two sweeps into one `--out` would each replace the other's files, and
//! their timings would disturb each other without a word. So whoever writes
//! a report folder (`speedup sweep` and `cargo bench` from before they
//! measure, `speedup report`) first takes an exclusive `flock` on
//! `DIR/.speedup.lock`, which holds its pid for the error message. A second
//! writer fails at once, naming the first.
//!
//! The kernel drops the lock when the process ends, however it ends, so a
//! killed run never leaves the folder locked. The lock file itself stays
//! (deleting it while others may have it open would let two writers lock
//! two different files).

use crate::atomic_file::STAGING_PREFIX;
use crate::interrupt::hold_off;
use crate::{Error, Result};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lock file inside a report folder.
pub const LOCK_FILE: &str = ".speedup.lock";

/// A report folder this process alone may write, until dropped.
#[derive(Debug)]
pub struct LockedFolder {
    dir: PathBuf,
    /// Open while the lock is held: closing it releases the lock.
    _file: File,
}

impl LockedFolder {
    /// Creates `dir` if needed, checks that files can be made in it and
    /// locks it; fails at once if another process holds it.
    pub fn take(dir: &Path) -> Result<LockedFolder> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::new(format!("cannot create {}: {e}", dir.display())))?;
        let failed = |e: std::io::Error| Error::new(format!("cannot write {}: {e}", dir.display()));
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(dir.join(LOCK_FILE))
            .map_err(failed)?;
        // SAFETY: flock on a descriptor this function owns.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            let err = std::io::Error::last_os_error();
            if err.raw_os_error() != Some(libc::EWOULDBLOCK) {
                return Err(failed(err));
            }
            let holder = match holder_pid(&mut file) {
                Some(pid) => format!("another speedup (pid {pid})"),
                None => "another speedup".to_string(),
            };
            return Err(Error::new(format!("{holder} is writing {}", dir.display())));
        }
        file.set_len(0)
            .and_then(|()| file.write_all(std::process::id().to_string().as_bytes()))
            .map_err(failed)?;
        remove_leftovers(dir);
        probe(dir).map_err(failed)?;
        Ok(LockedFolder {
            dir: dir.to_path_buf(),
            _file: file,
        })
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }
}

/// The pid the lock's holder wrote (it writes it just after locking, so
/// this waits a moment for it).
fn holder_pid(file: &mut File) -> Option<u32> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(1) {
        let mut text = String::new();
        if file.rewind().is_ok() && file.read_to_string(&mut text).is_ok() {
            if let Ok(pid) = text.trim().parse() {
                return Some(pid);
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

/// Deletes staging folders that a killed run (SIGKILL, a power cut) left
/// behind: with the lock held, no one else is using them.
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(STAGING_PREFIX)
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Makes and removes an entry in `dir`: the only sure test that a report
/// can be written there (permission bits say nothing to root, and a
/// read-only mount refuses even root).
fn probe(dir: &Path) -> std::io::Result<()> {
    let path = dir.join(format!("{STAGING_PREFIX}{}.probe", std::process::id()));
    let mut hold = hold_off();
    std::fs::create_dir(&path)?;
    hold.track(&path);
    let removed = std::fs::remove_dir(&path);
    hold.forget(&path);
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("speedup-lock-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_second_writer_is_refused_by_the_first_ones_pid_until_it_lets_go() {
        let dir = scratch("second");
        let first = LockedFolder::take(&dir).unwrap();
        // A second open file description conflicts even within one process.
        let err = LockedFolder::take(&dir).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "another speedup (pid {}) is writing {}",
                std::process::id(),
                dir.display()
            )
        );
        drop(first);
        LockedFolder::take(&dir).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_killed_runs_staging_folder_is_cleared_and_the_lock_file_kept() {
        let dir = scratch("leftovers");
        std::fs::create_dir_all(dir.join(format!("{STAGING_PREFIX}99999"))).unwrap();
        std::fs::write(dir.join("notes.txt"), "mine").unwrap();
        drop(LockedFolder::take(&dir).unwrap());
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, [LOCK_FILE, "notes.txt"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_folder_inside_a_file_fails_up_front() {
        let dir = scratch("in-a-file");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("file"), "").unwrap();
        let err = LockedFolder::take(&dir.join("file/report"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("Not a directory"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
