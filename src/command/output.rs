//! `--check-output`: does every point print what the baseline prints?
//!
//! The built-in workloads check their results with checksums; a command's
//! result is what it prints. So each run's standard output is hashed
//! (`run.rs`), the baseline's first run sets the expected hash, and a point
//! whose output differs is flagged in the report; with `--strict` the sweep
//! stops there instead. A parallel program that prints another answer at two
//! workers has a bug, and its speedup means nothing.

use crate::lock::lock;
use crate::{Error, Result};
use std::sync::Mutex;

/// The expected output and the worker counts that printed another.
#[derive(Debug, Default)]
pub struct OutputCheck {
    strict: bool,
    expected: Mutex<Option<(u64, String)>>,
    differs: Mutex<Vec<usize>>,
}

impl OutputCheck {
    /// A check that flags differences, or stops at the first (`strict`).
    pub fn new(strict: bool) -> OutputCheck {
        OutputCheck {
            strict,
            ..OutputCheck::default()
        }
    }

    /// The baseline `shown` printed output hashing to `hash`: the first
    /// such output is what every point must print.
    pub fn baseline(&self, hash: u64, shown: &str) {
        lock(&self.expected).get_or_insert_with(|| (hash, shown.to_string()));
    }

    /// The point `shown` at `workers` printed output hashing to `hash`: an
    /// error if it differs from the baseline's and the check is strict.
    pub fn point(&self, workers: usize, hash: u64, shown: &str) -> Result<()> {
        let expected = lock(&self.expected);
        let Some((want, baseline)) = &*expected else {
            return Ok(());
        };
        if *want == hash {
            return Ok(());
        }
        if self.strict {
            return Err(Error::new(format!(
                "`{shown}` printed other output than the baseline `{baseline}` \
                 (--check-output --strict)"
            )));
        }
        let mut differs = lock(&self.differs);
        if !differs.contains(&workers) {
            differs.push(workers);
            differs.sort_unstable();
        }
        Ok(())
    }

    /// The worker counts whose output differed from the baseline's.
    pub fn differing(&self) -> Vec<usize> {
        lock(&self.differs).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_flagged_or_stop_a_strict_check() {
        let check = OutputCheck::new(false);
        check.point(2, 7, "p 2").unwrap(); // nothing expected yet
        check.baseline(1, "b");
        check.baseline(9, "b again"); // the first baseline output counts
        check.point(1, 1, "p 1").unwrap();
        check.point(3, 5, "p 3").unwrap();
        check.point(2, 5, "p 2").unwrap();
        check.point(3, 5, "p 3").unwrap();
        assert_eq!(check.differing(), [2, 3]);

        let strict = OutputCheck::new(true);
        strict.baseline(1, "echo 1");
        strict.point(1, 1, "echo 1").unwrap();
        let err = strict.point(2, 2, "echo 2").unwrap_err().to_string();
        assert_eq!(
            err,
            "`echo 2` printed other output than the baseline `echo 1` (--check-output --strict)"
        );
    }
}
