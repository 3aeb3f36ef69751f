//! The OpenAPI v3 structural schemas of custom resources, applied as the Kubernetes API server
//! applies them to a claim or composite resource: unknown fields are pruned, `default`s are
//! filled in, then types, enums, required fields and bounds are validated. Messages are worded
//! as the API server words them (`spec.size: Unsupported value: "huge": supported values: …`).

use indexmap::IndexMap;
use regex::Regex;
use serde_json::Value;

use super::gofmt;
use super::source::DocPath;
use crate::diagnostic::codes;

/// A structural schema node.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schema {
    /// `type`: object, array, string, integer, number or boolean.
    pub kind: Option<String>,
    /// `properties` of an object.
    pub properties: IndexMap<String, Schema>,
    /// `required` properties of an object.
    pub required: Vec<String>,
    /// `items` of an array.
    pub items: Option<Box<Schema>>,
    /// `additionalProperties` given as a schema.
    pub additional_properties: Option<Box<Schema>>,
    /// `additionalProperties: true` (keep any field).
    pub additional_properties_allowed: bool,
    /// `enum`.
    pub enum_values: Option<Vec<Value>>,
    /// `default`.
    pub default: Option<Value>,
    /// `nullable`.
    pub nullable: bool,
    /// `x-kubernetes-preserve-unknown-fields`.
    pub preserve_unknown_fields: bool,
    /// `x-kubernetes-int-or-string`.
    pub int_or_string: bool,
    /// `x-kubernetes-embedded-resource`.
    pub embedded_resource: bool,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `exclusiveMinimum`.
    pub exclusive_minimum: bool,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: bool,
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `allOf`: the value must validate against every schema.
    pub all_of: Vec<Schema>,
    /// `anyOf`: the value must validate against at least one schema.
    pub any_of: Vec<Schema>,
    /// `oneOf`: the value must validate against exactly one schema.
    pub one_of: Vec<Schema>,
    /// `not`: the value must not validate against the schema.
    pub not: Option<Box<Schema>>,
}

impl Schema {
    /// Reads a schema from its JSON form. Keywords the API server would reject are ignored.
    pub fn from_json(v: &Value) -> Schema {
        let Some(m) = v.as_object() else {
            return Schema::default();
        };
        let str_of = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
        let bool_of = |k: &str| m.get(k).and_then(Value::as_bool).unwrap_or(false);
        let f64_of = |k: &str| m.get(k).and_then(Value::as_f64);
        let u64_of = |k: &str| m.get(k).and_then(Value::as_u64);
        let list_of = |k: &str| -> Vec<Schema> {
            m.get(k)
                .and_then(Value::as_array)
                .map(|l| l.iter().map(Schema::from_json).collect())
                .unwrap_or_default()
        };
        let properties = m
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| {
                p.iter()
                    .map(|(k, v)| (k.clone(), Schema::from_json(v)))
                    .collect()
            })
            .unwrap_or_default();
        let (additional_properties, additional_properties_allowed) =
            match m.get("additionalProperties") {
                Some(Value::Bool(b)) => (None, *b),
                Some(v @ Value::Object(_)) => (Some(Box::new(Schema::from_json(v))), true),
                _ => (None, false),
            };
        Schema {
            kind: str_of("type"),
            properties,
            required: m
                .get("required")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            items: m.get("items").map(|i| Box::new(Schema::from_json(i))),
            additional_properties,
            additional_properties_allowed,
            enum_values: m.get("enum").and_then(Value::as_array).cloned(),
            default: m.get("default").cloned(),
            nullable: bool_of("nullable"),
            preserve_unknown_fields: bool_of("x-kubernetes-preserve-unknown-fields"),
            int_or_string: bool_of("x-kubernetes-int-or-string"),
            embedded_resource: bool_of("x-kubernetes-embedded-resource"),
            minimum: f64_of("minimum"),
            exclusive_minimum: bool_of("exclusiveMinimum"),
            maximum: f64_of("maximum"),
            exclusive_maximum: bool_of("exclusiveMaximum"),
            min_length: u64_of("minLength"),
            max_length: u64_of("maxLength"),
            pattern: str_of("pattern"),
            min_items: u64_of("minItems"),
            max_items: u64_of("maxItems"),
            all_of: list_of("allOf"),
            any_of: list_of("anyOf"),
            one_of: list_of("oneOf"),
            not: m.get("not").map(|n| Box::new(Schema::from_json(n))),
        }
    }

    /// The schema of the value under `key` of an object.
    fn child(&self, key: &str) -> Option<&Schema> {
        self.properties
            .get(key)
            .or(self.additional_properties.as_deref())
    }
}

/// A problem the API server would reject the resource for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// A stable code (`missing-field`, `invalid-type`, `invalid-value`, `unknown-field`).
    pub code: &'static str,
    /// Where.
    pub path: DocPath,
    /// The API server's message.
    pub message: String,
}

