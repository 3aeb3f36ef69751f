//! Getting and setting values of a JSON object by field path, as crossplane-runtime's `Paved`
//! does: missing objects and arrays are made on the way when setting, a missing field is a
//! "not found" error when getting, and `[*]` wildcards expand to every element or key.

use serde_json::{Map, Value};

use super::error::{PatchError, PatchResult};
use super::fieldpath::{self, Segment, Segments};
use super::gofmt;
use super::merge::{self, MergeOptions};

/// The largest array index a field path may set (crossplane-runtime's default).
pub const MAX_FIELD_PATH_INDEX: u32 = 1024;

/// The value at `path` in `object`.
pub fn get_value(object: &Value, path: &str) -> PatchResult<Value> {
    let segments = fieldpath::parse(path)
        .map_err(|e| e.wrap(format!("cannot parse path {}", gofmt::quote(path))))?;
    get_segments(object, &segments).cloned()
}

/// The value at the parsed path `s` in `object`.
pub fn get_segments<'a>(object: &'a Value, s: &Segments) -> PatchResult<&'a Value> {
    static NULL: Value = Value::Null;
    let mut it = object;
    for (i, current) in s.0.iter().enumerate() {
        match current {
            Segment::Index(idx) => {
                let Value::Array(array) = it else {
                    return Err(PatchError::new(format!("{}: not an array", s.prefix(i))));
                };
                match array.get(*idx as usize) {
                    Some(v) => it = v,
                    None => {
                        return Err(PatchError::not_found(format!(
                            "{}: no such element",
                            s.prefix(i + 1)
                        )));
                    }
                }
            }
            Segment::Field(name) => {
                let Value::Object(object) = it else {
                    return Err(PatchError::new(format!("{}: not an object", s.prefix(i))));
                };
                match object.get(name) {
                    Some(v) => it = v,
                    None => {
                        return Err(PatchError::not_found(format!(
                            "{}: no such field",
                            s.prefix(i + 1)
                        )));
                    }
                }
            }
        }
    }
    // An empty path names nothing; crossplane-runtime answers nil.
    if s.is_empty() {
        return Ok(&NULL);
    }
    Ok(it)
}

/// Sets `value` at `path`, making missing objects and arrays on the way.
pub fn set_value(object: &mut Value, path: &str, value: Value) -> PatchResult<()> {
    let segments = fieldpath::parse(path)
        .map_err(|e| e.wrap(format!("cannot parse path {}", gofmt::quote(path))))?;
    set_segments(object, &segments, value)
}

/// Sets `value` at the parsed path `s`.
pub fn set_segments(object: &mut Value, s: &Segments, value: Value) -> PatchResult<()> {
    let value = to_valid_json(value);
    for segment in &s.0 {
        if let Segment::Index(i) = segment {
            if *i > MAX_FIELD_PATH_INDEX {
                return Err(PatchError::new(format!(
                    "index {i} is greater than max allowed index {MAX_FIELD_PATH_INDEX}"
                )));
            }
        }
    }
    let mut it = object;
    let last = s.len().saturating_sub(1);
    for (i, current) in s.0.iter().enumerate() {
        let next = s.0.get(i + 1);
        match current {
            Segment::Index(idx) => {
                let Value::Array(array) = it else {
                    return Err(PatchError::new(format!("{} is not an array", s.prefix(i))));
                };
                let idx = *idx as usize;
                if array.len() <= idx {
                    array.resize(idx + 1, Value::Null);
                }
                if i == last {
                    array[idx] = value;
                    return Ok(());
                }
                prepare(&mut array[idx], next, false);
                it = &mut array[idx];
            }
            Segment::Field(name) => {
                let Value::Object(map) = it else {
                    return Err(PatchError::new(format!("{} is not an object", s.prefix(i))));
                };
                if i == last {
                    map.insert(name.clone(), value);
                    return Ok(());
                }
                let existed = map.contains_key(name);
                let slot = map.entry(name.clone()).or_insert(Value::Null);
                prepare(slot, next, existed);
                it = slot;
            }
        }
    }
    Ok(())
}

