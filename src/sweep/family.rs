//! A study's point families: one workload at one set of parameters,
//! measured over every strategy and worker count.
//!
//! A plain sweep has one family per workload, at its default parameters,
//! named after it. A study that chooses parameters ([`Study`]: `--set`,
//! `--sizes`, `--scaling weak`) may have several families of one workload,
//! and each is a study of its own: its own serial baseline, machine ceiling,
//! curves and fits, under its own name: `linear-normal@n=1e6` for one size,
//! `ma2@weak` for weak scaling. The report reads a family as it reads a
//! workload, so nothing downstream needs to know how many there are; the
//! size each point ran at is recorded beside it ([`Family::annotate`]),
//! which is what the report's size section reads.

use super::settings::{Flag, Setting, SizeList, parse_size_lists, workload_with};
use crate::measure::CEILING;
use crate::measurement::Measurement;
use crate::scaling::{PointSize, Scaling};
use crate::workload::{Size, Workload, WorkloadSet, WorkloadVisitor};
use crate::{Error, Result};

/// Adds sizes to `cargo bench`'s study, as `--sizes` does to a sweep's:
/// `SPEEDUP_SIZES="linear-normal:n=1e5,1e6,1e7,1e8"` (several workloads
/// separated by `;`).
pub const SIZES_ENV: &str = "SPEEDUP_SIZES";

/// What a study chooses about its workloads' parameters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Study {
    /// `--set`: flags for every point of a workload.
    pub settings: Vec<Setting>,
    /// `--sizes`: the sizes a workload is measured at.
    pub sizes: Vec<SizeList>,
    /// `--scaling`: strong (the default) or weak.
    pub scaling: Scaling,
}

/// One workload at one set of parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Family<S> {
    /// What its points are called (their `workload` in `speedup.json`).
    pub name: String,
    /// The workload with its parameters (at one worker, for weak scaling).
    pub workload: S,
    pub scaling: Scaling,
    /// Its size, where the study chose one (`--sizes`: the flag varied) or
    /// grows it (weak: the workload's own size flag, at one worker).
    pub size: Option<PointSize>,
    /// Whether its parameters are the workload's defaults.
    pub default_parameters: bool,
}

impl Study {
    /// The study `cargo bench` runs: its sizes from [`SIZES_ENV`], if set
    /// (strong scaling, every other flag at its default).
    pub fn from_env<S: WorkloadSet>() -> Result<Study> {
        let sizes = match std::env::var(SIZES_ENV) {
            Ok(text) => parse_size_lists::<S>(&text).map_err(|e| e.context(SIZES_ENV))?,
            Err(_) => Vec::new(),
        };
        Ok(Study {
            sizes,
            ..Study::default()
        })
    }

    /// The families of `workloads` (of the set `S`): per workload one, or one
    /// per size; every one's parameters checked together.
    pub fn families<S: WorkloadSet>(&self, workloads: &[String]) -> Result<Vec<Family<S>>> {
        self.check_named(workloads)?;
        let mut families = Vec::new();
        for name in workloads {
            let flags: Vec<Flag> = self
                .settings
                .iter()
                .filter(|s| s.workload == *name)
                .map(|s| s.flag.clone())
                .collect();
            match self.sizes.iter().find(|s| s.workload == *name) {
                Some(list) => {
                    for (text, value) in &list.values {
                        let mut flags = flags.clone();
                        flags.push(Flag {
                            name: list.flag.clone(),
                            value: Some(text.clone()),
                        });
                        let size = PointSize {
                            workload: name.clone(),
                            flag: list.flag.clone(),
                            value: *value,
                        };
                        let family_name = format!("{name}@{}={text}", list.flag);
                        families.push(self.family(name, family_name, &flags, Some(size))?);
                    }
                }
                None => families.push(self.family(name, name.clone(), &flags, None)?),
            }
        }
        Ok(families)
    }

