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
    let Some(map) = root.as_map() else {
        return;
    };
    if let Some(v) = map.get("apiVersion") {
        format(
            v,
            "apiVersion",
            is_valid_api_version,
            expectation::PREFIX_SUFFIX,
            codes::INVALID_API_VERSION,
            out,
        );
    }
    if let Some(v) = map.get("kind") {
        format(
            v,
            "kind",
            is_valid_kind,
            expectation::KIND,
            codes::INVALID_KIND,
            out,
        );
    }
    let Some(metadata) = map.get("metadata").and_then(Node::as_map) else {
        return;
    };
    if let Some(v) = metadata.get("name") {
        format(
            v,
            "metadata.name",
            is_valid_entity_name,
            expectation::OBJECT_NAME,
            codes::INVALID_NAME,
            out,
        );
    }
    if let Some(v) = metadata.get("namespace") {
        format(
            v,
            "metadata.namespace",
            is_valid_namespace,
            expectation::DNS_LABEL,
            codes::INVALID_NAMESPACE,
            out,
        );
    }
    if let Some(labels) = metadata.get("labels").and_then(Node::as_map) {
        for (k, v) in labels.iter() {
            let path = format!("metadata.labels.{}", k.key_string());
            key_format(k, &path, is_valid_label_key, codes::INVALID_LABEL, out);
            format(
                v,
                &path,
                is_valid_label_value,
                expectation::OBJECT_NAME,
                codes::INVALID_LABEL,
                out,
            );
        }
    }
    if let Some(annotations) = metadata.get("annotations").and_then(Node::as_map) {
        for (k, _) in annotations.iter() {
            let path = format!("metadata.annotations.{}", k.key_string());
            key_format(
                k,
                &path,
                is_valid_annotation_key,
                codes::INVALID_ANNOTATION,
                out,
            );
        }
    }
    if let Some(tags) = metadata.get("tags").and_then(Node::as_seq) {
        for (i, tag) in tags.iter().enumerate() {
            format(
                tag,
                &format!("metadata.tags.{i}"),
                is_valid_tag,
                expectation::TAG,
                codes::INVALID_TAG,
                out,
            );
        }
    }
    if let Some(links) = metadata.get("links").and_then(Node::as_seq) {
        for (i, link) in links.iter().enumerate() {
            let Some(link) = link.as_map() else { continue };
            if let Some(url) = link.get("url") {
                format(
                    url,
                    &format!("metadata.links.{i}.url"),
                    is_valid_url,
                    expectation::URL,
                    codes::INVALID_LINK,
                    out,
                );
            }
            for field in ["title", "icon"] {
                if let Some(v) = link.get(field) {
                    format(
                        v,
                        &format!("metadata.links.{i}.{field}"),
                        is_non_empty_string,
                        expectation::NON_EMPTY,
                        codes::INVALID_LINK,
                        out,
                    );
                }
            }
        }
    }
}

/// Reports a string value that fails `valid` (values of other types are SchemaValid's).
fn format(
    v: &Node,
    path: &str,
    valid: fn(&str) -> bool,
    expected: &str,
    code: &'static str,
    out: &mut Problems,
) {
    if let Value::String(s) = &v.value {
        if !valid(s) {
            out.push(code, path, message(path, expected, s), v.pos);
        }
    }
}

/// Reports a mapping key that fails `valid`, at the key.
fn key_format(
    k: &Node,
    path: &str,
    valid: fn(&str) -> bool,
    code: &'static str,
    out: &mut Problems,
) {
    let key = k.key_string();
    if !valid(&key) {
        out.push(
            code,
            path,
            message(path, expectation::PREFIX_SUFFIX, &key),
            k.pos,
        );
    }
}

fn message(path: &str, expected: &str, found: &str) -> String {
    format!("\"{path}\" is not valid; expected {expected} but found \"{found}\".")
}
