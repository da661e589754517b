//! What the machine took from one run: steal, competing load, run delay.
//!
//! A wide interval says the runs disagreed; it does not say why. On a
//! shared or virtual machine most of the disagreement is taken from the
//! outside, and Linux counts it:
//!
//! - **steal**: time the hypervisor gave this virtual machine's CPUs to
//!   someone else (`/proc/stat`, the `cpu` line's eighth number);
//! - **competing load**: CPU time other processes used while the run ran
//!   (`/proc/stat` busy time minus this process tree's own CPU time, from
//!   `getrusage` and the live children's `/proc/PID/stat`);
//! - **run delay**: time this run's own threads and child processes waited
//!   runnable but not running (`/proc/PID/task/TID/schedstat`, second
//!   number), and, counted where the delay cannot be, the involuntary
//!   context switches (`getrusage`).
//!
//! The rounds engine reads a [`Snapshot`] just before and just after every
//! timed run (outside the run's own clock: a few dozen small reads) and keeps
//! the difference, an [`Interference`], with the run.
//!
//! Two limits, stated rather than hidden. `/proc/stat` counts in ticks
//! (usually 10 ms), so a reading of a 0.3 s run is good to a few hundredths
//! of a second. And run delay is read from the tasks alive at both
//! snapshots: a thread that starts and ends inside the run (a scoped
//! strategy's workers) leaves no schedstat behind; its involuntary switches
//! still count.
//!
//! The reading ([`Snapshot::read`]) is kept apart from the accounting
//! ([`Snapshot::from_texts`], [`Snapshot::interference_since`]), so tests can
//! feed it the files' text of a scripted run.

use std::collections::HashMap;

pub use crate::run_record::{DISTURBED_SHARE, Interference};

/// The counters at one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Busy ticks of all CPUs (user, nice, system, irq, softirq).
    busy_ticks: u64,
    steal_ticks: u64,
    cpus: usize,
    ticks_per_s: f64,
    /// This process tree's CPU seconds so far.
    own_cpu_s: f64,
    /// Run delay in nanoseconds of each live task, by thread id; `None`
    /// where schedstat is missing.
    delays: Option<HashMap<u32, u64>>,
    switches: u64,
}

/// The counters of this process tree that do not come from files:
/// `getrusage` of this process and of its reaped children.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Usage {
    pub cpu_s: f64,
    pub involuntary_switches: u64,
}

/// The texts of one snapshot's files, as read (or as a test scripts them).
#[derive(Debug, Clone, Default)]
pub struct Texts {
    /// `/proc/stat`.
    pub stat: String,
    /// `schedstat` of every live task of this process tree, by thread id
    /// (empty where the kernel has none).
    pub schedstat: Vec<(u32, String)>,
    /// `/proc/PID/stat` of every live child process (and theirs).
    pub children_stat: Vec<String>,
}

impl Snapshot {
    /// Reads the counters now; `None` where there is no `/proc/stat`.
    pub fn read() -> Option<Snapshot> {
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let mut texts = Texts {
            stat,
            ..Texts::default()
        };
        let mut processes = vec!["self".to_string()];
        while let Some(process) = processes.pop() {
            let is_self = process == "self";
            if !is_self {
                match std::fs::read_to_string(format!("/proc/{process}/stat")) {
                    Ok(text) => texts.children_stat.push(text),
                    Err(_) => continue, // ended between the listing and now
                }
            }
            let Ok(tasks) = std::fs::read_dir(format!("/proc/{process}/task")) else {
                continue;
            };
            for task in tasks.flatten() {
                let Some(tid) = task.file_name().to_str().and_then(|t| t.parse().ok()) else {
                    continue;
                };
                if let Ok(text) = std::fs::read_to_string(task.path().join("schedstat")) {
                    texts.schedstat.push((tid, text));
                }
                if let Ok(children) = std::fs::read_to_string(task.path().join("children")) {
                    processes.extend(children.split_whitespace().map(str::to_string));
                }
            }
        }
        Snapshot::from_texts(&texts, usage(), ticks_per_second())
    }