/// Makes the container the next segment needs. A field that exists (even as `null`) is kept as
/// it is, as crossplane-runtime does; only an array that is too short is extended.
fn prepare(slot: &mut Value, next: Option<&Segment>, field_existed: bool) {
    let Some(next) = next else { return };
    if slot.is_null() && !field_existed {
        *slot = match next {
            Segment::Index(i) => Value::Array(vec![Value::Null; *i as usize + 1]),
            Segment::Field(_) => Value::Object(Map::new()),
        };
        return;
    }
    if let (Segment::Index(i), Value::Array(array)) = (next, slot) {
        if array.len() <= *i as usize {
            array.resize(*i as usize + 1, Value::Null);
        }
    }
}

/// Merges `value` into the value at `path` with the given merge options; without options the
/// value replaces what is there.
pub fn merge_value(
    object: &mut Value,
    path: &str,
    value: Value,
    options: Option<&MergeOptions>,
) -> PatchResult<()> {
    let dst = match (get_value(object, path), options) {
        (_, None) => Value::Null,
        (Err(e), Some(_)) if e.is_not_found() => Value::Null,
        (Err(e), Some(_)) => return Err(e),
        (Ok(v), Some(_)) => v,
    };
    let merged = merge::merge(dst, value, options)?;
    set_value(object, path, merged)
}

/// Expands the `[*]` wildcards of `path` against `object` into concrete paths. Keys of objects
/// are expanded in sorted order, so rendering is deterministic.
pub fn expand_wildcards(object: &Value, path: &str) -> PatchResult<Vec<String>> {
    let segments = fieldpath::parse(path)
        .map_err(|e| e.wrap(format!("cannot parse path {}", gofmt::quote(path))))?;
    let expanded = expand(object, &segments).map_err(|e| {
        e.wrap(format!(
            "cannot expand wildcards for segments: {}",
            gofmt::quote(&segments.to_string())
        ))
    })?;
    Ok(expanded.iter().map(ToString::to_string).collect())
}

fn expand(data: &Value, segments: &Segments) -> PatchResult<Vec<Segments>> {
    let mut it = data;
    for (i, current) in segments.0.iter().enumerate() {
        if current.is_wildcard() {
            let replacements: Vec<Segment> = match it {
                Value::Array(a) => (0..a.len()).map(|ix| Segment::Index(ix as u32)).collect(),
                Value::Object(m) => {
                    let mut keys: Vec<&String> = m.keys().collect();
                    keys.sort();
                    keys.into_iter()
                        .map(|k| Segment::Field(k.clone()))
                        .collect()
                }
                _ => {
                    return Err(PatchError::new(format!(
                        "{}: unexpected wildcard usage",
                        gofmt::quote(&segments.prefix(i).to_string())
                    )));
                }
            };
            let mut out = Vec::new();
            for r in replacements {
                let mut e = segments.clone();
                e.0[i] = r;
                let more = expand(data, &e).map_err(|err| {
                    err.wrap(format!(
                        "{}: cannot expand wildcards",
                        gofmt::quote(&e.to_string())
                    ))
                })?;
                out.extend(more);
            }
            return Ok(out);
        }
        match get_segments(data, &segments.prefix(i + 1)) {
            Ok(v) => it = v,
            Err(e) if e.is_not_found() => return Ok(Vec::new()),
            Err(e) => return Err(e),
        }
    }
    Ok(vec![segments.clone()])
}

/// Round-trips a value as Kubernetes' JSON decoder would: a float with no fraction becomes an
/// integer (Go marshals `4.0` as `4`, and the decoder reads `4` back as an int64).
pub fn to_valid_json(value: Value) -> Value {
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            let f = n.as_f64().unwrap_or(0.0);
            if f.fract() == 0.0 && f.abs() < 1e21 && f >= i64::MIN as f64 && f <= i64::MAX as f64 {
                Value::from(f as i64)
            } else {
                Value::Number(n)
            }
        }
        Value::Array(a) => Value::Array(a.into_iter().map(to_valid_json).collect()),
        Value::Object(m) => {
            Value::Object(m.into_iter().map(|(k, v)| (k, to_valid_json(v))).collect())
        }
        other => other,
    }
}
