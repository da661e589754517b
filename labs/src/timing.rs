//! Timing your code with the project's harness, next to the library's own.
//!
//! Every lab's `time` command ends up here. Your versions are closures: a
//! lab puts them in a [`Study`] (your serial version first, then each
//! parallel version at each worker count), and [`Study::measure`] times
//! them with the engine behind `cargo bench` and `speedup sweep`
//! (`speedup::measure`): interleaved rounds in a fresh random order, each
//! run between two runs of your serial version, speedups as medians of the
//! per-run ratios with 95% intervals. Beside your curve it measures the
//! machine ceiling: p copies of your serial version at once, what this
//! machine gives p independent jobs. The library's strategies run in the
//! same rounds, so your numbers and the library's are taken side by side.
//!
//! Everything comes back as [`Measurement`]s, the one type the report and
//! its figures read: print them ([`table`]), save them ([`save`]) or hand
//! them to the report writer.
//!
//! **Busy time.** A version whose chunk loop runs each chunk through
//! [`busy`] tells, per run, how long each of its threads spent running
//! chunks; the table then shows its load balance (mean busy / max busy over
//! the workers, as the report's efficiency split does) next to its speedup.
//!
//! This module names no lab: the labs use it, never the other way round.
//! Choosing which lab to time is [`crate::measurements`]' job.

use speedup::atomic_file::AtomicFile;
use speedup::measure::{CEILING, Contestant, Group, Plan, RoundsBar, RunRecord, run_rounds};
use speedup::report::derived::CEILING_LABEL;
use speedup::sweep::Grid;
use speedup::{Measurement, Result, Strategy};
use std::collections::HashMap;
use std::hint::black_box;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use std::time::Instant;

/// Label prefix of the student's own versions in a table or report.
pub const STUDENT: &str = "student-";

/// What to measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Worker counts to time each parallel version at.
    pub workers: Vec<usize>,
    /// Rounds: each runs every version once, paired with serial runs.
    pub rounds: usize,
    /// Also time the library's strategies on its own workload.
    pub reference: bool,
}

impl Default for Options {
    /// 1 to the number of logical CPUs, 7 rounds, with the reference.
    fn default() -> Self {
        Options {
            workers: (1..=num_cpus::get()).collect(),
            rounds: 7,
            reference: true,
        }
    }
}

/// Seconds one call of `run` takes; `black_box` keeps the optimiser from
/// discarding a result nobody reads.
pub fn time_once<T>(run: impl FnOnce() -> T) -> f64 {
    let start = Instant::now();
    black_box(run());
    start.elapsed().as_secs_f64()
}

/// The seconds of repeated tries of one cost that has no serial run beside
/// it to pair with (a batch, a message, a whole serial rejection), sorted:
/// its median is the number to quote, its range says how much the tries
/// disagreed.
pub struct Tries {
    sorted: Vec<f64>,
}

impl FromIterator<f64> for Tries {
    fn from_iter<I: IntoIterator<Item = f64>>(seconds: I) -> Tries {
        let mut sorted: Vec<f64> = seconds.into_iter().collect();
        assert!(!sorted.is_empty(), "time at least one try");
        sorted.sort_by(f64::total_cmp);
        Tries { sorted }
    }
}

impl Tries {
    /// The middle try (the upper of the two middle ones for an even count).
    pub fn median(&self) -> f64 {
        self.sorted[self.sorted.len() / 2]
    }

    pub fn fastest(&self) -> f64 {
        self.sorted[0]
    }

    pub fn slowest(&self) -> f64 {
        self.sorted[self.sorted.len() - 1]
    }

    pub fn count(&self) -> usize {
        self.sorted.len()
    }
}

/// Busy seconds per thread of the run being timed, filled by [`busy`].
static BUSY: Mutex<Option<HashMap<ThreadId, f64>>> = Mutex::new(None);

