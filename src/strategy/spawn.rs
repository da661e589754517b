//! Starting a thread or a process can fail, and the failure is the user's to fix.
//!
//! The operating system limits how many threads and processes a user may
//! have (`ulimit -u`), and a container or a batch scheduler may set that
//! limit low. `std::thread::spawn` and `Scope::spawn` *panic* when the system
//! refuses a thread, which would end a run with "internal error" (or, where a
//! thread waits for the one that panicked, hang it). So every strategy starts
//! its threads through [`scoped_thread`], [`scoped_helper`] or
//! [`thread_failed`], and its
//! processes through [`process_failed`]: a refusal is an ordinary error that
//! says which thread of how many could not start, why, and what to raise:
//!
//! ```text
//! error: cannot start thread 2 of 2: Resource temporarily unavailable (os error 11); raise ulimit -u
//! ```

use crate::Error;
use std::io;
use std::thread::{Builder, Scope, ScopedJoinHandle};

/// Starts thread `index` (counted from 0) of `count` in `scope`, named after
/// `role`, or says why it could not be started.
pub fn scoped_thread<'scope, T, F>(
    scope: &'scope Scope<'scope, '_>,
    role: &str,
    index: usize,
    count: usize,
    body: F,
) -> Result<ScopedJoinHandle<'scope, T>, Error>
where
    F: FnOnce() -> T + Send + 'scope,
    T: Send + 'scope,
{
    named(scope, format!("speedup-{role}-{index}"), body)
        .map_err(|err| thread_failed(index, count, &err))
}

/// Starts the one helper thread called `name` ("watchdog") in `scope`, or
/// says why it could not be started.
pub fn scoped_helper<'scope, T, F>(
    scope: &'scope Scope<'scope, '_>,
    name: &str,
    body: F,
) -> Result<ScopedJoinHandle<'scope, T>, Error>
where
    F: FnOnce() -> T + Send + 'scope,
    T: Send + 'scope,
{
    named(scope, format!("speedup-{name}"), body)
        .map_err(|err| refused(&format!("the {name} thread"), &err))
}

/// Starts a thread called `name` in `scope` (names show in debuggers and
/// `top -H`).
fn named<'scope, T, F>(
    scope: &'scope Scope<'scope, '_>,
    name: String,
    body: F,
) -> io::Result<ScopedJoinHandle<'scope, T>>
where
    F: FnOnce() -> T + Send + 'scope,
    T: Send + 'scope,
{
    Builder::new().name(name).spawn_scoped(scope, body)
}

/// The error for thread `index` (from 0) of `count` that could not start.
pub fn thread_failed(index: usize, count: usize, err: &io::Error) -> Error {
    refused(&format!("thread {} of {count}", index + 1), err)
}

/// The error for worker process `index` (from 0) of `count` that could not start.
pub fn process_failed(index: usize, count: usize, err: &io::Error) -> Error {
    refused(&format!("worker process {} of {count}", index + 1), err)
}

/// "cannot start WHAT: WHY", with the limit to raise when the system said
/// "try again" (EAGAIN: the per-user limit on threads and processes).
fn refused(what: &str, err: &io::Error) -> Error {
    let hint = match err.kind() {
        io::ErrorKind::WouldBlock => "; raise ulimit -u",
        io::ErrorKind::OutOfMemory => "; raise ulimit -v or free some memory",
        _ => "",
    };
    Error::new(format!("cannot start {what}: {err}{hint}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_the_system_refuses_is_an_error_naming_it() {
        // A stack as large as the address space: no system can give it, so
        // the spawn really fails (the limits themselves are tested in
        // tests/limits.rs, where the system allows it).
        let err = std::thread::scope(|scope| {
            let builder = Builder::new().stack_size(usize::MAX / 2);
            let refused = builder.spawn_scoped(scope, || ()).unwrap_err();
            thread_failed(1, 4, &refused)
        });
        let message = err.to_string();
        assert!(
            message.starts_with("cannot start thread 2 of 4: "),
            "{message}"
        );
        assert!(!message.contains('\n'), "{message}");
    }

    #[test]
    #[cfg(target_os = "linux")] // the text is Linux's strerror
    fn the_per_user_limit_is_named() {
        let again = io::Error::from_raw_os_error(libc::EAGAIN);
        assert_eq!(
            thread_failed(1, 2, &again).to_string(),
            "cannot start thread 2 of 2: Resource temporarily unavailable (os error 11); raise ulimit -u"
        );
        assert_eq!(
            process_failed(0, 3, &again).to_string(),
            "cannot start worker process 1 of 3: Resource temporarily unavailable (os error 11); raise ulimit -u"
        );
    }

    #[test]
    fn scoped_threads_that_start_run() {
        let sum: usize = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..3)
                .map(|i| scoped_thread(scope, "test", i, 3, move || i * 10).unwrap())
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(sum, 30);
    }
}
