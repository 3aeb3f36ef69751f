//! FieldFormatEntityPolicy: apiVersion, kind, name, namespace, label and annotation keys and
//! values, tags and links have the formats Backstage's validators accept. Values of the wrong
//! type are SchemaValid's to report; this policy checks the strings.

use crate::diagnostic::codes;
use crate::entity::predicates::{
    is_non_empty_string, is_valid_annotation_key, is_valid_api_version, is_valid_entity_name,
    is_valid_kind, is_valid_label_key, is_valid_label_value, is_valid_namespace, is_valid_tag,
    is_valid_url,
};
use crate::entity::validate::Problems;
use crate::yaml::{Node, Value};

/// What a value must be, in the words of Backstage's FieldFormatEntityPolicy.
pub mod expectation {
    /// Entity names and label values.
    pub const OBJECT_NAME: &str = "a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total";
    /// apiVersion, label keys, annotation keys.
    pub const PREFIX_SUFFIX: &str = "a valid prefix and/or suffix";
    /// Namespaces.
    pub const DNS_LABEL: &str =
        "a string that is sequences of [a-z0-9] separated by [-], at most 63 characters in total";
    /// Tags.
    pub const TAG: &str =
        "a string that is sequences of [a-z0-9+#] separated by [-], at most 63 characters in total";
    /// Kinds.
    pub const KIND: &str =
        "a string that is a sequence of [a-zA-Z][a-z0-9A-Z], at most 63 characters in total";
    /// Link URLs.
    pub const URL: &str = "a string that is a valid url";
    /// Link titles and icons.
    pub const NON_EMPTY: &str = "a non empty string";
}

/// Reports every value whose format is wrong.
pub fn check(root: &Node, out: &mut Problems) {
    use codes::*;
    use expectation::*;
    let Some(map) = root.as_map() else {
        return;
    };
    let fixed = |p: &'static str| move || p.to_string();
    if let Some(v) = map.get("apiVersion") {
        let path = fixed("apiVersion");
        format(
            v,
            path,
            is_valid_api_version,
            PREFIX_SUFFIX,
            INVALID_API_VERSION,
            out,
        );
    }
    if let Some(v) = map.get("kind") {
        format(v, fixed("kind"), is_valid_kind, KIND, INVALID_KIND, out);
    }
    let Some(metadata) = map.get("metadata").and_then(Node::as_map) else {
        return;
    };
    if let Some(v) = metadata.get("name") {
        let path = fixed("metadata.name");
        format(
            v,
            path,
            is_valid_entity_name,
            OBJECT_NAME,
            INVALID_NAME,
            out,
        );
    }
    if let Some(v) = metadata.get("namespace") {
        let path = fixed("metadata.namespace");
        format(
            v,
            path,
            is_valid_namespace,
            DNS_LABEL,
            INVALID_NAMESPACE,
            out,
        );
    }
    if let Some(labels) = metadata.get("labels").and_then(Node::as_map) {
        for (k, v) in labels.iter() {
            let path = || format!("metadata.labels.{}", k.key_string());
            key_format(k, path, is_valid_label_key, INVALID_LABEL, out);
            format(
                v,
                path,
                is_valid_label_value,
                OBJECT_NAME,
                INVALID_LABEL,
                out,
            );
        }
    }
    if let Some(annotations) = metadata.get("annotations").and_then(Node::as_map) {
        for (k, _) in annotations.iter() {
            let path = || format!("metadata.annotations.{}", k.key_string());
            key_format(k, path, is_valid_annotation_key, INVALID_ANNOTATION, out);
        }
    }
    if let Some(tags) = metadata.get("tags").and_then(Node::as_seq) {
        for (i, tag) in tags.iter().enumerate() {
            let path = || format!("metadata.tags.{i}");
            format(tag, path, is_valid_tag, TAG, INVALID_TAG, out);
        }
    }
    if let Some(links) = metadata.get("links").and_then(Node::as_seq) {
        for (i, link) in links.iter().enumerate() {
            let Some(link) = link.as_map() else { continue };
            if let Some(url) = link.get("url") {
                let path = || format!("metadata.links.{i}.url");
                format(url, path, is_valid_url, URL, INVALID_LINK, out);
            }
            for field in ["title", "icon"] {
                if let Some(v) = link.get(field) {
                    let path = || format!("metadata.links.{i}.{field}");
                    format(v, path, is_non_empty_string, NON_EMPTY, INVALID_LINK, out);
                }
            }
        }
    }
}

/// Reports a string value that fails `valid` (values of other types are SchemaValid's). The
/// path is only built for a problem.
fn format(
    v: &Node,
    path: impl Fn() -> String,
    valid: fn(&str) -> bool,
    expected: &str,
    code: &'static str,
    out: &mut Problems,
) {
    if let Value::String(s) = &v.value {
        if !valid(s) {
            let path = path();
            let text = message(&path, expected, s);
            out.push(code, path, text, v.pos);
        }
    }
}

/// Reports a mapping key that fails `valid`, at the key.
fn key_format(
    k: &Node,
    path: impl Fn() -> String,
    valid: fn(&str) -> bool,
    code: &'static str,
    out: &mut Problems,
) {
    let ok = match k.as_str() {
        Some(key) => valid(key),
        None => valid(&k.key_string()),
    };
    if !ok {
        let path = path();
        let text = message(&path, expectation::PREFIX_SUFFIX, &k.key_string());
        out.push(code, path, text, k.pos);
    }
}

fn message(path: &str, expected: &str, found: &str) -> String {
    format!("\"{path}\" is not valid; expected {expected} but found \"{found}\".")
}