    /// The snapshot the texts and usage describe; `None` when `/proc/stat`
    /// has no `cpu` line.
    pub fn from_texts(texts: &Texts, usage: Usage, ticks_per_s: f64) -> Option<Snapshot> {
        let (busy_ticks, steal_ticks, cpus) = parse_stat(&texts.stat)?;
        let children_ticks: u64 = texts
            .children_stat
            .iter()
            .filter_map(|t| parse_process_ticks(t))
            .sum();
        let delays: HashMap<u32, u64> = texts
            .schedstat
            .iter()
            .filter_map(|(tid, text)| Some((*tid, parse_run_delay(text)?)))
            .collect();
        Some(Snapshot {
            busy_ticks,
            steal_ticks,
            cpus,
            ticks_per_s,
            own_cpu_s: usage.cpu_s + children_ticks as f64 / ticks_per_s,
            delays: (!delays.is_empty()).then_some(delays),
            switches: usage.involuntary_switches,
        })
    }

    /// What the machine took between `before` and this snapshot.
    ///
    /// Run delay counts the tasks alive now: from `before` for those alive
    /// then, from zero for those started since (all their waiting fell in
    /// between).
    pub fn interference_since(&self, before: &Snapshot) -> Interference {
        let ticks =
            |after: u64, before: u64| after.saturating_sub(before) as f64 / self.ticks_per_s;
        let busy_s = ticks(self.busy_ticks, before.busy_ticks);
        let delay_s = self.delays.as_ref().map(|after| {
            let earlier = before.delays.as_ref();
            let waited: u64 = after
                .iter()
                .map(|(tid, ns)| {
                    let start = earlier.and_then(|e| e.get(tid)).copied().unwrap_or(0);
                    ns.saturating_sub(start)
                })
                .sum();
            waited as f64 * 1e-9
        });
        Interference {
            steal_s: ticks(self.steal_ticks, before.steal_ticks),
            others_s: (busy_s - (self.own_cpu_s - before.own_cpu_s)).max(0.0),
            delay_s,
            switches: self.switches.saturating_sub(before.switches),
            cpus: self.cpus,
        }
    }
}

/// Where interference comes from on this system, or why it is not
/// measured, in a few words for the report.
pub fn source() -> String {
    match Snapshot::read() {
        None => "not measured: this system has no /proc/stat".into(),
        Some(s) if s.delays.is_none() => {
            "/proc/stat steal and load; involuntary switches (no schedstat here)".into()
        }
        Some(_) => "/proc/stat steal and load; schedstat run delay".into(),
    }
}

/// `/proc/stat`'s `cpu` line: (busy ticks, steal ticks), and the number of
/// `cpuN` lines.
fn parse_stat(text: &str) -> Option<(u64, u64, usize)> {
    let line = text.lines().find(|l| l.starts_with("cpu "))?;
    let n: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(|v| v.parse().ok())
        .collect::<Option<_>>()?;
    // user nice system idle iowait irq softirq steal (guest is inside user)
    let at = |i: usize| n.get(i).copied().unwrap_or(0);
    let busy = at(0) + at(1) + at(2) + at(5) + at(6);
    let cpus = text
        .lines()
        .filter(|l| l.starts_with("cpu") && l.as_bytes().get(3).is_some_and(u8::is_ascii_digit))
        .count();
    Some((busy, at(7), cpus.max(1)))
}

/// The run delay in nanoseconds, the second number of a `schedstat`.
fn parse_run_delay(text: &str) -> Option<u64> {
    text.split_whitespace().nth(1)?.parse().ok()
}

/// utime + stime ticks of a `/proc/PID/stat` (fields 14 and 15, counted
/// after the command name, which may hold spaces and parentheses).
fn parse_process_ticks(text: &str) -> Option<u64> {
    let fields: Vec<&str> = text
        .get(text.rfind(')')? + 1..)?
        .split_whitespace()
        .collect();
    // fields[0] is field 3 (state), so field 14 is fields[11].
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// This process's and its reaped children's CPU time and involuntary switches.
fn usage() -> Usage {
    let of = |who| {
        // SAFETY: getrusage writes one rusage into the zeroed struct we own.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(who, &mut ru) } != 0 {
            return Usage::default();
        }
        let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
        Usage {
            cpu_s: seconds(ru.ru_utime) + seconds(ru.ru_stime),
            involuntary_switches: ru.ru_nivcsw as u64,
        }
    };
    let (own, children) = (of(libc::RUSAGE_SELF), of(libc::RUSAGE_CHILDREN));
    Usage {
        cpu_s: own.cpu_s + children.cpu_s,
        involuntary_switches: own.involuntary_switches + children.involuntary_switches,
    }
}

