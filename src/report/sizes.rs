//! Speedup against problem size: where parallelism starts to pay.
//!
//! A study of several sizes (`speedup sweep --sizes linear-normal:n=1e5,1e6,1e7`)
//! measures each size as a family of its own (`linear-normal@n=1e6`), with
//! its own serial baseline and machine ceiling. Read one family at a time,
//! each says how a strategy scales at that size; read across the sizes at
//! one worker count, they say at what size a strategy's fixed costs
//! (starting threads or processes, moving results back) stop mattering.
//!
//! The measure of "pays" here is the machine ceiling, not the ideal: a
//! strategy **breaks even** at the smallest measured size where its speedup
//! reaches [`BREAK_EVEN`] of what p independent serial copies get on this
//! machine at that size, and is faster than serial beyond the noise (the
//! whole 95% interval of its speedup above 1, [`beats_serial`]). Below it, the
//! strategy's own overhead costs more than a tenth of what the machine
//! allows; above it, the machine is the limit. (The ideal, p, would blame
//! the strategy for the machine's limits, memory bandwidth among them,
//! which no strategy can beat.) The second condition matters on a busy
//! machine, where p copies may get less than one: 90% of a ceiling of 0.8
//! is still slower than not parallelising at all.
//!
//! Only strong-scaling families whose sizes are above zero are read here:
//! the figure's size axis is logarithmic.

use super::derived::{CeilingRow, Derived};
use super::view::{Label, WorkloadView};

/// The share of the machine ceiling a strategy must reach to break even.
pub const BREAK_EVEN: f64 = 0.9;

/// One workload measured at several sizes.
#[derive(Debug, Clone)]
pub struct SizeStudy<'v, 'a> {
    /// The workload as it is known by name (`linear-normal`).
    pub workload: String,
    /// The flag varied, without its dashes (`n`).
    pub flag: String,
    /// Each size's family, smallest size first.
    pub sizes: Vec<(f64, &'v WorkloadView<'a>)>,
}

/// Where one strategy breaks even at one worker count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BreakEven {
    /// The smallest size where it reaches [`BREAK_EVEN`] of the ceiling
    /// and beats serial, and its share there.
    At { size: f64, share: f64 },
    /// It never does: its highest share, the size of it, and its speedup
    /// there with its 95% interval (a share of 90% or more whose interval
    /// reaches down to 1 is a strategy that keeps up with a busy machine,
    /// or one the rounds could not yet tell from serial, not one that pays).
    Never {
        best: f64,
        size: f64,
        speedup: [f64; 3],
    },
}

