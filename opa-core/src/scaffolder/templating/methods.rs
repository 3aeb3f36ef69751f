//! Property access (`a.b`, `a['b']`, `list[0]`, `name.length`) and the JavaScript methods
//! templates call on values (`name.split('-')`, `list.join(', ')`, `s.startsWith('x')`), which
//! nunjucks allows because a template runs as JavaScript.

use std::rc::Rc;

use super::render::{R, Renderer};
use super::value::{Func, Value, is_js_space, js_object, utf16_len};

const STRING_METHODS: &[&str] = &[
    "toUpperCase",
    "toLowerCase",
    "trim",
    "trimStart",
    "trimEnd",
    "split",
    "replace",
    "replaceAll",
    "startsWith",
    "endsWith",
    "includes",
    "indexOf",
    "lastIndexOf",
    "slice",
    "substring",
    "substr",
    "charAt",
    "concat",
    "padStart",
    "padEnd",
    "repeat",
    "toString",
    "at",
];

const ARRAY_METHODS: &[&str] = &[
    "join", "includes", "indexOf", "slice", "concat", "toString", "at",
];

/// Methods nunjucks' jinja compatibility (cookiecutter templates) adds to objects and arrays.
const COMPAT_OBJECT_METHODS: &[&str] = &[
    "items",
    "keys",
    "values",
    "get",
    "has_key",
    "iteritems",
    "iterkeys",
    "itervalues",
];
const COMPAT_ARRAY_METHODS: &[&str] = &["count", "index", "find"];

/// The property key JavaScript would use for a value.
fn property_key(key: &Value) -> String {
    key.to_js_string()
}

/// An array index, when the key is one.
fn index_of(key: &Value) -> Option<usize> {
    match key {
        Value::Num(n) if *n >= 0.0 && n.fract() == 0.0 => Some(*n as usize),
        Value::Str(s) => {
            let n: usize = s.parse().ok()?;
            (n.to_string() == **s).then_some(n)
        }
        _ => None,
    }
}

fn method(receiver: &Value, name: &str) -> Value {
    Value::Func(Rc::new(Func::Method(receiver.clone(), Rc::from(name))))
}

/// `target[key]` as nunjucks' `memberLookup`.
pub(crate) fn member(r: &Renderer<'_>, target: &Value, key: &Value) -> Value {
    match target {
        Value::Undefined | Value::Null => Value::Undefined,
        // Jinja compatibility looks members up on `obj || {}`.
        _ if r.compat && !target.truthy() => Value::Undefined,
        Value::Object(map) => {
            let k = property_key(key);
            if let Some(v) = map.get(k.as_str()) {
                return v.clone();
            }
            if r.compat && COMPAT_OBJECT_METHODS.contains(&k.as_str()) {
                return method(target, &k);
            }
            Value::Undefined
        }
        Value::Array(items) => {
            if let Some(i) = index_of(key) {
                return items.get(i).cloned().unwrap_or(Value::Undefined);
            }
            let k = property_key(key);
            if k == "length" {
                return Value::Num(items.len() as f64);
            }
            if ARRAY_METHODS.contains(&k.as_str())
                || (r.compat && COMPAT_ARRAY_METHODS.contains(&k.as_str()))
            {
                return method(target, &k);
            }
            Value::Undefined
        }
        Value::Str(s) => {
            if let Some(i) = index_of(key) {
                return char_at(s, i).map_or(Value::Undefined, Value::string);
            }
            let k = property_key(key);
            if k == "length" {
                return Value::Num(utf16_len(s) as f64);
            }
            if STRING_METHODS.contains(&k.as_str()) {
                return method(target, &k);
            }
            Value::Undefined
        }
        Value::Num(_) | Value::Bool(_) => {
            let k = property_key(key);
            if k == "toString" || (k == "toFixed" && matches!(target, Value::Num(_))) {
                return method(target, &k);
            }
            Value::Undefined
        }
        Value::Func(f) => match &**f {
            Func::Cycler { current, .. } => match property_key(key).as_str() {
                "current" => current.borrow().clone(),
                k @ ("next" | "reset") => method(target, k),
                _ => Value::Undefined,
            },
            _ => Value::Undefined,
        },
        Value::Regex(re) => match property_key(key).as_str() {
            "source" => Value::str(&re.source),
            "flags" => Value::str(&re.flags),
            "global" => Value::Bool(re.global),
            _ => Value::Undefined,
        },
    }
}