/// Runs one chunk of your version and counts its time as busy time of the
/// thread that runs it. Call it in your workers' chunk loops:
/// `timing::busy(|| estimate_chunk(chunk, samples, seed))`.
pub fn busy<T>(chunk: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let part = chunk();
    let seconds = start.elapsed().as_secs_f64();
    let mut busy = BUSY.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(threads) = busy.as_mut() {
        *threads.entry(std::thread::current().id()).or_default() += seconds;
    }
    part
}

/// Times one call of `run` with [`busy`] listening: its seconds, and the busy
/// seconds of each of its `workers` threads (threads that ran no chunk count
/// as idle; none at all if the version never called [`busy`]).
fn time_busy<T>(workers: usize, run: impl FnOnce() -> T) -> RunRecord {
    *BUSY.lock().unwrap_or_else(|e| e.into_inner()) = Some(HashMap::new());
    let seconds = time_once(run);
    let threads = BUSY.lock().unwrap_or_else(|e| e.into_inner()).take();
    let mut busy_s: Vec<f64> = threads.unwrap_or_default().into_values().collect();
    if !busy_s.is_empty() && busy_s.len() < workers {
        busy_s.resize(workers, 0.0);
    }
    RunRecord {
        seconds,
        busy_s,
        ..RunRecord::default()
    }
}

/// Whether a version is written: `try_small` runs it once on a small input.
/// One that stops at its `todo!` is left out of the timing with a note, so
/// a lab can be timed before its later tasks are done; any other panic is
/// passed on, to be reported as the bug it is.
pub fn written<T>(label: &str, try_small: impl FnOnce() -> T) -> bool {
    let Some(todo) = still_todo(try_small) else {
        return true;
    };
    eprintln!(
        "note: {STUDENT}{label} is not timed: it is not written yet{}",
        todo.strip_prefix(": ")
            .map(|goal| format!(" ({goal})"))
            .unwrap_or_default()
    );
    false
}

/// Runs `try_small` once: `None` when it returns, the rest of its `todo!`'s
/// message (empty, or `": "` and the goal) when it stops there; any other
/// panic is passed on.
pub fn still_todo<T>(try_small: impl FnOnce() -> T) -> Option<String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(try_small));
    std::panic::set_hook(hook);
    let payload = outcome.err()?;
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    match message.strip_prefix("not yet implemented") {
        Some(todo) => Some(todo.to_string()),
        None => std::panic::resume_unwind(payload),
    }
}

/// Times `run` `rounds` times after one untimed warm-up: for costs that
/// have no serial version to pair with, such as starting workers.
pub fn repeat_timed<T>(
    workload: &str,
    strategy: &str,
    workers: usize,
    rounds: usize,
    mut run: impl FnMut() -> T,
) -> Measurement {
    black_box(run());
    let times: Vec<f64> = (0..rounds.max(1)).map(|_| time_once(&mut run)).collect();
    Measurement::from_samples(workload, strategy, workers, &times)
}

/// The versions of one lab, to be timed together.
pub struct Study<'a> {
    groups: Vec<Group<'a>>,
    reference: Option<String>,
}

