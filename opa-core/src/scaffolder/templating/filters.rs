//! nunjucks' built-in filters, each written to give the output nunjucks gives (including its
//! JavaScript coercions), plus the hook to Backstage's filters.

use std::rc::Rc;

use super::ast::CmpOp;
use super::backstage;
use super::json::json_stringify;
use super::methods::{member, object};
use super::render::{R, Renderer, compare};
use super::text::{
    capitalize_str, encode_uri_component, html_escape, striptags, title_str, urlize,
};
use super::value::{
    TooLarge, Value, is_js_space, js_object, parse_float_prefix, parse_int_prefix, write_js_number,
};

use super::render::Kwargs;

/// Applies the filter `name` to `target`.
pub(crate) fn apply(
    r: &mut Renderer<'_>,
    name: &str,
    target: Value,
    mut args: Vec<Value>,
    kwargs: Kwargs,
    pos: usize,
) -> R<Value> {
    r.burn(1)?;
    // nunjucks hands keyword arguments to most filters as a trailing object; `sort` and `int`
    // take them by parameter name.
    let by_name = |params: &[&str], args: &mut Vec<Value>, kwargs: &Kwargs| {
        for (i, p) in params.iter().enumerate() {
            if let Some((_, v)) = kwargs.iter().find(|(k, _)| &**k == *p) {
                if args.len() <= i {
                    args.resize(i + 1, Value::Undefined);
                }
                args[i] = v.clone();
            }
        }
    };
    match name {
        "sort" => by_name(
            &["reverse", "case_sensitive", "attribute"],
            &mut args,
            &kwargs,
        ),
        "int" => by_name(&["default", "base"], &mut args, &kwargs),
        _ if !kwargs.is_empty() => args.push(Value::object(js_object(kwargs))),
        _ => {}
    }
    let a = |i: usize| args.get(i).cloned().unwrap_or(Value::Undefined);
    let type_error = |what: &str| Err(r.error(pos, format!("{name} filter: {what}")));
    let value = match name {
        "abs" => Value::Num(target.to_number().abs()),
        "batch" => {
            let items = array_like(&target);
            let count = a(0).to_number();
            let fill = a(1);
            let mut rows = Vec::new();
            let mut row = Vec::new();
            for (i, item) in items.into_iter().enumerate() {
                r.burn(1)?;
                if (i as f64) % count == 0.0 && !row.is_empty() {
                    rows.push(Value::array(std::mem::take(&mut row)));
                }
                row.push(item);
            }
            if !row.is_empty() {
                if fill.truthy() {
                    let mut n = row.len() as f64;
                    while n < count {
                        r.burn(1)?;
                        row.push(fill.clone());
                        n += 1.0;
                    }
                }
                rows.push(Value::array(row));
            }
            Value::array(rows)
        }
        "capitalize" => match normalize(target, "") {
            Value::Str(s) => Value::string(capitalize_str(&s)),
            _ => return type_error("str.toLowerCase is not a function"),
        },
        "center" => {
            let s = normalize(target, "");
            let width = match a(0) {
                w if w.truthy() => w.to_number(),
                _ => 80.0,
            };
            let len = s.js_length().map_or(f64::NAN, |l| l as f64);
            if len >= width {
                s
            } else {
                let spaces = width - len;
                r.check_len(space_count(spaces))?;
                let pre = repeat_space(spaces / 2.0 - spaces % 2.0);
                let post = repeat_space(spaces / 2.0);
                Value::string(format!("{pre}{}{post}", s.to_js_string()))
            }
        }
        "default" | "d" => {
            if a(1).truthy() {
                if target.truthy() { target } else { a(0) }
            } else if target.is_undefined() {
                a(0)
            } else {
                target
            }
        }
        "dictsort" => {
            let Value::Object(map) = &target else {
                return type_error("val must be an object");
            };
            let case_sensitive = a(0).truthy();
            let by = match a(1) {
                Value::Undefined => 0,
                Value::Str(s) if &*s == "key" => 0,
                Value::Str(s) if &*s == "value" => 1,
                _ => return type_error("You can only sort by either key or value"),
            };
            let mut pairs: Vec<(Value, Value)> = map
                .iter()
                .map(|(k, v)| (Value::Str(k.clone()), v.clone()))
                .collect();
            let key = |p: &(Value, Value)| {
                let v = if by == 0 { p.0.clone() } else { p.1.clone() };
                match v {
                    Value::Str(s) if !case_sensitive => Value::string(s.to_uppercase()),
                    other => other,
                }
            };
            pairs.sort_by(|x, y| {
                let (a, b) = (key(x), key(y));
                if compare(CmpOp::Gt, &a, &b) {
                    std::cmp::Ordering::Greater
                } else if a.strict_eq(&b) {
                    std::cmp::Ordering::Equal
                } else {
                    std::cmp::Ordering::Less
                }
            });
            Value::array(
                pairs
                    .into_iter()
                    .map(|(k, v)| Value::array(vec![k, v]))
                    .collect(),
            )
        }
        "dump" | "jsonify" if name == "dump" || r.compat => {
            match json_stringify(&target, &a(0), r.limits.max_output_bytes) {
                Ok(Some(s)) => Value::string(s),
                Ok(None) => Value::Undefined,
                Err(TooLarge) => return r.check_len(usize::MAX).map(|()| Value::Undefined),
            }
        }
        "escape" | "e" | "forceescape" => {
            let s = if target.is_nullish() {
                String::new()
            } else {
                target.to_js_string()
            };
            Value::string(html_escape(&s))
        }
        "safe" => {
            if target.is_nullish() {
                Value::str("")
            } else {
                Value::string(target.to_js_string())
            }
        }
        "first" => {
            if target.is_nullish() {
                return type_error("Cannot read properties of undefined (reading '0')");
            }
            member(r, &target, &Value::Num(0.0))
        }
        "last" => {
            if target.is_nullish() {
                return type_error("Cannot read properties of undefined (reading 'length')");
            }
            let len = member(r, &target, &Value::str("length")).to_number();
            member(r, &target, &Value::Num(len - 1.0))
        }
        "groupby" => {
            let parts = attr_parts(&a(0));
            let mut groups: Vec<(Rc<str>, Vec<Value>)> = Vec::new();
            for item in array_like(&target) {
                r.burn(1)?;
                let key: Rc<str> = Rc::from(get_attr(&item, &parts).to_js_string());
                match groups.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, list)) => list.push(item),
                    None => groups.push((key, vec![item])),
                }
            }
            Value::object(js_object(
                groups
                    .into_iter()
                    .map(|(k, v)| (k, Value::array(v)))
                    .collect(),
            ))
        }
        "indent" => {
            let s = normalize(target, "");
            let Value::Str(s) = s else {
                return type_error("str.split is not a function");
            };
            if s.is_empty() {
                return Ok(Value::str(""));
            }
            let width = match a(0) {
                w if w.truthy() => w.to_number(),
                _ => 4.0,
            };
            r.check_len(space_count(width))?;
            let sp = repeat_space(width);
            let indent_first = a(1).truthy();
            let lines: Vec<String> = s
                .split('\n')
                .enumerate()
                .map(|(i, l)| {
                    if i == 0 && !indent_first {
                        l.to_string()
                    } else {
                        format!("{sp}{l}")
                    }
                })
                .collect();
            let out = lines.join("\n");
            r.check_len(out.len())?;
            Value::string(out)
        }
        "join" => {
            let sep = match a(0) {
                v if v.truthy() => v.to_js_string(),
                _ => String::new(),
            };
            let attr = a(1);
            let items: Vec<Value> = match &target {
                Value::Array(items) => items.to_vec(),
                _ => return type_error("arr.join is not a function"),
            };
            let mut out = String::new();
            for (i, item) in items.iter().enumerate() {
                r.burn(1)?;
                if i > 0 {
                    out.push_str(&sep);
                }
                let v = if attr.truthy() {
                    member(r, item, &attr)
                } else {
                    item.clone()
                };
                if !v.is_nullish() {
                    v.write_js_string(&mut out);
                }
                r.check_len(out.len())?;
            }
            Value::string(out)
        }
        "length" => {
            let v = normalize(target, "");
            match &v {
                Value::Object(map) => Value::Num(map.len() as f64),
                other => other
                    .js_length()
                    .map_or(Value::Undefined, |l| Value::Num(l as f64)),
            }
        }
        "list" => match &target {
            Value::Str(s) => {
                Value::array(s.chars().map(|c| Value::string(c.to_string())).collect())
            }
            Value::Object(map) => Value::array(
                map.iter()
                    .map(|(k, v)| {
                        object(vec![("key", Value::Str(k.clone())), ("value", v.clone())])
                    })
                    .collect(),
            ),
            Value::Array(_) => target,
            _ => return type_error("type not iterable"),
        },
        "lower" | "upper" => match normalize(target, "") {
            Value::Str(s) => Value::string(if name == "lower" {
                s.to_lowercase()
            } else {
                s.to_uppercase()
            }),
            _ => {
                return type_error(&format!(
                    "str.to{}Case is not a function",
                    if name == "lower" { "Lower" } else { "Upper" }
                ));
            }
        },
        "nl2br" => match &target {
            Value::Undefined | Value::Null => Value::str(""),
            Value::Str(s) => Value::string(s.replace("\r\n", "\n").replace('\n', "<br />\n")),
            _ => return type_error("str.replace is not a function"),
        },
        "random" => {
            let items = array_like(&target);
            if items.is_empty() {
                Value::Undefined
            } else {
                items[random_index(items.len())].clone()
            }
        }
        "select" | "reject" => {
            let expected = name == "select";
            let test = match a(0) {
                Value::Undefined => Rc::from("truthy"),
                v => Rc::from(v.to_js_string()),
            };
            let extra = a(1);
            let mut out = Vec::new();
            for item in array_like(&target) {
                r.burn(1)?;
                let result =
                    super::is_tests::run(r, &test, &item, std::slice::from_ref(&extra), pos)?;
                if matches!(result, Value::Bool(b) if b == expected) {
                    out.push(item);
                }
            }
            Value::array(out)
        }
        "selectattr" | "rejectattr" => {
            let Value::Array(items) = &target else {
                return type_error("arr.filter is not a function");
            };
            let attr = a(0);
            let want = name == "selectattr";
            Value::array(
                items
                    .iter()
                    .filter(|item| member(r, item, &attr).truthy() == want)
                    .cloned()
                    .collect(),
            )
        }
        "replace" => replace(r, target, &a(0), &a(1), &a(2), pos)?,
        "reverse" => match &target {
            Value::Str(s) => Value::string(s.chars().rev().collect()),
            Value::Array(items) => Value::array(items.iter().rev().cloned().collect()),
            _ => Value::array(Vec::new()),
        },
        "round" => {
            let precision = match a(0) {
                p if p.truthy() => p.to_number(),
                _ => 0.0,
            };
            let factor = 10f64.powf(precision);
            let x = target.to_number() * factor;
            let rounded = match a(1).as_str() {
                Some("ceil") => x.ceil(),
                Some("floor") => x.floor(),
                _ => js_round(x),
            };
            Value::Num(rounded / factor)
        }
        "slice" => {
            let items = array_like(&target);
            let slices = a(0).to_number();
            let fill = a(1);
            if !(slices.is_finite() && slices >= 0.0) {
                Value::array(Vec::new())
            } else {
                let slices = slices as usize;
                r.burn(slices as u64)?;
                let len = items.len();
                let slice_len = len.checked_div(slices).unwrap_or(0);
                let extra = len.checked_rem(slices).unwrap_or(0);
                let mut offset = 0;
                let mut out = Vec::with_capacity(slices);
                for i in 0..slices {
                    let start = offset + i * slice_len;
                    if i < extra {
                        offset += 1;
                    }
                    let end = offset + (i + 1) * slice_len;
                    let mut part: Vec<Value> = items[start.min(len)..end.min(len)].to_vec();
                    if fill.truthy() && i >= extra {
                        part.push(fill.clone());
                    }
                    out.push(Value::array(part));
                }
                Value::array(out)
            }
        }
        "sum" => {
            let attr = a(0);
            let start = match a(1) {
                Value::Undefined => Value::Num(0.0),
                v => v,
            };
            let mut acc = Value::Num(0.0);
            for item in array_like(&target) {
                r.burn(1)?;
                let v = if attr.truthy() {
                    member(r, &item, &attr)
                } else {
                    item
                };
                acc = acc.js_add(&v);
                if let Value::Str(s) = &acc {
                    r.check_len(s.len())?;
                }
            }
            start.js_add(&acc)
        }
        "sort" => {
            let reversed = a(0).truthy();
            let case_sensitive = a(1).truthy();
            let attr = a(2);
            let parts = attr_parts(&attr);
            let items = array_like(&target);
            r.burn(items.len() as u64)?;
            // JavaScript's sort moves undefined to the end without comparing it.
            let (mut defined, undefined): (Vec<Value>, Vec<Value>) =
                items.into_iter().partition(|v| !v.is_undefined());
            let key = |v: &Value| {
                if attr.truthy() {
                    get_attr(v, &parts)
                } else {
                    v.clone()
                }
            };
            defined.sort_by(|x, y| {
                let (mut kx, mut ky) = (key(x), key(y));
                if !case_sensitive {
                    if let (Value::Str(a), Value::Str(b)) = (&kx, &ky) {
                        let (a, b) = (a.to_lowercase(), b.to_lowercase());
                        kx = Value::string(a);
                        ky = Value::string(b);
                    }
                }
                use std::cmp::Ordering::*;
                if compare(CmpOp::Lt, &kx, &ky) {
                    if reversed { Greater } else { Less }
                } else if compare(CmpOp::Gt, &kx, &ky) {
                    if reversed { Less } else { Greater }
                } else {
                    Equal
                }
            });
            defined.extend(undefined);
            Value::array(defined)
        }
        "string" => {
            if target.is_nullish() {
                return type_error("Cannot read properties of undefined (reading 'toString')");
            }
            Value::string(target.to_js_string())
        }
        "striptags" => {
            let s = normalize(target, "");
            let Value::Str(s) = s else {
                return type_error("input.replace is not a function");
            };
            Value::string(striptags(&s, a(0).truthy()))
        }
        "title" => match normalize(target, "") {
            Value::Str(s) => Value::string(title_str(&s)),
            _ => return type_error("str.split is not a function"),
        },
        "trim" => match &target {
            Value::Str(s) => Value::str(s.trim_matches(is_js_space)),
            _ => return type_error("str.replace is not a function"),
        },
        "truncate" => {
            let input = normalize(target, "");
            let length = match a(0) {
                l if l.truthy() => l.to_number(),
                _ => 255.0,
            };
            let Value::Str(s) = &input else {
                return type_error("input.substring is not a function");
            };
            let units: Vec<u16> = s.encode_utf16().collect();
            if units.len() as f64 <= length {
                input
            } else {
                let cut = length.max(0.0) as usize;
                let end = if a(1).truthy() || units.is_empty() {
                    cut
                } else {
                    // lastIndexOf(' ', length)
                    let from = cut.min(units.len().saturating_sub(1));
                    (0..=from)
                        .rev()
                        .find(|&i| units[i] == u16::from(b' '))
                        .unwrap_or(cut)
                };
                let mut out = String::from_utf16_lossy(&units[..end.min(units.len())]);
                match a(2) {
                    Value::Undefined | Value::Null => out.push_str("..."),
                    e => e.write_js_string(&mut out),
                }
                Value::string(out)
            }
        }
        "urlencode" => match &target {
            Value::Str(s) => Value::string(encode_uri_component(s)),
            Value::Array(items) => {
                let pairs: Vec<String> = items
                    .iter()
                    .map(|p| {
                        format!(
                            "{}={}",
                            encode_uri_component(&member(r, p, &Value::Num(0.0)).to_js_string()),
                            encode_uri_component(&member(r, p, &Value::Num(1.0)).to_js_string())
                        )
                    })
                    .collect();
                Value::string(pairs.join("&"))
            }
            Value::Object(map) => Value::string(
                map.iter()
                    .map(|(k, v)| {
                        format!(
                            "{}={}",
                            encode_uri_component(k),
                            encode_uri_component(&v.to_js_string())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("&"),
            ),
            _ => Value::str(""),
        },
        "urlize" => match &target {
            Value::Str(s) => {
                let length = match a(0) {
                    Value::Num(n) => Some(n),
                    Value::Undefined => None,
                    other => Some(other.to_number()),
                };
                Value::string(urlize(s, length, matches!(a(1), Value::Bool(true))))
            }
            _ => return type_error("str.split is not a function"),
        },
        "wordcount" => match normalize(target, "") {
            Value::Str(s) => {
                let n = s
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .filter(|w| !w.is_empty())
                    .count();
                if n == 0 {
                    Value::Null
                } else {
                    Value::Num(n as f64)
                }
            }
            _ => return type_error("str.match is not a function"),
        },
        "float" => {
            let n = parse_float_prefix(&target.to_js_string());
            if n.is_nan() { a(0) } else { Value::Num(n) }
        }
        "int" => {
            let base = match a(1) {
                Value::Undefined => 10.0,
                b => b.to_number(),
            };
            let base = if base.is_nan() { 0 } else { base as u32 };
            let n = parse_int_prefix(&target.to_js_string(), base);
            if n.is_nan() { a(0) } else { Value::Num(n) }
        }
        _ if !r.compat && backstage::is_filter(name) => {
            return backstage::apply(r, name, &target, &args, pos);
        }
        _ => return Err(r.error(pos, format!("filter not found: {name}"))),
    };
    if let Value::Str(s) = &value {
        r.check_len(s.len())?;
    }
    Ok(value)
}

/// nunjucks' `normalize`: `null`, `undefined` and `false` become the default.
fn normalize(v: Value, default: &str) -> Value {
    match v {
        Value::Undefined | Value::Null | Value::Bool(false) => Value::str(default),
        other => other,
    }
}

/// The elements JavaScript would index with `arr[i]` up to `arr.length`.
fn array_like(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(items) => items.to_vec(),
        Value::Str(s) => s.chars().map(|c| Value::string(c.to_string())).collect(),
        _ => Vec::new(),
    }
}

