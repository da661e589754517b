//! One point of a speedup study: a workload, a strategy, a worker count, and
//! how long it took.
//!
//! Criterion benches, `speedup sweep` and the labs all produce these, and the
//! report reads nothing else, so a figure never depends on how its numbers
//! were taken. Times are in seconds.
//!
//! A measurement keeps its raw runs: each run's time and the time of the
//! serial runs taken right beside it (`crate::measure::rounds`). The
//! speedup comes from those pairs ([`Measurement::paired_speedup`]), and
//! `speedup.json` keeps them so a report can be recomputed from scratch.

use crate::interval::MedianInterval;
use crate::run_record::{Interference, RunRecord};
use crate::scaling::{PointSize, Scaling};
use serde::{Deserialize, Serialize};

/// What starting workers (or launching an MPI job) costs beyond the work:
/// median seconds over a few tries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartupCost {
    pub workers: usize,
    pub seconds: f64,
}

/// Timing of one (workload, strategy, workers) point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    pub workload: String,
    pub strategy: String,
    pub workers: usize,
    pub median_s: f64,
    pub mean_s: f64,
    /// 95% confidence interval of the mean.
    pub ci_low_s: f64,
    pub ci_high_s: f64,
    /// How many timings the statistics summarise.
    pub samples: usize,
    /// Every timed run, in the order taken (empty in reports made before
    /// runs were kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub times_s: Vec<f64>,
    /// For each run, the serial time beside it: the mean of the serial runs
    /// just before and just after (empty when the runs were not paired).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serial_s: Vec<f64>,
    /// For each run, what the machine took from it (steal, competing load,
    /// run delay: `crate::measure::interference`); empty where not read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interference: Vec<Interference>,
    /// For each run, what the machine took from the two serial runs beside
    /// it, added; empty where not read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serial_interference: Vec<Interference>,
    /// For each run, how long each worker spent running chunks
    /// (`strategy/busy.rs`): one list per run, one entry per worker. Empty
    /// in reports made before busy time was kept; the efficiency split
    /// (`report/efficiency.rs`) needs it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub busy_s: Vec<Vec<f64>>,
    /// For each run, the user plus system CPU seconds it used (only for
    /// runs that are child processes, `speedup sweep --command`; empty
    /// otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cpu_s: Vec<f64>,
    /// The size this point was measured at, where the study chose one
    /// (`--sizes`, `--scaling weak`); absent in older reports and for
    /// workloads measured at their default parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<PointSize>,
    /// Strong or weak scaling (`crate::scaling`); absent means strong, as
    /// every report made before weak scaling is.
    #[serde(default, skip_serializing_if = "Scaling::is_strong")]
    pub scaling: Scaling,
}

impl Measurement {
    /// Summarises repeated wall-clock timings (seconds) of one point.
    ///
    /// The interval is Student's t interval for the mean: with the handful of
    /// repeats a sweep can afford, the normal 1.96 would be too narrow.
    pub fn from_samples(
        workload: &str,
        strategy: &str,
        workers: usize,
        times: &[f64],
    ) -> Measurement {
        assert!(!times.is_empty(), "a measurement needs at least one timing");
        let n = times.len();
        let median = MedianInterval::of(times).expect("not empty").median;
        let mean = times.iter().sum::<f64>() / n as f64;
        let half_width = if n < 2 {
            0.0
        } else {
            let variance = times.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            t_quantile_975(n - 1) * (variance / n as f64).sqrt()
        };
        Measurement {
            workload: workload.into(),
            strategy: strategy.into(),
            workers,
            median_s: median,
            mean_s: mean,
            ci_low_s: (mean - half_width).max(0.0),
            ci_high_s: mean + half_width,
            samples: n,
            times_s: Vec::new(),
            serial_s: Vec::new(),
            interference: Vec::new(),
            serial_interference: Vec::new(),
            busy_s: Vec::new(),
            cpu_s: Vec::new(),
            size: None,
            scaling: Scaling::Strong,
        }
    }

    /// Summarises paired runs `(point time, serial time beside it)`.
    pub fn from_pairs(
        workload: &str,
        strategy: &str,
        workers: usize,
        pairs: &[(f64, f64)],
    ) -> Measurement {
        let (times, serial): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
        Measurement {
            times_s: times.clone(),
            serial_s: serial,
            ..Measurement::from_samples(workload, strategy, workers, &times)
        }
    }