/// The character at a UTF-16 index (characters outside the BMP count as one here).
fn char_at(s: &str, i: usize) -> Option<String> {
    if s.is_ascii() {
        return s.get(i..=i).map(str::to_string);
    }
    s.chars().nth(i).map(|c| c.to_string())
}

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Undefined)
}

/// A relative index as `slice` takes it: negative counts from the end, clamped to `0..=len`.
fn rel_index(v: &Value, len: usize, default: usize) -> usize {
    if v.is_undefined() {
        return default;
    }
    let n = v.to_number();
    let n = if n.is_nan() { 0.0 } else { n.trunc() };
    if n < 0.0 {
        (len as f64 + n).max(0.0) as usize
    } else {
        (n as usize).min(len)
    }
}

/// Calls a JavaScript (or, in compatibility mode, Python) method on a value.
pub(crate) fn call(
    r: &mut Renderer<'_>,
    receiver: &Value,
    name: &str,
    args: Vec<Value>,
    _keyword: Vec<(Rc<str>, Value)>,
    pos: usize,
) -> R<Value> {
    let result = match receiver {
        Value::Str(s) => string_method(r, s, name, &args, pos)?,
        Value::Array(items) => array_method(r, receiver, items, name, &args)?,
        Value::Object(map) => match name {
            "items" | "iteritems" => Value::array(
                map.iter()
                    .map(|(k, v)| Value::array(vec![Value::Str(k.clone()), v.clone()]))
                    .collect(),
            ),
            "keys" | "iterkeys" => {
                Value::array(map.keys().map(|k| Value::Str(k.clone())).collect())
            }
            "values" | "itervalues" => Value::array(map.values().cloned().collect()),
            "get" => {
                let v = map.get(arg(&args, 0).to_js_string().as_str()).cloned();
                v.unwrap_or_else(|| arg(&args, 1))
            }
            "has_key" => Value::Bool(map.contains_key(arg(&args, 0).to_js_string().as_str())),
            _ => Value::Undefined,
        },
        Value::Num(n) => match name {
            "toFixed" => {
                let digits = arg(&args, 0).to_number();
                let digits = if digits.is_nan() { 0 } else { digits as usize };
                if digits > 100 {
                    return Err(r.error(pos, "toFixed() digits argument must be between 0 and 100"));
                }
                Value::string(format!("{:.*}", digits, n))
            }
            _ => Value::string(receiver.to_js_string()),
        },
        Value::Func(f) => match (&**f, name) {
            (
                Func::Cycler {
                    items,
                    index,
                    current,
                },
                "next",
            ) => {
                let mut i = index.get() + 1;
                if i as usize >= items.len() {
                    i = 0;
                }
                index.set(i);
                let v = items.get(i as usize).cloned().unwrap_or(Value::Undefined);
                *current.borrow_mut() = v.clone();
                v
            }
            (Func::Cycler { index, current, .. }, "reset") => {
                index.set(-1);
                *current.borrow_mut() = Value::Null;
                Value::Undefined
            }
            _ => Value::Undefined,
        },
        other => Value::string(other.to_js_string()),
    };
    if let Value::Str(s) = &result {
        r.check_len(s.len())?;
    }
    Ok(result)
}

