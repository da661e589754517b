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
    /// Extra environment variables for this run's worker processes; only
    /// the fault switch sets any ([`RunOptions::with_worker_fault`]).
    pub(crate) child_env: Vec<(String, String)>,
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

#[cfg(feature = "fault-injection")]
impl RunOptions {
    /// These options with the worker fault `spec` (`"exit@1"`, see
    /// `worker::FAULT_ENV`) set for this run's worker processes only.
    ///
    /// A test seam: tests make one run's workers fail without setting the
    /// variable for the whole test process, where every other test's workers
    /// would see it. It exists only with the `fault-injection` feature,
    /// which the crate's own tests turn on (Cargo.toml), so it is no part of
    /// the library a program builds against.
    pub fn with_worker_fault(mut self, spec: &str) -> RunOptions {
        self.child_env
            .push((super::worker::FAULT_ENV.to_string(), spec.to_string()));
        self
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