/// Removes the fields the schema does not declare, as the API server prunes them; returns the
/// paths removed. The root's `apiVersion`, `kind` and `metadata` are the server's own.
pub fn prune(value: &mut Value, schema: &Schema) -> Vec<DocPath> {
    let mut pruned = Vec::new();
    if let Value::Object(m) = value {
        for (k, v) in m.iter_mut() {
            if matches!(k.as_str(), "apiVersion" | "kind" | "metadata") {
                continue;
            }
            if let Some(s) = schema.properties.get(k) {
                prune_at(v, s, &DocPath::root().key(k), &mut pruned);
            }
        }
        let unknown: Vec<String> = m
            .keys()
            .filter(|k| !matches!(k.as_str(), "apiVersion" | "kind" | "metadata"))
            .filter(|k| !schema.properties.contains_key(*k))
            .cloned()
            .collect();
        for k in unknown {
            m.remove(&k);
            pruned.push(DocPath::root().key(&k));
        }
    }
    pruned
}

fn prune_at(value: &mut Value, schema: &Schema, path: &DocPath, pruned: &mut Vec<DocPath>) {
    match value {
        Value::Object(m) => {
            let keep_all = schema.preserve_unknown_fields || schema.additional_properties_allowed;
            let mut unknown = Vec::new();
            for (k, v) in m.iter_mut() {
                match schema.child(k) {
                    Some(s) => prune_at(v, s, &path.key(k), pruned),
                    None if keep_all => {}
                    None if schema.embedded_resource
                        && matches!(k.as_str(), "apiVersion" | "kind" | "metadata") => {}
                    None => unknown.push(k.clone()),
                }
            }
            for k in unknown {
                m.remove(&k);
                pruned.push(path.key(&k));
            }
        }
        Value::Array(items) => {
            if let Some(s) = &schema.items {
                for (i, item) in items.iter_mut().enumerate() {
                    prune_at(item, s, &path.index(i), pruned);
                }
            }
        }
        _ => {}
    }
}

/// Fills in `default`s where a field is absent (or null and not nullable), recursively, as the
/// API server's structural defaulting does.
pub fn apply_defaults(value: &mut Value, schema: &Schema) {
    match value {
        Value::Object(m) => {
            for (k, prop) in &schema.properties {
                let Some(default) = &prop.default else {
                    continue;
                };
                let absent = match m.get(k) {
                    None => true,
                    Some(Value::Null) => !prop.nullable,
                    Some(_) => false,
                };
                if absent {
                    m.insert(k.clone(), default.clone());
                }
            }
            for (k, v) in m.iter_mut() {
                if let Some(s) = schema.child(k) {
                    apply_defaults(v, s);
                }
            }
        }
        Value::Array(items) => {
            if let Some(s) = &schema.items {
                for item in items {
                    apply_defaults(item, s);
                }
            }
        }
        _ => {}
    }
}

/// The OpenAPI type name of a value, as the API server's messages name it.
fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A bad value as Kubernetes' `field.Invalid` prints it.
fn bad_value(v: &Value) -> String {
    match v {
        Value::String(s) => gofmt::quote(s),
        Value::Null => "\"null\"".into(),
        Value::Number(_) | Value::Bool(_) => gofmt::sprint(v),
        other => gofmt::sprint(other),
    }
}

fn type_matches(v: &Value, schema: &Schema) -> bool {
    if v.is_null() {
        return schema.nullable;
    }
    if schema.int_or_string {
        return matches!(v, Value::String(_)) || is_integer(v);
    }
    match schema.kind.as_deref() {
        None => true,
        Some("object") => v.is_object(),
        Some("array") => v.is_array(),
        Some("string") => v.is_string(),
        Some("integer") => is_integer(v),
        Some("number") => v.is_number(),
        Some("boolean") => v.is_boolean(),
        Some(_) => true,
    }
}

