//! Kubernetes resource quantities (`500m`, `1.5Gi`, `2e3`), parsed as apimachinery's
//! `resource.ParseQuantity` does, for the `convert` transform's `quantity` format.

use super::error::{PatchError, PatchResult};

/// apimachinery's `ErrFormatWrong`.
pub const ERR_FORMAT_WRONG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/// apimachinery's `ErrNumeric`.
pub const ERR_NUMERIC: &str = "unable to parse numeric part of quantity";
/// apimachinery's `ErrSuffix`.
pub const ERR_SUFFIX: &str = "unable to parse quantity's suffix";

/// A parsed quantity: a decimal number times `base^exponent`.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The number as written, with its sign (`-1.5`).
    pub number: String,
    /// 2 for binary suffixes (`Ki`, `Mi`, …), 10 otherwise.
    pub base: u32,
    /// The power of the base the suffix stands for.
    pub exponent: i32,
}

impl Quantity {
    /// The value as a float (apimachinery's `AsApproximateFloat64`).
    pub fn as_approximate_f64(&self) -> f64 {
        if self.base == 10 {
            // Let the float parser do the decimal scaling so the result is correctly rounded.
            format!("{}e{}", self.number, self.exponent)
                .parse::<f64>()
                .unwrap_or(0.0)
        } else {
            let n: f64 = self.number.parse().unwrap_or(0.0);
            n * 2f64.powi(self.exponent)
        }
    }
}

/// Parses a quantity string.
pub fn parse(s: &str) -> PatchResult<Quantity> {
    if s.is_empty() {
        return Err(PatchError::new(ERR_FORMAT_WRONG));
    }
    let (number, suffix) = split(s)?;
    let (base, exponent) = interpret_suffix(suffix).ok_or_else(|| PatchError::new(ERR_SUFFIX))?;
    let digits = number.trim_start_matches(['+', '-']);
    let valid_number = !digits.is_empty()
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.');
    if !valid_number {
        return Err(PatchError::new(ERR_NUMERIC));
    }
    Ok(Quantity {
        number: number.to_string(),
        base,
        exponent,
    })
}

/// Splits a quantity into its number and suffix the way apimachinery's scanner does.
fn split(s: &str) -> PatchResult<(&str, &str)> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    if b[0] == b'-' || b[0] == b'+' {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end && b[pos] == b'.' {
        pos += 1;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
    }
    let number = &s[..pos];
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end && (b[pos] == b'-' || b[pos] == b'+') {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return Err(PatchError::new(ERR_FORMAT_WRONG));
    }
    Ok((number, &s[suffix_start..]))
}

/// The base and exponent a suffix stands for.
fn interpret_suffix(suffix: &str) -> Option<(u32, i32)> {
    let binary = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    if let Some(i) = binary.iter().position(|b| *b == suffix) {
        return Some((2, 10 * (i as i32 + 1)));
    }
    let decimal = match suffix {
        "n" => Some(-9),
        "u" => Some(-6),
        "m" => Some(-3),
        "" => Some(0),
        "k" => Some(3),
        "M" => Some(6),
        "G" => Some(9),
        "T" => Some(12),
        "P" => Some(15),
        "E" => Some(18),
        _ => None,
    };
    if let Some(e) = decimal {
        return Some((10, e));
    }
    let rest = suffix.strip_prefix(['e', 'E'])?;
    rest.parse::<i32>().ok().map(|e| (10, e))
}
