//! What a run may be told beyond its job and its worker count.
//!
//! One set of options serves every strategy, so a caller (the CLI, the
//! sweep, the labs) never needs to know which strategy reads which option:
//! the process strategy reads the timeout, the others ignore it.

use std::time::Duration;

/// How long a worker may take to start or to answer one request, unless
/// `--timeout` says otherwise: generous, since a chunk of a big run may take
/// minutes; a hung worker is still caught.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// Options for [`Strategy::run_with`](super::Strategy::run_with).
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// How long a worker process may take to start or to answer one request
    /// before it is killed as hung (`--timeout`).
    pub timeout: Duration,
    /// Extra environment variables for worker processes: a test seam for
    /// the fault switch (see `worker::FAULT_ENV`), so that tests can make one
    /// run's workers fail without touching the whole test process's
    /// environment. Not part of the documented API.
    #[doc(hidden)]
    pub child_env: Vec<(String, String)>,
}

impl RunOptions {
    /// The default options with `timeout`.
    pub fn with_timeout(timeout: Duration) -> RunOptions {
        RunOptions {
            timeout,
            ..RunOptions::default()
        }
    }
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            timeout: DEFAULT_TIMEOUT,
            child_env: Vec::new(),
        }
    }
}