    /// One family, its parameters validated, and for weak scaling its size.
    fn family<S: WorkloadSet>(
        &self,
        workload: &str,
        name: String,
        flags: &[Flag],
        size: Option<PointSize>,
    ) -> Result<Family<S>> {
        let built: S = workload_with(workload, flags)?;
        built.validate().map_err(|e| match flags.is_empty() {
            true => e,
            false => {
                let shown: Vec<String> = flags.iter().map(Flag::shown).collect();
                e.context(format!("{workload} {}", shown.join(" ")))
            }
        })?;
        let (name, size) = match self.scaling {
            Scaling::Strong => (name, size),
            Scaling::Weak => {
                let Some(own) = built.size() else {
                    return Err(Error::new(format!(
                        "--scaling weak: the {workload} workload states no size to grow with the workers"
                    )));
                };
                (format!("{name}@weak"), Some(point_size(workload, own)))
            }
        };
        Ok(Family {
            name,
            workload: built,
            scaling: self.scaling,
            size,
            default_parameters: flags.is_empty(),
        })
    }

    /// Refuses settings and sizes of workloads the study does not measure,
    /// a workload sized twice, and a flag both set and sized.
    fn check_named(&self, workloads: &[String]) -> Result<()> {
        let measured = |workload: &str, flag: &str| {
            if workloads.iter().any(|w| w == workload) {
                Ok(())
            } else {
                Err(Error::new(format!(
                    "{flag} names {workload}, which this study does not measure: add it to --workloads"
                )))
            }
        };
        for setting in &self.settings {
            measured(&setting.workload, "--set")?;
        }
        for (i, list) in self.sizes.iter().enumerate() {
            measured(&list.workload, "--sizes")?;
            if self.sizes[..i].iter().any(|l| l.workload == list.workload) {
                return Err(Error::new(format!(
                    "--sizes names {} twice: one size flag per workload, its sizes in one list",
                    list.workload
                )));
            }
            let both = self
                .settings
                .iter()
                .find(|s| s.workload == list.workload && s.flag.name == list.flag);
            if both.is_some() {
                return Err(Error::new(format!(
                    "--set and --sizes both set {}'s --{}: leave it out of --set",
                    list.workload, list.flag
                )));
            }
        }
        Ok(())
    }

    /// The study's settings as the report states them, one line per
    /// workload: `amdahl --serial-fraction 0.3 --spin`.
    pub fn described(&self) -> Vec<String> {
        let mut lines: Vec<(String, Vec<String>)> = Vec::new();
        for setting in &self.settings {
            match lines.iter_mut().find(|(w, _)| *w == setting.workload) {
                Some((_, flags)) => flags.push(setting.flag.shown()),
                None => lines.push((setting.workload.clone(), vec![setting.flag.shown()])),
            }
        }
        lines
            .into_iter()
            .map(|(workload, flags)| format!("{workload} {}", flags.join(" ")))
            .collect()
    }
}

impl<S: WorkloadSet> Family<S> {
    /// Each family of a plain sweep: the workload at its defaults.
    pub fn plain(workloads: &[String]) -> Result<Vec<Family<S>>> {
        Study::default().families(workloads)
    }

    /// The size of a family's point at `workers`: the family's own, or for
    /// weak scaling its workload grown to `workers` times the work.
    pub fn size_at(&self, workers: usize) -> Option<PointSize> {
        match self.scaling {
            Scaling::Strong => self.size.clone(),
            Scaling::Weak => {
                let grown = self.workload.size_scaled_to(workers)?;
                Some(point_size(self.workload.name(), grown))
            }
        }
    }

    /// Refuses, before anything runs, a weak-scaling family whose workload
    /// grown to one of `workers` is out of bounds (`--n` past what memory
    /// holds, `--work` of hours).
    pub fn check_growth(&self, workers: &[usize]) -> Result<()> {
        if self.scaling == Scaling::Strong {
            return Ok(());
        }
        workers.iter().try_for_each(|&p| {
            self.workload
                .clone()
                .visit(GrowthCheck { workers: p })
                .map(drop)
        })
    }

