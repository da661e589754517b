//! One error type for the whole crate.
//!
//! Every failure a user can cause (bad flags, unreadable files, a worker process
//! that died) ends up here as a sentence that names the problem and, where it
//! helps, says what to do next. `main` prints it on one line and exits non-zero:
//! a user never sees a panic or a backtrace for a mistake they made.

use std::fmt;

/// A failure, described for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl Error {
    /// An error with this message (one line, no trailing period needed).
    pub fn new(message: impl Into<String>) -> Self {
        Error(message.into())
    }

    /// Puts `context` in front of the message: "writing out.json: permission denied".
    pub fn context(self, context: impl fmt::Display) -> Self {
        Error(format!("{context}: {}", self.0))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Error(err.to_string())
    }
}

impl From<serde_json::Error> for Error {
    fn from(err: serde_json::Error) -> Self {
        Error(err.to_string())
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Returns early with an [`Error`] built from a format string.
#[macro_export]
macro_rules! bail {
    ($($arg:tt)*) => {
        return Err($crate::Error::new(format!($($arg)*)))
    };
}