fn string_method(
    r: &mut Renderer<'_>,
    s: &Rc<str>,
    name: &str,
    args: &[Value],
    pos: usize,
) -> R<Value> {
    let a0 = arg(args, 0);
    Ok(match name {
        "toUpperCase" => Value::string(s.to_uppercase()),
        "toLowerCase" => Value::string(s.to_lowercase()),
        "trim" => Value::str(s.trim_matches(is_js_space)),
        "trimStart" => Value::str(s.trim_start_matches(is_js_space)),
        "trimEnd" => Value::str(s.trim_end_matches(is_js_space)),
        "split" => {
            let limit = match arg(args, 1) {
                Value::Undefined => usize::MAX,
                v => v.to_number().max(0.0) as usize,
            };
            let parts: Vec<Value> = match &a0 {
                Value::Undefined => vec![Value::Str(s.clone())],
                Value::Regex(re) => re.regex.split(s).map(Value::str).collect(),
                sep => {
                    let sep = sep.to_js_string();
                    if sep.is_empty() {
                        s.chars().map(|c| Value::string(c.to_string())).collect()
                    } else {
                        s.split(sep.as_str()).map(Value::str).collect()
                    }
                }
            };
            r.burn(parts.len() as u64)?;
            Value::array(parts.into_iter().take(limit).collect())
        }
        "replace" | "replaceAll" => {
            let replacement = arg(args, 1).to_js_string();
            match &a0 {
                Value::Regex(re) => {
                    let limit = if re.global || name == "replaceAll" {
                        0
                    } else {
                        1
                    };
                    let rep = js_replacement_to_regex(&replacement);
                    Value::string(re.regex.replacen(s, limit, rep.as_str()).into_owned())
                }
                pat => {
                    let pat = pat.to_js_string();
                    if name == "replace" {
                        Value::string(s.replacen(pat.as_str(), &replacement, 1))
                    } else {
                        r.check_len(s.len().saturating_mul(replacement.len().max(1)))?;
                        Value::string(s.replace(pat.as_str(), &replacement))
                    }
                }
            }
        }
        "startsWith" => Value::Bool(s.starts_with(a0.to_js_string().as_str())),
        "endsWith" => Value::Bool(s.ends_with(a0.to_js_string().as_str())),
        "includes" => Value::Bool(s.contains(a0.to_js_string().as_str())),
        "indexOf" | "lastIndexOf" => {
            let needle = a0.to_js_string();
            let found = if name == "indexOf" {
                s.find(needle.as_str())
            } else {
                s.rfind(needle.as_str())
            };
            Value::Num(found.map_or(-1.0, |b| utf16_len(&s[..b]) as f64))
        }
        "slice" | "substring" | "substr" | "at" | "charAt" => {
            let units: Vec<u16> = s.encode_utf16().collect();
            let len = units.len();
            let (start, end) = match name {
                "slice" => (rel_index(&a0, len, 0), rel_index(&arg(args, 1), len, len)),
                "substring" => {
                    let clamp = |v: &Value, d: usize| {
                        if v.is_undefined() {
                            d
                        } else {
                            let n = v.to_number();
                            if n.is_nan() || n < 0.0 {
                                0
                            } else {
                                (n as usize).min(len)
                            }
                        }
                    };
                    let (a, b) = (clamp(&a0, 0), clamp(&arg(args, 1), len));
                    (a.min(b), a.max(b))
                }
                "substr" => {
                    let start = rel_index(&a0, len, 0);
                    let count = match arg(args, 1) {
                        Value::Undefined => len,
                        v => v.to_number().max(0.0) as usize,
                    };
                    (start, start.saturating_add(count).min(len))
                }
                "at" => {
                    let i = a0.to_number();
                    let i = if i.is_nan() { 0.0 } else { i.trunc() };
                    let i = if i < 0.0 { len as f64 + i } else { i };
                    if i < 0.0 || i >= len as f64 {
                        return Ok(Value::Undefined);
                    }
                    (i as usize, i as usize + 1)
                }
                _ => {
                    let i = a0.to_number();
                    let i = if i.is_nan() { 0.0 } else { i.trunc() };
                    if i < 0.0 || i >= len as f64 {
                        return Ok(Value::str(""));
                    }
                    (i as usize, i as usize + 1)
                }
            };
            if start >= end {
                Value::str("")
            } else {
                Value::string(String::from_utf16_lossy(&units[start..end]))
            }
        }
        "concat" => {
            let mut out = s.to_string();
            for a in args {
                a.write_js_string(&mut out);
            }
            Value::string(out)
        }
        "padStart" | "padEnd" => {
            let target = a0.to_number();
            let target = if target.is_nan() {
                0
            } else {
                target.max(0.0) as usize
            };
            r.check_len(target)?;
            let fill = match arg(args, 1) {
                Value::Undefined => " ".to_string(),
                v => v.to_js_string(),
            };
            let len = utf16_len(s);
            if target <= len || fill.is_empty() {
                Value::Str(s.clone())
            } else {
                let pad: String = fill.chars().cycle().take(target - len).collect();
                if name == "padStart" {
                    Value::string(format!("{pad}{s}"))
                } else {
                    Value::string(format!("{s}{pad}"))
                }
            }
        }
        "repeat" => {
            let n = a0.to_number();
            if n.is_nan() || n < 0.0 || n.is_infinite() {
                return Err(r.error(pos, "Invalid count value"));
            }
            r.check_len(s.len().saturating_mul(n as usize))?;
            Value::string(s.repeat(n as usize))
        }
        _ => Value::Str(s.clone()),
    })
}

