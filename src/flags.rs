//! Parsers for the numbers people type on the command line.
//!
//! clap's built-in parsers answer `--n -5` with "unexpected argument" and
//! `--n 1.5` with "invalid digit found in string": true, but not helpful.
//! These say what the flag wants instead. Limits that depend on other flags
//! (a sample count larger than the simulations) are checked later, by each
//! workload's `validate`, so that library users get them too.

/// A count: a whole number, 0 or more (each workload says whether 0 is allowed).
pub fn count(text: &str) -> Result<usize, String> {
    whole_number(text).and_then(|n| {
        usize::try_from(n).map_err(|_| format!("{text} is too large for this machine"))
    })
}

/// A seed: any whole number from 0 to 2^64 - 1.
pub fn seed(text: &str) -> Result<u64, String> {
    whole_number(text)
}

/// A real number: `0.5`, `-2`, `1e-3` (NaN and infinities pass here; each
/// workload says which values make sense).
pub fn number(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .map_err(|_| "must be a number, like 0.5".to_string())
}

/// A precision target in percent: `5%`, `5` or `2.5%`, above 0 and below
/// 100; returned as a share (0.05).
pub fn percent(text: &str) -> Result<f64, String> {
    let digits = text.trim().trim_end_matches('%');
    match digits.parse::<f64>() {
        Ok(p) if p > 0.0 && p < 100.0 => Ok(p / 100.0),
        Ok(_) => Err("must be a percentage above 0 and below 100, like 5%".into()),
        Err(_) => Err("must be a percentage, like 5%".into()),
    }
}

/// The longest duration accepted: a week.
const MAX_DURATION_S: f64 = 7.0 * 24.0 * 3600.0;

/// A duration: a number with a unit, `90s`, `10m`, `1.5h` (a bare number is
/// seconds), above zero and at most a week.
pub fn duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.trim_end_matches(|c: char| c.is_alphabetic()).len());
    let scale = match unit {
        "" | "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        _ => return Err("must be a duration like 90s, 10m or 1h".into()),
    };
    match number.trim().parse::<f64>().map(|n| n * scale) {
        Ok(s) if s > 0.0 && s <= MAX_DURATION_S => Ok(std::time::Duration::from_secs_f64(s)),
        Ok(_) => Err("must be a duration above 0 and at most a week, like 10m".into()),
        Err(_) => Err("must be a duration like 90s, 10m or 1h".into()),
    }
}

/// `value` rounded to the nearest count (a size grown for weak scaling,
/// `Workload::resized`), at least 0 and at most `usize::MAX`.
pub fn rounded_count(value: f64) -> usize {
    // `as` saturates: NaN gives 0, and too large gives usize::MAX, which
    // the workload's `validate` refuses by name.
    value.round() as usize
}

/// A whole number, written plainly (`1000000`), with separators
/// (`1_000_000`) or in scientific notation (`1e6`).
fn whole_number(text: &str) -> Result<u64, String> {
    let text = text.trim().replace('_', "");
    if let Ok(n) = text.parse::<u64>() {
        return Ok(n);
    }
    const TWO_TO_64: f64 = 18_446_744_073_709_551_616.0;
    match text.parse::<f64>() {
        Ok(x) if x < 0.0 => Err("must not be negative".to_string()),
        Ok(x) if x.fract() == 0.0 && x < TWO_TO_64 => Ok(x as u64),
        Ok(x) if x.fract() == 0.0 => Err(format!("must be at most {} (2^64 - 1)", u64::MAX)),
        _ => Err("must be a whole number, like 1000".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_shares_with_or_without_the_sign() {
        assert_eq!(percent("5%"), Ok(0.05));
        assert_eq!(percent("2.5"), Ok(0.025));
        assert!(percent("0%").unwrap_err().contains("above 0"));
        assert!(percent("100").unwrap_err().contains("below 100"));
        assert!(percent("five").unwrap_err().contains("like 5%"));
    }

    #[test]
    fn durations_take_seconds_minutes_or_hours() {
        use std::time::Duration;
        assert_eq!(duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(duration("45"), Ok(Duration::from_secs(45)));
        assert!(duration("0s").unwrap_err().contains("above 0"));
        assert!(duration("8d").unwrap_err().contains("like 90s"));
        assert!(duration("soon").unwrap_err().contains("like 90s"));
    }

    #[test]
    fn counts_accept_whole_numbers_and_explain_everything_else() {
        assert_eq!(count("10000"), Ok(10_000));
        assert_eq!(count("1_000_000"), Ok(1_000_000));
        assert_eq!(count("0"), Ok(0));
        assert_eq!(count("-5").unwrap_err(), "must not be negative");
        assert!(count("1.5").unwrap_err().contains("whole number"));
        assert!(count("abc").unwrap_err().contains("whole number"));
        assert!(
            seed("18446744073709551616")
                .unwrap_err()
                .contains("at most")
        );
        assert_eq!(seed("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(count("1e6"), Ok(1_000_000));
        assert!(count("1e30").unwrap_err().contains("at most"));
        assert!(count("inf").unwrap_err().contains("whole number"));
        assert!(count("nan").unwrap_err().contains("whole number"));
        assert_eq!(number("-0.25"), Ok(-0.25));
        assert!(number("half").unwrap_err().contains("a number"));
    }
}
