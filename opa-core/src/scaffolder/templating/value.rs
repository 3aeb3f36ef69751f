//! The values a template computes with, and JavaScript's rules for them.
//!
//! Nunjucks compiles templates to JavaScript, so what a template prints follows JavaScript:
//! numbers are doubles (`6 / 2` prints `3`), arrays print as `a,b`, objects as
//! `[object Object]`, `[]` is true in an `if`, `==` converts types and `===` does not,
//! `"a" ~ undefined` is `aundefined`. This module holds those rules in one place.

use std::cell::{Cell, RefCell};
use std::fmt::Write as _;
use std::rc::Rc;

use indexmap::IndexMap;

/// An object's properties, in JavaScript's key order (hashed with foldhash: keys are short and
/// lookups are the hot path of a render).
pub(crate) type Object = IndexMap<Rc<str>, Value, hashbrown::DefaultHashBuilder>;

/// How deeply values may nest. JSON contexts are at most 128 deep (serde_json's limit); a
/// template can nest further only by wrapping a value in a literal again and again, which the
/// renderer stops here, so printing, comparing and dropping values never recurse without bound.
pub(crate) const MAX_VALUE_DEPTH: u16 = 256;

/// The most bytes converting one value to a string may write when no render limit applies
/// (arrays that share elements can be exponentially large when printed).
const JS_STRING_CAP: usize = 1 << 28;

/// An array, with how deeply it nests.
pub(crate) struct Array {
    items: Vec<Value>,
    pub depth: u16,
}

impl std::ops::Deref for Array {
    type Target = Vec<Value>;
    fn deref(&self) -> &Vec<Value> {
        &self.items
    }
}

/// An object, with how deeply it nests.
pub(crate) struct Obj {
    map: Object,
    pub depth: u16,
}

impl std::ops::Deref for Obj {
    type Target = Object;
    fn deref(&self) -> &Object {
        &self.map
    }
}

impl Obj {
    /// The properties, copied when the object is shared.
    pub(crate) fn into_map(this: Rc<Obj>) -> Object {
        Rc::try_unwrap(this).map_or_else(|rc| rc.map.clone(), |o| o.map)
    }
}

/// A value inside a render: JSON plus `undefined`, functions and helpers.
#[derive(Clone)]
pub(crate) enum Value {
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
    Array(Rc<Array>),
    Object(Rc<Obj>),
    Func(Rc<Func>),
    Regex(Rc<JsRegex>),
}

/// A regular expression literal (`r/…/flags`).
pub(crate) struct JsRegex {
    pub regex: regex::Regex,
    pub global: bool,
    pub source: String,
    pub flags: String,
}

/// Something a template can call.
pub(crate) enum Func {
    /// A global function (`range`, `cycler`, `joiner`).
    Global(&'static str),
    /// A JavaScript method bound to its receiver (`name.split`, `list.join`).
    Method(Value, Rc<str>),
    /// A `{% macro %}`.
    Macro(Rc<super::ast::Macro>),
    /// The callable that `joiner()` returns.
    Joiner { sep: Rc<str>, first: Cell<bool> },
    /// The object that `cycler()` returns (its `next()` is a bound method).
    Cycler {
        items: Vec<Value>,
        index: Cell<isize>,
        current: RefCell<Value>,
    },
}

impl Value {
    pub(crate) fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }

    pub(crate) fn string(s: String) -> Value {
        Value::Str(Rc::from(s))
    }

    pub(crate) fn array(items: Vec<Value>) -> Value {
        let depth = 1 + items.iter().map(Value::depth).max().unwrap_or(0);
        Value::Array(Rc::new(Array { items, depth }))
    }

    pub(crate) fn object(map: Object) -> Value {
        let depth = 1 + map.values().map(Value::depth).max().unwrap_or(0);
        Value::Object(Rc::new(Obj { map, depth }))
    }