impl<'v, 'a> SizeStudy<'v, 'a> {
    /// Every workload with two or more sizes among `views`, in view order.
    pub fn all(views: &'v [WorkloadView<'a>]) -> Vec<SizeStudy<'v, 'a>> {
        let mut studies: Vec<SizeStudy> = Vec::new();
        for view in views.iter().filter(|v| !v.is_weak()) {
            let Some(size) = view.points.iter().find_map(|p| p.measurement.size.as_ref()) else {
                continue;
            };
            if !(size.value > 0.0 && size.value.is_finite()) {
                continue;
            }
            let entry = (size.value, view);
            match studies
                .iter_mut()
                .find(|s| s.workload == size.workload && s.flag == size.flag)
            {
                Some(study) => study.sizes.push(entry),
                None => studies.push(SizeStudy {
                    workload: size.workload.clone(),
                    flag: size.flag.clone(),
                    sizes: vec![entry],
                }),
            }
        }
        // A size study needs two sizes, and a worker count to compare them at.
        studies.retain(|s| s.sizes.len() >= 2 && !s.worker_counts().is_empty());
        for study in &mut studies {
            study.sizes.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        studies
    }

    /// The worker counts above one measured at any size.
    pub fn worker_counts(&self) -> Vec<usize> {
        let mut counts: Vec<usize> = self
            .sizes
            .iter()
            .flat_map(|(_, view)| view.points.iter().map(|p| p.workers()))
            .filter(|&p| p > 1)
            .collect();
        counts.sort_unstable();
        counts.dedup();
        counts
    }

    /// The parallel strategies measured at any size, in report order.
    pub fn labels(&self) -> Vec<&'v Label> {
        let mut labels: Vec<&Label> = Vec::new();
        for (_, view) in &self.sizes {
            for label in view.labels() {
                if !label.is_baseline() && !labels.contains(&label) {
                    labels.push(label);
                }
            }
        }
        labels
    }

    /// `label`'s derived numbers at `workers`, by size.
    pub fn speedups(&self, label: &Label, workers: usize) -> Vec<(f64, &'a Derived)> {
        self.sizes
            .iter()
            .filter_map(|(size, view)| Some((*size, view.point(label, workers)?.derived?)))
            .collect()
    }

    /// The machine ceiling at `workers`, by size.
    pub fn ceiling(&self, workers: usize) -> Vec<(f64, &'a CeilingRow)> {
        self.sizes
            .iter()
            .filter_map(|(size, view)| {
                let row = view.ceiling.iter().find(|c| c.workers == workers)?;
                Some((*size, *row))
            })
            .collect()
    }

    /// Where `label` breaks even at `workers`; `None` where no size has
    /// both its speedup and the ceiling.
    pub fn break_even(&self, label: &Label, workers: usize) -> Option<BreakEven> {
        let shares: Vec<(f64, f64, &Derived)> = self
            .speedups(label, workers)
            .into_iter()
            .filter_map(|(size, d)| Some((size, d.of_ceiling?, d)))
            .collect();
        let pays = shares
            .iter()
            .find(|(_, share, d)| *share >= BREAK_EVEN && beats_serial(d));
        if let Some(&(size, share, _)) = pays {
            return Some(BreakEven::At { size, share });
        }
        let &(size, best, d) = shares.iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
        let speedup = [d.speedup, d.speedup_ci_low, d.speedup_ci_high];
        Some(BreakEven::Never {
            best,
            size,
            speedup,
        })
    }

    /// The smallest size measured where `label` at `workers` is faster than
    /// serial: where its savings first pay for its fixed costs, the point a
    /// start-up-only estimate (lab 4's task 6) predicts, well before it
    /// reaches 90% of the ceiling.
    pub fn faster_than_serial(&self, label: &Label, workers: usize) -> Option<f64> {
        self.speedups(label, workers)
            .into_iter()
            .find(|(_, d)| beats_serial(d))
            .map(|(size, _)| size)
    }

    /// One sentence per worker count: where each strategy breaks even.
    pub fn findings(&self) -> Vec<String> {
        let flag = &self.flag;
        self.worker_counts()
            .into_iter()
            .filter_map(|p| {
                let parts: Vec<String> = self
                    .labels()
                    .into_iter()
                    .filter_map(|label| {
                        let faster = self.faster_than_serial(label, p);
                        let faster_text =
                            |f: f64| format!("faster than serial from --{flag} {}", size_text(f));
                        let text = match self.break_even(label, p)? {
                            BreakEven::At { size, share } => {
                                // Said only where it came sooner than the break-even.
                                let sooner = faster
                                    .filter(|&f| f < size)
                                    .map_or(String::new(), |f| format!(", {}", faster_text(f)));
                                format!(
                                    "{label} from --{flag} {} ({:.0}%{sooner})",
                                    size_text(size),
                                    share * 100.0
                                )
                            }
                            BreakEven::Never {
                                best,
                                size,
                                speedup,
                            } => {
                                let slower = match best >= BREAK_EVEN {
                                    true => format!(
                                        ", where it ran {:.2}× ({:.2}–{:.2}), not above 1 \
                                         beyond the noise",
                                        speedup[0], speedup[1], speedup[2]
                                    ),
                                    false => String::new(),
                                };
                                format!(
                                    "{label} never (at most {:.0}%, at --{flag} {}{slower}), {}",
                                    best * 100.0,
                                    size_text(size),
                                    faster.map_or("never faster than serial".into(), faster_text)
                                )
                            }
                        };
                        Some(text)
                    })
                    .collect();
                (!parts.is_empty()).then(|| {
                    format!(
                        "Break-even at {p} workers, the smallest size measured where a strategy \
                         reaches {:.0}% of the machine ceiling and beats serial (its whole \
                         95% interval above 1): {}.",
                        BREAK_EVEN * 100.0,
                        parts.join("; ")
                    )
                })
            })
            .collect()
    }
}

