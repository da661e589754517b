//! Worker counts, workloads and strategies as typed on the command line or
//! in the environment: `2`, `1,2,4`, `ma2,integration`, `serial,scoped`.

use crate::flags;
use crate::strategy::{MAX_WORKERS, Strategy, TABLE, check_workers};
use crate::workload::WorkloadSet;
use crate::workloads::AnyWorkload;
use crate::{Error, Result};

/// One worker count: a whole number from 1 to [`MAX_WORKERS`] (the rule is
/// [`check_workers`]).
pub fn worker_count(text: &str) -> Result<usize, String> {
    let n = flags::count(text)?;
    check_workers(n)
        .map(|()| n)
        .map_err(|_| format!("must be from 1 to {MAX_WORKERS}"))
}

/// Parses a comma-separated list of worker counts, `1,2,4`.
pub fn parse_workers(text: &str) -> Result<Vec<usize>> {
    let mut counts = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let n = crate::flags::count(item)
            .map_err(|e| Error::new(format!("worker count '{item}' {e}")))?;
        check_workers(n)?;
        counts.push(n);
    }
    if counts.is_empty() {
        return Err(Error::new(format!("no worker counts in '{text}'")));
    }
    counts.sort_unstable();
    counts.dedup();
    Ok(counts)
}

/// Parses a comma-separated list of the library's workload names, checking each.
pub fn parse_workloads(text: &str) -> Result<Vec<String>> {
    parse_workloads_of::<AnyWorkload>(text)
}

/// Parses a comma-separated list of workload names of the set `S`.
///
/// A name given twice is refused: each workload would be measured, drawn
/// and tabled twice. (Worker counts and strategies are sets and are merged
/// silently instead: `scoped,scoped-static` names scoped-static twice on
/// purpose, and `1,2,2` means the same counts.)
pub fn parse_workloads_of<S: WorkloadSet>(text: &str) -> Result<Vec<String>> {
    let names = split_names(text);
    for (i, name) in names.iter().enumerate() {
        S::with_defaults(name)?;
        if names[..i].contains(name) {
            return Err(Error::new(format!(
                "workload '{name}' is named twice (each is measured once)"
            )));
        }
    }
    if names.is_empty() {
        return Err(Error::new(format!("no workload names in '{text}'")));
    }
    Ok(names)
}

/// Parses a comma-separated list of strategy labels (`scoped` means both schedules).
pub fn parse_strategies(text: &str) -> Result<Vec<Strategy>> {
    let mut strategies = Vec::new();
    for name in split_names(text) {
        match name.as_str() {
            // A family name in a sweep means every schedule of it.
            family if TABLE.iter().filter(|e| e.family() == family).count() > 1 => strategies
                .extend(
                    TABLE
                        .iter()
                        .filter(|e| e.family() == family)
                        .map(|e| e.strategy),
                ),
            _ => strategies.push(name.parse()?),
        }
    }
    if strategies.is_empty() {
        return Err(Error::new(format!("no strategy names in '{text}'")));
    }
    strategies.sort();
    strategies.dedup();
    Ok(strategies)
}

fn split_names(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_parse_and_bad_items_are_named() {
        assert_eq!(parse_workers("4, 1,2,2").unwrap(), vec![1, 2, 4]);
        let err = parse_workers("1,x").unwrap_err().to_string();
        assert!(err.contains("'x'"), "{err}");
        assert!(parse_workers("0").is_err());
        assert!(parse_workers(" , ").is_err());
        assert_eq!(
            parse_strategies("scoped,serial").unwrap(),
            vec![
                Strategy::Serial,
                Strategy::Scoped(crate::Schedule::Static),
                Strategy::Scoped(crate::Schedule::Dynamic)
            ]
        );
        assert_eq!(
            parse_workloads("ma2, integration").unwrap(),
            vec!["ma2", "integration"]
        );
        let twice = parse_workloads("ma2,integration,ma2")
            .unwrap_err()
            .to_string();
        assert!(twice.contains("'ma2' is named twice"), "{twice}");
        assert!(
            parse_workloads("nope")
                .unwrap_err()
                .to_string()
                .contains("'nope'")
        );
    }
}
