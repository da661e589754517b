//! Locking a mutex that a panicking thread may have poisoned.
//!
//! A poisoned lock only means some thread panicked while holding it. The
//! lists this crate keeps behind locks (worker processes to stop, temporary
//! files to delete, thread pools) are still right then, and the clean-up
//! that reads them must go on, so every lock here is taken this one way.

use std::sync::{Mutex, MutexGuard};

/// Locks `mutex`, poisoned or not.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
