//! Plain-scalar resolution with the YAML 1.2 core schema (what Backstage's `yaml` package does).

use super::node::Value;

/// Resolves a plain (unquoted, untagged) scalar.
pub(crate) fn resolve_plain(s: &str) -> Value {
    let Some(&first) = s.as_bytes().first() else {
        return Value::Null;
    };
    // Fast exit: most scalars in a catalog are words, which are strings.
    match first {
        b'0'..=b'9' | b'-' | b'+' | b'.' => resolve_number(s).unwrap_or_else(|| string(s)),
        b'~' if s.len() == 1 => Value::Null,
        b'n' | b'N' if matches!(s, "null" | "Null" | "NULL") => Value::Null,
        b't' | b'T' if matches!(s, "true" | "True" | "TRUE") => Value::Bool(true),
        b'f' | b'F' if matches!(s, "false" | "False" | "FALSE") => Value::Bool(false),
        _ => string(s),
    }
}

/// Resolves a scalar with an explicit core-schema tag (`!!str`, `!!int`, …); `None` for other tags.
pub(crate) fn resolve_tagged(suffix: &str, s: &str) -> Option<Value> {
    match suffix {
        "str" => Some(string(s)),
        "null" => Some(Value::Null),
        "bool" => Some(match s {
            "true" | "True" | "TRUE" => Value::Bool(true),
            "false" | "False" | "FALSE" => Value::Bool(false),
            _ => string(s),
        }),
        "int" | "float" => Some(resolve_number(s).unwrap_or_else(|| string(s))),
        _ => None,
    }
}

fn string(s: &str) -> Value {
    Value::String(s.to_owned())
}

fn resolve_number(s: &str) -> Option<Value> {
    let b = s.as_bytes();
    if let Some(hex) = s.strip_prefix("0x") {
        if !hex.is_empty() && hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return Some(int_or_float(i64::from_str_radix(hex, 16).ok(), s));
        }
        return None;
    }
    if let Some(oct) = s.strip_prefix("0o") {
        if !oct.is_empty() && oct.bytes().all(|c| (b'0'..=b'7').contains(&c)) {
            return Some(int_or_float(i64::from_str_radix(oct, 8).ok(), s));
        }
        return None;
    }
    let (sign, digits) = match b[0] {
        b'-' | b'+' => (&s[..1], &s[1..]),
        _ => ("", s),
    };
    match digits {
        ".inf" | ".Inf" | ".INF" => {
            return Some(Value::Float(if sign == "-" {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }));
        }
        ".nan" | ".NaN" | ".NAN" if sign.is_empty() => return Some(Value::Float(f64::NAN)),
        _ => {}
    }
    if !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) {
        return Some(int_or_float(s.parse::<i64>().ok(), s));
    }
    if is_core_float(digits) {
        return s.parse::<f64>().ok().map(Value::Float);
    }
    None
}

fn int_or_float(int: Option<i64>, s: &str) -> Value {
    match int {
        Some(i) => Value::Int(i),
        None => Value::Float(s.parse::<f64>().unwrap_or(f64::NAN)),
    }
}

/// `( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_core_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let int_digits = count_digits(&b[i..]);
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = count_digits(&b[i..]);
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = count_digits(&b[i..]);
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

fn count_digits(b: &[u8]) -> usize {
    b.iter().take_while(|c| c.is_ascii_digit()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_schema() {
        assert_eq!(resolve_plain(""), Value::Null);
        assert_eq!(resolve_plain("~"), Value::Null);
        assert_eq!(resolve_plain("NULL"), Value::Null);
        assert_eq!(resolve_plain("True"), Value::Bool(true));
        assert_eq!(resolve_plain("yes"), Value::String("yes".into()));
        assert_eq!(resolve_plain("on"), Value::String("on".into()));
        assert_eq!(resolve_plain("42"), Value::Int(42));
        assert_eq!(resolve_plain("-7"), Value::Int(-7));
        assert_eq!(resolve_plain("0x1F"), Value::Int(31));
        assert_eq!(resolve_plain("0o17"), Value::Int(15));
        assert_eq!(resolve_plain("1.5"), Value::Float(1.5));
        assert_eq!(resolve_plain("1e3"), Value::Float(1000.0));
        assert_eq!(resolve_plain(".5"), Value::Float(0.5));
        assert_eq!(resolve_plain("-.inf"), Value::Float(f64::NEG_INFINITY));
        assert_eq!(resolve_plain("1.2.3"), Value::String("1.2.3".into()));
        assert_eq!(resolve_plain("123456789012"), Value::Int(123456789012));
        assert_eq!(resolve_plain("012345678901"), Value::Int(12345678901));
        assert_eq!(resolve_plain("v1"), Value::String("v1".into()));
        assert_eq!(resolve_plain("-"), Value::String("-".into()));
        assert_eq!(resolve_plain("."), Value::String(".".into()));
    }
}