fn ticks_per_second() -> f64 {
    // SAFETY: sysconf reads a constant of the system.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 { ticks as f64 } else { 100.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(busy_user: u64, steal: u64) -> String {
        format!(
            "cpu  {busy_user} 0 100 5000 10 0 0 {steal} 0 0\n\
             cpu0 0 0 0 0 0 0 0 0 0 0\ncpu1 0 0 0 0 0 0 0 0 0 0\nintr 1 2 3\n"
        )
    }

    fn schedstat(exec_ns: u64, delay_ns: u64) -> String {
        format!("{exec_ns} {delay_ns} 12\n")
    }

    #[test]
    fn a_scripted_run_of_known_delay_steal_and_load_is_accounted() {
        // Before: two threads of ours (tids 10 and 11), one live child.
        let before = Texts {
            stat: stat(1_000, 50),
            schedstat: vec![
                (10, schedstat(5_000, 100_000_000)),
                (11, schedstat(5_000, 20_000_000)),
            ],
            children_stat: vec!["40 (worker (x)) S 10 40 40 0 -1 0 0 0 0 0 30 10 0 0".into()],
        };
        // After 1 s: thread 10 waited 0.25 s more, thread 11 ended, thread
        // 12 started and waited 0.05 s, the child used 0.2 s more CPU.
        let after = Texts {
            stat: stat(1_150, 70),
            schedstat: vec![
                (10, schedstat(9_000, 350_000_000)),
                (12, schedstat(1_000, 50_000_000)),
            ],
            children_stat: vec!["40 (worker (x)) S 10 40 40 0 -1 0 0 0 0 0 45 15 0 0".into()],
        };
        let own = |cpu_s, switches| Usage {
            cpu_s,
            involuntary_switches: switches,
        };
        let before = Snapshot::from_texts(&before, own(2.0, 7), 100.0).unwrap();
        let after = Snapshot::from_texts(&after, own(2.9, 19), 100.0).unwrap();
        let i = after.interference_since(&before);
        assert_eq!(i.cpus, 2);
        assert!((i.steal_s - 0.2).abs() < 1e-9, "{i:?}");
        // 1.5 s busy on the machine, of which 0.9 + 0.2 were ours.
        assert!((i.others_s - 0.4).abs() < 1e-9, "{i:?}");
        assert!((i.delay_s.unwrap() - 0.3).abs() < 1e-9, "{i:?}");
        assert_eq!(i.switches, 12);
        // Lost: 0.3 s of run delay and half of the 0.2 CPU-seconds stolen.
        assert!((i.lost_share(1.0) - 0.4).abs() < 1e-9);
        assert!(i.disturbs(1.0) && !i.disturbs(10.0));
    }

    #[test]
    fn without_schedstat_the_delay_is_unknown_and_without_proc_stat_nothing_is_measured() {
        let texts = Texts {
            stat: stat(10, 0),
            ..Texts::default()
        };
        let s = Snapshot::from_texts(&texts, Usage::default(), 100.0).unwrap();
        let i = s.interference_since(&s);
        assert_eq!((i.delay_s, i.steal_s, i.others_s), (None, 0.0, 0.0));
        let none = Texts {
            stat: "intr 1 2\n".into(),
            ..Texts::default()
        };
        assert_eq!(Snapshot::from_texts(&none, Usage::default(), 100.0), None);
    }

    #[test]
    fn serial_neighbours_add_up() {
        let a = Interference {
            steal_s: 0.1,
            others_s: 0.2,
            delay_s: Some(0.3),
            switches: 1,
            cpus: 2,
        };
        let both = a.plus(&a);
        assert_eq!((both.switches, both.cpus), (2, 2));
        assert!((both.lost_s() - 2.0 * a.lost_s()).abs() < 1e-12);
        let unknown = a.plus(&Interference { delay_s: None, ..a });
        assert_eq!(unknown.delay_s, None);
    }

    #[test]
    fn this_machine_is_read_where_it_has_the_files() {
        let Some(before) = Snapshot::read() else {
            assert!(!std::path::Path::new("/proc/stat").exists());
            return;
        };
        let after = Snapshot::read().unwrap();
        let i = after.interference_since(&before);
        assert!(
            i.cpus >= 1 && i.steal_s >= 0.0 && i.others_s >= 0.0,
            "{i:?}"
        );
        assert!(source().contains("/proc/stat"));
    }
}
