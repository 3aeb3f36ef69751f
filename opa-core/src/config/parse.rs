//! The one reading of `opa.yaml`: YAML with positions, `${VAR}` expanded, each known section
//! deserialized into its typed form. Every problem is a diagnostic at the line and column of the
//! value (or key) it is about, so `opa config check` and every command that loads the file say
//! the same thing at the same place.

use serde::de::DeserializeOwned;

use super::Config;
use super::expand::expand_env;
use crate::diagnostic::{Diagnostic, codes};
use crate::yaml::{Limits, Node, Value, parse_single};

/// The top-level sections of `opa.yaml`.
pub const SECTIONS: &[&str] = &[
    "integrations",
    "urlRewrites",
    "cloud",
    "audit",
    "platform",
    "spacelift",
];

/// What reading a configuration text gives: the configuration (defaults for the sections that
/// are absent or invalid), every problem found, and the `${VAR}`s that were not set.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// The configuration.
    pub config: Config,
    /// Problems, in file order; empty when the text is valid.
    pub problems: Vec<Diagnostic>,
    /// Environment variables named with `${VAR}` that were not set (they read as empty).
    pub unset_variables: Vec<String>,
}

/// Reads configuration text, expanding `${VAR}` with `env`.
pub fn parse(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Parsed {
    let mut parsed = Parsed::default();
    let root = match parse_single(text, &Limits::default()) {
        Ok(Some(root)) => root,
        Ok(None) => return parsed,
        Err(d) => {
            parsed.problems.push(d);
            return parsed;
        }
    };
    let Some(map) = root.as_map() else {
        parsed.problems.push(Diagnostic::new(
            codes::INVALID_VALUE,
            "",
            format!(
                "the configuration must be a mapping of sections, found {}",
                root.type_name()
            ),
            root.pos,
        ));
        return parsed;
    };
    let mut missing = Vec::new();
    let config = &mut parsed.config;
    let problems = &mut parsed.problems;
    for (key, value) in map.iter() {
        let name = key.key_string();
        if value.is_null() {
            continue;
        }
        let json = expand_node(value, env, &mut missing);
        let result = match name.as_str() {
            "integrations" => section(&name, value, json).map(|v| config.integrations = v),
            "urlRewrites" => section(&name, value, json).map(|v| config.url_rewrites = v),
            "cloud" => section(&name, value, json).map(|v| config.cloud = v),
            "audit" => section(&name, value, json).map(|v| {
                config.audit = v;
                for (field, message) in config.audit.problems() {
                    problems.push(Diagnostic::new(
                        codes::INVALID_VALUE,
                        format!("audit.{field}"),
                        message,
                        value.locate(&[field]),
                    ));
                }
            }),
            "platform" => section(&name, value, json).map(|v| config.platform = v),
            "spacelift" => section(&name, value, json).map(|v: super::SpaceliftSettings| {
                if let Err(message) = v.check() {
                    // The message starts with the field it is about (`spacelift.account: …`).
                    let field = message
                        .strip_prefix("spacelift.")
                        .and_then(|m| m.split(':').next())
                        .unwrap_or_default()
                        .to_string();
                    problems.push(Diagnostic::new(
                        codes::INVALID_VALUE,
                        format!("spacelift.{field}"),
                        message,
                        value_position(value, &[field]),
                    ));
                }
                config.spacelift = Some(v);
            }),
            _ => Err(Diagnostic::new(
                codes::UNKNOWN_FIELD,
                name.clone(),
                format!(
                    "unknown section \"{name}\"; the sections are {}",
                    SECTIONS.join(", ")
                ),
                key.pos,
            )),
        };
        if let Err(d) = result {
            problems.push(d);
        }
    }
    problems.sort_by_key(|d| (d.line, d.column));
    missing.sort();
    missing.dedup();
    parsed.unset_variables = missing;
    parsed
}

/// One section in its typed form; a problem is reported at the value it is about.
fn section<T: DeserializeOwned>(
    name: &str,
    node: &Node,
    json: serde_json::Value,
) -> Result<T, Diagnostic> {
    serde_path_to_error::deserialize(json).map_err(|e| {
        let mut path: Vec<String> = e
            .path()
            .iter()
            .filter_map(|s| match s {
                serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
                serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                _ => None,
            })
            .collect();
        let message = e.into_inner().to_string();
        // serde names an unknown field in its message, not in the path: report it at its key.
        let at = match unknown_field(&message) {
            Some(field) => {
                if path.last() != Some(&field) {
                    path.push(field);
                }
                node.locate(path.as_slice())
            }
            None => value_position(node, &path),
        };
        let dotted = std::iter::once(name.to_string())
            .chain(path.iter().cloned())
            .collect::<Vec<_>>()
            .join(".");
        Diagnostic::new(
            codes::INVALID_VALUE,
            dotted.clone(),
            format!("{dotted}: {message}"),
            at,
        )
    })
}

fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest[..rest.find('`')?].to_string())
}

/// The position of the value a path leads to; when it leads nowhere, that of the deepest node
/// it reaches.
fn value_position(node: &Node, path: &[String]) -> crate::diagnostic::Position {
    let mut at = node;
    for segment in path {
        let child = match (at.as_map(), at.as_seq()) {
            (Some(m), _) => m.get(segment),
            (_, Some(items)) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match child {
            Some(child) => at = child,
            None => return node.locate(path),
        }
    }
    at.pos
}

/// The JSON form of a node with `${VAR}` expanded in every string.
fn expand_node(
    node: &Node,
    env: &dyn Fn(&str) -> Option<String>,
    missing: &mut Vec<String>,
) -> serde_json::Value {
    match &node.value {
        Value::String(s) => serde_json::Value::String(expand_env(s, env, missing)),
        Value::Seq(items) => items.iter().map(|n| expand_node(n, env, missing)).collect(),
        Value::Map(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, v)| (k.key_string(), expand_node(v, env, missing)))
                .collect(),
        ),
        _ => node.to_json(),
    }
}
