//! Timing the mpi strategy from a sweep: one MPI launch per run.
//!
//! An MPI run cannot happen inside the sweep's own process: its ranks are
//! processes that a launcher (`mpirun`) starts, and a process runs MPI only
//! once. So for each run the sweep launches
//!
//! ```text
//! <launcher, {workers} replaced> <speedup> run <workload> --strategy mpi --seed S --json
//! ```
//!
//! and reads the wall time rank 0 measured and printed: from the moment every
//! rank is ready to the merged result, just like an in-process run. Starting
//! the processes, `MPI_Init` and `MPI_Finalize` are outside it;
//! [`Launcher::launch_cost`] measures them on their own.
//!
//! The template is split on whitespace and run without a shell, so
//! `"mpirun --hostfile hosts -n {workers}"` works and nothing is interpreted.

use crate::{Error, Result};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// Where a launcher template puts the number of ranks.
pub const WORKERS: &str = "{workers}";

/// A command template that starts `speedup` on a number of MPI ranks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launcher {
    words: Vec<String>,
    program: PathBuf,
}

impl Launcher {
    /// `template` (such as `mpirun -n {workers}`) launching `program`, the
    /// `speedup` binary.
    pub fn new(template: &str, program: PathBuf) -> Result<Launcher> {
        let words: Vec<String> = template.split_whitespace().map(String::from).collect();
        if !words.iter().any(|word| word.contains(WORKERS)) {
            return Err(Error::new(format!(
                "--launcher '{template}' has no {WORKERS}: write where the rank count goes, \
                 as in \"mpirun -n {WORKERS}\""
            )));
        }
        Ok(Launcher { words, program })
    }

    /// Runs `speedup run <args> --strategy mpi --json` on `workers` ranks
    /// and returns rank 0's JSON record and the seconds the launch took.
    pub fn run(&self, workers: usize, args: &[&str]) -> Result<(Value, f64)> {
        let count = workers.to_string();
        let mut words = self.words.iter().map(|word| word.replace(WORKERS, &count));
        let launcher = words.next().expect("a template has at least one word");
        let mut command = Command::new(&launcher);
        command
            .args(words)
            .arg(&self.program)
            .arg("run")
            .args(args)
            .args(["--strategy", "mpi", "--json"]);
        let what = format!("the mpi run `{} {}`", launcher, args.join(" "));
        let start = Instant::now();
        let out = command
            .output()
            .map_err(|e| Error::new(format!("cannot start {launcher} (--launcher): {e}")))?;
        let seconds = start.elapsed().as_secs_f64();
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let why = stderr
                .lines()
                .find(|line| line.starts_with("error:"))
                .or_else(|| stderr.lines().find(|line| !line.trim().is_empty()))
                .unwrap_or("no message");
            return Err(Error::new(format!(
                "{what} on {workers} ranks failed ({}): {why}",
                out.status
            )));
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        let record = stdout
            .lines()
            .rev()
            .find_map(|line| serde_json::from_str::<Value>(line).ok())
            .ok_or_else(|| Error::new(format!("{what} on {workers} ranks printed no result")))?;
        Ok((record, seconds))
    }

    /// The wall time rank 0 measured for one run of `workload` (default
    /// parameters, like every sweep point) on `workers` ranks.
    pub fn time(&self, workload: &str, workers: usize, seed: u64) -> Result<f64> {
        let seed = seed.to_string();
        let (record, _) = self.run(workers, &[workload, "--seed", &seed])?;
        wall_seconds(&record)
    }

    /// What a launch costs on `workers` ranks beyond the work: the time from
    /// starting the launcher to its exit, less rank 0's wall time, for a run
    /// with next to nothing to do.
    pub fn launch_cost(&self, workers: usize) -> Result<f64> {
        let (record, outside) = self.run(workers, &["integration", "--samples", "2"])?;
        Ok((outside - wall_seconds(&record)?).max(0.0))
    }
}

fn wall_seconds(record: &Value) -> Result<f64> {
    record["wall_seconds"]
        .as_f64()
        .ok_or_else(|| Error::new(format!("an mpi run's record has no wall time: {record}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_need_the_placeholder() {
        let err = Launcher::new("mpirun -n 4", "speedup".into())
            .unwrap_err()
            .to_string();
        assert!(err.contains("{workers}"), "{err}");
        assert!(Launcher::new(" mpirun  -n {workers} ", "speedup".into()).is_ok());
    }

    #[test]
    fn a_missing_launcher_is_named() {
        let launcher =
            Launcher::new("no-such-launcher-xyz -n {workers}", "speedup".into()).unwrap();
        let err = launcher.time("integration", 2, 1).unwrap_err().to_string();
        assert!(err.contains("no-such-launcher-xyz"), "{err}");
    }
}