    /// Summarises the records of paired runs `(run, the serial runs beside
    /// it)`, keeping what each run told besides its time: busy times and
    /// CPU times when every run has them, interference only when every run, and every
    /// serial run beside it, has it.
    pub fn from_runs(
        workload: &str,
        strategy: &str,
        workers: usize,
        runs: &[(RunRecord, RunRecord)],
    ) -> Measurement {
        let pairs: Vec<(f64, f64)> = runs
            .iter()
            .map(|(run, serial)| (run.seconds, serial.seconds))
            .collect();
        let all = |of: fn(&(RunRecord, RunRecord)) -> Option<Interference>| {
            runs.iter().map(of).collect::<Option<Vec<_>>>()
        };
        let (interference, serial_interference) =
            match (all(|p| p.0.interference), all(|p| p.1.interference)) {
                (Some(point), Some(serial)) => (point, serial),
                _ => (Vec::new(), Vec::new()),
            };
        let every_run_busy = runs.iter().all(|(run, _)| !run.busy_s.is_empty());
        let busy_s = if every_run_busy {
            runs.iter().map(|(run, _)| run.busy_s.clone()).collect()
        } else {
            Vec::new()
        };
        // Kept only when every run told it, so run i's CPU time stays run i's.
        let cpu_s = runs
            .iter()
            .map(|(run, _)| run.cpu_s)
            .collect::<Option<Vec<f64>>>()
            .unwrap_or_default();
        Measurement {
            interference,
            serial_interference,
            busy_s,
            cpu_s,
            ..Measurement::from_pairs(workload, strategy, workers, &pairs)
        }
    }

    /// For each pair, whether the run or the serial runs beside it lost
    /// more than [`DISTURBED_SHARE`](crate::run_record::DISTURBED_SHARE)
    /// of their time to the machine; empty where interference was not read.
    pub fn disturbed(&self) -> Vec<bool> {
        if !self.is_paired() || self.interference.len() != self.times_s.len() {
            return Vec::new();
        }
        (0..self.times_s.len())
            .map(|i| {
                self.interference[i].disturbs(self.times_s[i])
                    || self.serial_interference[i].disturbs(2.0 * self.serial_s[i])
            })
            .collect()
    }

    /// The speedup from the pairs no interference disturbed, with its
    /// interval; `None` where interference was not read.
    ///
    /// The report's speedup ([`Measurement::paired_speedup`]) keeps every
    /// pair, disturbed ones included: which runs the machine disturbed is
    /// read, not chosen, but dropping runs after seeing them still leans the
    /// median toward the quiet minutes, and a shared machine's speedup is
    /// what it is. This one is shown beside it, to tell whether interference
    /// explains a wide interval.
    pub fn undisturbed_speedup(&self) -> Option<MedianInterval> {
        let disturbed = self.disturbed();
        if disturbed.is_empty() {
            return None;
        }
        speedup_of_pairs(
            self.times_s
                .iter()
                .zip(&self.serial_s)
                .zip(disturbed)
                .filter(|(_, disturbed)| !disturbed)
                .map(|((&point, &serial), _)| (point, serial)),
        )
        .map(|s| s.scaled(self.work_factor()))
    }

    /// Whether every run has its serial partner.
    pub fn is_paired(&self) -> bool {
        !self.times_s.is_empty() && self.times_s.len() == self.serial_s.len()
    }

    /// The speedup over serial as the median of the per-pair ratios
    /// `serial / point`, with its interval; `None` for unpaired measurements.
    pub fn paired_speedup(&self) -> Option<MedianInterval> {
        MedianInterval::of(&self.ratios())
    }

    /// The speedup of every paired run, `serial / point` (times p for a
    /// weak-scaling point, [`Measurement::work_factor`]), in run order
    /// (none for unpaired measurements): what a fit's interval redraws.
    pub fn ratios(&self) -> Vec<f64> {
        if !self.is_paired() {
            return Vec::new();
        }
        let factor = self.work_factor();
        pair_ratios(
            self.times_s
                .iter()
                .copied()
                .zip(self.serial_s.iter().copied()),
        )
        .into_iter()
        .map(|ratio| ratio * factor)
        .collect()
    }

