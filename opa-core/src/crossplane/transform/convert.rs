//! The `convert` transform: casts between `string`, `int64`, `bool` and `float64`, reads a
//! Kubernetes quantity (`format: quantity`) or a JSON document (`format: json`).

use serde_json::Value;

use super::{ConvertTransform, field_invalid};
use crate::crossplane::error::{PatchError, PatchResult};
use crate::crossplane::{gofmt, quantity};

const IO_TYPES: [&str; 7] = [
    "string", "bool", "int", "int64", "float64", "object", "array",
];
const FORMATS: [&str; 3] = ["none", "quantity", "json"];

/// Validates a convert transform as Crossplane's `ConvertTransform.Validate` does.
fn validate(t: &ConvertTransform) -> PatchResult<&str> {
    let format = t.format.as_deref().unwrap_or("none");
    if !FORMATS.contains(&format) {
        return Err(field_invalid("format", format, "invalid format"));
    }
    if !IO_TYPES.contains(&t.to_type.as_str()) {
        return Err(field_invalid("toType", &t.to_type, "invalid type"));
    }
    Ok(format)
}

/// Whether a conversion from `from` to `to` with `format` exists (both types as Crossplane
/// names them; `int` is `int64`). Same-type conversions always exist.
pub fn supported_conversion(from: &str, to: &str, format: &str) -> Result<(), PatchError> {
    let norm = |t: &str| {
        if t == "int" {
            "int64".to_string()
        } else {
            t.to_string()
        }
    };
    let (f, t) = (norm(from), norm(to));
    if f == t {
        return Ok(());
    }
    let ok = matches!(
        (f.as_str(), t.as_str(), format),
        ("string", "int64" | "bool" | "float64", "none")
            | ("string", "float64", "quantity")
            | ("string", "object" | "array", "json")
            | ("int64", "string" | "bool" | "float64", "none")
            | ("bool", "string" | "int64" | "float64", "none")
            | ("float64", "string" | "int64" | "bool", "none")
    );
    if ok {
        Ok(())
    } else {
        Err(PatchError::new(format!(
            "conversion from {from} to {t} is not supported with format {format}"
        )))
    }
}

fn float_value(f: f64) -> PatchResult<Value> {
    serde_json::Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| {
            PatchError::new(format!(
                "cannot marshal value to JSON: json: unsupported value: {}",
                gofmt::format_float_g(f)
            ))
        })
}

/// Go's `strconv.ParseBool`.
fn parse_bool(s: &str) -> PatchResult<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(PatchError::new(format!(
            "strconv.ParseBool: parsing {}: invalid syntax",
            gofmt::quote(s)
        ))),
    }
}

/// Go's `strconv.ParseInt(s, 10, 64)`.
fn parse_int(s: &str) -> PatchResult<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PatchError::new(format!(
            "strconv.ParseInt: parsing {}: invalid syntax",
            gofmt::quote(s)
        )));
    }
    s.parse::<i64>().map_err(|_| {
        PatchError::new(format!(
            "strconv.ParseInt: parsing {}: value out of range",
            gofmt::quote(s)
        ))
    })
}

/// Go's `strconv.ParseFloat(s, 64)` for the forms Crossplane users write.
fn parse_float(s: &str) -> PatchResult<f64> {
    let cleaned = s.replace('_', "");
    let lower = cleaned.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    let named = matches!(body, "inf" | "infinity" | "nan");
    let plain = !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-'));
    if named || plain {
        if let Ok(f) = cleaned.parse::<f64>() {
            return Ok(f);
        }
    }
    Err(PatchError::new(format!(
        "strconv.ParseFloat: parsing {}: invalid syntax",
        gofmt::quote(s)
    )))
}

/// Resolves a `convert` transform.
pub fn resolve_convert(t: &ConvertTransform, input: Value) -> PatchResult<Value> {
    let format = validate(t)?;
    let from = gofmt::type_name(&input);
    if !IO_TYPES.contains(&from) {
        return Err(PatchError::new(format!("invalid input type {from}")));
    }
    supported_conversion(from, &t.to_type, format)?;
    let to = if t.to_type == "int" {
        "int64"
    } else {
        t.to_type.as_str()
    };
    if from == to {
        return Ok(input);
    }
    match (input, to, format) {
        (Value::String(s), "int64", _) => parse_int(&s).map(Value::from),
        (Value::String(s), "bool", _) => parse_bool(&s).map(Value::Bool),
        (Value::String(s), "float64", "quantity") => {
            quantity::parse(&s).and_then(|q| float_value(q.as_approximate_f64()))
        }
        (Value::String(s), "float64", _) => parse_float(&s).and_then(float_value),
        (Value::String(s), "object", _) => match serde_json::from_str::<Value>(&s) {
            Ok(Value::Object(m)) => Ok(Value::Object(m)),
            Ok(Value::Null) => Ok(Value::Object(serde_json::Map::new())),
            Ok(other) => Err(PatchError::new(format!(
                "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                json_kind(&other)
            ))),
            Err(e) => Err(PatchError::new(e.to_string())),
        },
        (Value::String(s), "array", _) => match serde_json::from_str::<Value>(&s) {
            Ok(v @ (Value::Array(_) | Value::Null)) => Ok(v),
            Ok(other) => Err(PatchError::new(format!(
                "json: cannot unmarshal {} into Go value of type []interface {{}}",
                json_kind(&other)
            ))),
            Err(e) => Err(PatchError::new(e.to_string())),
        },
        (Value::Number(n), "string", _) if n.is_i64() || n.is_u64() => {
            Ok(Value::String(n.to_string()))
        }
        (Value::Number(n), "bool", _) if n.is_i64() || n.is_u64() => {
            Ok(Value::Bool(n.as_i64() == Some(1)))
        }
        (Value::Number(n), "float64", _) => float_value(n.as_f64().unwrap_or_default()),
        (Value::Bool(b), "string", _) => Ok(Value::String(b.to_string())),
        (Value::Bool(b), "int64", _) => Ok(Value::from(i64::from(b))),
        (Value::Bool(b), "float64", _) => float_value(if b { 1.0 } else { 0.0 }),
        (Value::Number(n), "string", _) => Ok(Value::String(gofmt::format_float_f(
            n.as_f64().unwrap_or_default(),
        ))),
        (Value::Number(n), "int64", _) => Ok(Value::from(n.as_f64().unwrap_or_default() as i64)),
        (Value::Number(n), "bool", _) => Ok(Value::Bool(n.as_f64() == Some(1.0))),
        (input, to, format) => Err(PatchError::new(format!(
            "conversion from {} to {to} is not supported with format {format}",
            gofmt::type_name(&input)
        ))),
    }
}

/// The JSON kind name Go's decoder uses in its type errors.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
