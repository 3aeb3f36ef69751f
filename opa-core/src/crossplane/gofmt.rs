//! Go's `fmt` formatting of JSON values, which Crossplane's `string` transform (`fmt`), `Combine`
//! patches and error messages use.
//!
//! Values are JSON values as Kubernetes decodes them in Go: `string`, `int64` (a JSON integer),
//! `float64`, `bool`, `nil`, `map[string]interface {}` and `[]interface {}`. Formatting follows
//! Go: `%v` of a float is `%g` with the shortest digits (`1e+06`), maps print as `map[k:v]` with
//! sorted keys, and a verb that does not fit its argument prints `%!d(string=foo)`.

use serde_json::{Number, Value};

/// Go's `%T` of a decoded JSON value.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_i64() || n.is_u64() => "int64",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

/// Go's `strconv.Quote`: a double-quoted string with Go escapes.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '\u{0b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `fmt.Sprintf("%v", v)`.
pub fn sprint(v: &Value) -> String {
    let mut out = String::new();
    print_value(&mut out, v, 'v', &Spec::default());
    out
}

/// The shortest decimal digits of `f` and its decimal point position (as strconv's `decimal`):
/// `f = 0.d1d2d3... × 10^dp`.
fn shortest_digits(f: f64) -> (String, i32) {
    let f = f.abs();
    if f == 0.0 {
        return ("0".into(), 1);
    }
    let s = format!("{f:e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    (digits.to_string(), exp + 1)
}

/// Go's `strconv.FormatFloat(f, 'e', -1, 64)`: shortest digits, exponent with at least two digits.
pub fn format_float_e(f: f64) -> String {
    let (digits, dp) = shortest_digits(f);
    let mut out = String::new();
    if f.is_sign_negative() && f != 0.0 {
        out.push('-');
    }
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let exp = if f == 0.0 { 0 } else { dp - 1 };
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    out.push_str(&format!("{:02}", exp.abs()));
    out
}

/// Go's `strconv.FormatFloat(f, 'f', -1, 64)`: shortest digits, never an exponent.
pub fn format_float_f(f: f64) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // Rust's Display prints the shortest round-tripping digits without an exponent.
    format!("{f}")
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which `%v` uses for a float64.
pub fn format_float_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let (_, dp) = shortest_digits(f);
    let exp = dp - 1;
    if f != 0.0 && !(-4..6).contains(&exp) {
        format_float_e(f)
    } else {
        format_float_f(f)
    }
}

/// A parsed formatting directive's flags, width and precision.
#[derive(Debug, Default, Clone)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

impl Spec {
    fn pad(&self, s: String) -> String {
        let Some(width) = self.width else { return s };
        let len = s.chars().count();
        if len >= width {
            return s;
        }
        let fill = width - len;
        if self.minus {
            format!("{s}{}", " ".repeat(fill))
        } else if self.zero {
            // Zero padding goes after the sign.
            let (sign, rest) = match s.strip_prefix('-') {
                Some(r) => ("-", r.to_string()),
                None => match s.strip_prefix('+') {
                    Some(r) => ("+", r.to_string()),
                    None => ("", s.clone()),
                },
            };
            format!("{sign}{}{rest}", "0".repeat(fill))
        } else {
            format!("{}{s}", " ".repeat(fill))
        }
    }
}

fn bad_verb(out: &mut String, verb: char, v: &Value) {
    out.push_str("%!");
    out.push(verb);
    out.push('(');
    if v.is_null() {
        out.push_str("<nil>");
    } else {
        out.push_str(type_name(v));
        out.push('=');
        print_value(out, v, 'v', &Spec::default());
    }
    out.push(')');
}