    /// How many arrays and objects nest in this value.
    pub(crate) fn depth(&self) -> u16 {
        match self {
            Value::Array(a) => a.depth,
            Value::Object(o) => o.depth,
            _ => 0,
        }
    }

    pub(crate) fn is_undefined(&self) -> bool {
        matches!(self, Value::Undefined)
    }

    pub(crate) fn is_nullish(&self) -> bool {
        matches!(self, Value::Undefined | Value::Null)
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// JavaScript truthiness (`[]` and `{}` are true).
    pub(crate) fn truthy(&self) -> bool {
        match self {
            Value::Undefined | Value::Null => false,
            Value::Bool(b) => *b,
            Value::Num(n) => *n != 0.0 && !n.is_nan(),
            Value::Str(s) => !s.is_empty(),
            _ => true,
        }
    }

    /// JavaScript's `String(value)`.
    pub(crate) fn to_js_string(&self) -> String {
        let mut out = String::new();
        self.write_js_string(&mut out);
        out
    }

    /// Appends JavaScript's `String(value)` (at most a quarter GiB of it).
    pub(crate) fn write_js_string(&self, out: &mut String) {
        let _ = self.write_js(out, JS_STRING_CAP);
    }

    /// Appends JavaScript's `String(value)`; `false` once `out` grows past `limit`.
    fn write_js(&self, out: &mut String, limit: usize) -> bool {
        match self {
            Value::Undefined => out.push_str("undefined"),
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Num(n) => write_js_number(*n, out),
            Value::Str(s) => out.push_str(s),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    if !item.is_nullish() && !item.write_js(out, limit) {
                        return false;
                    }
                    if out.len() > limit {
                        return false;
                    }
                }
            }
            Value::Object(_) => out.push_str("[object Object]"),
            Value::Regex(r) => {
                let _ = write!(out, "/{}/{}", r.source, r.flags);
            }
            Value::Func(f) => match &**f {
                Func::Cycler { .. } => out.push_str("[object Object]"),
                _ => out.push_str("function () { [native code] }"),
            },
        }
        out.len() <= limit
    }

    /// What `${{ value }}` prints (`undefined` and `null` print nothing); `false` once `out`
    /// grows past `limit`.
    pub(crate) fn write_output(&self, out: &mut String, limit: usize) -> bool {
        match self {
            Value::Undefined | Value::Null => true,
            Value::Str(s) => {
                out.push_str(s);
                out.len() <= limit
            }
            other => other.write_js(out, limit),
        }
    }

    /// JavaScript's `Number(value)`.
    pub(crate) fn to_number(&self) -> f64 {
        match self {
            Value::Undefined => f64::NAN,
            Value::Null => 0.0,
            Value::Bool(b) => f64::from(u8::from(*b)),
            Value::Num(n) => *n,
            Value::Str(s) => string_to_number(s),
            Value::Array(_) => string_to_number(&self.to_js_string()),
            _ => f64::NAN,
        }
    }

    /// The primitive JavaScript converts an object to before comparing or adding it.
    pub(crate) fn to_primitive(&self) -> Value {
        match self {
            Value::Array(_) | Value::Object(_) | Value::Func(_) | Value::Regex(_) => {
                Value::string(self.to_js_string())
            }
            other => other.clone(),
        }
    }

    /// `===`.
    pub(crate) fn strict_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Num(a), Value::Num(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => Rc::ptr_eq(a, b),
            (Value::Object(a), Value::Object(b)) => Rc::ptr_eq(a, b),
            (Value::Func(a), Value::Func(b)) => Rc::ptr_eq(a, b),
            (Value::Regex(a), Value::Regex(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// `==` (JavaScript's loose equality).
    pub(crate) fn loose_eq(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (Undefined | Null, Undefined | Null) => true,
            (Undefined | Null, _) | (_, Undefined | Null) => false,
            (Num(_), Str(_)) | (Str(_), Num(_)) => self.to_number() == other.to_number(),
            (Bool(_), _) => Num(self.to_number()).loose_eq(other),
            (_, Bool(_)) => self.loose_eq(&Num(other.to_number())),
            (Num(_) | Str(_), Array(_) | Object(_) | Func(_) | Regex(_)) => {
                self.loose_eq(&other.to_primitive())
            }
            (Array(_) | Object(_) | Func(_) | Regex(_), Num(_) | Str(_)) => {
                self.to_primitive().loose_eq(other)
            }
            _ => self.strict_eq(other),
        }
    }

    /// JavaScript's `<`, `>`, `<=`, `>=`: strings compare as strings, anything else as numbers.
    pub(crate) fn js_compare(&self, other: &Value) -> Option<std::cmp::Ordering> {
        let (a, b) = (self.to_primitive(), other.to_primitive());
        if let (Value::Str(a), Value::Str(b)) = (&a, &b) {
            return Some(compare_utf16(a, b));
        }
        a.to_number().partial_cmp(&b.to_number())
    }

    /// JavaScript's `a + b`.
    pub(crate) fn js_add(&self, other: &Value) -> Value {
        let (a, b) = (self.to_primitive(), other.to_primitive());
        if matches!(a, Value::Str(_)) || matches!(b, Value::Str(_)) {
            let mut s = a.to_js_string();
            b.write_js_string(&mut s);
            Value::string(s)
        } else {
            Value::Num(a.to_number() + b.to_number())
        }
    }

    /// The length JavaScript reports: UTF-16 code units for strings.
    pub(crate) fn js_length(&self) -> Option<usize> {
        match self {
            Value::Str(s) => Some(utf16_len(s)),
            Value::Array(a) => Some(a.len()),
            _ => None,
        }
    }
}

/// JavaScript's string length (UTF-16 code units).
pub(crate) fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    }
}

