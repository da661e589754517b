//! What the report says about programs measured with `speedup sweep
//! --command`: which baseline their speedups divide by, how many CPUs they
//! kept busy, and when their times are mostly process start-up.
//!
//! A command's speedup alone cannot tell two very different failures apart:
//! a program that never used its workers (a flag it ignores, a thread count
//! it reads from somewhere else) and one that used them and gained nothing
//! (contention, a serial part, I/O). The CPU time of each run (`wait4`, kept
//! in [`Measurement::cpu_s`]) tells them apart: a run that kept 1.0 CPUs busy
//! at 4 workers did not run in parallel at all.
//!
//! Everything here appears only for reports that measured commands, so a
//! report of the built-in workloads reads as it always has.

use super::Report;
use super::findings::seconds;
use super::view::WorkloadView;
use crate::interval::MedianInterval;
use crate::measurement::Measurement;
use serde::{Deserialize, Serialize};

/// A baseline shorter than this many process floors
/// ([`Report::process_floor_s`]) is mostly process start-up.
pub const SHORT_FACTOR: f64 = 20.0;

/// One command measured by the sweep, as `speedup.json` keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommandStudy {
    /// Its name: the workload name of its rows, and the label of its points.
    pub name: String,
    /// The template as given, `{workers}` included.
    pub command: String,
    /// Variables set for every run (`VAR={workers}`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    /// What every speedup divides by, in words.
    pub baseline: String,
    /// With `--check-output`: the worker counts whose output differed from
    /// the baseline's (empty when all agreed); absent when not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_differs: Option<Vec<usize>>,
}

/// The median number of CPUs the runs of `m` kept busy (CPU time over wall
/// time, run by run); `None` without CPU times.
pub fn cpus_used(m: &Measurement) -> Option<f64> {
    if m.cpu_s.len() != m.times_s.len() {
        return None;
    }
    let used: Vec<f64> = m
        .cpu_s
        .iter()
        .zip(&m.times_s)
        .map(|(cpu, wall)| cpu / wall)
        .collect();
    MedianInterval::of(&used).map(|m| m.median)
}

/// Rows for the machine table: each command's baseline.
pub fn machine_rows(report: &Report) -> Vec<Vec<String>> {
    report
        .commands
        .iter()
        .map(|c| vec![format!("baseline of {}", c.name), c.baseline.clone()])
        .collect()
}

/// What a command's figures add to their captions: the baseline.
pub fn caption_note(report: &Report, workload: &str) -> String {
    study(report, workload).map_or(String::new(), |c| format!("; baseline {}", c.baseline))
}

/// The cost of starting a process, stated once, when commands were measured.
pub fn process_floor(report: &Report) -> Option<String> {
    let floor = report.process_floor_s?;
    Some(format!(
        "Starting and reaping a process that does nothing (`true`) takes {} here: every \
         command's time includes it. A command whose baseline is shorter than {SHORT_FACTOR:.0}× \
         that is mostly start-up, and is flagged below.",
        seconds(floor)
    ))
}

/// The findings about one command: CPUs used per point, a baseline too
/// short to measure, output that differs. None for a built-in workload.
pub fn findings(report: &Report, view: &WorkloadView) -> Vec<String> {
    let Some(study) = study(report, view.name) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    if let Some(baseline) = &view.baseline {
        let t = baseline.measurement.median_s;
        if let Some(floor) = report.process_floor_s.filter(|f| t < SHORT_FACTOR * f) {
            lines.push(format!(
                "Warning: the baseline of {} takes {}, less than {SHORT_FACTOR:.0}× the {} a \
                 process that does nothing takes to start: its times are mostly process \
                 start-up, not work. Give it more work.",
                study.name,
                seconds(t),
                seconds(floor)
            ));
        }
        if let Some(used) = cpus_used(baseline.measurement) {
            lines.push(baseline_cpu_finding(&study.name, used));
        }
    }
    for (point, derived) in view.speedups() {
        if point.label.to_string() != study.name {
            continue;
        }
        if let Some(used) = cpus_used(point.measurement) {
            lines.push(cpu_finding(
                &study.name,
                point.workers(),
                used,
                derived.speedup,
            ));
        }
    }
    match study.output_differs.as_deref() {
        Some([]) => lines.push(format!(
            "Output check: every run of {} printed what its baseline printed.",
            study.name
        )),
        Some(counts) => lines.push(format!(
            "Output check: at {} workers {} printed other output than its baseline: those \
             speedups are of a program that gives another answer.",
            counts
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            study.name
        )),
        None => {}
    }
    lines
}

/// "used 1.7 CPUs at 2 workers", and what that says: at more than one
/// worker, a program that kept fewer than half its extra workers busy did
/// not use them; one that did, but gained less than half of them in
/// speedup, used them and still did not speed up.
fn cpu_finding(name: &str, workers: usize, used: f64, speedup: f64) -> String {
    let at = format!(
        "{name} used {used:.1} CPUs at {workers} worker{}",
        plural(workers)
    );
    let half_of_the_extra = 1.0 + 0.5 * (workers as f64 - 1.0);
    if workers < 2 {
        format!("{at}.")
    } else if used < half_of_the_extra {
        format!(
            "{at}: it did not use its workers (its speedup {speedup:.2}× is not parallel work)."
        )
    } else if speedup < half_of_the_extra {
        format!(
            "{at}, and still sped up only {speedup:.2}×: it used its workers, but their work \
             did not shorten the run (overhead, contention, or a serial part)."
        )
    } else {
        format!("{at}, for a speedup of {speedup:.2}×.")
    }
}

/// The CPUs the baseline kept busy; a serial program that got much less
/// than one CPU shared the machine with other work, and then every CPU
/// figure of the study says more about the machine than about the program.
fn baseline_cpu_finding(name: &str, used: f64) -> String {
    if used < BUSY_MACHINE {
        format!(
            "The baseline of {name} kept only {used:.1} CPUs busy, where a serial program can \
             keep one: other work took the CPUs (see the load average), so the CPU use below \
             says more about the machine than about {name}."
        )
    } else {
        format!("The baseline of {name} used {used:.1} CPUs.")
    }
}

/// A baseline that kept fewer CPUs than this busy ran on a busy machine.
const BUSY_MACHINE: f64 = 0.8;

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn study<'r>(report: &'r Report, workload: &str) -> Option<&'r CommandStudy> {
    report.commands.iter().find(|c| c.name == workload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpus_used_is_the_median_of_cpu_over_wall() {
        let mut m = Measurement::from_pairs("w", "c", 2, &[(1.0, 2.0), (2.0, 2.0), (1.0, 2.0)]);
        assert_eq!(cpus_used(&m), None);
        m.cpu_s = vec![1.5, 2.0, 1.9];
        assert_eq!(cpus_used(&m), Some(1.5));
    }

    #[test]
    fn idle_workers_and_useless_workers_are_told_apart() {
        let idle = cpu_finding("p", 4, 1.1, 1.0);
        assert!(
            idle.contains("used 1.1 CPUs at 4 workers: it did not use"),
            "{idle}"
        );
        let useless = cpu_finding("p", 4, 3.8, 1.2);
        assert!(useless.contains("still sped up only 1.20×"), "{useless}");
        let good = cpu_finding("p", 2, 1.9, 1.8);
        assert_eq!(
            good,
            "p used 1.9 CPUs at 2 workers, for a speedup of 1.80×."
        );
        assert_eq!(
            cpu_finding("p", 1, 1.0, 1.0),
            "p used 1.0 CPUs at 1 worker."
        );
    }
}