impl<'a> Study<'a> {
    /// An empty study; with `reference`, the library's strategies on its own
    /// workload of that name are timed in the same rounds.
    pub fn new(reference: Option<&str>) -> Study<'a> {
        Study {
            groups: Vec::new(),
            reference: reference.map(String::from),
        }
    }

    /// Starts a workload whose versions are compared with your `serial`
    /// version (labelled `student-serial`). With `ceiling` worker counts,
    /// it also times that many copies of `serial` at once: the machine
    /// ceiling beside your curve.
    pub fn serial<T>(
        &mut self,
        workload: &str,
        serial: impl Fn() -> T + Send + Sync + 'a,
        ceiling: &[usize],
    ) -> &mut Self {
        let serial = Arc::new(serial);
        let run = |serial: &Arc<_>| {
            let serial = Arc::clone(serial);
            Box::new(move || Ok(RunRecord::of_seconds(time_once(&*serial))))
                as speedup::measure::Run<'a>
        };
        let mut contestants = vec![Contestant {
            strategy: format!("{STUDENT}serial"),
            workers: 1,
            run: run(&serial),
        }];
        for &copies in ceiling.iter().filter(|&&p| p > 1) {
            let serial = Arc::clone(&serial);
            contestants.push(speedup::measure::ceiling(copies, move |_| {
                black_box(serial());
                Ok(())
            }));
        }
        self.groups.push(Group {
            workload: workload.into(),
            serial: run(&serial),
            contestants,
        });
        self
    }

    /// Adds one of your parallel versions at `workers` to the workload
    /// started last (labelled `student-<label>`).
    pub fn version<T>(
        &mut self,
        label: &str,
        workers: usize,
        mut run: impl FnMut() -> T + 'a,
    ) -> &mut Self {
        let group = self
            .groups
            .last_mut()
            .expect("a study starts with its serial version");
        group.contestants.push(Contestant {
            strategy: format!("{STUDENT}{label}"),
            workers,
            run: Box::new(move || Ok(time_busy(workers, &mut run))),
        });
        self
    }

    fn has_ceiling(&self, workload: &str) -> bool {
        self.groups
            .iter()
            .filter(|g| g.workload == workload)
            .any(|g| g.contestants.iter().any(|c| c.strategy == CEILING))
    }

    /// Times everything in interleaved, paired rounds, with a progress bar.
    pub fn measure(mut self, options: &Options) -> Result<Vec<Measurement>> {
        let library = options
            .reference
            .then_some(self.reference.as_deref())
            .flatten();
        if let Some(name) = library {
            let grid = Grid {
                workloads: vec![name.to_string()],
                strategies: Strategy::all(),
                workers: options.workers.clone(),
            };
            match speedup::sweep::groups(
                &grid,
                None,
                &Default::default(),
                speedup::seeds::DEFAULT_SEED,
            ) {
                Ok(groups) => {
                    for mut group in groups {
                        // One ceiling per workload: yours, copies of your serial version.
                        if self.has_ceiling(&group.workload) {
                            group.contestants.retain(|c| c.strategy != CEILING);
                        }
                        self.groups.push(group);
                    }
                }
                Err(err) => eprintln!("note: no library reference ({err})"),
            }
        }
        let runs: usize = self.groups.iter().map(|g| g.contestants.len()).sum();
        let mut bar = RoundsBar::new(options.rounds, runs);
        let measured = run_rounds(&mut self.groups, &Plan::rounds(options.rounds), |e| {
            bar.on(e)
        });
        bar.finish();
        measured
    }
}

/// A row's speedup: the median of its per-run ratios to the serial runs
/// beside it (your serial version for your rows, the library's for its own).
pub fn speedup(row: &Measurement) -> Option<f64> {
    row.paired_speedup().map(|s| s.median)
}

/// A row's load balance: the median over its runs of mean busy / max busy
/// over the workers; `None` without busy times.
pub fn load_balance(row: &Measurement) -> Option<f64> {
    let per_run: Vec<f64> = row
        .busy_s
        .iter()
        .filter(|busy| busy.iter().any(|&b| b > 0.0))
        .map(|busy| speedup::report::efficiency::load_balance(busy))
        .collect();
    speedup::measure::MedianInterval::of(&per_run).map(|lb| lb.median)
}

/// A plain-text table: one row per measurement, with its speedup and
/// interval, and its load balance where the runs kept busy times.
pub fn table(all: &[Measurement]) -> String {
    let balances = all.iter().any(|row| load_balance(row).is_some());
    let mut out = format!(
        "{:<24} {:<24} {:>7} {:>12} {:>8} {:>15}{}\n",
        "workload",
        "strategy",
        "workers",
        "median",
        "speedup",
        "95% interval",
        if balances { "  load balance" } else { "" }
    );
    for row in all {
        // The ceiling's row on the report's scale (p copies did p runs'
        // work) and under the report's name for it.
        let (label, paired) = if row.strategy == CEILING {
            (CEILING_LABEL, row.ceiling_speedup())
        } else {
            (row.strategy.as_str(), row.paired_speedup())
        };
        let (speedup, interval) = match paired {
            Some(s) => (
                format!("{:.2}", s.median),
                format!("{:.2}–{:.2}", s.low, s.high),
            ),
            None => ("-".to_string(), String::new()),
        };
        let balance = match (balances, load_balance(row)) {
            (false, _) => String::new(),
            (true, Some(lb)) => format!("  {lb:>12.2}"),
            (true, None) => format!("  {:>12}", "-"),
        };
        out.push_str(&format!(
            "{:<24} {:<24} {:>7} {:>12} {:>8} {:>15}{balance}\n",
            row.workload,
            label,
            row.workers,
            // In the unit that keeps its digits: 26 µs, not 0.00003 s.
            speedup::report::findings::seconds(row.median_s),
            speedup,
            interval
        ));
    }
    out
}

