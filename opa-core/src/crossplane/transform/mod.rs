//! Transforms: the functions a patch pipes its value through (`map`, `match`, `math`, `string`,
//! `convert`), with Crossplane v1.20's semantics and error words.
//!
//! The model keeps what a Composition says as it says it (types are strings), so that a type
//! Crossplane does not know is the error Crossplane would report when it runs the transform,
//! not a parse failure.

mod convert;
mod map;
mod math;
mod string;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::error::{PatchError, PatchResult};

pub use convert::{resolve_convert, supported_conversion};
pub use map::{resolve_map, resolve_match};
pub use math::resolve_math;
pub use string::resolve_string;

/// One transform of a patch's pipeline.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transform {
    /// `map`, `match`, `math`, `string` or `convert`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Configuration of a `math` transform.
    #[serde(default)]
    pub math: Option<MathTransform>,
    /// Configuration of a `map` transform.
    #[serde(default)]
    pub map: Option<MapTransform>,
    /// Configuration of a `match` transform.
    #[serde(default, rename = "match")]
    pub match_: Option<MatchTransform>,
    /// Configuration of a `string` transform.
    #[serde(default)]
    pub string: Option<StringTransform>,
    /// Configuration of a `convert` transform.
    #[serde(default)]
    pub convert: Option<ConvertTransform>,
}

/// `math`: `Multiply` (the default type), `ClampMin` or `ClampMax`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MathTransform {
    /// The operation; `Multiply` when absent.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// The multiplier of `Multiply`.
    #[serde(default)]
    pub multiply: Option<i64>,
    /// The lower bound of `ClampMin`.
    #[serde(default)]
    pub clamp_min: Option<i64>,
    /// The upper bound of `ClampMax`.
    #[serde(default)]
    pub clamp_max: Option<i64>,
}

/// `map`: the input string is a key; the output is its value.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(transparent)]
pub struct MapTransform {
    /// Key → value pairs.
    pub pairs: Map<String, Value>,
}

/// `match`: the result of the first pattern that matches, else the fallback.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MatchTransform {
    /// Patterns, tried in order.
    #[serde(default)]
    pub patterns: Vec<MatchPattern>,
    /// The output when no pattern matches (null when absent).
    #[serde(default)]
    pub fallback_value: Option<Value>,
    /// `Value` (the default) or `Input`: fall back to the input itself.
    #[serde(default)]
    pub fallback_to: Option<String>,
}

/// One pattern of a `match` transform.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MatchPattern {
    /// `literal` (the default) or `regexp`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// The exact string a `literal` pattern matches.
    #[serde(default)]
    pub literal: Option<String>,
    /// The regular expression a `regexp` pattern matches.
    #[serde(default)]
    pub regexp: Option<String>,
    /// The output when this pattern matches (null when absent).
    #[serde(default)]
    pub result: Option<Value>,
}

/// `string`: `Format` (the default), `Convert`, `TrimPrefix`, `TrimSuffix`, `Regexp`, `Join`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StringTransform {
    /// The operation; `Format` when absent.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// A Go format string for `Format`.
    #[serde(default)]
    pub fmt: Option<String>,
    /// The conversion of `Convert` (`ToUpper`, `ToBase64`, `ToSha256`, …).
    #[serde(default)]
    pub convert: Option<String>,
    /// The prefix or suffix of `TrimPrefix` / `TrimSuffix`.
    #[serde(default)]
    pub trim: Option<String>,
    /// The expression of `Regexp`.
    #[serde(default)]
    pub regexp: Option<StringRegexp>,
    /// The separator of `Join`.
    #[serde(default)]
    pub join: Option<StringJoin>,
}

/// The expression of a `Regexp` string transform.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StringRegexp {
    /// The regular expression (Go RE2 syntax).
    #[serde(rename = "match")]
    pub match_: String,
    /// The capture group to output; 0 (the whole match) when absent.
    #[serde(default)]
    pub group: Option<i64>,
}

/// The separator of a `Join` string transform.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StringJoin {
    /// Put between the joined values.
    pub separator: String,
}

/// `convert`: casts the input to `toType`, optionally reading it in a `format`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConvertTransform {
    /// `string`, `int`, `int64`, `bool`, `float64`, `object` or `array`.
    pub to_type: String,
    /// `none` (the default), `quantity` or `json`.
    #[serde(default)]
    pub format: Option<String>,
}

/// Runs one transform on `input`.
pub fn resolve(t: &Transform, input: Value) -> PatchResult<Value> {
    let missing = || {
        PatchError::new(format!(
            "given transform type {} requires configuration",
            t.kind
        ))
    };
    let out = match t.kind.as_str() {
        "math" => resolve_math(t.math.as_ref().ok_or_else(missing)?, input),
        "map" => resolve_map(t.map.as_ref().ok_or_else(missing)?, input),
        "match" => resolve_match(t.match_.as_ref().ok_or_else(missing)?, input),
        "string" => {
            resolve_string(t.string.as_ref().ok_or_else(missing)?, input).map(Value::String)
        }
        "convert" => resolve_convert(t.convert.as_ref().ok_or_else(missing)?, input),
        other => {
            return Err(PatchError::new(format!(
                "transform type {other} is not supported"
            )));
        }
    };
    out.map_err(|e| e.wrap(format!("{} transform could not resolve", t.kind)))
}

/// Runs a pipeline of transforms; an error names the index of the transform that failed.
pub fn resolve_all(transforms: &[Transform], mut input: Value) -> PatchResult<Value> {
    for (i, t) in transforms.iter().enumerate() {
        input = resolve(t, input)
            .map_err(|e| e.wrap(format!("transform at index {i} returned error")))?;
    }
    Ok(input)
}

/// A Kubernetes `field.Required` error: `path: Required value: detail`.
pub(crate) fn field_required(path: &str, detail: &str) -> PatchError {
    PatchError::new(format!("{path}: Required value: {detail}"))
}

/// A Kubernetes `field.Invalid` error for a string-typed bad value:
/// `path: Invalid value: "value": detail`.
pub(crate) fn field_invalid(path: &str, value: &str, detail: &str) -> PatchError {
    PatchError::new(format!(
        "{path}: Invalid value: {}: {detail}",
        super::gofmt::quote(value)
    ))
}