/// How many bytes `repeat_space(n)` would take (an infinite count never fits a limit).
fn space_count(n: f64) -> usize {
    if n.is_nan() || n <= 0.0 {
        0
    } else if n.is_finite() {
        n.ceil() as usize
    } else {
        usize::MAX
    }
}

/// `lib.repeat(' ', n)`: a fractional count rounds up. Callers check `space_count` first.
fn repeat_space(n: f64) -> String {
    if n.is_nan() || n <= 0.0 {
        String::new()
    } else {
        " ".repeat(n.ceil() as usize)
    }
}

/// `Math.round`: halves round towards +∞.
fn js_round(x: f64) -> f64 {
    let f = x.floor();
    if x - f >= 0.5 { f + 1.0 } else { f }
}

fn attr_parts(attr: &Value) -> Vec<Value> {
    match attr {
        Value::Str(s) if !s.is_empty() => s.split('.').map(Value::str).collect(),
        v if v.truthy() => vec![v.clone()],
        _ => Vec::new(),
    }
}

/// `lib.getAttrGetter`: follows own properties, `undefined` when one is missing.
fn get_attr(item: &Value, parts: &[Value]) -> Value {
    let mut cur = item.clone();
    for part in parts {
        let key = part.to_js_string();
        cur = match &cur {
            Value::Object(map) => match map.get(key.as_str()) {
                Some(v) => v.clone(),
                None => return Value::Undefined,
            },
            Value::Array(items) => match key.parse::<usize>().ok().and_then(|i| items.get(i)) {
                Some(v) => v.clone(),
                None => return Value::Undefined,
            },
            _ => return Value::Undefined,
        };
    }
    cur
}

