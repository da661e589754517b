//! The observed data: simulated from known parameters, or read from a file.
//!
//! ABC compares simulations with *data*. The tutorial makes its data by
//! simulating the model once at "true" parameters (0.6, 0.2), so the posterior
//! can be checked against them. We do the same with a **fixed observation
//! seed**, [`OBSERVATION_SEED`], independent of `--seed`: changing `--seed`
//! re-runs the inference on the *same* data, as re-running an experiment's
//! analysis would. With `--observed FILE` the data are the user's own series.
//!
//! A file is read and checked once, while the command line is parsed, so every
//! mistake in it is reported before anything runs, and the series itself (not
//! the path) travels to process workers with the other parameters.

use super::model::{Simulator, Theta};
use crate::seeds::ChunkRng;
use crate::{Error, Result};
use rand::SeedableRng;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The seed of the random stream that simulates the observed data: the
/// tutorial's seed, used directly (`ChunkRng::seed_from_u64`). The inference's
/// streams are derived from `--seed` through SplitMix64 (`seeds.rs`), so they
/// do not coincide with this one even when `--seed` has the same value.
///
/// Any fixed seed would do; each gives a different data set, and the posterior
/// mean of t1 moves with the data by about its posterior spread (~0.1) around
/// the true 0.6. With this one (and the generator of `normal.rs`) it comes
/// out at about 0.69, as in ELFI's tutorial (0.694 with its own data).
pub const OBSERVATION_SEED: u64 = 20_170_530;

/// The fewest values a series may have: S2 needs pairs two apart.
pub const MIN_LEN: usize = 3;

/// The most values a series may have: 10,000 times the tutorial's 100. Every
/// simulation draws a series this long, so a million simulations of the
/// longest take hours, and its length is not a typo for a short one.
pub const MAX_LEN: usize = 1_000_000;

/// The largest magnitude an observed value may have.
///
/// The summaries are means of products of two values (up to `y²`), and the
/// distance squares differences of summaries (up to `y⁴`), so a value much
/// above `f64::MAX^(1/4)` ≈ 1.3·10^77 makes the distance infinite: every
/// simulation ties at `inf`, the threshold prints as `inf` and the run
/// "succeeds" with nonsense (`1e300` did). At 10^75 the products stay below
/// 10^150, their sums over [`MAX_LEN`] values below 10^156 and the squared
/// distances below 10^301: everything finite, with room to spare. Real data
/// of that size are a units mistake; rescale them.
pub const MAX_MAGNITUDE: f64 = 1e75;

/// The observed series simulated at `theta`, with `n_obs` values.
pub fn simulate(theta: Theta, n_obs: usize) -> Vec<f64> {
    let mut rng = ChunkRng::seed_from_u64(OBSERVATION_SEED);
    Simulator::new(n_obs).series(theta, &mut rng)
}

/// Parses `--true-params T1,T2`. (Whether they lie in the prior's triangle is
/// checked with the other parameters, so library users get the check too.)
pub fn parse_true_params(text: &str) -> Result<Theta> {
    let bad = || {
        Error::new(format!(
            "expected two numbers T1,T2 like 0.6,0.2, got '{text}'"
        ))
    };
    let (t1, t2) = text.split_once(',').ok_or_else(bad)?;
    let number = |s: &str| s.trim().parse::<f64>().map_err(|_| bad());
    Ok(Theta {
        t1: number(t1)?,
        t2: number(t2)?,
    })
}

/// A series read from `--observed FILE`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObservedFile {
    /// Where it came from, for messages.
    pub path: String,
    pub y: Vec<f64>,
}

impl ObservedFile {
    /// Reads a JSON object with a `"y"` array of numbers (the value parser of
    /// `--observed`).
    pub fn read(path: &str) -> Result<ObservedFile> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::new(format!("cannot read {path}: {e}")))?;
        // Windows editors (Notepad, Excel's "CSV UTF-8") start files with a
        // byte-order mark, which JSON does not allow; it says nothing here.
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let file = ObservedFile {
            path: path.into(),
            y: parse_series(text).map_err(|e| e.context(path))?,
        };
        file.check()?;
        Ok(file)
    }

    /// Checks the series: enough values, all finite.
    pub fn check(&self) -> Result<()> {
        check_series(&self.y).map_err(|e| e.context(&self.path))
    }
}

