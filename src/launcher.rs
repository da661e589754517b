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
//!
//! **A launch never outlives its sweep.** A hung `mpirun` (a rank waiting for
//! a peer that never came, a host that does not answer) would hang the sweep
//! forever, and its ranks would outlive Ctrl-C. So each launch starts in a
//! process group of its own (`process_group.rs`), with the sweep's `--timeout` as its limit: past
//! it, or on Ctrl-C/SIGTERM (the launch is on the interrupt handler's list,
//! `interrupt.rs`), the whole group is killed and the launcher reaped. Its
//! output goes to temporary files rather than pipes, so no thread has to
//! drain them while the sweep watches the clock.

use crate::capture::Capture;
use crate::command::Template;
use crate::process_group::GroupChild;
use crate::run_record::RunRecord;
use crate::{Error, Result};
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where a launcher template puts the number of ranks.
pub use crate::command::WORKERS;

/// A command template that starts `speedup` on a number of MPI ranks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launcher {
    template: Template,
    program: PathBuf,
    timeout: Duration,
}

impl Launcher {
    /// `template` (such as `mpirun -n {workers}`) launching `program`, the
    /// `speedup` binary; a launch that takes longer than `timeout` is killed.
    pub fn new(template: &str, program: PathBuf, timeout: Duration) -> Result<Launcher> {
        let template = Template::split(template);
        if !template.has_placeholder() {
            return Err(Error::new(format!(
                "--launcher '{}' has no {WORKERS}: write where the rank count goes, \
                 as in \"mpirun -n {WORKERS}\"",
                template.text()
            )));
        }
        Ok(Launcher {
            template,
            program,
            timeout,
        })
    }

    /// Runs `speedup run <args> --strategy mpi --json` on `workers` ranks
    /// and returns rank 0's JSON record and the seconds the launch took.
    pub fn run(&self, workers: usize, args: &[&str]) -> Result<(Value, f64)> {
        let mut words = self.template.words_at(workers).into_iter();
        let launcher = words.next().unwrap_or_default();
        let mut command = Command::new(&launcher);
        command
            .args(words)
            .arg(&self.program)
            .arg("run")
            .args(args)
            .args(["--strategy", "mpi", "--json"]);
        let what = format!("the mpi run `{} {}`", launcher, args.join(" "));
        let (stdout, stderr) = (Capture::new("launch", "out"), Capture::new("launch", "err"));
        command
            .stdin(Stdio::null())
            .stdout(stdout.file()?)
            .stderr(stderr.file()?);
        let start = Instant::now();
        let launch = GroupChild::start(&mut command)
            .map_err(|e| Error::new(format!("cannot start {launcher} (--launcher): {e}")))?;
        let Some(exit) = launch.wait(self.timeout) else {
            launch.kill();
            return Err(Error::new(format!(
                "{what} on {workers} ranks did not end within {} s, so it was killed with \
                 every process it started (raise --timeout if a launch really takes this long)",
                self.timeout.as_secs_f64()
            )));
        };
        let seconds = start.elapsed().as_secs_f64();
        let (stdout, stderr, status) = (stdout.read(), stderr.read(), exit.status);
        if !status.success() {
            let why = stderr
                .lines()
                .find(|line| line.starts_with("error:"))
                .or_else(|| stderr.lines().find(|line| !line.trim().is_empty()))
                .unwrap_or("no message");
            return Err(Error::new(format!(
                "{what} on {workers} ranks failed ({status}): {why}"
            )));
        }
        let record = stdout
            .lines()
            .rev()
            .find_map(|line| serde_json::from_str::<Value>(line).ok())
            .ok_or_else(|| Error::new(format!("{what} on {workers} ranks printed no result")))?;
        Ok((record, seconds))
    }

