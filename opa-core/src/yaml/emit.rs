//! Writing JSON values as YAML the way Kubernetes tools print resources (`sigs.k8s.io/yaml`,
//! i.e. go-yaml v2): keys in go-yaml's natural order, sequences not indented under their key,
//! strings quoted only when they would otherwise read as another type.

use std::cmp::Ordering;

use serde_json::Value;

/// Renders `value` as a YAML document (without a `---` marker), ending in a newline.
pub fn to_yaml_string(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(m) if !m.is_empty() => write_map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => write_seq(&mut out, a, 0),
        scalar => {
            out.push_str(&scalar_text(scalar, 0));
            out.push('\n');
        }
    }
    out
}

/// go-yaml v2's key order: letters before other characters, runs of digits compared as
/// numbers.
pub fn key_order(a: &str, b: &str) -> Ordering {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .saturating_mul(10)
                .saturating_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .saturating_mul(10)
                .saturating_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

fn indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn write_map(out: &mut String, m: &serde_json::Map<String, Value>, level: usize) {
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort_by(|a, b| key_order(a, b));
    for (n, k) in keys.into_iter().enumerate() {
        if n > 0 {
            indent(out, level);
        }
        out.push_str(&string_text(k, level, true));
        out.push(':');
        write_value_after_key(out, &m[k], level);
    }
}

fn write_value_after_key(out: &mut String, v: &Value, level: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            indent(out, level + 2);
            write_map(out, m, level + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            indent(out, level);
            write_seq(out, a, level);
        }
        scalar => {
            out.push(' ');
            out.push_str(&scalar_text(scalar, level));
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], level: usize) {
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            indent(out, level);
        }
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => write_map(out, m, level + 2),
            Value::Array(a) if !a.is_empty() => write_seq(out, a, level + 2),
            scalar => {
                out.push_str(&scalar_text(scalar, level));
                out.push('\n');
            }
        }
    }
}

fn scalar_text(v: &Value, level: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => {
            if n.is_i64() || n.is_u64() {
                n.to_string()
            } else {
                let f = n.as_f64().unwrap_or_default();
                crate::crossplane::gofmt::format_float_g(f)
            }
        }
        Value::String(s) => string_text(s, level, false),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

/// Whether a plain scalar would be read back as something other than this string (YAML 1.1
/// resolution, as go-yaml v2 reads it).
fn resolves_to_non_string(s: &str) -> bool {
    const SPECIAL: [&str; 29] = [
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
        "<<", "=",
    ];
    if SPECIAL.contains(&s) {
        return true;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(lower.trim_start_matches(['+', '-']), ".inf" | ".nan") {
        return true;
    }
    let body = s.trim_start_matches(['+', '-']).replace('_', "");
    if body.is_empty() {
        return false;
    }
    let is_int = body.bytes().all(|b| b.is_ascii_digit())
        || body
            .strip_prefix("0x")
            .is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
        || body
            .strip_prefix("0b")
            .is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b == b'0' || b == b'1'))
        || body
            .strip_prefix("0o")
            .is_some_and(|h| !h.is_empty() && h.bytes().all(|b| (b'0'..=b'7').contains(&b)));
    if is_int {
        return true;
    }
    let float_chars = body
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if float_chars && body.bytes().any(|b| b.is_ascii_digit()) && body.parse::<f64>().is_ok() {
        return true;
    }
    // Sexagesimal numbers (`1:20`) and timestamps (`2001-12-14`).
    let sexagesimal = body.contains(':')
        && body
            .split(':')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
    if sexagesimal {
        return true;
    }
    looks_like_timestamp(s)
}

fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 8
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5].is_ascii_digit()
        && (b[6] == b'-' || (b[6].is_ascii_digit() && b.get(7) == Some(&b'-')))
}

/// Whether go-yaml's emitter may write `s` as a plain scalar.
fn plain_allowed(s: &str, key: bool) -> bool {
    let first = s.chars().next().unwrap_or(' ');
    let second = s.chars().nth(1);
    if s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    if ",[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if matches!(first, '-' | '?' | ':') && second.is_none_or(|c| c == ' ') {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    if key && (s.contains('?') && first == '?') {
        return false;
    }
    !s.chars().any(|c| c.is_control() || c == '\u{feff}')
}

/// A string as go-yaml writes it: plain, single-quoted, double-quoted or a literal block.
fn string_text(s: &str, level: usize, key: bool) -> String {
    if resolves_to_non_string(s) {
        return double_quoted(s);
    }
    if !key && s.contains('\n') {
        if let Some(block) = literal_block(s, level) {
            return block;
        }
        return double_quoted(s);
    }
    if plain_allowed(s, key) {
        return s.to_string();
    }
    if s.chars().any(|c| c.is_control() || c == '\u{feff}') {
        return double_quoted(s);
    }
    format!("'{}'", s.replace('\'', "''"))
}

fn literal_block(s: &str, level: usize) -> Option<String> {
    let lines: Vec<&str> = s.split('\n').collect();
    if s.starts_with(' ')
        || s.chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{feff}')
        || lines.iter().any(|l| l.ends_with(' '))
    {
        return None;
    }
    let trailing = s.len() - s.trim_end_matches('\n').len();
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let mut out = format!("|{chomp}");
    let body = if trailing == 1 { &s[..s.len() - 1] } else { s };
    let body_lines: Vec<&str> = if trailing > 1 {
        let mut l: Vec<&str> = body.split('\n').collect();
        l.pop();
        l
    } else {
        body.split('\n').collect()
    };
    for line in body_lines {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&" ".repeat(level + 2));
            out.push_str(line);
        }
    }
    Some(out)
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() || c == '\u{feff}' => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02X}"));
                } else {
                    out.push_str(&format!("\\u{n:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
