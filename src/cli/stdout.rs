//! Printing results so that `speedup run ... | head -1` ends quietly.
//!
//! Rust ignores SIGPIPE, so writing into a pipe whose reader has gone away
//! is an error (`BrokenPipe`), which `println!` turns into a panic. But a
//! reader that closed the pipe has read all it wanted: the program stops
//! there, successfully and silently, as `cat` and `ls` do.

use std::fmt::Display;
use std::io::{self, ErrorKind, Write};

/// Prints `text` and a newline on standard output.
pub fn print(text: impl Display) {
    let mut out = io::stdout().lock();
    if let Err(err) = writeln!(out, "{text}").and_then(|()| out.flush()) {
        if err.kind() == ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {err}");
        std::process::exit(1);
    }
}