    /// Marks this family's measurements with their scaling and the size
    /// each point ran at. The machine ceiling's rows stay strong: its
    /// copies are p one-worker jobs at the family's own size, whatever the
    /// scaling.
    pub fn annotate(&self, measurements: &mut [Measurement]) {
        for m in measurements.iter_mut().filter(|m| m.workload == self.name) {
            let ceiling = m.strategy == CEILING;
            m.size = if ceiling {
                self.size.clone()
            } else {
                self.size_at(m.workers)
            };
            m.scaling = if ceiling {
                Scaling::Strong
            } else {
                self.scaling
            };
        }
    }
}

/// `workload` grown to `workers` times its work (weak scaling), checked
/// like any workload's parameters.
pub fn grown<W: Workload>(workload: &W, workers: usize) -> Result<W> {
    let grown = workload.scaled_to(workers).ok_or_else(|| {
        Error::new(format!(
            "--scaling weak: the {} workload states no size to grow",
            W::NAME
        ))
    })?;
    grown
        .validate()
        .map_err(|e| e.context(format!("{} grown to {workers} workers' work", W::NAME)))?;
    Ok(grown)
}

/// Checks a workload grown to `workers` times its work ([`grown`]).
struct GrowthCheck {
    workers: usize,
}

impl WorkloadVisitor for GrowthCheck {
    type Output = Result<()>;

    fn visit<W: Workload>(self, workload: W) -> Result<()> {
        grown(&workload, self.workers).map(drop)
    }
}