fn is_integer(v: &Value) -> bool {
    match v {
        Value::Number(n) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

/// Validates a (pruned and defaulted) resource against its schema. The root's `metadata` is
/// the API server's own and is not checked here.
pub fn validate(value: &Value, schema: &Schema) -> Vec<Violation> {
    let mut out = Vec::new();
    let Value::Object(m) = value else {
        out.push(Violation {
            code: codes::INVALID_TYPE,
            path: DocPath::root(),
            message: "the resource must be an object".into(),
        });
        return out;
    };
    for req in &schema.required {
        if !m.contains_key(req) {
            out.push(required(&DocPath::root().key(req)));
        }
    }
    for (k, v) in m {
        if k == "metadata" {
            continue;
        }
        if let Some(s) = schema.properties.get(k) {
            validate_at(v, s, &DocPath::root().key(k), &mut out);
        }
    }
    out
}

fn required(path: &DocPath) -> Violation {
    Violation {
        code: codes::MISSING_FIELD,
        path: path.clone(),
        message: format!("{}: Required value", path.kube()),
    }
}

fn invalid(path: &DocPath, v: &Value, detail: String) -> Violation {
    Violation {
        code: codes::INVALID_VALUE,
        path: path.clone(),
        message: format!(
            "{}: Invalid value: {}: {} in body {detail}",
            path.kube(),
            bad_value(v),
            path.kube()
        ),
    }
}

fn validate_at(v: &Value, schema: &Schema, path: &DocPath, out: &mut Vec<Violation>) {
    if !type_matches(v, schema) {
        let want = if schema.int_or_string {
            "integer or string".to_string()
        } else {
            schema.kind.clone().unwrap_or_default()
        };
        let actual = json_type(v);
        out.push(Violation {
            code: codes::INVALID_TYPE,
            path: path.clone(),
            message: format!(
                "{}: Invalid value: \"{actual}\": {} in body must be of type {want}: \"{actual}\"",
                path.kube(),
                path.kube()
            ),
        });
        return;
    }
    if v.is_null() {
        return;
    }
    validate_combinators(v, schema, path, out);
    if let Some(values) = &schema.enum_values {
        if !values.iter().any(|e| values_equal(e, v)) {
            let supported: Vec<String> = values
                .iter()
                .map(|e| gofmt::quote(&gofmt::sprint(e)))
                .collect();
            out.push(Violation {
                code: codes::INVALID_VALUE,
                path: path.clone(),
                message: format!(
                    "{}: Unsupported value: {}: supported values: {}",
                    path.kube(),
                    bad_value(v),
                    supported.join(", ")
                ),
            });
        }
    }
    match v {
        Value::String(s) => {
            let len = s.chars().count() as u64;
            if let Some(min) = schema.min_length {
                if len < min {
                    out.push(invalid(
                        path,
                        v,
                        format!("should be at least {min} chars long"),
                    ));
                }
            }
            if let Some(max) = schema.max_length {
                if len > max {
                    out.push(invalid(
                        path,
                        v,
                        format!("should be at most {max} chars long"),
                    ));
                }
            }
            if let Some(p) = &schema.pattern {
                if let Ok(re) = Regex::new(p) {
                    if !re.is_match(s) {
                        out.push(invalid(path, v, format!("should match '{p}'")));
                    }
                }
            }
        }
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or_default();
            if let Some(min) = schema.minimum {
                if f < min || (schema.exclusive_minimum && f == min) {
                    let op = if schema.exclusive_minimum {
                        "greater than"
                    } else {
                        "greater than or equal to"
                    };
                    out.push(invalid(
                        path,
                        v,
                        format!("should be {op} {}", gofmt::format_float_g(min)),
                    ));
                }
            }
            if let Some(max) = schema.maximum {
                if f > max || (schema.exclusive_maximum && f == max) {
                    let op = if schema.exclusive_maximum {
                        "less than"
                    } else {
                        "less than or equal to"
                    };
                    out.push(invalid(
                        path,
                        v,
                        format!("should be {op} {}", gofmt::format_float_g(max)),
                    ));
                }
            }
        }
        Value::Array(items) => {
            let len = items.len() as u64;
            if let Some(min) = schema.min_items {
                if len < min {
                    out.push(invalid(
                        path,
                        &Value::from(len),
                        format!("should have at least {min} items"),
                    ));
                }
            }
            if let Some(max) = schema.max_items {
                if len > max {
                    out.push(invalid(
                        path,
                        &Value::from(len),
                        format!("should have at most {max} items"),
                    ));
                }
            }
            if let Some(s) = &schema.items {
                for (i, item) in items.iter().enumerate() {
                    validate_at(item, s, &path.index(i), out);
                }
            }
        }
        Value::Object(m) => {
            for req in &schema.required {
                if !m.contains_key(req) {
                    out.push(required(&path.key(req)));
                }
            }
            for (k, child) in m {
                if let Some(s) = schema.child(k) {
                    validate_at(child, s, &path.key(k), out);
                }
            }
        }
        _ => {}
    }
}

/// `allOf`, `anyOf`, `oneOf` and `not`, worded as the API server's validator words them.
fn validate_combinators(v: &Value, schema: &Schema, path: &DocPath, out: &mut Vec<Violation>) {
    let valid = |s: &Schema| {
        let mut errors = Vec::new();
        validate_at(v, s, path, &mut errors);
        errors.is_empty()
    };
    let mut fail = |rule: &str| {
        out.push(Violation {
            code: codes::INVALID_VALUE,
            path: path.clone(),
            message: format!(
                "{}: Invalid value: \"{}\": {} in body must {rule}",
                path.kube(),
                json_type(v),
                path.kube()
            ),
        });
    };
    if !schema.all_of.is_empty() && !schema.all_of.iter().all(valid) {
        fail("validate all the schemas (allOf)");
    }
    if !schema.any_of.is_empty() && !schema.any_of.iter().any(valid) {
        fail("validate at least one schema (anyOf)");
    }
    if !schema.one_of.is_empty() && schema.one_of.iter().filter(|s| valid(s)).count() != 1 {
        fail("validate one and only one schema (oneOf)");
    }
    if schema.not.as_deref().is_some_and(valid) {
        fail("not validate the schema (not)");
    }
}

/// JSON equality where `1` and `1.0` are the same number.
fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}
