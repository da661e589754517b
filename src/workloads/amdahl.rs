//! `amdahl`: a workload whose answer to "how fast can it go?" is known
//! before it runs, so that the laws of speedup can be seen on any machine.
//!
//! One serial run does `--work` seconds of work, a share `--serial-fraction`
//! (f) of it serial and the rest split into [`CHUNKS`] equal parallel chunks.
//! Amdahl's law then says exactly what p workers give:
//! `S(p) = 1 / (f + (1 - f) / p)`, at most `1 / f`. The report's fit should
//! recover the f you set; when it does not, the gap is the strategy's own
//! overhead.
//!
//! **Where the serial part lives, and why it is serial.** It runs in
//! [`Workload::merge`]. Every strategy calls `merge` once, on the caller,
//! after the last chunk is back (`strategy/`): no worker can help with it, so
//! it takes the same time at 1 worker and at 32. That is all a "serial
//! fraction" is. (A student should notice that nothing else in the file makes
//! it serial: move the same wait into `run_chunk` and it becomes parallel.)
//!
//! **Waiting or spinning.** By default each chunk *waits* (sleeps) for its
//! share of the work: a sleeping worker needs no core, so 16 or 32 workers
//! on a 2-core laptop still run their chunks side by side, and Amdahl's curve
//! shows far past the core count (the machine ceiling shows it too: p waiting
//! copies run p times the work). With `--spin` each chunk *spins*: it burns
//! its share in CPU time of its own thread (`CLOCK_THREAD_CPUTIME_ID`), so a
//! chunk whose thread is waiting for a core takes longer in wall time, and
//! past the cores the curve flattens or falls: the machine's limits, which
//! the Universal Scalability Law describes.
//!
//! The result is deterministic like every workload's: each chunk returns one
//! number of its own random stream, and the merge folds them in chunk order
//! (a wrong order changes the checksum), whatever strategy ran them.

use crate::seeds::ChunkRng;
use crate::workload::{Outcome, Size, Workload};
use crate::{Checksum, Error, Result};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::time::{Duration, Instant};

/// Parallel chunks, whatever the worker count: 96 divides evenly among 1,
/// 2, 3, 4, 6, 8, 12, 16, 24 and 32 workers, so static blocks are balanced
/// at the counts a study uses, and each chunk is long enough (about 2 ms at
/// the defaults) that starting it costs little beside its work.
pub const CHUNKS: usize = 96;

/// The most work one serial run may be given, in seconds: a sweep runs it
/// hundreds of times, so an hour a run is already weeks of sweep.
pub const MAX_WORK_S: f64 = 3600.0;

/// Parameters of the known-answer workload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
pub struct Amdahl {
    /// Share of one serial run's work that is serial (runs once, in the merge), from 0 to 1
    #[arg(long, default_value_t = Amdahl::default().serial_fraction, value_parser = crate::flags::number, allow_hyphen_values = true, value_name = "F")]
    pub serial_fraction: f64,
    /// Seconds of work in one serial run (serial part and chunks together)
    #[arg(long, default_value_t = Amdahl::default().work, value_parser = crate::flags::number, allow_hyphen_values = true, value_name = "SECONDS")]
    pub work: f64,
    /// Spin (use a core) instead of waiting: shows the machine's limits past its cores
    #[arg(long)]
    pub spin: bool,
}

impl Default for Amdahl {
    /// f = 0.1 (at most 10× faster) and 0.2 s a serial run: short enough
    /// for a sweep to 16 workers in about a minute.
    fn default() -> Self {
        Amdahl {
            serial_fraction: 0.1,
            work: 0.2,
            spin: false,
        }
    }
}

impl Amdahl {
    /// How long the serial part takes.
    pub fn serial_part(&self) -> Duration {
        Duration::from_secs_f64(self.work * self.serial_fraction)
    }

