//! `$( … )` references: a value taken from another field of the same document, by a path
//! relative to the field (`$(./../data/data/target)`) or absolute (`$(/name)`). Kyverno resolves
//! them before `{{ }}` variables, against the document as written; a reference to a field that
//! is not a string (or not there) is an error.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value as Json;

/// A reference (with the character before it, when it is not at the start of the string).
static REFERENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\$\(.[^ ]*\)|[^\\]\$\(.[^ ]*\)").expect("valid regex"));
/// An escaped reference.
static ESCAPED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\\\$\(.[^ ]*\)").expect("valid regex"));

/// Operators a reference may start with; the referenced value is then prefixed with it.
const OPERATORS: &[&str] = &[">=", "<=", "!=", ">", "<", "!"];

/// Resolves every reference in the string leaves of `document`.
pub fn substitute_references(document: &Json) -> Result<Json, String> {
    walk(document, document, "")
}

fn walk(root: &Json, node: &Json, path: &str) -> Result<Json, String> {
    match node {
        Json::String(s) => resolve_in(root, s, path).map(Json::String),
        Json::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| walk(root, v, &format!("{path}/{i}")))
            .collect::<Result<_, _>>()
            .map(Json::Array),
        Json::Object(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (k, v) in map {
                out.insert(k.clone(), walk(root, v, &format!("{path}/{k}"))?);
            }
            Ok(Json::Object(out))
        }
        other => Ok(other.clone()),
    }
}

fn resolve_in(root: &Json, text: &str, path: &str) -> Result<String, String> {
    let mut value = text.to_string();
    let found: Vec<String> = REFERENCE
        .find_iter(text)
        .map(|m| m.as_str().to_string())
        .collect();
    for old in found {
        let (prefix, reference) = if old.starts_with("$(") {
            ("", old.as_str())
        } else {
            old.split_at(1)
        };
        let inner = reference.trim_matches(|c| c == '$' || c == '(' || c == ')');
        let operator = OPERATORS
            .iter()
            .find(|op| inner.starts_with(**op))
            .copied()
            .unwrap_or("");
        let target = &inner[operator.len()..];
        if target.is_empty() {
            return Err(format!(
                "reference {reference} at path {path} names no path"
            ));
        }
        let absolute = if target.starts_with('/') {
            clean(target)
        } else {
            clean(&format!("{path}/{target}"))
        };
        let resolved = match root.pointer(&absolute) {
            Some(Json::String(s)) => s.clone(),
            Some(Json::Number(n)) if !operator.is_empty() => n.to_string(),
            Some(_) => {
                return Err(format!(
                    "reference {reference} at path {path} is not a string"
                ));
            }
            None => {
                return Err(format!(
                    "reference {reference} at path {path} resolves to nothing ({absolute})"
                ));
            }
        };
        value = value.replacen(&old, &format!("{prefix}{operator}{resolved}"), 1);
    }
    Ok(ESCAPED
        .replace_all(&value, |c: &regex::Captures<'_>| c[0][1..].to_string())
        .into_owned())
}

/// `path.Clean` of a slash path: `.` and `..` segments resolved, always absolute.
fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn relative_absolute_and_escaped_references() {
        let doc = json!({
            "name": "$(./../data/data/target)-generated",
            "other": "x$(/name)",
            "escaped": "\\$(/name)",
            "data": {"data": {"target": "{{request.object.metadata.name}}"}},
        });
        let out = substitute_references(&doc).unwrap();
        assert_eq!(out["name"], "{{request.object.metadata.name}}-generated");
        assert_eq!(out["other"], "x$(./../data/data/target)-generated");
        assert_eq!(out["escaped"], "$(/name)");
        assert!(substitute_references(&json!({"a": "$(date)"})).is_err());
    }
}
