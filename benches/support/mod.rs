//! Shared by the benches that compare two things: interleaved pairs, and
//! peers written in Python.
//!
//! **Why pairs.** On a shared machine the speed of everything drifts with
//! what else runs: timing A for a minute, then B for a minute, compares two
//! different machines. Alternating A, B, A, B, ... and taking the median of
//! the per-pair ratios B/A compares them under the same load, and the
//! median shrugs off the pair that a burst of someone else's work spoiled.

use speedup::interval::MedianInterval;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The per-pair ratios collected so far for one comparison.
#[derive(Default)]
pub struct Pairs {
    ratios: Mutex<Vec<f64>>,
}

impl Pairs {
    /// Runs `iters` pairs, `subject` then `reference`, records each pair's
    /// `subject / reference`, and returns the subject's total time (what
    /// criterion reports, through `iter_custom`).
    pub fn run(
        &self,
        iters: u64,
        mut subject: impl FnMut() -> Duration,
        mut reference: impl FnMut() -> Duration,
    ) -> Duration {
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            let a = subject();
            let b = reference();
            total += a;
            self.ratios
                .lock()
                .unwrap()
                .push(a.as_secs_f64() / b.as_secs_f64());
        }
        total
    }

    /// Prints the median of `subject / reference` over the pairs with its
    /// 95% interval (`speedup::interval`, the report's own statistics), its
    /// inverse, and the target it is held to.
    pub fn report(&self, what: &str, target: &str) {
        let ratios = self.ratios.lock().unwrap().clone();
        let Some(m) = MedianInterval::of(&ratios) else {
            return;
        };
        println!(
            "ratio  {what}: {:.3} (95% interval {:.3}–{:.3}, coverage {:.0}%; inverse {:.2}; {} interleaved pairs)  target {target}",
            m.median,
            m.low,
            m.high,
            m.coverage * 100.0,
            1.0 / m.median,
            ratios.len()
        );
    }
}

/// Wall time of one call.
pub fn time(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

/// A peer's code, timed one run at a time by a Python process of its own.
///
/// The script (in `benches/peers/`) imports what it needs, prints `ready`,
/// then for each line it reads runs its workload once and prints the run's
/// seconds, measured inside Python, so interpreter start-up is not counted.
pub struct Peer {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Peer {
    /// Starts `python3 benches/peers/SCRIPT`, or says why not and returns
    /// `None` (no python3, or the script's imports failed: numpy or ELFI not
    /// installed). The comparison is then skipped, not failed.
    pub fn start(script: &str) -> Option<Peer> {
        let path = format!("{}/benches/peers/{script}", env!("CARGO_MANIFEST_DIR"));
        let spawned = Command::new("python3")
            .arg(&path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(err) => {
                println!("skipped  {script}: cannot start python3 ({err})");
                return None;
            }
        };
        let stdin = child.stdin.take().expect("piped");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut line = String::new();
        let _ = stdout.read_line(&mut line);
        if line.trim() != "ready" {
            let _ = child.kill();
            let _ = child.wait();
            println!("skipped  {script}: its imports failed (is the peer library installed?)");
            return None;
        }
        Some(Peer {
            child,
            stdin,
            stdout,
        })
    }

    /// One run of the peer's workload, as the peer timed it.
    pub fn run_once(&mut self) -> Duration {
        writeln!(self.stdin, "run").expect("the peer reads its input");
        self.stdin.flush().expect("the peer reads its input");
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("the peer answers");
        let seconds: f64 = line.trim().parse().expect("the peer prints seconds");
        Duration::from_secs_f64(seconds)
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