    /// The wall time rank 0 measured for one run of `workload` (default
    /// parameters, like every sweep point) on `workers` ranks, with every
    /// rank's busy time.
    pub fn record(&self, workload: &str, workers: usize, seed: u64) -> Result<RunRecord> {
        let seed = seed.to_string();
        let (record, _) = self.run(workers, &[workload, "--seed", &seed])?;
        Ok(RunRecord {
            seconds: wall_seconds(&record)?,
            busy_s: busy_seconds(&record),
            ..RunRecord::default()
        })
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

/// Each rank's busy seconds, as rank 0 printed them (`busy_seconds`);
/// empty from a `speedup` that does not print them.
fn busy_seconds(record: &Value) -> Vec<f64> {
    let busy = record["busy_seconds"].as_array();
    busy.map(|all| all.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interrupt::Interruptible;

    const LIMIT: Duration = Duration::from_secs(60);

    #[test]
    fn templates_need_the_placeholder() {
        let err = Launcher::new("mpirun -n 4", "speedup".into(), LIMIT)
            .unwrap_err()
            .to_string();
        assert!(err.contains("{workers}"), "{err}");
        assert!(Launcher::new(" mpirun  -n {workers} ", "speedup".into(), LIMIT).is_ok());
    }

    /// A launcher that hangs, with a child of its own (as `mpirun` has
    /// ranks), both writing their pids to `pids` in `dir`. It is run as
    /// `sh SCRIPT`: executing a file just written can fail with "Text file
    /// busy" while another test thread forks.
    fn hanging_launcher(dir: &std::path::Path) -> PathBuf {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
        let script = dir.join("hang.sh");
        let pids = dir.join("pids");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nsleep 100 &\necho $! >> {0}\necho $$ >> {0}\nwait\n",
                pids.display()
            ),
        )
        .unwrap();
        script
    }

    /// The pids the hanging launcher wrote, once both are there.
    fn launched_pids(dir: &std::path::Path) -> Vec<u32> {
        let start = Instant::now();
        loop {
            let text = std::fs::read_to_string(dir.join("pids")).unwrap_or_default();
            let pids: Vec<u32> = text.lines().filter_map(|l| l.parse().ok()).collect();
            if pids.len() == 2 {
                return pids;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no pids: {text:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until none of `pids` runs (gone, or a zombie for init to reap).
    fn all_gone(pids: &[u32]) -> bool {
        let running = |pid: &u32| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| {
                    let state = stat.rsplit_once(')')?.1.trim_start().chars().next()?;
                    Some(state != 'Z')
                })
                .unwrap_or(false)
        };
        let start = Instant::now();
        while pids.iter().any(running) {
            if start.elapsed() > Duration::from_secs(10) {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        true
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_launch_past_the_timeout_is_killed_with_everything_it_started() {
        let dir = std::env::temp_dir().join(format!("speedup-launcher-{}-t", std::process::id()));
        let script = hanging_launcher(&dir);
        let template = format!("sh {} {{workers}}", script.display());
        let launcher = Launcher::new(&template, "speedup".into(), Duration::from_secs(2)).unwrap();
        let err = launcher
            .record("integration", 2, 1)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "the mpi run `sh integration --seed 1` on 2 ranks did not end within 2 s, so it was \
             killed with every process it started (raise --timeout if a launch really takes \
             this long)"
        );
        assert!(all_gone(&launched_pids(&dir)), "a launched process remains");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn an_interrupted_launch_is_killed_with_everything_it_started() {
        // What the Ctrl-C handler does to every launch on its list.
        let dir = std::env::temp_dir().join(format!("speedup-launcher-{}-i", std::process::id()));
        let script = hanging_launcher(&dir);
        let launch = GroupChild::start(Command::new("sh").arg(&script)).unwrap();
        let pids = launched_pids(&dir);
        assert!(launch.is_running());
        launch.interrupt();
        assert!(!launch.is_running());
        assert!(all_gone(&pids), "a launched process remains");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_missing_launcher_is_named() {
        let launcher =
            Launcher::new("no-such-launcher-xyz -n {workers}", "speedup".into(), LIMIT).unwrap();
        let err = launcher
            .record("integration", 2, 1)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no-such-launcher-xyz"), "{err}");
    }
}