fn random_index(len: usize) -> usize {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_usize(len);
    (h.finish() % len as u64) as usize
}

fn replace(
    r: &mut Renderer<'_>,
    target: Value,
    old: &Value,
    new: &Value,
    max_count: &Value,
    pos: usize,
) -> R<Value> {
    let new_s = new.to_js_string();
    if let Value::Regex(re) = old {
        let Value::Str(s) = &target else {
            return Err(r.error(pos, "replace filter: str.replace is not a function"));
        };
        let rep = super::methods::js_replacement_to_regex(&new_s);
        let limit = if re.global { 0 } else { 1 };
        return Ok(Value::string(
            re.regex.replacen(s, limit, rep.as_str()).into_owned(),
        ));
    }
    let old_s = match old {
        Value::Num(n) => {
            let mut s = String::new();
            write_js_number(*n, &mut s);
            s
        }
        Value::Str(s) => s.to_string(),
        _ => return Ok(target),
    };
    let s: Rc<str> = match &target {
        Value::Num(n) => {
            let mut s = String::new();
            write_js_number(*n, &mut s);
            Rc::from(s)
        }
        Value::Str(s) => s.clone(),
        _ => return Ok(target),
    };
    let max = match max_count {
        Value::Undefined => -1.0,
        v => v.to_number(),
    };
    if old_s.is_empty() {
        let chars: Vec<String> = s
            .encode_utf16()
            .map(|u| String::from_utf16_lossy(&[u]))
            .collect();
        r.check_len(
            (chars.len() + 1)
                .saturating_mul(new_s.len())
                .saturating_add(s.len()),
        )?;
        return Ok(Value::string(format!(
            "{new_s}{}{new_s}",
            chars.join(&new_s)
        )));
    }
    if max == 0.0 || !s.contains(old_s.as_str()) {
        return Ok(Value::Str(s));
    }
    let mut out = String::new();
    let mut rest: &str = &s;
    let mut count = 0f64;
    while let Some(i) = rest.find(old_s.as_str()) {
        if !(max == -1.0 || count < max) {
            break;
        }
        out.push_str(&rest[..i]);
        out.push_str(&new_s);
        rest = &rest[i + old_s.len()..];
        count += 1.0;
        r.check_len(out.len())?;
    }
    out.push_str(rest);
    Ok(Value::string(out))
}
