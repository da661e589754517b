//! A temporary file that takes one output stream of a child process.
//!
//! A child's output goes to a file rather than a pipe, so no thread has to
//! drain it while the parent watches the clock, and a child that writes a
//! lot never blocks on a full pipe. The file is created new (nothing already
//! there is reused), put on the interrupt handler's list in the same
//! held-off step (`interrupt.rs`), and deleted when dropped. MPI launches
//! (`launcher.rs`) and measured commands (`command/`) capture this way.

use crate::interrupt;
use crate::{Error, Result};
use std::fs::File;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One stream of one child's output, in a temporary file.
pub struct Capture {
    path: PathBuf,
}

impl Capture {
    /// A capture named after `what` (`launch`, `command`) and the `stream`
    /// (`out`, `err`); nothing is created until [`Capture::file`].
    pub fn new(what: &str, stream: &str) -> Capture {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "speedup-{what}-{}-{}.{stream}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        Capture { path }
    }

    /// The file, created new, and put on the interrupt handler's list in
    /// the same held-off step.
    pub fn file(&self) -> Result<File> {
        let mut held = interrupt::hold_off();
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(&self.path)
            .map_err(|e| Error::new(format!("cannot create {}: {e}", self.path.display())))?;
        held.track(&self.path);
        Ok(file)
    }

    /// What the child wrote there, as bytes.
    pub fn bytes(&self) -> Vec<u8> {
        std::fs::read(&self.path).unwrap_or_default()
    }

    /// What the child wrote there, as text.
    pub fn read(&self) -> String {
        String::from_utf8_lossy(&self.bytes()).into_owned()
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        let mut held = interrupt::hold_off();
        let _ = std::fs::remove_file(&self.path);
        held.forget(&self.path);
    }
}
