//! Go's `json.Marshal` of decoded JSON values, byte for byte: object keys sorted, `<`, `>` and `&`
//! escaped as `\u003c`-style sequences, floats without an exponent unless they are very small or
//! very large. The `ToJson` conversion and the hash conversions (`ToSha256`, …) of non-string
//! input hash these bytes, so they must match Crossplane's exactly.

use serde_json::Value;

use super::gofmt;

/// Marshals `v` as Go's `encoding/json` would.
pub fn marshal(v: &Value) -> String {
    let mut out = String::new();
    write(&mut out, v);
    out
}

fn write(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else {
                out.push_str(&float(n.as_f64().unwrap_or(0.0)));
            }
        }
        Value::String(s) => string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(out, k);
                out.push(':');
                write(out, &map[k]);
            }
            out.push('}');
        }
    }
}

/// encoding/json's float encoder: `'f'` format, `'e'` below 1e-6 or from 1e21, with `e-07`
/// shortened to `e-7`.
fn float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = gofmt::format_float_e(f);
        // Clean up e-09 to e-9, as Go does.
        let bytes = s.as_bytes();
        let n = bytes.len();
        if n >= 4 && bytes[n - 4] == b'e' && bytes[n - 3] == b'-' && bytes[n - 2] == b'0' {
            let mut t = s[..n - 2].to_string();
            t.push(bytes[n - 1] as char);
            return t;
        }
        s
    } else {
        gofmt::format_float_f(f)
    }
}

fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}
