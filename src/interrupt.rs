//! Ctrl-C and `kill`: stop the worker processes, tidy up, then exit.
//!
//! Ctrl-C in a terminal sends SIGINT to the whole foreground process group, so
//! process workers receive it too. But `kill PID` (SIGTERM), a closed terminal
//! (SIGHUP) or a batch scheduler's time limit reaches the parent alone, which
//! by default dies at once: its children would run on, orphaned, and its
//! half-written temporary files would stay behind.
//!
//! So the `speedup` binary calls [`install`]: on any of those signals one
//! handler (the `ctrlc` crate runs it on a thread of its own) kills and reaps
//! every live worker process, deletes unfinished temporary files, and exits
//! with status 130 (SIGHUP only where it was not ignored at start: under
//! `nohup` it stays ignored). Finished reports are never touched: they are
//! replaced only by renames (`atomic_file.rs`), and every step that creates,
//! renames or deletes a temporary file runs under [`hold_off`]: the handler
//! waits for such a step to finish before it deletes the temporary files and
//! exits. A report's commit (staging the rendered files in a hidden folder,
//! then renaming them into the report folder) is one such step, so an
//! interrupt leaves the old report whole or the new one, never a mix. (The
//! wait is moments long: the bytes are rendered before. The alternative,
//! swapping whole folders, would need the report folder to hold nothing but
//! the report.)
//!
//! The library never installs the handler itself: a program that embeds it
//! may have its own ideas about signals.
//!
//! This file knows nothing of processes: it keeps a list of things that can
//! be [`Interruptible`]-stopped, and `strategy/child.rs` puts its worker
//! handles on it.

use crate::lock::lock;
use crate::{Error, Result};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

/// Something the handler stops on an interruption (a worker process).
pub trait Interruptible: Send + Sync {
    /// Whether it still runs (it is counted in the message if so).
    fn is_running(&self) -> bool;
    /// Stops it and waits until it is gone.
    fn interrupt(&self);
}

/// The exit status after an interruption: 128 + SIGINT, as shells report it.
pub const INTERRUPTED_STATUS: i32 = 130;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static CHILDREN: Mutex<Vec<Weak<dyn Interruptible>>> = Mutex::new(Vec::new());
static TEMP_FILES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Cleans up and exits on SIGINT, SIGTERM and SIGHUP.
///
/// A SIGHUP that was ignored when the program started stays ignored: that is
/// how `nohup` (and `trap "" HUP`) says "keep running when the terminal
/// closes", and the handler would otherwise quietly undo it.
pub fn install() -> Result<()> {
    let hangup_ignored = hangup_is_ignored();
    ctrlc::set_handler(|| {
        INTERRUPTED.store(true, Ordering::SeqCst);
        let stopped = stop_children();
        // Waits for a step under `hold_off` to finish, then keeps the lock:
        // no new temporary file can appear before the exit.
        let mut temp_files = lock(&TEMP_FILES);
        for path in temp_files.drain(..) {
            remove(&path);
        }
        let workers = match stopped {
            0 => String::new(),
            1 => "; stopped 1 worker process".into(),
            n => format!("; stopped {n} worker processes"),
        };
        eprintln!("error: interrupted{workers}");
        std::process::exit(INTERRUPTED_STATUS);
    })
    .map_err(|e| Error::new(format!("cannot install the Ctrl-C handler: {e}")))?;
    if hangup_ignored {
        ignore_hangup();
    }
    Ok(())
}

/// Whether SIGHUP is ignored now (as `nohup` leaves it for the program).
fn hangup_is_ignored() -> bool {
    #[cfg(unix)]
    {
        // SAFETY: sigaction with no new action only reads the current one
        // into `current`, a zeroed sigaction of our own.
        unsafe {
            let mut current: libc::sigaction = std::mem::zeroed();
            libc::sigaction(libc::SIGHUP, std::ptr::null(), &mut current) == 0
                && current.sa_sigaction == libc::SIG_IGN
        }
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// Ignores SIGHUP again, after the handler took it over.
fn ignore_hangup() {
    #[cfg(unix)]
    // SAFETY: setting SIG_IGN for one signal touches no memory of ours.
    unsafe {
        libc::signal(libc::SIGHUP, libc::SIG_IGN);
    }
}

/// Lets the signal handler finish, if it is running.
///
/// Killing the workers makes the run fail, so the main thread may reach its
/// own error message while the handler is still cleaning up. The handler owns
/// the exit then: the main thread waits here for it instead of printing a
/// second, misleading error (a worker "died") and exiting first.
pub fn defer_to_handler() {
    if INTERRUPTED.load(Ordering::SeqCst) {
        loop {
            std::thread::park();
        }
    }
}

/// Kills and reaps every worker process still running; returns how many it killed.
fn stop_children() -> usize {
    let live: Vec<Arc<dyn Interruptible>> = lock(&CHILDREN)
        .drain(..)
        .filter_map(|w| w.upgrade())
        .collect();
    // Counted first: stopping one makes its run fail, and the run's own
    // clean-up may then stop the others before this loop reaches them.
    let running = live.iter().filter(|child| child.is_running()).count();
    for child in &live {
        child.interrupt();
    }
    running
}

/// Remembers a worker, to stop it if the run is interrupted (only while
/// someone else holds it: the list keeps no worker alive).
pub fn track_child(child: Arc<dyn Interruptible>) {
    let mut children = lock(&CHILDREN);
    children.retain(|w| w.strong_count() > 0);
    children.push(Arc::downgrade(&child));
}

/// A step the handler waits for: while this is held, an interrupt neither
/// deletes temporary files nor exits (see [`hold_off`]).
pub struct HoldOff(MutexGuard<'static, Vec<PathBuf>>);

/// Holds the handler off until the returned guard is dropped.
///
/// Creating a temporary file and putting it on the list, renaming it and
/// taking it off, and committing a whole report each run under one guard, so
/// the handler never sees half of such a step (a file created but not yet
/// listed would survive the exit). Keep the steps short: an interrupt waits
/// for them. Not reentrant: one guard at a time per thread.
pub fn hold_off() -> HoldOff {
    HoldOff(lock(&TEMP_FILES))
}

impl HoldOff {
    /// Remembers a temporary file or folder, to delete it if the run is interrupted.
    pub fn track(&mut self, path: &Path) {
        self.0.push(path.to_path_buf());
    }

    /// Forgets a temporary file or folder that was renamed into place or deleted.
    pub fn forget(&mut self, path: &Path) {
        self.0.retain(|p| p != path);
    }
}

/// Deletes a temporary file, or a temporary folder with what is in it.
fn remove(path: &Path) {
    let is_dir = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
    let _ = if is_dir {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
}
