//! A panic on a worker thread becomes an [`Error`], not an abort.
//!
//! A panic unwinds only the thread it happens on. `std::thread::scope` and
//! rayon both catch it at the thread's edge and hand it to whoever joins,
//! as an opaque payload (`Box<dyn Any + Send>`, usually the message string).
//! The strategies turn that payload into an ordinary error, so a bug in one
//! chunk fails the run with a message instead of taking the program down.
//!
//! What else must happen when a thread panics (tell the other threads to
//! stop) is done by a guard, [`OnPanic`]: its `drop` runs while the thread
//! unwinds, the way `mpi.rs`'s `AbortOnPanic` aborts the other ranks.

use crate::Error;
use std::any::Any;

/// Runs its closure if it is dropped while its thread panics.
pub struct OnPanic<F: FnMut()>(pub F);

impl<F: FnMut()> Drop for OnPanic<F> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            (self.0)();
        }
    }
}

/// The error for a panic caught from `who` ("scoped thread 2").
pub fn to_error(who: &str, payload: Box<dyn Any + Send>) -> Error {
    Error::new(format!("{who} panicked: {}", message(&*payload)))
}

/// The text a panic was raised with (`panic!` gives a `&str` or a `String`).
pub fn message(payload: &(dyn Any + Send)) -> &str {
    match (
        payload.downcast_ref::<&str>(),
        payload.downcast_ref::<String>(),
    ) {
        (Some(text), _) => text,
        (_, Some(text)) => text,
        _ => "(no message)",
    }
}
