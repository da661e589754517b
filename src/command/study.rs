//! A command as a study of the rounds engine: the same [`Group`] a built-in
//! workload becomes, so it gets the same pairing, rounds, ceiling and report.
//!
//! The group's workload is the command's name. Its baseline (the serial run
//! every run is paired with) is `--serial` or the command at one worker; the
//! baseline is also the group's `serial` point at one worker, so the report
//! finds it where it finds every workload's. The command itself is a point
//! at every worker count, labelled with its name; and above one worker the
//! machine ceiling runs p copies of the baseline at once.

use super::output::OutputCheck;
use super::run::{Ran, run_once};
use super::spec::{CommandSpec, Invocation};
use crate::measure::{Contestant, Group, Run, RunRecord, ceiling};
use crate::report::commands::CommandStudy;
use crate::strategy::Strategy;
use std::time::Duration;

/// A command ready to measure, with its output check.
pub struct MeasuredCommand {
    pub spec: CommandSpec,
    /// `--check-output`: `None` when not asked for.
    check: Option<OutputCheck>,
    limit: Duration,
}

impl MeasuredCommand {
    /// Measures `spec`, killing runs past `limit`, checking output if
    /// `check_output` (stopping at a difference if `strict`).
    pub fn new(
        spec: CommandSpec,
        limit: Duration,
        check_output: bool,
        strict: bool,
    ) -> MeasuredCommand {
        MeasuredCommand {
            spec,
            check: check_output.then(|| OutputCheck::new(strict)),
            limit,
        }
    }

    /// The rounds' group: the baseline, the command at each of `workers`,
    /// and the ceiling at each count above one.
    pub fn group(&self, workers: &[usize]) -> Group<'_> {
        let mut contestants = vec![Contestant {
            strategy: Strategy::BASELINE.label().into(),
            workers: 1,
            run: self.baseline_run(),
        }];
        for &p in workers {
            contestants.push(Contestant {
                strategy: self.spec.name.clone(),
                workers: p,
                run: self.point_run(p),
            });
        }
        let baseline = self.spec.baseline();
        for &p in workers.iter().filter(|&&p| p > 1) {
            let baseline = baseline.clone();
            let limit = self.limit;
            contestants.push(ceiling(p, move |_| {
                run_once(&baseline, limit, false).map(drop)
            }));
        }
        Group {
            workload: self.spec.name.clone(),
            serial: self.baseline_run(),
            contestants,
        }
    }

    /// What the report keeps of this study.
    pub fn study(&self) -> CommandStudy {
        CommandStudy {
            name: self.spec.name.clone(),
            command: self.spec.template.text().to_string(),
            env: self
                .spec
                .env
                .iter()
                .map(|(var, value)| format!("{var}={value}"))
                .collect(),
            baseline: self.spec.baseline_description(),
            output_differs: self.check.as_ref().map(OutputCheck::differing),
        }
    }

    fn baseline_run(&self) -> Run<'_> {
        let baseline = self.spec.baseline();
        Box::new(move || {
            let ran = self.run(&baseline)?;
            if let (Some(check), Some(hash)) = (&self.check, ran.output) {
                check.baseline(hash, &baseline.shown);
            }
            Ok(record(ran))
        })
    }

    fn point_run(&self, workers: usize) -> Run<'_> {
        let invocation = self.spec.at(workers);
        Box::new(move || {
            let ran = self.run(&invocation)?;
            if let (Some(check), Some(hash)) = (&self.check, ran.output) {
                check.point(workers, hash, &invocation.shown)?;
            }
            Ok(record(ran))
        })
    }

    fn run(&self, invocation: &Invocation) -> crate::Result<Ran> {
        run_once(invocation, self.limit, self.check.is_some())
    }
}

/// A run's record: its time and its CPU time.
fn record(ran: Ran) -> RunRecord {
    RunRecord {
        cpu_s: ran.cpu_s,
        ..RunRecord::of_seconds(ran.seconds)
    }
}