/// Saves measurements as a JSON list (the format the report reads).
pub fn save(path: &Path, all: &[Measurement]) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| speedup::Error::new(format!("cannot create {}: {e}", parent.display())))?;
    }
    let file = AtomicFile::create(path)?;
    file.commit(serde_json::to_string_pretty(all)?.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// [`busy`] listens for one study at a time (the process's `BUSY`), so
    /// the tests that measure studies take turns.
    static ONE_STUDY_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

    #[test]
    fn tries_give_their_median_and_range_whatever_their_order() {
        let tries: Tries = [0.3, 0.1, 0.5, 0.2, 0.4].into_iter().collect();
        assert_eq!(
            (
                tries.median(),
                tries.fastest(),
                tries.slowest(),
                tries.count()
            ),
            (0.3, 0.1, 0.5, 5)
        );
        let two: Tries = [2.0, 1.0].into_iter().collect();
        assert_eq!(two.median(), 2.0, "the upper of the two middle ones");
    }

    #[test]
    fn a_study_times_every_version_paired_with_the_students_serial() {
        let _alone = ONE_STUDY_AT_A_TIME
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let calls = Cell::new(0);
        let mut study = Study::new(None);
        study
            .serial(
                "w",
                || std::thread::sleep(std::time::Duration::from_millis(20)),
                &[2],
            )
            .version("nap", 2, || {
                calls.set(calls.get() + 1);
                std::thread::sleep(std::time::Duration::from_millis(2))
            });
        let options = Options {
            workers: vec![2],
            rounds: 6,
            reference: true,
        };
        let all = study.measure(&options).unwrap();
        let labels: Vec<_> = all
            .iter()
            .map(|m| (m.strategy.as_str(), m.workers))
            .collect();
        assert_eq!(
            labels,
            [("student-serial", 1), (CEILING, 2), ("student-nap", 2)]
        );
        assert_eq!(calls.get(), 7, "one untimed warm-up and one run per round");
        assert!(all.iter().all(|m| m.is_paired() && m.samples == 6));
        // Ratios are serial / version, not the reverse: a 2 ms nap beside 20 ms ones.
        let nap = speedup(&all[2]).unwrap();
        assert!(nap > 1.0, "sleeping 2 ms against 20 ms: {nap}");
        let text = table(&all);
        assert!(
            text.contains("student-nap") && text.contains("95% interval"),
            "{text}"
        );
        // Medians in the unit that keeps their digits: a 2 ms nap reads in
        // ms, a 26 µs run in µs, never as 0.00003 s.
        assert!(text.contains(" ms "), "{text}");
        let tiny = Measurement::from_samples("w", "student-tiny", 1, &[26.3e-6; 3]);
        assert!(table(&[tiny]).contains("26 µs"));
    }

    /// One scale, one name: every speedup and interval the terminal prints
    /// is the report's, under the report's label, the ceiling's above all
    /// (once `serial / copies` here against `p · serial / copies` there).
    #[test]
    fn the_terminal_and_the_report_print_the_same_numbers_under_the_same_names() {
        // Two copies at once took as long as one serial run: the machine gave 2×.
        let wobble = |ratio: f64| -> Vec<(f64, f64)> {
            [1.0, 0.9, 1.1, 0.95, 1.05, 1.0, 0.97]
                .iter()
                .map(|w| (1.0 / (ratio * w), 1.0))
                .collect()
        };
        let all = vec![
            Measurement::from_pairs("integration", "student-serial", 1, &wobble(1.0)),
            Measurement::from_pairs("integration", "serial", 1, &wobble(1.0)),
            Measurement::from_pairs("integration", CEILING, 2, &wobble(1.0)),
            Measurement::from_pairs("integration", "student-threads", 2, &wobble(1.7)),
        ];
        let terminal = table(&all);
        let report = crate::report(1, all).unwrap();
        let files = speedup::report::render(&report).unwrap();
        let (_, markdown) = files.iter().find(|(name, _)| name == "report.md").unwrap();
        let markdown = String::from_utf8(markdown.clone()).unwrap();

        let ceiling = report.ceiling.iter().find(|c| c.workers == 2).unwrap();
        assert!((ceiling.speedup - 2.0).abs() < 1e-12, "{}", ceiling.speedup);
        let threads = report
            .derived
            .iter()
            .find(|d| d.strategy == "student-threads")
            .unwrap();
        for (label, speedup, low, high) in [
            (
                CEILING_LABEL,
                ceiling.speedup,
                ceiling.ci_low,
                ceiling.ci_high,
            ),
            (
                "student-threads",
                threads.speedup,
                threads.speedup_ci_low,
                threads.speedup_ci_high,
            ),
        ] {
            let (speedup, interval) = (format!("{speedup:.2}"), format!("{low:.2}–{high:.2}"));
            let line = terminal
                .lines()
                .find(|l| l.contains(label))
                .unwrap_or_else(|| panic!("no {label} in\n{terminal}"));
            assert!(
                line.contains(&format!(" {speedup} ")) && line.contains(&interval),
                "terminal {line} against the report's {speedup} ({interval})"
            );
            let row = format!("| {label} | 2 | {speedup}× | {interval} |");
            assert!(markdown.contains(&row), "{row} not in\n{markdown}");
        }
        assert!(
            !terminal
                .lines()
                .any(|l| l.split_whitespace().nth(1) == Some(CEILING)),
            "the ceiling under its stored name:\n{terminal}"
        );
    }

    #[test]
    fn a_version_whose_chunks_run_through_busy_shows_its_load_balance() {
        let _alone = ONE_STUDY_AT_A_TIME
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        // Two workers, and only one of them ever runs a chunk: whatever the
        // chunk costs, the mean busy time is half the max.
        let mut study = Study::new(None);
        study
            .serial("w", || busy(|| 1), &[])
            .version("lopsided", 2, || {
                std::thread::scope(|scope| {
                    scope
                        .spawn(|| busy(|| std::thread::sleep(std::time::Duration::from_millis(1))));
                    scope.spawn(|| ());
                })
            });
        let options = Options {
            workers: vec![2],
            rounds: 6,
            reference: false,
        };
        let all = study.measure(&options).unwrap();
        let lopsided = all
            .iter()
            .find(|m| m.strategy == "student-lopsided")
            .unwrap();
        assert_eq!(lopsided.busy_s.len(), 6, "one list per run");
        assert!(lopsided.busy_s.iter().all(|busy| busy.len() == 2));
        assert_eq!(load_balance(lopsided), Some(0.5));
        let text = table(&all);
        assert!(
            text.contains("load balance") && text.contains("0.50"),
            "{text}"
        );
    }

    #[test]
    fn a_version_still_at_its_todo_is_left_out_and_a_written_one_kept() {
        assert!(written("done", || 1 + 1));
        assert!(!written("later", || -> u32 { todo!("task 8: the goal") }));
        let bug = std::panic::catch_unwind(|| written("bug", || panic!("index out of range")));
        assert!(bug.is_err(), "a real panic is passed on");
    }

    #[test]
    fn saved_measurements_read_back() {
        let dir = std::env::temp_dir().join(format!("labs-save-{}", std::process::id()));
        let path = dir.join("lab.json");
        let all = vec![Measurement::from_pairs("w", "serial", 1, &[(0.5, 0.5)])];
        save(&path, &all).unwrap();
        let back: Vec<Measurement> =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(back, all);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