    /// How long each parallel chunk takes.
    pub fn chunk_part(&self) -> Duration {
        Duration::from_secs_f64(self.work * (1.0 - self.serial_fraction) / CHUNKS as f64)
    }

    /// Spends `time`: waiting, or spinning in this thread's CPU time.
    fn spend(&self, time: Duration) {
        if self.spin {
            spin_cpu(time);
        } else {
            wait(time);
        }
    }
}

impl Amdahl {
    /// Spends `total` in slices of `slice` (the last one shorter), or at
    /// once when `slice` is zero.
    ///
    /// Why the serial part is spent in chunk-long slices: each wait costs a
    /// little more than its length (on a busy machine a sleeper wakes up a
    /// fraction of a millisecond late). Paid 96 times by the chunks and once
    /// by the serial part, that extra would count as parallel work and pull
    /// the measured serial fraction below the set one (0.3 showed as 0.27
    /// on a loaded 2-core machine). In slices as long as a chunk, the serial
    /// part pays it as often, per second of work, as the chunks do.
    fn spend_in_slices(&self, total: Duration, slice: Duration) {
        if slice.is_zero() {
            return self.spend(total);
        }
        let mut left = total;
        while !left.is_zero() {
            let now = left.min(slice);
            self.spend(now);
            left -= now;
        }
    }
}

/// Sleeps for `time`. On Linux the thread's timer slack is set to 1 ns
/// first: by default the kernel may wake a sleeper up to 50 µs late, and 96
/// late chunks would add 5 ms of parallel work to a 0.2 s run, enough to
/// pull the fitted serial fraction off the one set.
fn wait(time: Duration) {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_TIMERSLACK takes a number and changes only this thread.
    unsafe {
        libc::prctl(libc::PR_SET_TIMERSLACK, 1 as libc::c_ulong, 0, 0, 0);
    }
    std::thread::sleep(time);
}

/// This thread's CPU time so far.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec to write to.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Burns `time` of this thread's CPU time. Not wall time: a thread that waits
/// for a core is not spinning, so on a busy or oversubscribed machine the
/// chunk takes longer, as real computation would.
fn spin_cpu(time: Duration) {
    let until = thread_cpu_time() + time;
    let mut x = 1u64;
    // A fallback bound in wall time, in case the CPU clock is unavailable.
    let started = Instant::now();
    while thread_cpu_time() < until && started.elapsed() < time * 1000 {
        for _ in 0..256 {
            x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
        }
    }
}

impl Workload for Amdahl {
    const NAME: &'static str = "amdahl";
    /// One number of the chunk's random stream.
    type Part = u64;
    type Output = Folded;
    /// Its answer is known in advance: a teaching instrument, not a
    /// measurement of the machine, so `cargo bench` and a plain `speedup
    /// sweep` leave it out; `--workloads amdahl` measures it.
    const MEASURED_BY_DEFAULT: bool = false;

    fn validate(&self) -> Result<()> {
        let f = self.serial_fraction;
        if !(0.0..=1.0).contains(&f) {
            return Err(Error::new(format!(
                "--serial-fraction must be from 0 to 1, got {f}"
            )));
        }
        let work = self.work;
        if !(work > 0.0 && work.is_finite()) {
            return Err(Error::new(format!(
                "--work must be a number of seconds above 0, got {work}"
            )));
        }
        if work > MAX_WORK_S {
            return Err(Error::new(format!(
                "--work {work} is more than {MAX_WORK_S} seconds for one serial run (a sweep runs it hundreds of times)"
            )));
        }
        Ok(())
    }

    fn chunk_count(&self) -> usize {
        CHUNKS
    }

    fn run_chunk(&self, _chunk: usize, rng: &mut ChunkRng) -> u64 {
        self.spend(self.chunk_part());
        rng.next_u64()
    }