/// The `"y"` array of a JSON text.
fn parse_series(text: &str) -> Result<Vec<f64>> {
    let json: Value = serde_json::from_str(text).map_err(|e| {
        // Python's json module writes NaN and Infinity, which JSON forbids;
        // 1e999 is JSON but no f64.
        let non_finite = text.contains("NaN")
            || text.contains("Infinity")
            || e.to_string().starts_with("number out of range");
        if non_finite {
            Error::new(format!(
                "values must be finite: NaN and infinities are not allowed ({e})"
            ))
        } else {
            Error::new(format!("not valid JSON: {e}"))
        }
    })?;
    let Some(Value::Array(items)) = json.get("y") else {
        return Err(Error::new(
            r#"no "y" array: expected a JSON object like {"y": [0.1, -0.4, ...]}"#,
        ));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.as_f64()
                .ok_or_else(|| Error::new(format!(r#""y"[{i}] is {item}, not a number"#)))
        })
        .collect()
}

/// A series must have [`MIN_LEN`] to [`MAX_LEN`] values, all finite and at
/// most [`MAX_MAGNITUDE`] in size.
pub fn check_series(y: &[f64]) -> Result<()> {
    if y.len() < MIN_LEN {
        return Err(Error::new(format!(
            r#""y" has {} values; the summaries need at least {MIN_LEN}"#,
            y.len()
        )));
    }
    if y.len() > MAX_LEN {
        return Err(Error::new(format!(
            r#""y" has {} values, more than the {MAX_LEN} a series may have"#,
            y.len()
        )));
    }
    if let Some(i) = y.iter().position(|v| !v.is_finite()) {
        return Err(Error::new(format!(
            r#""y"[{i}] is {}; values must be finite"#,
            y[i]
        )));
    }
    if let Some(i) = y.iter().position(|v| v.abs() > MAX_MAGNITUDE) {
        return Err(Error::new(format!(
            r#""y"[{i}] is {:e}; values must be at most {MAX_MAGNITUDE:e} in size, or the distances overflow (rescale the data)"#,
            y[i]
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn true_params_parse_with_spaces_and_signs() {
        assert_eq!(
            parse_true_params("-0.5, 0.25").unwrap(),
            Theta { t1: -0.5, t2: 0.25 }
        );
        for bad in ["0.6", "0.6,x", "", "1,2,3"] {
            assert!(parse_true_params(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn series_are_checked() {
        assert_eq!(
            parse_series(r#"{"y": [1, 2.5, -3]}"#).unwrap(),
            vec![1.0, 2.5, -3.0]
        );
        let err = |text: &str| parse_series(text).unwrap_err().to_string();
        assert!(err(r#"{"x": [1]}"#).contains(r#"no "y""#));
        assert!(err(r#"[1, 2, 3]"#).contains(r#"no "y""#));
        assert!(err(r#"{"y": [1, "a", 3]}"#).contains(r#""y"[1] is "a""#));
        assert!(err(r#"{"y": [1, NaN, 3]}"#).contains("NaN"));
        assert!(err(r#"{"y": [1, 1e999, 3]}"#).contains("finite"));
        assert!(err("{").contains("not valid JSON"));
        assert!(
            check_series(&[1.0, 2.0])
                .unwrap_err()
                .to_string()
                .contains("at least 3")
        );
        assert!(check_series(&[1.0, f64::INFINITY, 2.0]).is_err());
        assert!(check_series(&[1.0, 0.0, 2.0]).is_ok());
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let path = std::env::temp_dir().join(format!("speedup-bom-{}.json", std::process::id()));
        std::fs::write(&path, "\u{feff}{\"y\": [0.5, -1, 2]}").unwrap();
        let read = ObservedFile::read(path.to_str().unwrap());
        let _ = std::fs::remove_file(&path);
        assert_eq!(read.unwrap().y, vec![0.5, -1.0, 2.0]);
    }

    #[test]
    fn values_up_to_the_bound_keep_every_distance_finite() {
        use super::super::model::Summaries;
        let at_bound = vec![MAX_MAGNITUDE, -MAX_MAGNITUDE, MAX_MAGNITUDE];
        assert!(check_series(&at_bound).is_ok());
        let far = Summaries::of(&at_bound);
        let near = Summaries::of(&[0.1, -0.2, 0.3]);
        assert!(far.distance(&near).is_finite(), "{far:?}");
        let err = check_series(&[1.0, 1e300, 2.0]).unwrap_err().to_string();
        assert!(err.contains(r#""y"[1] is 1e300"#), "{err}");
        // The bound is a hard line, with a margin below where overflow begins.
        assert!(check_series(&[1.0, -1.01e75, 2.0]).is_err());
    }

    #[test]
    fn simulated_data_depend_only_on_theta_and_length() {
        let theta = Theta { t1: 0.6, t2: 0.2 };
        assert_eq!(simulate(theta, 100), simulate(theta, 100));
        assert_eq!(simulate(theta, 100).len(), 100);
        assert_ne!(
            simulate(theta, 100),
            simulate(Theta { t1: 0.0, t2: 0.0 }, 100)
        );
    }
}
