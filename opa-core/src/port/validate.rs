//! Validating blueprints, and entities against their blueprint, as Port's API would: every
//! problem is reported (not only the first), each with a stable code and the field's path.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value as Json;

use super::blueprint::{Blueprint, BlueprintSet, ItemSpec, PropertySpec};
use super::entity::PortEntity;
use super::format::{FORMATS, format_problem};
use crate::diagnostic::{Diagnostic, Position, codes as common};

/// Diagnostic codes of Port validation.
pub mod codes {
    pub use crate::diagnostic::codes::{
        DANGLING_REF, INVALID_TYPE, INVALID_VALUE, MISSING_FIELD, UNKNOWN_FIELD,
    };
    /// An entity names a blueprint that is not among the given ones.
    pub const UNKNOWN_BLUEPRINT: &str = "unknown-blueprint";
    /// An identifier has characters Port does not accept.
    pub const INVALID_IDENTIFIER: &str = "invalid-identifier";
    /// Two blueprints have the same identifier.
    pub const DUPLICATE_BLUEPRINT: &str = "duplicate-blueprint";
}

const TYPES: &[&str] = &["string", "number", "boolean", "object", "array"];

static BLUEPRINT_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9@_=\-]+$").expect("valid regex"));
static ENTITY_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9@_.+:\\/=\-]+$").expect("valid regex"));

fn problem(code: &'static str, path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(code, path, message, Position::new(1, 1))
}

/// Problems of a set of blueprints: identifiers, titles, property types, formats and enums,
/// `required` naming existing properties, relation targets among the set (or Port's built-in
/// `_user`/`_team`), duplicates. Each diagnostic's path starts at its blueprint; the blueprint is
/// given beside it.
pub fn validate_blueprints(blueprints: &[Blueprint]) -> Vec<(usize, Diagnostic)> {
    let set = BlueprintSet::new(blueprints.iter().cloned());
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, bp) in blueprints.iter().enumerate() {
        let mut add = |d: Diagnostic| out.push((i, d));
        if !seen.insert(bp.identifier.as_str()) {
            add(problem(
                codes::DUPLICATE_BLUEPRINT,
                "identifier",
                format!("a blueprint {:?} is defined twice", bp.identifier),
            ));
        }
        if !BLUEPRINT_ID.is_match(&bp.identifier) {
            add(problem(
                codes::INVALID_IDENTIFIER,
                "identifier",
                format!(
                    "a blueprint identifier is letters, digits and @_=- only; found {:?}",
                    bp.identifier
                ),
            ));
        }
        if bp.title.trim().is_empty() {
            add(problem(
                common::MISSING_FIELD,
                "title",
                "a blueprint needs a title",
            ));
        }
        for (name, spec) in &bp.schema.properties {
            let path = format!("schema.properties.{name}");
            for d in property_spec_problems(
                &path,
                &spec.kind,
                spec.format.as_deref(),
                spec.allowed.as_deref(),
            ) {
                add(d);
            }
            if let Some(items) = &spec.items {
                for d in property_spec_problems(
                    &format!("{path}.items"),
                    &items.kind,
                    items.format.as_deref(),
                    items.allowed.as_deref(),
                ) {
                    add(d);
                }
            }
            if let Some(p) = &spec.pattern {
                if let Err(e) = Regex::new(p) {
                    add(problem(
                        common::INVALID_VALUE,
                        format!("{path}.pattern"),
                        format!("the pattern is not a valid regular expression: {e}"),
                    ));
                }
            }
        }
        for (k, name) in bp.schema.required.iter().enumerate() {
            if !bp.schema.properties.contains_key(name) {
                add(problem(
                    common::INVALID_VALUE,
                    format!("schema.required.{k}"),
                    format!("required names {name:?}, which is not a property of the blueprint"),
                ));
            }
        }
        for (name, rel) in &bp.relations {
            if !set.is_target(&rel.target) {
                add(problem(
                    common::DANGLING_REF,
                    format!("relations.{name}.target"),
                    format!(
                        "the relation targets blueprint {:?}, which is not among the blueprints",
                        rel.target
                    ),
                ));
            }
        }
    }
    out
}