    /// How many times the work of the serial run beside it each run did:
    /// 1, or p for a weak-scaling point (`crate::scaling`).
    pub fn work_factor(&self) -> f64 {
        self.scaling.factor(self.workers)
    }
}

impl Measurement {
    /// The speedup of a row of the machine ceiling (`measure::CEILING`): its
    /// runs started p serial copies at once, p runs' work, so the speedup is
    /// p × serial / (time of the copies). The report and the labs' terminal
    /// both take it from here, so they show the same number.
    pub fn ceiling_speedup(&self) -> Option<MedianInterval> {
        self.paired_speedup().map(|s| s.scaled(self.workers as f64))
    }
}

/// The median of the ratios `serial / point` of `(point, serial)` pairs,
/// with its interval; `None` without pairs.
/// The rounds `measurements` were measured in: the most runs of any, for a
/// sweep that measures until its intervals narrow adds rounds only to the
/// wide points.
pub fn rounds<'a>(measurements: impl IntoIterator<Item = &'a Measurement>) -> usize {
    measurements
        .into_iter()
        .map(|m| m.samples)
        .max()
        .unwrap_or(0)
}

pub fn speedup_of_pairs(pairs: impl IntoIterator<Item = (f64, f64)>) -> Option<MedianInterval> {
    MedianInterval::of(&pair_ratios(pairs))
}

/// The ratios `serial / point` of `(point, serial)` pairs.
fn pair_ratios(pairs: impl IntoIterator<Item = (f64, f64)>) -> Vec<f64> {
    pairs
        .into_iter()
        .map(|(point, serial)| serial / point)
        .collect()
}