    /// The serial part: it runs here, once, on the caller, after every chunk
    /// (see the module's doc).
    fn merge(&self, parts: Vec<u64>) -> Folded {
        self.spend_in_slices(self.serial_part(), self.chunk_part());
        let folded = parts
            .iter()
            .fold(0u64, |acc, &part| acc.rotate_left(7) ^ part);
        Folded { parts, folded }
    }

    /// Exactly the work asked for: that is the point of this workload.
    fn serial_cost(&self) -> Option<Duration> {
        Duration::try_from_secs_f64(self.work).ok()
    }

    /// `--work`, in seconds: the work itself.
    ///
    /// Grown for weak scaling, the serial part grows with it (it stays the
    /// share `--serial-fraction` of the work), so the scaled speedup
    /// follows Amdahl's curve, not Gustafson's: Gustafson's law assumes a
    /// serial part that stays as it was while the parallel work grows.
    fn size(&self) -> Option<Size> {
        Some(Size {
            flag: "work",
            value: self.work,
            work_power: 1.0,
        })
    }

    fn resized(&self, value: f64) -> Option<Self> {
        Some(Amdahl {
            work: value,
            ..self.clone()
        })
    }
}

/// Every chunk's number, in chunk order, and their fold.
#[derive(Debug, Clone, PartialEq)]
pub struct Folded {
    pub parts: Vec<u64>,
    pub folded: u64,
}

impl Outcome for Folded {
    fn summary(&self) -> serde_json::Value {
        json!({ "chunks": self.parts.len(), "folded": format!("{:016x}", self.folded) })
    }

    fn describe(&self) -> String {
        format!("chunks  {}\nfolded  {:016x}", self.parts.len(), self.folded)
    }

    fn to_json(&self) -> serde_json::Value {
        json!({ "parts": self.parts, "folded": self.folded })
    }

    fn checksum(&self) -> Checksum {
        Checksum::of(&(self.folded, self.parts.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(amdahl: Amdahl) -> String {
        amdahl.validate().unwrap_err().to_string()
    }

    #[test]
    fn flags_outside_their_range_are_refused_in_one_line() {
        let with = |serial_fraction, work| Amdahl {
            serial_fraction,
            work,
            spin: false,
        };
        assert!(with(0.0, 0.1).validate().is_ok() && with(1.0, 0.1).validate().is_ok());
        for f in [-0.1, 1.5, f64::NAN] {
            assert!(error(with(f, 0.1)).contains("--serial-fraction must be from 0 to 1"));
        }
        for work in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(error(with(0.1, work)).contains("--work must be a number of seconds above 0"));
        }
        assert!(error(with(0.1, 1e6)).contains("more than 3600 seconds"));
        assert_eq!(with(0.1, f64::NAN).serial_cost(), None);
    }

    #[test]
    fn the_serial_part_and_the_chunks_add_up_to_the_work() {
        let a = Amdahl {
            serial_fraction: 0.25,
            work: 0.96,
            spin: false,
        };
        let total = a.serial_part() + a.chunk_part() * CHUNKS as u32;
        assert!((total.as_secs_f64() - 0.96).abs() < 1e-6, "{total:?}");
        assert!((a.serial_part().as_secs_f64() - 0.24).abs() < 1e-9);
    }

    #[test]
    fn spinning_takes_at_least_its_cpu_time() {
        let started = Instant::now();
        spin_cpu(Duration::from_millis(20));
        assert!(started.elapsed() >= Duration::from_millis(20));
    }

    #[test]
    fn the_merge_is_serial_and_folds_in_chunk_order() {
        let a = Amdahl {
            serial_fraction: 1.0,
            work: 0.02,
            spin: false,
        };
        let started = Instant::now();
        let forward = a.merge(vec![1, 2, 3]);
        // The whole work is serial here, so the merge alone takes all of it.
        assert!(started.elapsed() >= Duration::from_millis(20));
        let backward = a.merge(vec![3, 2, 1]);
        assert_ne!(forward.checksum(), backward.checksum());
    }
}
