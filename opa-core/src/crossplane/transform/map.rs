//! The `map` and `match` transforms: look the input up among keys or patterns.

use regex::Regex;
use serde_json::Value;

use super::{MapTransform, MatchPattern, MatchTransform};
use crate::crossplane::error::{PatchError, PatchResult};
use crate::crossplane::gofmt;

/// Resolves a `map` transform: the input string is a key of the pairs.
pub fn resolve_map(t: &MapTransform, input: Value) -> PatchResult<Value> {
    match &input {
        Value::String(key) => t
            .pairs
            .get(key)
            .cloned()
            .ok_or_else(|| PatchError::new(format!("key {key} is not found in map"))),
        other => Err(PatchError::new(format!(
            "type {} is not supported for map transform",
            gofmt::type_name(other)
        ))),
    }
}

/// Resolves a `match` transform: the result of the first matching pattern, else the fallback
/// value (or the input itself when `fallbackTo: Input`).
pub fn resolve_match(t: &MatchTransform, input: Value) -> PatchResult<Value> {
    for (i, p) in t.patterns.iter().enumerate() {
        let matched =
            matches(p, &input).map_err(|e| e.wrap(format!("cannot match pattern at index {i}")))?;
        if matched {
            return Ok(non_null(p.result.clone()));
        }
    }
    if t.fallback_to.as_deref() == Some("Input") {
        if t.fallback_value.as_ref().is_some_and(|v| !v.is_null()) {
            return Err(PatchError::new(
                "cannot set both a fallback value and the fallback to input flag",
            ));
        }
        return Ok(input);
    }
    Ok(non_null(t.fallback_value.clone()))
}

fn non_null(v: Option<Value>) -> Value {
    v.unwrap_or(Value::Null)
}

/// Whether a pattern matches the input.
fn matches(p: &MatchPattern, input: &Value) -> PatchResult<bool> {
    match p.kind.as_deref().unwrap_or("literal") {
        "literal" => {
            let literal = p
                .literal
                .as_ref()
                .ok_or_else(|| PatchError::new("literal is required by type literal"))?;
            match input {
                Value::String(s) => Ok(s == literal),
                other => Err(unsupported_input(gofmt::type_name(other))),
            }
        }
        "regexp" => {
            let expr = p
                .regexp
                .as_ref()
                .ok_or_else(|| PatchError::new("regexp is required by type regexp"))?;
            let re = compile(expr).map_err(|e| e.wrap("cannot compile regexp"))?;
            match input {
                Value::Null => Err(unsupported_input("null")),
                Value::String(s) => Ok(re.is_match(s)),
                other => Err(unsupported_input(gofmt::type_name(other))),
            }
        }
        other => Err(PatchError::new(format!(
            "unsupported pattern type '{other}'"
        ))),
    }
}

fn unsupported_input(type_name: &str) -> PatchError {
    PatchError::new(format!("unsupported input type '{type_name}'"))
}

/// Compiles a Go (RE2) regular expression; the syntax of Rust's `regex` is RE2's.
pub(crate) fn compile(expr: &str) -> PatchResult<Regex> {
    regex::RegexBuilder::new(expr)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| {
            let detail = match e {
                regex::Error::Syntax(s) => s.lines().last().unwrap_or_default().trim().to_string(),
                other => other.to_string(),
            };
            PatchError::new(format!(
                "error parsing regexp: {}: `{expr}`",
                detail.trim_start_matches("error: ")
            ))
        })
}
