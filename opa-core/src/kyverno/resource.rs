//! Reading the parts of a Kubernetes resource (a `serde_json::Value`) that policies look at.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value as Json;

/// Which resource: its API version, kind, namespace and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRef {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.namespace` (empty for cluster-scoped resources).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
}

impl ResourceRef {
    /// The reference of a resource.
    pub fn of(resource: &Json) -> Self {
        Self {
            api_version: str_at(resource, "/apiVersion").to_string(),
            kind: str_at(resource, "/kind").to_string(),
            namespace: str_at(resource, "/metadata/namespace").to_string(),
            name: str_at(resource, "/metadata/name").to_string(),
        }
    }
}

impl std::fmt::Display for ResourceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{}/{}", self.kind, self.name)
        } else {
            write!(f, "{}/{}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// The string at a JSON pointer, or `""`.
pub fn str_at<'a>(value: &'a Json, pointer: &str) -> &'a str {
    value.pointer(pointer).and_then(Json::as_str).unwrap_or("")
}

/// A string map at a JSON pointer (labels, annotations); non-string values are skipped.
pub fn string_map(value: &Json, pointer: &str) -> BTreeMap<String, String> {
    value
        .pointer(pointer)
        .and_then(Json::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// Group and version of an `apiVersion` (`apps/v1` → `("apps", "v1")`, `v1` → `("", "v1")`).
pub fn group_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    }
}

/// The name a filter compares: `metadata.name`, else `metadata.generateName`.
pub fn name_for_match(resource: &Json) -> &str {
    let name = str_at(resource, "/metadata/name");
    if name.is_empty() {
        str_at(resource, "/metadata/generateName")
    } else {
        name
    }
}