fn array_method(
    r: &mut Renderer<'_>,
    receiver: &Value,
    items: &Rc<super::value::Array>,
    name: &str,
    args: &[Value],
) -> R<Value> {
    let a0 = arg(args, 0);
    Ok(match name {
        "join" => {
            let sep = if a0.is_undefined() {
                ",".to_string()
            } else {
                a0.to_js_string()
            };
            let mut out = String::new();
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(&sep);
                }
                if !item.is_nullish() {
                    item.write_js_string(&mut out);
                }
                r.check_len(out.len())?;
            }
            Value::string(out)
        }
        "includes" => Value::Bool(items.iter().any(|v| same_value_zero(v, &a0))),
        "indexOf" => Value::Num(
            items
                .iter()
                .position(|v| v.strict_eq(&a0))
                .map_or(-1.0, |i| i as f64),
        ),
        "count" => Value::Num(items.iter().filter(|v| v.strict_eq(&a0)).count() as f64),
        "find" => Value::Num(
            items
                .iter()
                .position(|v| v.strict_eq(&a0))
                .map_or(-1.0, |i| i as f64),
        ),
        "index" => match items.iter().position(|v| v.strict_eq(&a0)) {
            Some(i) => Value::Num(i as f64),
            None => return Err(r.error(0, "ValueError")),
        },
        "slice" => {
            let len = items.len();
            let (start, end) = (rel_index(&a0, len, 0), rel_index(&arg(args, 1), len, len));
            Value::array(if start < end {
                items[start..end].to_vec()
            } else {
                Vec::new()
            })
        }
        "concat" => {
            let mut out = items.to_vec();
            for a in args {
                match a {
                    Value::Array(more) => out.extend(more.iter().cloned()),
                    other => out.push(other.clone()),
                }
            }
            r.burn(out.len() as u64)?;
            Value::array(out)
        }
        "at" => {
            let len = items.len() as f64;
            let i = a0.to_number();
            let i = if i.is_nan() { 0.0 } else { i.trunc() };
            let i = if i < 0.0 { len + i } else { i };
            if i < 0.0 || i >= len {
                Value::Undefined
            } else {
                items[i as usize].clone()
            }
        }
        _ => Value::string(receiver.to_js_string()),
    })
}

fn same_value_zero(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Num(x), Value::Num(y)) if x.is_nan() && y.is_nan() => true,
        _ => a.strict_eq(b),
    }
}

/// Turns JavaScript's `$1`/`$&` replacement patterns into the regex crate's `${1}`/`${0}`.
pub(crate) fn js_replacement_to_regex(rep: &str) -> String {
    let mut out = String::with_capacity(rep.len());
    let mut chars = rep.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some('$') => {
                chars.next();
                out.push_str("$$");
            }
            Some('&') => {
                chars.next();
                out.push_str("${0}");
            }
            Some(d) if d.is_ascii_digit() => {
                let mut n = String::new();
                while let Some(&d) = chars.peek() {
                    if d.is_ascii_digit() && n.len() < 2 {
                        n.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push_str(&format!("${{{n}}}"));
            }
            _ => out.push_str("$$"),
        }
    }
    out
}

/// `obj[start:stop:step]` as nunjucks' jinja compatibility evaluates it.
pub(crate) fn slice_lookup(
    r: &mut Renderer<'_>,
    target: &Value,
    start: Option<f64>,
    stop: Option<f64>,
    step: f64,
) -> R<Value> {
    let items: Vec<Value> = match target {
        Value::Array(items) => items.to_vec(),
        Value::Str(s) => s.chars().map(|c| Value::string(c.to_string())).collect(),
        _ => Vec::new(),
    };
    let len = items.len() as f64;
    let mut start = start.unwrap_or(if step < 0.0 { len - 1.0 } else { 0.0 });
    let stop = match stop {
        None => {
            if step < 0.0 {
                -1.0
            } else {
                len
            }
        }
        Some(s) if s < 0.0 => s + len,
        Some(s) => s,
    };
    if start < 0.0 {
        start += len;
    }
    let mut out = Vec::new();
    if step == 0.0 || step.is_nan() {
        return Ok(Value::array(out));
    }
    let mut i = start;
    loop {
        if i < 0.0 || i > len || (step > 0.0 && i >= stop) || (step < 0.0 && i <= stop) {
            break;
        }
        r.burn(1)?;
        if let Some(v) = items.get(i as usize) {
            out.push(v.clone());
        }
        i += step;
    }
    Ok(Value::array(out))
}

/// Builds an object value from string keys (for filters that return objects).
pub(crate) fn object(entries: Vec<(&str, Value)>) -> Value {
    Value::object(js_object(
        entries.into_iter().map(|(k, v)| (Rc::from(k), v)).collect(),
    ))
}
