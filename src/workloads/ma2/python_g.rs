//! Python's `{:.Ng}` number format, which ELFI uses for the threshold.
//!
//! Rust has no `g` format, and users compare our summary with ELFI's line by
//! line, so we spell out Python's rule: round to N significant digits; if the
//! decimal exponent of the rounded value is below -4 or at least N, write it in
//! scientific notation (`1.23e-05`, exponent with a sign and at least two
//! digits), else in fixed notation; then drop trailing zeros and a trailing
//! point. `0.08264` gives `0.0826`, `1234.5` gives `1.23e+03`.

/// `value` formatted as Python's `format(value, ".{digits}g")`.
pub fn format_g(value: f64, digits: usize) -> String {
    if !value.is_finite() {
        return match value {
            v if v.is_nan() => "nan".into(),
            v if v > 0.0 => "inf".into(),
            _ => "-inf".into(),
        };
    }
    let digits = digits.max(1);
    // Rust's `{:e}` rounds correctly, like Python; its exponent tells the notation.
    let scientific = format!("{:.*e}", digits - 1, value);
    let (mantissa, exponent) = scientific.split_once('e').expect("{:e} writes an e");
    let exponent: i32 = exponent.parse().expect("{:e} writes an integer exponent");
    if exponent < -4 || exponent >= digits as i32 {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{}e{sign}{:02}",
            strip_zeros(mantissa),
            exponent.unsigned_abs()
        )
    } else {
        let decimals = (digits as i32 - 1 - exponent) as usize;
        strip_zeros(&format!("{value:.decimals$}")).to_string()
    }
}

/// "0.0800" -> "0.08", "5.00" -> "5", "120" -> "120".
fn strip_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::format_g;

    #[test]
    fn matches_python_on_its_own_examples() {
        // Each right-hand side is what Python 3 prints for format(x, ".3g").
        let cases = [
            (0.08264, "0.0826"),
            (0.0826, "0.0826"),
            (0.1, "0.1"),
            (1.0, "1"),
            (0.0, "0"),
            (-0.0, "-0"),
            (123.0, "123"),
            (1234.5, "1.23e+03"),
            (999.5, "1e+03"),
            (0.0001234, "0.000123"),
            (0.00001234, "1.23e-05"),
            (0.000099999, "0.0001"),
            (-2.5e-7, "-2.5e-07"),
            (1.5e300, "1.5e+300"),
            (f64::INFINITY, "inf"),
        ];
        for (value, python) in cases {
            assert_eq!(format_g(value, 3), python, "format({value}, '.3g')");
        }
        assert_eq!(format_g(0.123456, 1), "0.1");
    }
}
