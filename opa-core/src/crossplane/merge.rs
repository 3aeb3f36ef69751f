//! Merging a patched value into the value already at its destination, with Crossplane's merge
//! options (`keepMapValues`, `appendSlice`), following the semantics of the `mergo` library that
//! crossplane-runtime's `Paved.MergeValue` uses.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::error::{PatchError, PatchResult};
use super::gofmt;

/// How a patch merges into an existing value (crossplane-runtime's `MergeOptions`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MergeOptions {
    /// Keep values already in the destination object instead of overwriting them.
    #[serde(default)]
    pub keep_map_values: Option<bool>,
    /// Append arrays to the destination's arrays instead of replacing them.
    #[serde(default)]
    pub append_slice: Option<bool>,
}

impl MergeOptions {
    fn overwrite(&self) -> bool {
        self.keep_map_values != Some(true)
    }

    fn append(&self) -> bool {
        self.append_slice == Some(true)
    }
}

/// Merges `src` onto `dst`. With no options, or when either side is null, `src` replaces `dst`.
pub fn merge(dst: Value, src: Value, options: Option<&MergeOptions>) -> PatchResult<Value> {
    let Some(options) = options else {
        return Ok(src);
    };
    if dst.is_null() || src.is_null() {
        return Ok(src);
    }
    let src = if options.append() {
        remove_source_duplicates(&dst, src)
    } else {
        src
    };
    // mergo only merges maps, so crossplane-runtime wraps both values in a map.
    let mut wrapped = Map::new();
    wrapped.insert("arg".into(), dst);
    let mut src_wrapped = Map::new();
    src_wrapped.insert("arg".into(), src);
    merge_map(&mut wrapped, src_wrapped, options).map_err(|e| e.wrap("failed to merge values"))?;
    Ok(wrapped.remove("arg").unwrap_or(Value::Null))
}

/// Drops the items of `src` that `dst` already has, when both are arrays.
fn remove_source_duplicates(dst: &Value, src: Value) -> Value {
    match (dst, src) {
        (Value::Array(d), Value::Array(s)) => {
            Value::Array(s.into_iter().filter(|item| !d.contains(item)).collect())
        }
        (_, src) => src,
    }
}

/// Whether mergo considers a value empty (zero value of its dynamic type).
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
    }
}

fn merge_map(
    dst: &mut Map<String, Value>,
    src: Map<String, Value>,
    o: &MergeOptions,
) -> PatchResult<()> {
    for (key, s) in src {
        let d = dst.get_mut(&key);
        match (s, d) {
            (Value::Null, _) => {
                if o.overwrite() {
                    dst.insert(key, Value::Null);
                }
            }
            (Value::Object(sm), Some(Value::Object(dm))) if !dm.is_empty() => {
                merge_map(dm, sm, o)?;
            }
            (Value::Object(sm), d) => {
                // A non-empty destination of another type is kept, as mergo keeps it.
                if d.is_none_or(|d| is_empty(d)) {
                    dst.insert(key, Value::Object(sm));
                }
            }
            (Value::Array(sa), d) => {
                let existing = d.filter(|d| !d.is_null()).cloned();
                let merged = match existing {
                    Some(Value::Array(da)) if o.append() => {
                        let mut da = da;
                        da.extend(sa);
                        Value::Array(da)
                    }
                    Some(other) if o.append() => {
                        return Err(PatchError::new(format!(
                            "cannot append two slices with different type ({}, []interface {{}})",
                            gofmt::type_name(&other)
                        )));
                    }
                    Some(existing) if !o.overwrite() && !is_empty(&existing) => existing,
                    _ => Value::Array(sa),
                };
                dst.insert(key, merged);
            }
            (s, d) => {
                if o.overwrite() || d.is_none_or(|d| is_empty(d)) {
                    dst.insert(key, s);
                }
            }
        }
    }
    Ok(())
}
