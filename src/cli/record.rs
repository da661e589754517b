//! What `speedup run` says about one run: the record, as text or JSON.

use crate::strategy::RunOptions;
use crate::timed_run::timed_busy;
use crate::workload::{Outcome, Workload, WorkloadVisitor};
use crate::{Checksum, Error, Result, Strategy};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;

/// Everything worth saying about one run, for any workload.
#[derive(Debug, Clone)]
pub struct RunRecord {
    pub workload: &'static str,
    pub params: Value,
    pub strategy: Strategy,
    pub workers: usize,
    pub seed: u64,
    pub wall: Duration,
    /// Seconds each worker spent running chunks (`strategy/busy.rs`).
    pub busy: Vec<f64>,
    pub checksum: Checksum,
    pub summary: Value,
    /// The summary as aligned lines for people.
    pub description: String,
    /// The full result, when asked for.
    pub full: Option<Value>,
}

impl RunRecord {
    /// The `--json` object.
    pub fn to_json(&self) -> Value {
        json!({
            "workload": self.workload,
            "strategy": self.strategy.label(),
            "workers": self.workers,
            "seed": self.seed,
            "params": self.params,
            "wall_seconds": self.wall.as_secs_f64(),
            "busy_seconds": self.busy,
            "checksum": self.checksum.to_string(),
            "summary": self.summary,
        })
    }

    /// The human-readable block `speedup run` prints.
    pub fn to_text(&self) -> String {
        format!(
            "workload       {}\nstrategy       {} with {} worker{}\nseed           {}\nwall time      {:.4} s\nchecksum       {}\n{}",
            self.workload,
            self.strategy,
            self.workers,
            if self.workers == 1 { "" } else { "s" },
            self.seed,
            self.wall.as_secs_f64(),
            self.checksum,
            self.description
        )
    }
}

/// A visitor that runs any workload once and records the run.
pub struct Record {
    pub strategy: Strategy,
    pub workers: usize,
    pub seed: u64,
    /// The strategy's options (`--timeout`).
    pub options: RunOptions,
    /// Keep the full result (for `--output`).
    pub keep_full: bool,
    /// Draw the result's figure to this file (for `--plot`).
    pub plot: Option<PathBuf>,
}

impl WorkloadVisitor for Record {
    type Output = Result<RunRecord>;

    fn visit<W: Workload>(self, workload: W) -> Result<RunRecord> {
        let (output, wall, busy) = timed_busy(
            &workload,
            self.strategy,
            self.workers,
            self.seed,
            &self.options,
        )?;
        if let Some(path) = &self.plot {
            let data = output.pair_samples().ok_or_else(|| {
                Error::new(format!("--plot: the {} workload draws no figure", W::NAME))
            })?;
            crate::plot::pairs(path, data.names, &data.samples, data.truth)?;
        }
        Ok(RunRecord {
            workload: W::NAME,
            params: serde_json::to_value(&workload)?,
            strategy: self.strategy,
            workers: self.workers,
            seed: self.seed,
            wall,
            busy,
            checksum: output.checksum(),
            summary: output.summary(),
            description: output.describe(),
            full: self.keep_full.then(|| output.to_json()),
        })
    }
}
