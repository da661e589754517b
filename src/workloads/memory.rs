//! Memory that cannot be had is the user's to fix, not a crash.
//!
//! When an allocation fails, Rust's collections abort the program ("memory
//! allocation of N bytes failed", exit 134): no message of ours, no clean-up.
//! That happens under `ulimit -v`, in a container with a memory cap, or on a
//! machine without overcommit. A workload whose buffers grow with its flags
//! therefore asks for its largest buffer with [`ensure_room`] while it is
//! validated, before anything runs: `Vec::try_reserve_exact` asks the system
//! for the memory and reports a refusal instead of aborting, and the room is
//! given back at once. A refusal becomes one line naming how much was asked:
//!
//! ```text
//! error: y (--n 100000000) needs 800 MB of memory, and the system refused it (memory allocation failed); raise ulimit -v or ask for less
//! ```
//!
//! The check is made with the run's own address-space limit, so a run it
//! lets through has its largest buffer's worth of room; it is not a
//! reservation, and a run that barely fits may still be refused later.

use crate::{Error, Result};

/// Checks that `count` values of `T` fit in memory now; `what` names the
/// buffer and the flag that sizes it ("y (--n 100000000)").
pub fn ensure_room<T>(count: usize, what: &str) -> Result<()> {
    let mut probe: Vec<T> = Vec::new();
    probe.try_reserve_exact(count).map_err(|_| {
        let bytes = count.saturating_mul(std::mem::size_of::<T>());
        Error::new(format!(
            "{what} needs {} of memory, and the system refused it (memory allocation failed); \
             raise ulimit -v or ask for less",
            in_words(bytes)
        ))
    })
}

/// Bytes as a person reads them: "800 MB", "12 GB" (powers of 1000, like
/// the `--n` limit's message).
fn in_words(bytes: usize) -> String {
    const UNITS: [&str; 5] = ["bytes", "kB", "MB", "GB", "TB"];
    let mut value = bytes;
    let mut unit = 0;
    while value >= 10_000 && unit + 1 < UNITS.len() {
        value /= 1000;
        unit += 1;
    }
    format!("{value} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_that_exists_is_found() {
        assert!(ensure_room::<f64>(1000, "a small buffer").is_ok());
    }

    #[test]
    fn room_no_system_has_is_a_one_line_error() {
        // More than half the address space: every allocator refuses it.
        let err = ensure_room::<u8>(usize::MAX / 2 + 1, "the buffer (--huge)")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("the buffer (--huge) needs "), "{err}");
        assert!(err.ends_with("raise ulimit -v or ask for less"), "{err}");
        assert!(!err.contains('\n'));
    }

    #[test]
    fn sizes_are_in_words() {
        assert_eq!(in_words(512), "512 bytes");
        assert_eq!(in_words(800_000_000), "800 MB");
        assert_eq!(in_words(8_000_000_000_000), "8000 GB");
    }
}
