//! `JSON.stringify` as the `dump` filter uses it: JavaScript's number printing, its string
//! escapes, `undefined` left out of objects and `null` in arrays, indentation by count or string.

use super::value::{TooLarge, Value, write_js_number};

/// `JSON.stringify(value, null, spaces)`; `Ok(None)` where JavaScript returns `undefined`,
/// `Err` once the text grows past `limit` bytes.
pub(crate) fn json_stringify(
    value: &Value,
    spaces: &Value,
    limit: usize,
) -> Result<Option<String>, TooLarge> {
    let indent: String = match spaces {
        Value::Num(n) if *n >= 1.0 => " ".repeat(n.min(10.0) as usize),
        Value::Str(s) => s.chars().take(10).collect(),
        _ => String::new(),
    };
    let mut out = String::new();
    let json = JsonWriter {
        indent: &indent,
        limit,
    };
    Ok(json.write(value, 0, &mut out)?.then_some(out))
}

struct JsonWriter<'a> {
    indent: &'a str,
    limit: usize,
}

impl JsonWriter<'_> {
    /// Writes a value; `Ok(false)` for what JSON leaves out (`undefined`, functions).
    fn write(&self, value: &Value, level: usize, out: &mut String) -> Result<bool, TooLarge> {
        let indent = self.indent;
        match value {
            Value::Undefined | Value::Func(_) => return Ok(false),
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Num(n) => {
                if n.is_finite() {
                    write_js_number(*n, out);
                } else {
                    out.push_str("null");
                }
            }
            Value::Str(s) => write_json_string(s, out),
            Value::Regex(_) => out.push_str("{}"),
            Value::Array(items) => {
                if items.is_empty() {
                    out.push_str("[]");
                    return Ok(true);
                }
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(indent, level + 1, out);
                    if !self.write(item, level + 1, out)? {
                        out.push_str("null");
                    }
                    if out.len() > self.limit {
                        return Err(TooLarge);
                    }
                }
                newline(indent, level, out);
                out.push(']');
            }
            Value::Object(map) => {
                let mut first = true;
                out.push('{');
                for (k, v) in map.iter() {
                    if matches!(v, Value::Undefined | Value::Func(_)) {
                        continue;
                    }
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    newline(indent, level + 1, out);
                    write_json_string(k, out);
                    out.push(':');
                    if !indent.is_empty() {
                        out.push(' ');
                    }
                    self.write(v, level + 1, out)?;
                    if out.len() > self.limit {
                        return Err(TooLarge);
                    }
                }
                if !first {
                    newline(indent, level, out);
                }
                out.push('}');
            }
        }
        if out.len() > self.limit {
            return Err(TooLarge);
        }
        Ok(true)
    }
}

fn newline(indent: &str, level: usize, out: &mut String) {
    if !indent.is_empty() {
        out.push('\n');
        for _ in 0..level {
            out.push_str(indent);
        }
    }
}

fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}
