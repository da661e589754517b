//! What several test files share (`mod common;` in each).

use std::path::{Path, PathBuf};

/// The speedup.json of a committed reference report (`reports/<machine>/`),
/// whichever machine it was measured on: the fixtures of hostile and broken
/// reports are made from it.
pub fn committed_reference() -> PathBuf {
    let reports = Path::new(env!("CARGO_MANIFEST_DIR")).join("reports");
    let mut found: Vec<_> = std::fs::read_dir(&reports)
        .unwrap()
        .map(|e| e.unwrap().path().join("speedup.json"))
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    found
        .into_iter()
        .next()
        .expect("a committed reference report")
}