/// Orders strings as JavaScript does (by UTF-16 code units).
pub(crate) fn compare_utf16(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// JavaScript's whitespace (`\s` in a regular expression, and what `trim` removes).
pub(crate) fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// JavaScript's `Number(string)`.
pub(crate) fn string_to_number(s: &str) -> f64 {
    let t = s.trim_matches(is_js_space);
    if t.is_empty() {
        return 0.0;
    }
    let (sign, digits) = match t.as_bytes()[0] {
        b'-' => (-1.0, &t[1..]),
        b'+' => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    if digits == "Infinity" {
        return sign * f64::INFINITY;
    }
    if sign > 0.0 && t.len() > 2 {
        let radix = match t.get(..2).unwrap_or("") {
            "0x" | "0X" => 16,
            "0o" | "0O" => 8,
            "0b" | "0B" => 2,
            _ => 0,
        };
        if radix != 0 {
            return parse_radix(&t[2..], radix).unwrap_or(f64::NAN);
        }
    }
    // Rust accepts "inf", "nan", "1_0"? No underscores, but "inf"/"infinity"/"nan": reject those.
    if digits
        .bytes()
        .any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E')
    {
        return f64::NAN;
    }
    if !digits
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || b == b'.')
    {
        return f64::NAN;
    }
    digits.parse::<f64>().map(|n| sign * n).unwrap_or(f64::NAN)
}

fn parse_radix(digits: &str, radix: u32) -> Option<f64> {
    if digits.is_empty() {
        return None;
    }
    let mut n = 0f64;
    for c in digits.chars() {
        n = n * f64::from(radix) + f64::from(c.to_digit(radix)?);
    }
    Some(n)
}

/// JavaScript's `parseFloat`: the longest leading decimal number, else NaN.
pub(crate) fn parse_float_prefix(s: &str) -> f64 {
    let t = s.trim_start_matches(is_js_space);
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    if t[i..].starts_with("Infinity") {
        return if b.first() == Some(&b'-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    let start_digits = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut had_digits = i > start_digits;
    if i < b.len() && b[i] == b'.' {
        let mut j = i + 1;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > i + 1 {
            had_digits = true;
        }
        if had_digits {
            i = j;
        }
    }
    if !had_digits {
        return f64::NAN;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let exp_start = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_start {
            i = j;
        }
    }
    t[..i].parse::<f64>().unwrap_or(f64::NAN)
}

/// JavaScript's `parseInt(string, radix)`.
pub(crate) fn parse_int_prefix(s: &str, radix: u32) -> f64 {
    let t = s.trim_start_matches(is_js_space);
    let (neg, mut rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let mut radix = radix;
    if radix == 0 || radix == 16 {
        if rest.starts_with("0x") || rest.starts_with("0X") {
            rest = &rest[2..];
            radix = 16;
        } else if radix == 0 {
            radix = 10;
        }
    }
    if !(2..=36).contains(&radix) {
        return f64::NAN;
    }
    let mut n = 0f64;
    let mut any = false;
    for c in rest.chars() {
        match c.to_digit(radix) {
            Some(d) => {
                n = n * f64::from(radix) + f64::from(d);
                any = true;
            }
            None => break,
        }
    }
    if !any {
        return f64::NAN;
    }
    if neg { -n } else { n }
}

/// Appends a number as JavaScript's `Number.prototype.toString()` writes it.
pub(crate) fn write_js_number(n: f64, out: &mut String) {
    if n.is_nan() {
        out.push_str("NaN");
    } else if n.is_infinite() {
        out.push_str(if n > 0.0 { "Infinity" } else { "-Infinity" });
    } else if n == 0.0 {
        out.push('0');
    } else if n.fract() == 0.0 && n.abs() < 1e21 {
        if n.abs() < 9.007_199_254_740_992e15 {
            let _ = write!(out, "{}", n as i64);
        } else {
            let _ = write!(out, "{n}");
        }
    } else {
        let abs = n.abs();
        if (1e-6..1e21).contains(&abs) {
            let _ = write!(out, "{n}");
        } else {
            // Shortest round-trip digits in exponent form: "1e21" -> "1e+21".
            let s = format!("{n:e}");
            match s.split_once('e') {
                Some((mantissa, exp)) if !exp.starts_with('-') => {
                    let _ = write!(out, "{mantissa}e+{exp}");
                }
                _ => out.push_str(&s),
            }
        }
    }
}

/// A number as JavaScript writes it.
pub(crate) fn js_number_string(n: f64) -> String {
    let mut s = String::new();
    write_js_number(n, &mut s);
    s
}

/// Whether a property name is an array index, which JavaScript orders first in objects.
fn is_index_key(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 10
        && k.bytes().all(|b| b.is_ascii_digit())
        && (k == "0" || !k.starts_with('0'))
        && k.parse::<u64>().is_ok_and(|n| n < u64::from(u32::MAX))
}

/// Builds an object, ordering its keys as JavaScript would.
pub(crate) fn js_object(entries: Vec<(Rc<str>, Value)>) -> Object {
    let mut map: Object =
        IndexMap::with_capacity_and_hasher(entries.len(), hashbrown::DefaultHashBuilder::default());
    let mut has_index = false;
    for (k, v) in entries {
        has_index |= is_index_key(&k);
        map.insert(k, v);
    }
    if has_index {
        order_keys(&mut map);
    }
    map
}

/// Puts array-index keys first, in numeric order, as JavaScript objects do.
pub(crate) fn order_keys(map: &mut Object) {
    if !map.keys().any(|k| is_index_key(k)) {
        return;
    }
    let mut entries: Vec<(Rc<str>, Value)> = std::mem::take(map).into_iter().collect();
    // Stable: non-index keys keep insertion order.
    entries.sort_by(|(a, _), (b, _)| match (is_index_key(a), is_index_key(b)) {
        (true, true) => a
            .parse::<u64>()
            .unwrap_or(0)
            .cmp(&b.parse::<u64>().unwrap_or(0)),
        (true, false) => std::cmp::Ordering::Less,
        (false, true) => std::cmp::Ordering::Greater,
        (false, false) => std::cmp::Ordering::Equal,
    });
    map.extend(entries);
}

impl From<&serde_json::Value> for Value {
    fn from(json: &serde_json::Value) -> Self {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Num(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::str(s),
            serde_json::Value::Array(items) => {
                Value::array(items.iter().map(Value::from).collect())
            }
            serde_json::Value::Object(map) => Value::object(js_object(
                map.iter()
                    .map(|(k, v)| (Rc::from(k.as_str()), Value::from(v)))
                    .collect(),
            )),
        }
    }
}

/// A value too large to convert (see [`to_json`]).
#[derive(Debug)]
pub(crate) struct TooLarge;

/// Converts a value to JSON as `JSON.parse(JSON.stringify(value))` would; `Ok(None)` for
/// `undefined`. At most `budget` nodes: arrays that share elements can be exponentially large.
pub(crate) fn to_json(
    value: &Value,
    budget: &mut usize,
) -> Result<Option<serde_json::Value>, TooLarge> {
    if *budget == 0 {
        return Err(TooLarge);
    }
    *budget -= 1;
    Ok(Some(match value {
        Value::Undefined | Value::Func(_) => return Ok(None),
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Num(n) => number_to_json(*n),
        Value::Str(s) => serde_json::Value::String(s.to_string()),
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for v in items.iter() {
                out.push(to_json(v, budget)?.unwrap_or(serde_json::Value::Null));
            }
            serde_json::Value::Array(out)
        }
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map.iter() {
                if let Some(v) = to_json(v, budget)? {
                    out.insert(k.to_string(), v);
                }
            }
            serde_json::Value::Object(out)
        }
        Value::Regex(_) => serde_json::Value::Object(serde_json::Map::new()),
    }))
}

/// A JavaScript number as JSON: integers stay integers, NaN and infinities become `null`.
pub(crate) fn number_to_json(n: f64) -> serde_json::Value {
    if !n.is_finite() {
        serde_json::Value::Null
    } else if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_javascript_prints_them() {
        for (n, s) in [
            (3.0, "3"),
            (0.5, "0.5"),
            (-2.0, "-2"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e21, "1e+21"),
            (1.5e-7, "1.5e-7"),
            (123456789012.0, "123456789012"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
        ] {
            assert_eq!(js_number_string(n), s);
        }
    }

    #[test]
    fn strings_convert_to_numbers_as_javascript_does() {
        assert_eq!(string_to_number(" 42 "), 42.0);
        assert_eq!(string_to_number(""), 0.0);
        assert_eq!(string_to_number("0x10"), 16.0);
        assert!(string_to_number("abc").is_nan());
        assert!(string_to_number("inf").is_nan());
        assert_eq!(parse_float_prefix("3.5px"), 3.5);
        assert_eq!(parse_int_prefix("12abc", 10), 12.0);
        assert!(parse_int_prefix("abc", 10).is_nan());
    }

    #[test]
    fn loose_and_strict_equality_follow_javascript() {
        let one = Value::Num(1.0);
        let s1 = Value::str("1");
        assert!(one.loose_eq(&s1));
        assert!(!one.strict_eq(&s1));
        assert!(Value::Null.loose_eq(&Value::Undefined));
        assert!(!Value::Null.strict_eq(&Value::Undefined));
        assert!(Value::Bool(true).loose_eq(&one));
        assert!(!Value::str("true").loose_eq(&Value::Bool(true)));
    }

    #[test]
    fn objects_put_index_keys_first() {
        let json: serde_json::Value = serde_json::json!({"b": 1, "2": 2, "a": 3, "1": 4});
        let Value::Object(map) = Value::from(&json) else {
            panic!("object expected")
        };
        let keys: Vec<&str> = map.keys().map(|k| &**k).collect();
        assert_eq!(keys, ["1", "2", "b", "a"]);
    }
}