fn property_spec_problems(
    path: &str,
    kind: &str,
    format: Option<&str>,
    allowed: Option<&[Json]>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !TYPES.contains(&kind) {
        out.push(problem(
            common::INVALID_VALUE,
            format!("{path}.type"),
            format!("type must be one of {TYPES:?}; found {kind:?}"),
        ));
        return out;
    }
    if let Some(f) = format {
        if kind != "string" {
            out.push(problem(
                common::INVALID_VALUE,
                format!("{path}.format"),
                format!("only string properties have a format; this one is {kind}"),
            ));
        } else if !FORMATS.contains(&f) {
            out.push(problem(
                common::INVALID_VALUE,
                format!("{path}.format"),
                format!("format must be one of {FORMATS:?}; found {f:?}"),
            ));
        }
    }
    if let Some(values) = allowed {
        for (i, v) in values.iter().enumerate() {
            if !has_type(v, kind) {
                out.push(problem(
                    common::INVALID_TYPE,
                    format!("{path}.enum.{i}"),
                    format!("enum values of a {kind} property must be {kind}s; found {v}"),
                ));
            }
        }
    }
    out
}

fn has_type(v: &Json, kind: &str) -> bool {
    match kind {
        "string" => v.is_string(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        _ => false,
    }
}

fn type_name(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

/// Problems of an entity against its blueprint (found in `set`): identifier, unknown and
/// required properties, property types, formats, enums and bounds, unknown and required
/// relations, and the shape of relation values (`many`: a list of identifiers).
pub fn validate_entity(entity: &PortEntity, set: &BlueprintSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(id) = &entity.identifier {
        if !ENTITY_ID.is_match(id) {
            out.push(problem(
                codes::INVALID_IDENTIFIER,
                "identifier",
                format!(
                    "an entity identifier is letters, digits and @_.+:\\/=- only; found {id:?}"
                ),
            ));
        }
    }
    match &entity.team {
        None | Some(Json::Null) | Some(Json::String(_)) => {}
        Some(Json::Array(items)) if items.iter().all(Json::is_string) => {}
        Some(other) => out.push(problem(
            common::INVALID_TYPE,
            "team",
            format!(
                "team must be a team name or a list of them; found {}",
                type_name(other)
            ),
        )),
    }
    if entity.blueprint.is_empty() {
        out.push(problem(
            common::MISSING_FIELD,
            "blueprint",
            "an entity needs a blueprint",
        ));
        return out;
    }
    let Some(bp) = set.get(&entity.blueprint) else {
        out.push(problem(
            codes::UNKNOWN_BLUEPRINT,
            "blueprint",
            format!(
                "blueprint {:?} is not among the given blueprints",
                entity.blueprint
            ),
        ));
        return out;
    };
    for (name, value) in &entity.properties {
        let path = format!("properties.{name}");
        match bp.schema.properties.get(name) {
            None => out.push(problem(
                common::UNKNOWN_FIELD,
                path,
                format!("blueprint {:?} has no property {name:?}", bp.identifier),
            )),
            Some(spec) if !value.is_null() => out.extend(value_problems(&path, spec, value)),
            Some(_) => {}
        }
    }
    for name in &bp.schema.required {
        if entity.properties.get(name).is_none_or(Json::is_null) {
            out.push(problem(
                common::MISSING_FIELD,
                format!("properties.{name}"),
                format!(
                    "property {name:?} is required by blueprint {:?}",
                    bp.identifier
                ),
            ));
        }
    }
    for (name, value) in &entity.relations {
        let path = format!("relations.{name}");
        let Some(rel) = bp.relations.get(name) else {
            out.push(problem(
                common::UNKNOWN_FIELD,
                path,
                format!("blueprint {:?} has no relation {name:?}", bp.identifier),
            ));
            continue;
        };
        let shape_ok = match value {
            Json::Null | Json::Object(_) => true, // unset, or a search query
            Json::String(_) => !rel.many,
            Json::Array(items) => rel.many && items.iter().all(Json::is_string),
            _ => false,
        };
        if !shape_ok {
            let want = if rel.many {
                "a list of entity identifiers"
            } else {
                "one entity identifier"
            };
            out.push(problem(
                common::INVALID_TYPE,
                path,
                format!(
                    "relation {name:?} (to {:?}) takes {want}; found {value}",
                    rel.target
                ),
            ));
        }
    }
    for (name, rel) in &bp.relations {
        let empty = match entity.relations.get(name) {
            None | Some(Json::Null) => true,
            Some(Json::Array(items)) => items.is_empty(),
            Some(Json::String(s)) => s.is_empty(),
            _ => false,
        };
        if rel.required && empty {
            out.push(problem(
                common::MISSING_FIELD,
                format!("relations.{name}"),
                format!(
                    "relation {name:?} is required by blueprint {:?}",
                    bp.identifier
                ),
            ));
        }
    }
    out
}

fn value_problems(path: &str, spec: &PropertySpec, value: &Json) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !has_type(value, &spec.kind) {
        out.push(problem(
            common::INVALID_TYPE,
            path,
            format!("{path} must be a {}; found {}", spec.kind, type_name(value)),
        ));
        return out;
    }
    out.extend(scalar_problems(
        path,
        spec.format.as_deref(),
        spec.allowed.as_deref(),
        value,
    ));
    match value {
        Json::String(s) => {
            let len = s.chars().count() as u64;
            if spec.min_length.is_some_and(|m| len < m) || spec.max_length.is_some_and(|m| len > m)
            {
                out.push(problem(
                    common::INVALID_VALUE,
                    path,
                    format!(
                        "{path} must be between {} and {} characters long; it is {len}",
                        spec.min_length.unwrap_or(0),
                        spec.max_length.map_or("any".to_string(), |m| m.to_string())
                    ),
                ));
            }
            if let Some(p) = &spec.pattern {
                if Regex::new(p).is_ok_and(|re| !re.is_match(s)) {
                    out.push(problem(
                        common::INVALID_VALUE,
                        path,
                        format!("{path} must match the pattern {p:?}; found {s:?}"),
                    ));
                }
            }
        }
        Json::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            if spec.minimum.is_some_and(|m| f < m) || spec.maximum.is_some_and(|m| f > m) {
                out.push(problem(
                    common::INVALID_VALUE,
                    path,
                    format!(
                        "{path} must be between {} and {}; found {n}",
                        spec.minimum.map_or("-∞".to_string(), |m| m.to_string()),
                        spec.maximum.map_or("∞".to_string(), |m| m.to_string())
                    ),
                ));
            }
        }
        Json::Array(items) => {
            if let Some(ItemSpec {
                kind,
                format,
                allowed,
            }) = spec.items.as_deref()
            {
                for (i, item) in items.iter().enumerate() {
                    let p = format!("{path}.{i}");
                    if !has_type(item, kind) {
                        out.push(problem(
                            common::INVALID_TYPE,
                            &p,
                            format!("{p} must be a {kind}; found {}", type_name(item)),
                        ));
                    } else {
                        out.extend(scalar_problems(
                            &p,
                            format.as_deref(),
                            allowed.as_deref(),
                            item,
                        ));
                    }
                }
            }
        }
        _ => {}
    }
    out
}

fn scalar_problems(
    path: &str,
    format: Option<&str>,
    allowed: Option<&[Json]>,
    value: &Json,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(values) = allowed {
        if !values.contains(value) {
            let list: Vec<String> = values.iter().map(Json::to_string).collect();
            out.push(problem(
                common::INVALID_VALUE,
                path,
                format!("{path} must be one of {}; found {value}", list.join(", ")),
            ));
        }
    }
    if let (Some(f), Json::String(s)) = (format, value) {
        if let Some(want) = format_problem(f, s) {
            out.push(problem(
                common::INVALID_VALUE,
                path,
                format!("{path} has format {f:?} and must be {want}; found {s:?}"),
            ));
        }
    }
    out
}
