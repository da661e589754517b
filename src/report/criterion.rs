//! Reading the measurements `cargo bench` left in criterion's output directory.
//!
//! criterion's files are private to criterion (its book says so), which is
//! why Cargo.toml pins criterion's exact version and the test of this reader
//! runs a tiny criterion benchmark to produce the files it reads.
//!
//! Each benchmark writes `<dir>/<group>/<function>/<value>/new/`:
//! - `benchmark.json`: its id: `group_id` (our workload), `function_id` (our
//!   strategy) and `value_str` (our worker count);
//! - `sample.json`: `iters` and `times` (ns) of each sample.
//!
//! Each sample's mean time per iteration becomes one timing, summarised by
//! [`Measurement::from_samples`]: the very statistics `speedup sweep` uses,
//! so the two ways of measuring a grid produce comparable reports.

use crate::measurement::Measurement;
use crate::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

#[derive(Deserialize)]
struct BenchmarkId {
    group_id: String,
    function_id: Option<String>,
    value_str: Option<String>,
}

#[derive(Deserialize)]
struct Sample {
    iters: Vec<f64>,
    times: Vec<f64>,
}

/// Reads every benchmark under `dir` whose results were written at or after
/// `since` (so results of benchmarks that a filter skipped this time are not
/// mistaken for new ones). Benchmarks not named `workload/strategy/workers`
/// are ignored.
pub fn read_measurements(dir: &Path, since: Option<SystemTime>) -> Result<Vec<Measurement>> {
    let mut found = Vec::new();
    find_new_dirs(dir, 0, &mut found)?;
    let mut measurements = Vec::new();
    for new in found {
        let sample_path = new.join("sample.json");
        if let Some(since) = since {
            let written = std::fs::metadata(&sample_path).and_then(|m| m.modified())?;
            if written < since {
                continue;
            }
        }
        let id: BenchmarkId = read_json(&new.join("benchmark.json"))?;
        let sample: Sample = read_json(&sample_path)?;
        let (Some(strategy), Some(workers)) = (id.function_id, id.value_str) else {
            continue;
        };
        let Ok(workers) = workers.parse::<usize>() else {
            continue;
        };
        let times: Vec<f64> = sample
            .iters
            .iter()
            .zip(&sample.times)
            .filter(|(iters, _)| **iters > 0.0)
            .map(|(iters, ns)| ns / iters / 1e9)
            .collect();
        if times.is_empty() {
            return Err(Error::new(format!("{}: no samples", sample_path.display())));
        }
        measurements.push(Measurement::from_samples(
            &id.group_id,
            &strategy,
            workers,
            &times,
        ));
    }
    measurements.sort_by(|a, b| {
        (&a.workload, &a.strategy, a.workers).cmp(&(&b.workload, &b.strategy, b.workers))
    });
    Ok(measurements)
}

/// Collects every `new/` directory holding a `benchmark.json`, at most 5 deep.
fn find_new_dirs(dir: &Path, depth: usize, found: &mut Vec<PathBuf>) -> Result<()> {
    if depth > 5 {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::new(format!("cannot read {}: {e}", dir.display())))?;
    for entry in entries {
        let path = entry?.path();
        if !path.is_dir() {
            continue;
        }
        if path.file_name().is_some_and(|n| n == "new") && path.join("benchmark.json").is_file() {
            found.push(path);
        } else {
            find_new_dirs(&path, depth + 1, found)?;
        }
    }
    Ok(())
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::new(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| Error::new(format!("{}: {e}", path.display())))
}
