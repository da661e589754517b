//! Each `time N` keeps its results: a dated folder per run, and `latest`.
//!
//! A student times a lab, changes the code, and times it again. Had the
//! second run overwritten the first, the comparison a lab is about ("what
//! did my change buy?") would be gone. So every run writes a folder of its
//! own, `labs/results/labN/<date>T<time>Z/` (UTC, so the names sort in the
//! order the runs were made), and `labs/results/labN/latest` points at the
//! newest. Two runs compare with `speedup report --compare OLD NEW`.

use speedup::{Error, Result};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The name of a run made at `time`: `2026-12-03T091502Z`.
pub fn run_name(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let of_day = seconds % 86_400;
    format!(
        "{}T{:02}{:02}{:02}Z",
        speedup::machine::utc_date(time),
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    )
}

/// Creates the folder of a new run of lab `lab` under `results`, named for
/// `time` (with `-2`, `-3` … if a run of the same second exists).
pub fn new_run(results: &Path, lab: u32, time: SystemTime) -> Result<PathBuf> {
    let lab_dir = results.join(format!("lab{lab}"));
    std::fs::create_dir_all(&lab_dir)
        .map_err(|e| Error::new(format!("cannot create {}: {e}", lab_dir.display())))?;
    let name = run_name(time);
    for attempt in 1.. {
        let dir = match attempt {
            1 => lab_dir.join(&name),
            n => lab_dir.join(format!("{name}-{n}")),
        };
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::new(format!("cannot create {}: {e}", dir.display()))),
        }
    }
    unreachable!("the loop returns")
}

/// Points `labN/latest` at `run` (a sibling folder), replacing the old link
/// in one step: a new link is made beside it and renamed over it.
pub fn mark_latest(run: &Path) -> Result<()> {
    let (Some(lab_dir), Some(name)) = (run.parent(), run.file_name()) else {
        return Err(Error::new(format!("{} is not a run folder", run.display())));
    };
    let latest = lab_dir.join("latest");
    let fresh = lab_dir.join(format!(".latest.{}", std::process::id()));
    let _ = std::fs::remove_file(&fresh);
    link(Path::new(name), &fresh)
        .and_then(|()| std::fs::rename(&fresh, &latest))
        .map_err(|e| {
            Error::new(format!(
                "cannot point {} at {}: {e}",
                latest.display(),
                run.display()
            ))
        })
}

#[cfg(unix)]
fn link(target: &Path, at: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, at)
}

#[cfg(not(unix))]
fn link(target: &Path, at: &Path) -> std::io::Result<()> {
    // Without symbolic links, `latest` is a file naming the newest run.
    std::fs::write(at, target.to_string_lossy().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn runs_are_named_in_utc_and_never_overwrite_each_other() {
        let at = UNIX_EPOCH + Duration::from_secs(1_796_289_302); // 2026-12-03 09:15:02 UTC
        assert_eq!(run_name(at), "2026-12-03T091502Z");
        let results = std::env::temp_dir().join(format!("lab-results-{}", std::process::id()));
        let first = new_run(&results, 1, at).unwrap();
        let second = new_run(&results, 1, at).unwrap();
        assert_eq!(first.file_name().unwrap(), "2026-12-03T091502Z");
        assert_eq!(second.file_name().unwrap(), "2026-12-03T091502Z-2");
        std::fs::write(first.join("lab1.json"), "[]").unwrap();
        mark_latest(&first).unwrap();
        mark_latest(&second).unwrap();
        let latest = results.join("lab1/latest");
        assert_eq!(
            std::fs::canonicalize(&latest).unwrap(),
            std::fs::canonicalize(&second).unwrap()
        );
        assert!(first.join("lab1.json").exists(), "the first run is kept");
        std::fs::remove_dir_all(results).unwrap();
    }
}