fn format_int(n: &Number, verb: char, spec: &Spec) -> Option<String> {
    let (neg, abs): (bool, u128) = if let Some(i) = n.as_i64() {
        (i < 0, i.unsigned_abs() as u128)
    } else {
        (false, n.as_u64()? as u128)
    };
    let mut digits = match verb {
        'd' | 'v' => abs.to_string(),
        'b' => format!("{abs:b}"),
        'o' => format!("{abs:o}"),
        'O' => format!("0o{abs:o}"),
        'x' => format!("{abs:x}"),
        'X' => format!("{abs:X}"),
        'c' => return char::from_u32(abs as u32).map(|c| c.to_string()),
        'q' => return char::from_u32(abs as u32).map(|c| format!("'{c}'")),
        _ => return None,
    };
    if let Some(p) = spec.precision {
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    if spec.sharp {
        match verb {
            'x' => digits.insert_str(0, "0x"),
            'X' => digits.insert_str(0, "0X"),
            'o' => digits.insert(0, '0'),
            _ => {}
        }
    }
    let sign = if neg {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    Some(format!("{sign}{digits}"))
}

fn format_float(f: f64, verb: char, spec: &Spec) -> Option<String> {
    let s = match (verb, spec.precision) {
        ('v' | 'g' | 'G', None) => format_float_g(f),
        ('v' | 'g' | 'G', Some(p)) => format_g_precision(f, p.max(1)),
        ('f' | 'F', p) => format!("{:.*}", p.unwrap_or(6), f),
        ('e' | 'E', p) => {
            let s = format!("{:.*e}", p.unwrap_or(6), f);
            let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
            let e: i32 = e.parse().unwrap_or(0);
            format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
        }
        _ => return None,
    };
    let s = if verb == 'E' || verb == 'G' {
        s.to_uppercase()
    } else {
        s
    };
    if spec.plus && !s.starts_with('-') {
        return Some(format!("+{s}"));
    }
    Some(s)
}

/// `%.Ng`: N significant digits, `%e` form when the exponent is < -4 or >= N.
fn format_g_precision(f: f64, p: usize) -> String {
    let s = format!("{:.*e}", p - 1, f);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = e.parse().unwrap_or(0);
    let trim = |m: &str| -> String {
        if m.contains('.') {
            m.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            m.to_string()
        }
    };
    if exp < -4 || exp >= p as i32 {
        format!(
            "{}e{}{:02}",
            trim(m),
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        )
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        trim(&format!("{:.*}", decimals, f))
    }
}

fn hex_string(s: &str, upper: bool) -> String {
    s.bytes()
        .map(|b| {
            if upper {
                format!("{b:02X}")
            } else {
                format!("{b:02x}")
            }
        })
        .collect()
}

/// Prints one value with one verb, as Go's `fmt` printArg does for the types JSON decodes to.
fn print_value(out: &mut String, v: &Value, verb: char, spec: &Spec) {
    let formatted: Option<String> = match v {
        Value::Null => None,
        Value::Bool(b) => match verb {
            'v' | 't' => Some(b.to_string()),
            _ => None,
        },
        Value::Number(n) if n.is_i64() || n.is_u64() => format_int(n, verb, spec),
        Value::Number(n) => format_float(n.as_f64().unwrap_or(0.0), verb, spec),
        Value::String(s) => match verb {
            'v' | 's' => Some(match spec.precision {
                Some(p) => s.chars().take(p).collect(),
                None => s.clone(),
            }),
            'q' => Some(quote(s)),
            'x' => Some(hex_string(s, false)),
            'X' => Some(hex_string(s, true)),
            _ => None,
        },
        Value::Array(items) => {
            let mut s = String::from("[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    s.push(' ');
                }
                print_value(&mut s, item, verb, spec);
            }
            s.push(']');
            out.push_str(&s);
            return;
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut s = String::from("map[");
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    s.push(' ');
                }
                print_value(&mut s, &Value::String(k.clone()), verb, spec);
                s.push(':');
                print_value(&mut s, &map[k], verb, spec);
            }
            s.push(']');
            out.push_str(&s);
            return;
        }
    };
    match formatted {
        Some(s) => out.push_str(&spec.pad(s)),
        None if v.is_null() && verb == 'v' => out.push_str(&spec.pad("<nil>".into())),
        None => bad_verb(out, verb, v),
    }
}

/// Go's `fmt.Sprintf(format, args...)` for decoded JSON values.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut arg = 0usize;
    let mut reordered = false;
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        let mut spec = Spec::default();
        // Flags.
        while i < chars.len() {
            match chars[i] {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '#' => spec.sharp = true,
                ' ' => spec.space = true,
                '0' => spec.zero = true,
                _ => break,
            }
            i += 1;
        }
        // Explicit argument index, width and precision.
        let arg_index = |i: &mut usize, arg: &mut usize, reordered: &mut bool| {
            if *i < chars.len() && chars[*i] == '[' {
                if let Some(end) = chars[*i..].iter().position(|&c| c == ']') {
                    let n: String = chars[*i + 1..*i + end].iter().collect();
                    if let Ok(n) = n.parse::<usize>() {
                        if n >= 1 {
                            *arg = n - 1;
                            *reordered = true;
                        }
                    }
                    *i += end + 1;
                }
            }
        };
        arg_index(&mut i, &mut arg, &mut reordered);
        let num = |i: &mut usize| -> Option<usize> {
            let start = *i;
            while *i < chars.len() && chars[*i].is_ascii_digit() {
                *i += 1;
            }
            (start < *i).then(|| {
                chars[start..*i]
                    .iter()
                    .collect::<String>()
                    .parse()
                    .unwrap_or(0)
            })
        };
        spec.width = num(&mut i);
        if i < chars.len() && chars[i] == '.' {
            i += 1;
            spec.precision = Some(num(&mut i).unwrap_or(0));
        }
        arg_index(&mut i, &mut arg, &mut reordered);
        if spec.minus {
            spec.zero = false;
        }
        let Some(&verb) = chars.get(i) else {
            out.push_str("%!(NOVERB)");
            break;
        };
        i += 1;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(value) = args.get(arg) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        arg += 1;
        if verb == 'T' {
            out.push_str(&spec.pad(type_name(value).to_string()));
            continue;
        }
        print_value(&mut out, value, verb, &spec);
    }
    if !reordered && arg < args.len() {
        out.push_str("%!(EXTRA ");
        for (j, v) in args[arg..].iter().enumerate() {
            if j > 0 {
                out.push_str(", ");
            }
            if v.is_null() {
                out.push_str("<nil>");
            } else {
                out.push_str(type_name(v));
                out.push('=');
                print_value(&mut out, v, 'v', &Spec::default());
            }
        }
        out.push(')');
    }
    out
}
