//! `{{ … }}` variables: substitution of JMESPath expressions into a rule, as Kyverno does it.
//!
//! A string that is exactly one variable takes the variable's value with its type (an object, a
//! number…); a variable inside a longer string is replaced by the value's text (strings as they
//! are, anything else as JSON). Values are scanned again, so variables may nest. `\{{ … }}` is an
//! escape and stays literal, without its backslash. Map keys are substituted too.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value as Json;

use super::jmespath;

/// A variable (with the character before it, when it is not at the start of the string).
static VARIABLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})").expect("valid regex"));
/// An escaped variable.
static ESCAPED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\\\{\{(?:\{[^{}]*\}|[^{}])*\}\}").expect("valid regex"));

/// How many rounds of nested substitution one string may take.
const MAX_ROUNDS: usize = 64;

/// What a variable that names a missing field resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// An error, as in generate patterns and context entries (Kyverno: `Unknown key`).
    Fail,
    /// `null`, as in preconditions.
    Null,
}

/// The data variables are evaluated against (`request`, context entries, `element`…).
#[derive(Debug, Clone, PartialEq)]
pub struct VariableContext {
    data: Json,
}

impl VariableContext {
    /// A context over this data (a JSON object).
    pub fn new(data: Json) -> Self {
        Self { data }
    }

    /// The data.
    pub fn data(&self) -> &Json {
        &self.data
    }

    /// Sets a top-level entry; a dotted name (`a.b`) sets a nested one.
    pub fn set(&mut self, name: &str, value: Json) {
        let mut target = &mut self.data;
        let mut parts = name.split('.').peekable();
        while let Some(part) = parts.next() {
            if !target.is_object() {
                *target = Json::Object(Default::default());
            }
            let Json::Object(map) = target else { return };
            if parts.peek().is_none() {
                map.insert(part.to_string(), value);
                return;
            }
            target = map.entry(part.to_string()).or_insert(Json::Null);
        }
    }

    /// Evaluates one JMESPath expression (the inside of `{{ }}`).
    pub fn query(&self, expression: &str, missing: Missing) -> Result<Json, String> {
        let expression = expression.trim();
        if expression.is_empty() {
            return Err("empty variable".to_string());
        }
        let value = jmespath::search(expression, &self.data)?;
        if value.is_null() && missing == Missing::Fail {
            if let Some(key) = missing_key(expression, &self.data) {
                return Err(format!("Unknown key {key:?} in path"));
            }
        }
        Ok(value)
    }

    /// Substitutes every variable in a JSON document; `path` names where it sits (for errors).
    pub fn substitute(
        &self,
        document: &Json,
        path: &str,
        missing: Missing,
    ) -> Result<Json, String> {
        match document {
            Json::String(s) => self.substitute_str(s, path, missing),
            Json::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| self.substitute(v, &format!("{path}/{i}"), missing))
                .collect::<Result<_, _>>()
                .map(Json::Array),
            Json::Object(map) => {
                let mut out = serde_json::Map::with_capacity(map.len());
                for (k, v) in map {
                    let child = format!("{path}/{}", k.replace('~', "~0").replace('/', "~1"));
                    let key = match self.substitute_str(k, &child, missing)? {
                        Json::String(s) => s,
                        other => other.to_string(),
                    };
                    out.insert(key, self.substitute(v, &child, missing)?);
                }
                Ok(Json::Object(out))
            }
            other => Ok(other.clone()),
        }
    }

    /// Substitutes the variables of one string.
    pub fn substitute_str(&self, text: &str, path: &str, missing: Missing) -> Result<Json, String> {
        let mut value = text.to_string();
        for _ in 0..MAX_ROUNDS {
            let found: Vec<(String, String)> = VARIABLE
                .captures_iter(&value)
                .map(|c| (c[1].to_string(), c[2].to_string()))
                .collect();
            if found.is_empty() {
                return Ok(Json::String(unescape(&value)));
            }
            for (prefix, var) in found {
                let expression = var[2..var.len() - 2].trim().to_string();
                let resolved = self
                    .query(&expression, missing)
                    .map_err(|e| format!("failed to resolve {expression} at path {path}: {e}"))?;
                if value == var {
                    return Ok(resolved);
                }
                let text = match &resolved {
                    Json::String(s) => s.clone(),
                    other => other.to_string(),
                };
                value = value.replacen(&format!("{prefix}{var}"), &format!("{prefix}{text}"), 1);
            }
        }
        Err(format!(
            "variables at path {path} nest more than {MAX_ROUNDS} levels deep"
        ))
    }
}

