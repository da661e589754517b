//! Value parsers shared by subcommands: each error names the flag's rule.

use crate::flags::count;
use crate::strategy::MAX_WORKERS;

/// The machine's logical CPU count: the default number of workers.
pub fn default_workers() -> usize {
    num_cpus::get().clamp(1, MAX_WORKERS)
}

/// A round count: a whole number from 1 to 1000.
pub fn rounds(text: &str) -> Result<usize, String> {
    match count(text)? {
        n @ 1..=1000 => Ok(n),
        _ => Err("must be from 1 to 1000".into()),
    }
}

/// The longest `--timeout` accepted: a week, far beyond any sensible chunk.
const MAX_TIMEOUT_S: f64 = 7.0 * 24.0 * 3600.0;

/// A time limit in seconds: a positive number, fractions allowed.
pub fn seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s <= MAX_TIMEOUT_S => Ok(s),
        _ => Err(format!(
            "must be a number of seconds above 0 and at most {MAX_TIMEOUT_S} (a week)"
        )),
    }
}