/// Faster than serial beyond the noise: the whole 95% interval of the
/// speedup lies above 1, the rule lab 2 teaches. A median above 1 is not
/// enough on a busy machine: a trial's process-pool "broke even" at 1.06×,
/// its interval 0.25–1.86, beside a ceiling of 0.8.
pub fn beats_serial(d: &Derived) -> bool {
    d.speedup_ci_low > 1.0
}

/// A size as the report writes it: round large numbers as `1e6`, others
/// as they are (`0.3`, `15000`).
pub fn size_text(value: f64) -> String {
    if value >= 1e4 && value.fract() == 0.0 {
        let power = value.log10().floor() as i32;
        let mantissa = value / 10f64.powi(power);
        if (mantissa - mantissa.round()).abs() < 1e-9 {
            return format!("{}e{power}", mantissa.round());
        }
    }
    format!("{value}")
}

/// The file name of a workload's speedup-against-size figure at
/// `workers`, without extension.
pub fn size_figure_stem(workload: &str, workers: usize) -> String {
    format!("{workload}-sizes-{workers}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::Machine;
    use crate::measure::CEILING;
    use crate::measurement::Measurement;
    use crate::report::Report;
    use crate::scaling::PointSize;

    fn machine() -> Machine {
        Machine {
            cpu_model: "Test CPU".into(),
            logical_cpus: 2,
            physical_cores: 2,
            os: "test".into(),
            rustc: "rustc".into(),
            speedup_version: "0".into(),
            date: "2026-01-01".into(),
        }
    }

    /// A point of `linear-normal` at size `n`, of speedup `ratio`.
    fn sized(n: f64, strategy: &str, workers: usize, ratio: f64) -> Measurement {
        let family = format!("linear-normal@n={}", size_text(n));
        Measurement {
            size: Some(PointSize {
                workload: "linear-normal".into(),
                flag: "n".into(),
                value: n,
            }),
            ..Measurement::from_pairs(&family, strategy, workers, &[(1.0 / ratio, 1.0); 7])
        }
    }

    #[test]
    fn break_even_is_the_smallest_size_that_reaches_ninety_percent_of_the_ceiling() {
        let mut rows = Vec::new();
        // The ceiling at 2 is 1.9 at every size (copies take 2/1.9 of a run).
        for (n, process, threads) in [(1e5, 0.3, 1.8), (1e6, 1.2, 1.85), (1e7, 1.75, 1.88)] {
            rows.push(sized(n, "serial", 1, 1.0));
            rows.push(sized(n, "process-dynamic", 2, process));
            rows.push(sized(n, "thread-pool", 2, threads));
            rows.push(sized(n, "scoped-static", 2, 0.5));
            rows.push(sized(n, CEILING, 2, 0.95));
        }
        // Listed out of order: the study sorts its sizes.
        rows.rotate_left(5);
        let report = Report::new(machine(), rows, Vec::new()).unwrap();
        let views = report.views();
        let studies = SizeStudy::all(&views);
        assert_eq!(studies.len(), 1);
        let study = &studies[0];
        let sizes: Vec<f64> = study.sizes.iter().map(|s| s.0).collect();
        assert_eq!(sizes, [1e5, 1e6, 1e7]);
        assert_eq!(study.worker_counts(), [2]);
        let process = Label::of("process-dynamic");
        let Some(BreakEven::At { size, share }) = study.break_even(&process, 2) else {
            panic!("{:?}", study.break_even(&process, 2));
        };
        assert_eq!(size, 1e7);
        assert!((share - 1.75 / 1.9).abs() < 1e-9);
        assert!(matches!(
            study.break_even(&Label::of("thread-pool"), 2),
            Some(BreakEven::At { size, .. }) if size == 1e5
        ));
        let never = study.break_even(&Label::of("scoped-static"), 2);
        assert!(matches!(never, Some(BreakEven::Never { .. })), "{never:?}");
        let text = study.findings().join(" ");
        assert!(text.contains("thread-pool from --n 1e5 (95%)"), "{text}");
        assert!(
            text.contains(
                "scoped-static never (at most 26%, at --n 1e7), never faster than serial"
            ),
            "{text}"
        );
        // process-dynamic is faster than serial at 1e6 (1.2×), before its
        // break-even: the size a start-up-only estimate predicts.
        assert_eq!(study.faster_than_serial(&process, 2), Some(1e6));
        assert!(
            text.contains("process-dynamic from --n 1e7 (92%, faster than serial from --n 1e6)"),
            "{text}"
        );
    }

    #[test]
    fn on_a_busy_machine_ninety_percent_of_a_ceiling_below_one_is_no_break_even() {
        // Two copies at once get 0.8 of one run here (a busy machine): the
        // thread pool reaches 105% of that ceiling at 1e5, a speedup of 0.84,
        // slower than serial; at 1e6 it is faster than serial too.
        let mut rows = Vec::new();
        for (n, threads, copies) in [(1e5, 0.84, 2.5), (1e6, 1.3, 1.4)] {
            rows.push(sized(n, "serial", 1, 1.0));
            rows.push(sized(n, "thread-pool", 2, threads));
            rows.push(sized(n, CEILING, 2, 1.0 / copies));
        }
        let report = Report::new(machine(), rows, Vec::new()).unwrap();
        let views = report.views();
        let study = &SizeStudy::all(&views)[0];
        let thread_pool = study.break_even(&Label::of("thread-pool"), 2);
        assert!(
            matches!(thread_pool, Some(BreakEven::At { size, .. }) if size == 1e6),
            "{thread_pool:?}"
        );
        assert!(study.findings()[0].contains("and beats serial"));
        // Keeping up with a busy machine's ceiling is not paying: said so.
        let mut rows = Vec::new();
        for n in [1e5, 1e6] {
            rows.push(sized(n, "serial", 1, 1.0));
            rows.push(sized(n, "process-pool", 2, 0.96));
            rows.push(sized(n, CEILING, 2, 1.0 / 2.5));
        }
        let report = Report::new(machine(), rows, Vec::new()).unwrap();
        let views = report.views();
        let text = SizeStudy::all(&views)[0].findings().join(" ");
        assert!(
            text.contains(
                "process-pool never (at most 120%, at --n 1e6, where it ran 0.96× (0.96–0.96), \
                 not above 1 beyond the noise), never \
                 faster than serial"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_median_above_one_whose_interval_holds_one_does_not_beat_serial() {
        // The trial's busy machine: process-pool at 1.06× by its median,
        // its runs from 0.25× to 1.86×, beside a ceiling of 0.8.
        let noisy = |n: f64| {
            let ratios = [0.25, 0.6, 1.0, 1.06, 1.3, 1.6, 1.86];
            let pairs: Vec<(f64, f64)> = ratios.iter().map(|r| (1.0 / r, 1.0)).collect();
            Measurement {
                size: sized(n, "serial", 1, 1.0).size,
                ..Measurement::from_pairs(
                    &format!("linear-normal@n={}", size_text(n)),
                    "process-pool",
                    2,
                    &pairs,
                )
            }
        };
        let mut rows = Vec::new();
        for n in [1e5, 1e6] {
            rows.push(sized(n, "serial", 1, 1.0));
            rows.push(noisy(n));
            rows.push(sized(n, CEILING, 2, 0.4));
        }
        let report = Report::new(machine(), rows, Vec::new()).unwrap();
        let views = report.views();
        let study = &SizeStudy::all(&views)[0];
        let pool = Label::of("process-pool");
        assert_eq!(study.faster_than_serial(&pool, 2), None);
        assert!(
            matches!(study.break_even(&pool, 2), Some(BreakEven::Never { .. })),
            "{:?}",
            study.break_even(&pool, 2)
        );
    }

    #[test]
    fn one_size_or_none_is_no_size_study() {
        let rows = vec![
            sized(1e5, "serial", 1, 1.0),
            sized(1e5, "thread-pool", 2, 1.8),
            Measurement::from_pairs("ma2", "serial", 1, &[(1.0, 1.0); 7]),
        ];
        let report = Report::new(machine(), rows, Vec::new()).unwrap();
        assert!(SizeStudy::all(&report.views()).is_empty());
    }

    #[test]
    fn sizes_read_as_typed() {
        assert_eq!(size_text(1e5), "1e5");
        assert_eq!(size_text(2.5e7), "25000000");
        assert_eq!(size_text(3e8), "3e8");
        assert_eq!(size_text(0.3), "0.3");
        assert_eq!(size_text(5000.0), "5000");
    }
}