/// The 97.5% quantile of Student's t distribution with `dof` degrees of freedom.
fn t_quantile_975(dof: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match dof {
        0 => f64::INFINITY,
        1..=30 => TABLE[dof - 1],
        _ => 1.96,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_of_known_samples() {
        let m = Measurement::from_samples("w", "s", 2, &[1.0, 2.0, 3.0, 10.0]);
        assert_eq!(m.median_s, 2.5);
        assert_eq!(m.mean_s, 4.0);
        // sd = sqrt(((9+4+1+36)/3)) = sqrt(50/3); half width = 3.182 * sd / 2
        let half = 3.182 * (50.0f64 / 3.0).sqrt() / 2.0;
        assert!((m.ci_high_s - (4.0 + half)).abs() < 1e-12);
        assert_eq!(m.ci_low_s, 0.0, "clamped at zero");
        assert_eq!(m.samples, 4);
    }

    #[test]
    fn paired_runs_give_the_median_of_their_ratios() {
        let pairs = [(0.5, 1.0), (0.6, 1.5), (0.25, 1.0), (1.0, 2.0), (0.5, 1.1)];
        let m = Measurement::from_pairs("w", "s", 2, &pairs);
        assert!(m.is_paired());
        assert_eq!(m.samples, 5);
        // Ratios 2.0, 2.5, 4.0, 2.0, 2.2: median 2.2; the medians' ratio would be 1.1 / 0.5.
        assert_eq!(m.paired_speedup().unwrap().median, 2.2);
        assert_eq!(m.median_s, 0.5);
        let unpaired = Measurement::from_samples("w", "s", 2, &[0.5]);
        assert_eq!(unpaired.paired_speedup(), None);
    }

    #[test]
    fn busy_times_are_kept_run_by_run_only_when_every_run_has_them() {
        let run = |seconds: f64, busy_s: Vec<f64>| RunRecord {
            seconds,
            busy_s,
            ..RunRecord::default()
        };
        let runs = [
            (run(1.0, vec![0.9, 0.6]), RunRecord::of_seconds(2.0)),
            (run(1.1, vec![1.0, 0.7]), RunRecord::of_seconds(2.1)),
        ];
        let m = Measurement::from_runs("w", "s", 2, &runs);
        assert_eq!(m.busy_s, vec![vec![0.9, 0.6], vec![1.0, 0.7]]);
        assert_eq!(m.times_s, vec![1.0, 1.1]);
        let partial = [
            (run(1.0, vec![0.9, 0.6]), RunRecord::of_seconds(2.0)),
            (RunRecord::of_seconds(1.1), RunRecord::of_seconds(2.1)),
        ];
        assert!(
            Measurement::from_runs("w", "s", 2, &partial)
                .busy_s
                .is_empty()
        );
    }

    #[test]
    fn cpu_times_are_kept_run_by_run_only_when_every_run_has_one() {
        let run = |seconds, cpu_s| RunRecord {
            cpu_s,
            ..RunRecord::of_seconds(seconds)
        };
        let m = Measurement::from_runs(
            "w",
            "s",
            2,
            &[
                (run(1.0, Some(1.8)), RunRecord::of_seconds(2.0)),
                (run(1.1, Some(2.0)), RunRecord::of_seconds(2.1)),
            ],
        );
        assert_eq!(m.cpu_s, [1.8, 2.0]);
        assert_eq!(m.times_s, [1.0, 1.1]);
        let partly = Measurement::from_runs(
            "w",
            "s",
            2,
            &[
                (run(1.0, Some(1.8)), RunRecord::of_seconds(2.0)),
                (run(1.1, None), RunRecord::of_seconds(2.1)),
            ],
        );
        assert!(partly.cpu_s.is_empty());
    }

    #[test]
    fn one_sample_has_a_zero_width_interval() {
        let m = Measurement::from_samples("w", "s", 1, &[0.5]);
        assert_eq!((m.median_s, m.ci_low_s, m.ci_high_s), (0.5, 0.5, 0.5));
    }

    /// A run of `seconds` that lost `delay_s` to waiting (no steal).
    fn run(seconds: f64, delay_s: f64) -> RunRecord {
        RunRecord::of_seconds(seconds).with_interference(Some(Interference {
            delay_s: Some(delay_s),
            cpus: 2,
            ..Interference::default()
        }))
    }

    /// Eight pairs of ratio 2, two of them run while the machine took half
    /// their time (ratio 1.2 and 1.0), one beside a disturbed serial run.
    fn with_disturbed_runs() -> Measurement {
        let quiet = (run(0.5, 0.01), run(1.0, 0.02));
        let runs = vec![
            quiet.clone(),
            (run(0.5, 0.25), run(0.6, 0.01)),
            quiet.clone(),
            quiet.clone(),
            (run(0.5, 0.0), run(0.5, 0.4)),
            quiet.clone(),
            quiet.clone(),
            quiet,
        ];
        Measurement::from_runs("w", "s", 2, &runs)
    }

    #[test]
    fn disturbed_pairs_are_marked_from_the_run_or_the_serial_runs_beside_it() {
        let m = with_disturbed_runs();
        assert_eq!(m.interference.len(), 8);
        assert_eq!(m.serial_interference.len(), 8);
        let marked: Vec<usize> = (0..8).filter(|&i| m.disturbed()[i]).collect();
        assert_eq!(marked, [1, 4]);
        // Without interference (an old file, another OS) nothing is marked.
        let old = Measurement::from_pairs("w", "s", 2, &[(0.5, 1.0); 8]);
        assert!(old.disturbed().is_empty());
        assert_eq!(old.undisturbed_speedup(), None);
    }

    #[test]
    fn the_median_keeps_disturbed_pairs_and_the_undisturbed_speedup_drops_them() {
        let m = with_disturbed_runs();
        // Kept (the report's speedup): ratios 1.0, 1.2 and six of 2.0.
        let all = m.paired_speedup().unwrap();
        assert_eq!((all.median, all.low), (2.0, 1.0));
        // Dropped: six pairs of exactly 2.0, a zero-width interval.
        let quiet = m.undisturbed_speedup().unwrap();
        assert_eq!((quiet.low, quiet.median, quiet.high), (2.0, 2.0, 2.0));
    }

    #[test]
    fn old_files_without_interference_load_and_write_back_the_same() {
        let old = Measurement::from_pairs("w", "s", 2, &[(0.5, 1.0), (0.6, 1.1)]);
        let json = serde_json::to_string(&old).unwrap();
        assert!(!json.contains("interference"), "{json}");
        let back: Measurement = serde_json::from_str(&json).unwrap();
        assert_eq!(back, old);
        let new = with_disturbed_runs();
        let back: Measurement =
            serde_json::from_str(&serde_json::to_string(&new).unwrap()).unwrap();
        assert_eq!(back, new);
    }
}
