//! SchemaValidEntityPolicy: the entity envelope and `metadata` have the types of Backstage's
//! `Entity` and `EntityMeta` JSON schemas. Formats (what a name may contain) are FieldFormat's.

use crate::diagnostic::{Position, codes};
use crate::entity::validate::Problems;
use crate::yaml::{Mapping, Node, Value};

/// Reports missing required fields and values of the wrong type.
pub fn check(root: &Node, out: &mut Problems) {
    let Some(map) = root.as_map() else {
        out.push(
            codes::INVALID_TYPE,
            "",
            format!(
                "Expected object at root, got {} (an entity is a YAML mapping)",
                root.type_name()
            ),
            root.pos,
        );
        return;
    };
    for field in ["apiVersion", "kind", "metadata"] {
        if map.get(field).is_none() {
            out.push(
                codes::MISSING_FIELD,
                "",
                format!("<root> must have required property '{field}'"),
                root.pos,
            );
        }
    }
    for field in ["apiVersion", "kind"] {
        if let Some(v) = map.get(field) {
            expect_string(v, field, out);
        }
    }
    if let Some(spec) = map.get("spec") {
        if spec.as_map().is_none() {
            type_error(spec, "spec", "object", out);
        }
    }
    if let Some((key, metadata)) = map.entry("metadata") {
        match metadata.as_map() {
            Some(m) => check_metadata(m, key.pos, out),
            None => type_error(metadata, "metadata", "object", out),
        }
    }
}

fn check_metadata(m: &Mapping, key_pos: Position, out: &mut Problems) {
    if m.get("name").is_none() {
        out.push(
            codes::MISSING_FIELD,
            "metadata",
            "\"metadata\" must have required property 'name'",
            key_pos,
        );
    }
    for (k, v) in m.iter() {
        let Some(field) = k.as_str() else { continue };
        let path = |f: &str| format!("metadata.{f}");
        match field {
            "name" | "namespace" | "description" => expect_string(v, &path(field), out),
            "uid" | "etag" | "title" => expect_non_empty(v, &path(field), out),
            "labels" | "annotations" => match v.as_map() {
                Some(pairs) => {
                    for (pk, pv) in pairs.iter() {
                        if pv.as_str().is_none() {
                            let path = format!("metadata.{field}.{}", pk.key_string());
                            type_error(pv, &path, "string", out);
                        }
                    }
                }
                None => type_error(v, &path(field), "object", out),
            },
            "tags" => match v.as_seq() {
                Some(tags) => {
                    for (i, tag) in tags.iter().enumerate() {
                        if tag.as_str().is_none() {
                            type_error(tag, &format!("metadata.tags.{i}"), "string", out);
                        }
                    }
                }
                None => type_error(v, &path(field), "array", out),
            },
            "links" => match v.as_seq() {
                Some(links) => {
                    for (i, link) in links.iter().enumerate() {
                        check_link(link, i, out);
                    }
                }
                None => type_error(v, &path(field), "array", out),
            },
            _ => {}
        }
    }
}

fn check_link(link: &Node, i: usize, out: &mut Problems) {
    let Some(m) = link.as_map() else {
        type_error(link, &format!("metadata.links.{i}"), "object", out);
        return;
    };
    if m.get("url").is_none() {
        out.push(
            codes::MISSING_FIELD,
            format!("metadata.links.{i}"),
            format!("\"metadata.links.{i}\" must have required property 'url'"),
            link.pos,
        );
    }
    for (k, v) in m.iter() {
        let ok = match (k.as_str(), v.as_str()) {
            (Some("url" | "title" | "icon"), s) => s.is_some(),
            (Some("type"), s) => s.is_some_and(|s| !s.is_empty()),
            _ => true,
        };
        if !ok {
            let f = k.as_str().unwrap_or_default();
            let path = format!("metadata.links.{i}.{f}");
            if f == "type" {
                expect_non_empty(v, &path, out);
            } else {
                type_error(v, &path, "string", out);
            }
        }
    }
}

fn expect_string(v: &Node, path: &str, out: &mut Problems) {
    if !matches!(v.value, Value::String(_)) {
        type_error(v, path, "string", out);
    }
}

fn expect_non_empty(v: &Node, path: &str, out: &mut Problems) {
    match v.as_str() {
        Some("") => out.push(
            codes::INVALID_VALUE,
            path,
            format!("\"{path}\" must NOT have fewer than 1 characters (a non-empty string)"),
            v.pos,
        ),
        Some(_) => {}
        None => type_error(v, path, "string", out),
    }
}

fn type_error(v: &Node, path: &str, expected: &str, out: &mut Problems) {
    let found = match v.value {
        Value::Int(_) => "integer",
        _ => v.type_name(),
    };
    out.push(
        codes::INVALID_TYPE,
        path,
        format!("\"{path}\" must be {expected}, found {found}"),
        v.pos,
    );
}