/// A workload's size as a point records it.
fn point_size(workload: &str, size: Size) -> PointSize {
    PointSize {
        workload: workload.to_string(),
        flag: size.flag.to_string(),
        value: size.value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::settings::{parse_setting, parse_sizes};
    use crate::workloads::AnyWorkload;

    fn names(families: &[Family<AnyWorkload>]) -> Vec<&str> {
        families.iter().map(|f| f.name.as_str()).collect()
    }

    fn workloads(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn a_plain_sweep_has_one_family_per_workload_named_after_it() {
        let families = Family::<AnyWorkload>::plain(&workloads(&["ma2", "integration"])).unwrap();
        assert_eq!(names(&families), ["ma2", "integration"]);
        assert!(
            families
                .iter()
                .all(|f| f.default_parameters && f.size.is_none())
        );
    }

    #[test]
    fn each_size_is_a_family_of_its_own_and_settings_reach_them_all() {
        let study = Study {
            settings: vec![parse_setting::<AnyWorkload>("amdahl:spin").unwrap()],
            sizes: vec![parse_sizes::<AnyWorkload>("amdahl:serial-fraction=0.1,0.3").unwrap()],
            scaling: Scaling::Strong,
        };
        let families: Vec<Family<AnyWorkload>> =
            study.families(&workloads(&["amdahl", "ma2"])).unwrap();
        assert_eq!(
            names(&families),
            [
                "amdahl@serial-fraction=0.1",
                "amdahl@serial-fraction=0.3",
                "ma2"
            ]
        );
        let AnyWorkload::Amdahl(second) = &families[1].workload else {
            panic!("{families:?}");
        };
        assert!(second.spin && second.serial_fraction == 0.3);
        // The recorded size is the flag varied, as a number.
        let size = families[1].size_at(4).unwrap();
        assert_eq!((size.flag.as_str(), size.value), ("serial-fraction", 0.3));
        assert_eq!(families[2].size, None);
        assert_eq!(study.described(), ["amdahl --spin"]);
    }

    #[test]
    fn weak_scaling_grows_each_workloads_size_as_its_work_grows() {
        let study = Study {
            scaling: Scaling::Weak,
            ..Study::default()
        };
        let families: Vec<Family<AnyWorkload>> = study
            .families(&workloads(&[
                "linear-normal",
                "integration",
                "ma2",
                "amdahl",
            ]))
            .unwrap();
        assert_eq!(
            names(&families),
            [
                "linear-normal@weak",
                "integration@weak",
                "ma2@weak",
                "amdahl@weak"
            ]
        );
        let at = |family: usize, workers: usize| families[family].size_at(workers).unwrap();
        // Linear work: p times the size.
        assert_eq!((at(0, 1).flag.as_str(), at(0, 1).value), ("n", 100_000.0));
        assert_eq!(at(0, 4).value, 400_000.0);
        assert_eq!(at(2, 3).value, 3_000_000.0);
        assert!((at(3, 8).value - 1.6).abs() < 1e-12, "amdahl's --work");
        // integration's work grows with samples²: 4 times the work is 2 times the samples.
        assert_eq!(
            (at(1, 4).flag.as_str(), at(1, 4).value),
            ("samples", 20_000.0)
        );
        assert_eq!(at(1, 2).value, 14_142.0, "√2 · 10000, rounded to a count");
    }

    #[test]
    fn annotated_points_carry_their_size_and_the_ceiling_stays_strong() {
        let study = Study {
            scaling: Scaling::Weak,
            ..Study::default()
        };
        let family = &study
            .families::<AnyWorkload>(&workloads(&["linear-normal"]))
            .unwrap()[0];
        let mut rows = vec![
            Measurement::from_pairs(&family.name, "thread-pool", 2, &[(1.0, 1.0)]),
            Measurement::from_pairs(&family.name, CEILING, 2, &[(1.0, 1.0)]),
            Measurement::from_pairs("other", "thread-pool", 2, &[(1.0, 1.0)]),
        ];
        family.annotate(&mut rows);
        let size = rows[0].size.as_ref().unwrap();
        assert_eq!(
            (size.workload.as_str(), size.flag.as_str(), size.value),
            ("linear-normal", "n", 200_000.0)
        );
        assert_eq!(rows[0].scaling, Scaling::Weak);
        assert_eq!(rows[0].ratios(), [2.0], "p times serial / point");
        assert_eq!(
            (rows[1].scaling, rows[1].size.as_ref().unwrap().value),
            (Scaling::Strong, 100_000.0)
        );
        assert_eq!((rows[2].scaling, &rows[2].size), (Scaling::Strong, &None));
    }

    #[test]
    fn studies_that_cannot_be_measured_are_refused_by_name() {
        let error = |study: Study, measured: &[&str]| {
            study
                .families::<AnyWorkload>(&workloads(measured))
                .unwrap_err()
                .to_string()
        };
        let sizes = |text: &str| parse_sizes::<AnyWorkload>(text).unwrap();
        let not_measured = Study {
            settings: vec![parse_setting::<AnyWorkload>("amdahl:spin").unwrap()],
            ..Study::default()
        };
        assert!(
            error(not_measured, &["ma2"])
                .contains("--set names amdahl, which this study does not measure")
        );
        let twice = Study {
            sizes: vec![sizes("ma2:n-sim=1e4"), sizes("ma2:batch-size=100")],
            ..Study::default()
        };
        assert!(error(twice, &["ma2"]).contains("--sizes names ma2 twice"));
        let both = Study {
            settings: vec![parse_setting::<AnyWorkload>("linear-normal:n=10").unwrap()],
            sizes: vec![sizes("linear-normal:n=1e4,1e5")],
            ..Study::default()
        };
        assert!(
            error(both, &["linear-normal"])
                .contains("--set and --sizes both set linear-normal's --n")
        );
        // Parameters are checked together: 5000 kept of 1000 simulations.
        let together = Study {
            sizes: vec![sizes("ma2:n-sim=1000")],
            ..Study::default()
        };
        let why = error(together, &["ma2"]);
        assert!(
            why.contains("ma2 --n-sim 1000: --n-samples (5000) is more than"),
            "{why}"
        );
    }
}