fn unescape(value: &str) -> String {
    ESCAPED
        .replace_all(value, |c: &regex::Captures<'_>| c[0][1..].to_string())
        .into_owned()
}

/// When the expression is a plain field path (`a.b."c.d"[0]`) that leads nowhere, the first key
/// that is missing.
fn missing_key(expression: &str, data: &Json) -> Option<String> {
    let segments = plain_path(expression)?;
    let mut current = data;
    for segment in segments {
        match segment {
            Segment::Key(k) => match current.get(&k) {
                Some(v) => current = v,
                None => return Some(k),
            },
            Segment::Index(i) => match current.as_array().and_then(|a| a.get(i)) {
                Some(v) => current = v,
                None => return None,
            },
        }
    }
    None
}

enum Segment {
    Key(String),
    Index(usize),
}

/// Splits a plain field path into segments; `None` for any other expression.
fn plain_path(expression: &str) -> Option<Vec<Segment>> {
    let chars: Vec<char> = expression.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    let mut expect_key = true;
    while i < chars.len() {
        let c = chars[i];
        if expect_key {
            if c == '"' {
                let start = i + 1;
                let end = (start..chars.len()).find(|&j| chars[j] == '"')?;
                out.push(Segment::Key(chars[start..end].iter().collect()));
                i = end + 1;
            } else if c.is_ascii_alphabetic() || c == '_' {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push(Segment::Key(chars[start..i].iter().collect()));
            } else {
                return None;
            }
            expect_key = false;
        } else if c == '.' {
            expect_key = true;
            i += 1;
        } else if c == '[' {
            let end = (i..chars.len()).find(|&j| chars[j] == ']')?;
            let index: String = chars[i + 1..end].iter().collect();
            out.push(Segment::Index(index.parse().ok()?));
            i = end + 1;
        } else {
            return None;
        }
    }
    if expect_key { None } else { Some(out) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ctx() -> VariableContext {
        VariableContext::new(json!({
            "request": {"object": {"metadata": {"name": "team-a", "labels": {"app.kubernetes.io/name": "x"}}, "spec": {"replicas": 3}}}
        }))
    }

    #[test]
    fn whole_string_keeps_the_type() {
        let c = ctx();
        let r = c
            .substitute(
                &json!("{{request.object.spec.replicas}}"),
                "",
                Missing::Fail,
            )
            .unwrap();
        assert_eq!(r, json!(3));
        let r = c
            .substitute(&json!("{{ request.object.spec }}"), "", Missing::Fail)
            .unwrap();
        assert_eq!(r, json!({"replicas": 3}));
    }

    #[test]
    fn inside_a_string_becomes_text() {
        let c = ctx();
        let r = c
            .substitute(
                &json!("ns-{{request.object.metadata.name}}-{{request.object.spec.replicas}}"),
                "",
                Missing::Fail,
            )
            .unwrap();
        assert_eq!(r, json!("ns-team-a-3"));
        let r = c
            .substitute(&json!({"{{request.object.metadata.name}}": "{{request.object.metadata.labels.\"app.kubernetes.io/name\"}}"}), "", Missing::Fail)
            .unwrap();
        assert_eq!(r, json!({"team-a": "x"}));
    }

    #[test]
    fn escapes_and_missing_keys() {
        let c = ctx();
        let r = c
            .substitute(&json!("\\{{ not.a.var }}"), "", Missing::Fail)
            .unwrap();
        assert_eq!(r, json!("{{ not.a.var }}"));
        let e = c
            .substitute(
                &json!("{{request.object.metadata.namespace}}"),
                "/x",
                Missing::Fail,
            )
            .unwrap_err();
        assert!(e.contains("Unknown key \"namespace\""), "{e}");
        let r = c
            .substitute(
                &json!("{{request.object.metadata.namespace || 'default'}}"),
                "",
                Missing::Fail,
            )
            .unwrap();
        assert_eq!(r, json!("default"));
        let r = c
            .substitute(
                &json!("{{request.object.metadata.namespace}}"),
                "",
                Missing::Null,
            )
            .unwrap();
        assert_eq!(r, Json::Null);
    }
}
