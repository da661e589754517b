//! The machine's ceiling: what p independent serial jobs get at once.
//!
//! "Ideal speedup equals p" assumes p cores that do not slow each other
//! down. Real cores share caches, memory bandwidth and power (turbo clocks
//! drop when more cores are busy); SMT siblings share a core; on a cloud VM
//! a "CPU" may be a hyperthread whose twin serves another tenant. None of
//! that is the parallel code's fault.
//!
//! So beside every curve we measure the machine itself: p copies of the
//! whole serial run, each on its own thread with its own seed, sharing
//! nothing. If they take `T_copies` while one takes `T_serial`, the machine
//! delivered
//!
//! ```text
//! ceiling(p) = p · T_serial / T_copies
//! ```
//!
//! times the work of one core. A strategy at p workers that reaches, say,
//! 97% of `ceiling(p)` has almost no overhead of its own: what it lacks of
//! p is the machine's limit, not the code's. At p = 1 the ceiling is serial
//! against serial, the serial point itself.

use super::rounds::Contestant;
use crate::run_record::RunRecord;
use crate::{Error, Result};
use std::time::Instant;

/// The strategy label the ceiling's runs carry in measurements.
pub const CEILING: &str = "ceiling";

/// Runs `run(copy)` for `copy` in `0..copies`, all at once on threads of
/// their own, and returns the wall time until the last one finished.
pub fn copies_at_once(copies: usize, run: &(dyn Fn(usize) -> Result<()> + Sync)) -> Result<f64> {
    let start = Instant::now();
    std::thread::scope(|scope| {
        // A thread the system refuses (`ulimit -u`) is an error, not a panic;
        // the copies already started finish before the scope ends.
        let started: Vec<_> = (0..copies)
            .map(|copy| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || run(copy))
                    .map_err(|e| {
                        Error::new(format!(
                            "cannot start serial copy {} of {copies} for the machine ceiling: \
                             {e}; raise ulimit -u",
                            copy + 1
                        ))
                    })
            })
            .collect();
        let mut first_error = None;
        for handle in started {
            let outcome = handle.and_then(|handle| {
                handle
                    .join()
                    .map_err(|_| Error::new("a serial copy of the machine ceiling panicked"))?
            });
            if let Err(err) = outcome {
                first_error.get_or_insert(err);
            }
        }
        first_error.map_or(Ok(()), Err)
    })?;
    Ok(start.elapsed().as_secs_f64())
}

/// The contestant that measures the ceiling at `copies`: each of its runs
/// starts `run_copy(0)` .. `run_copy(copies - 1)` at once.
pub fn ceiling<'a, F>(copies: usize, run_copy: F) -> Contestant<'a>
where
    F: Fn(usize) -> Result<()> + Sync + 'a,
{
    Contestant {
        strategy: CEILING.into(),
        workers: copies,
        run: Box::new(move || copies_at_once(copies, &run_copy).map(RunRecord::of_seconds)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Barrier;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn every_copy_runs_once_and_all_at_once() {
        let ran = AtomicUsize::new(0);
        let seen = std::sync::Mutex::new(Vec::new());
        // A barrier that opens only when all four copies wait at it: run one
        // after another, they would never get past it.
        let together = Barrier::new(4);
        let wall = copies_at_once(4, &|copy| {
            together.wait();
            ran.fetch_add(1, Ordering::Relaxed);
            seen.lock().unwrap().push(copy);
            Ok(())
        })
        .unwrap();
        assert_eq!(ran.load(Ordering::Relaxed), 4);
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        assert_eq!(seen, [0, 1, 2, 3], "each copy has its own index");
        assert!(wall > 0.0);
    }

    #[test]
    fn a_failing_copy_fails_the_measurement() {
        let err = copies_at_once(2, &|copy| {
            if copy == 1 {
                Err(Error::new("copy 1 broke"))
            } else {
                Ok(())
            }
        })
        .unwrap_err();
        assert!(err.to_string().contains("copy 1 broke"), "{err}");
    }
}
