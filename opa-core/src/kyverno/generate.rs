//! The `generate` part of a rule: what resource to create (`data` written in the rule, a `clone`
//! of one existing resource, or a `cloneList` of several), and producing it for a trigger.
//!
//! The generated resource is what Kyverno would create: the source with `apiVersion`, `kind`,
//! `metadata.name` and `metadata.namespace` of the target, server-set fields of a clone removed,
//! and Kyverno's labels (`app.kubernetes.io/managed-by: kyverno`, `generate.kyverno.io/*`).

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use super::filter::LabelSelector;
use super::resource::{group_version, str_at, string_map};
use super::selector::selector_matches;

/// A `generate` block as written in the rule. Variables are substituted when it is applied, so
/// the block itself is kept and re-read after substitution.
#[derive(Debug, Clone, PartialEq)]
pub struct Generation {
    /// The block as written.
    pub raw: Json,
    /// `synchronize`: keep the generated resource in sync with the policy or the source.
    pub synchronize: bool,
    /// `generateExisting`: also generate for resources that existed before the policy.
    pub generate_existing: Option<bool>,
    /// `orphanDownstreamOnPolicyDelete`: keep generated resources when the policy is deleted.
    pub orphan_downstream_on_policy_delete: bool,
}

/// What one generate pattern creates, after variable substitution.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// `apiVersion` of the generated resource.
    pub api_version: String,
    /// `kind` of the generated resource.
    pub kind: String,
    /// `metadata.name` of the generated resource.
    pub name: String,
    /// `metadata.namespace` of the generated resource (empty: cluster-scoped).
    pub namespace: String,
    /// Where its content comes from.
    pub source: Source,
}

/// Where a generated resource's content comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// `data`: the resource written in the rule.
    Data(Json),
    /// `clone`: a copy of the resource with this namespace and name.
    Clone {
        /// The source's namespace.
        namespace: String,
        /// The source's name.
        name: String,
    },
    /// `cloneList`: copies of every resource of these kinds in a namespace that match a selector.
    CloneList {
        /// The sources' namespace.
        namespace: String,
        /// Kinds as `apiVersion/Kind` (`v1/Secret`).
        kinds: Vec<String>,
        /// Which of them.
        selector: Option<LabelSelector>,
    },
}

impl Generation {
    /// Reads a `generate` block; the error says what is wrong with it.
    pub fn parse(raw: &Json) -> Result<Self, String> {
        if !raw.is_object() {
            return Err("generate must be a mapping".to_string());
        }
        let flag = |name: &str| -> Result<Option<bool>, String> {
            match raw.get(name) {
                None | Some(Json::Null) => Ok(None),
                Some(Json::Bool(b)) => Ok(Some(*b)),
                Some(other) => Err(format!(
                    "generate.{name} must be true or false, found {other}"
                )),
            }
        };
        let g = Generation {
            raw: raw.clone(),
            synchronize: flag("synchronize")?.unwrap_or(false),
            generate_existing: flag("generateExisting")?,
            orphan_downstream_on_policy_delete: flag("orphanDownstreamOnPolicyDelete")?
                .unwrap_or(false),
        };
        match raw.get("foreach") {
            Some(Json::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    check_pattern(item).map_err(|e| format!("generate.foreach.{i}: {e}"))?;
                    if item.get("list").and_then(Json::as_str).is_none() {
                        return Err(format!("generate.foreach.{i}.list is required"));
                    }
                }
            }
            Some(_) => return Err("generate.foreach must be a list".to_string()),
            None => check_pattern(raw).map_err(|e| format!("generate: {e}"))?,
        }
        Ok(g)
    }
}

/// Checks the shape of a pattern (before substitution).
fn check_pattern(p: &Json) -> Result<(), String> {
    let has = |k: &str| p.get(k).is_some_and(|v| !v.is_null());
    let sources = ["data", "clone", "cloneList"]
        .iter()
        .filter(|k| has(k))
        .count();
    if sources != 1 {
        return Err("exactly one of data, clone and cloneList is required".to_string());
    }
    if !has("cloneList") {
        for field in ["kind", "name"] {
            if p.get(field)
                .and_then(Json::as_str)
                .is_none_or(str::is_empty)
            {
                return Err(format!("{field} is required"));
            }
        }
    }
    Ok(())
}

impl Target {
    /// Reads a substituted pattern.
    pub fn from_pattern(p: &Json) -> Result<Self, String> {
        let text = |k: &str| -> Result<String, String> {
            match p.get(k) {
                None | Some(Json::Null) => Ok(String::new()),
                Some(Json::String(s)) => Ok(s.clone()),
                Some(other) => Err(format!("{k} must be a string, found {other}")),
            }
        };
        let source = if let Some(data) = p.get("data").filter(|d| !d.is_null()) {
            Source::Data(data.clone())
        } else if let Some(clone) = p.get("clone").filter(|c| !c.is_null()) {
            Source::Clone {
                namespace: str_at(clone, "/namespace").to_string(),
                name: str_at(clone, "/name").to_string(),
            }
        } else if let Some(list) = p.get("cloneList").filter(|c| !c.is_null()) {
            let selector = match list.get("selector") {
                None | Some(Json::Null) => None,
                Some(s) => Some(
                    serde_json::from_value(s.clone())
                        .map_err(|e| format!("cloneList.selector: {e}"))?,
                ),
            };
            Source::CloneList {
                namespace: str_at(list, "/namespace").to_string(),
                kinds: list
                    .get("kinds")
                    .and_then(Json::as_array)
                    .map(|k| {
                        k.iter()
                            .filter_map(|k| k.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default(),
                selector,
            }
        } else {
            return Err("exactly one of data, clone and cloneList is required".to_string());
        };
        Ok(Target {
            api_version: text("apiVersion")?,
            kind: text("kind")?,
            name: text("name")?,
            namespace: text("namespace")?,
            source,
        })
    }
}

/// The rule that generates and the resource that triggered it, for Kyverno's labels.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// The policy's name.
    pub policy: &'a str,
    /// The policy's namespace (`""` for a ClusterPolicy).
    pub policy_namespace: &'a str,
    /// The rule's name.
    pub rule: &'a str,
    /// The trigger.
    pub trigger: &'a Json,
}

/// Produces the resources of one substituted target. `cluster` holds the resources that exist
/// (clone sources). A clone of a resource onto itself produces nothing, as in Kyverno.
pub fn produce(target: &Target, origin: Origin<'_>, cluster: &[Json]) -> Result<Vec<Json>, String> {
    match &target.source {
        Source::Data(data) => {
            let Json::Object(content) = data else {
                return Err("generate.data must be a mapping".to_string());
            };
            let kind = match content.get("kind").and_then(Json::as_str) {
                Some(k) if !k.is_empty() => k.to_string(),
                _ => target.kind.clone(),
            };
            Ok(vec![finish(
                content.clone(),
                &target.api_version,
                &kind,
                &target.name,
                &target.namespace,
                &BTreeMap::new(),
                origin,
            )])
        }
        Source::Clone { namespace, name } => {
            if *namespace == target.namespace && *name == target.name {
                return Ok(Vec::new());
            }
            let source = cluster
                .iter()
                .find(|r| {
                    str_at(r, "/kind") == target.kind
                        && (target.api_version.is_empty()
                            || str_at(r, "/apiVersion") == target.api_version)
                        && str_at(r, "/metadata/namespace") == namespace
                        && str_at(r, "/metadata/name") == name
                })
                .ok_or_else(|| {
                    format!(
                        "clone source {} {}/{} is not among the given resources",
                        target.kind, namespace, name
                    )
                })?;
            let api_version = if target.api_version.is_empty() {
                str_at(source, "/apiVersion").to_string()
            } else {
                target.api_version.clone()
            };
            Ok(vec![clone_of(
                source,
                &api_version,
                &target.kind,
                &target.name,
                &target.namespace,
                origin,
            )])
        }
        Source::CloneList {
            namespace,
            kinds,
            selector,
        } => {
            let mut out = Vec::new();
            for kind in kinds {
                let (api_version, kind) = match kind.rsplit_once('/') {
                    Some((v, k)) => (v, k),
                    None => ("", kind.as_str()),
                };
                for source in cluster.iter().filter(|r| {
                    str_at(r, "/kind") == kind
                        && (api_version.is_empty() || str_at(r, "/apiVersion") == api_version)
                        && str_at(r, "/metadata/namespace") == namespace
                }) {
                    if let Some(sel) = selector {
                        let labels = string_map(source, "/metadata/labels");
                        if !selector_matches(sel, &labels)? {
                            continue;
                        }
                    }
                    if namespace == &target.namespace {
                        continue;
                    }
                    out.push(clone_of(
                        source,
                        str_at(source, "/apiVersion"),
                        kind,
                        str_at(source, "/metadata/name"),
                        &target.namespace,
                        origin,
                    ));
                }
            }
            Ok(out)
        }
    }
}

/// A clone of `source` as the target: server-set fields removed, owner references dropped when
/// it moves to another namespace, the source recorded in labels.
fn clone_of(
    source: &Json,
    api_version: &str,
    kind: &str,
    name: &str,
    namespace: &str,
    origin: Origin<'_>,
) -> Json {
    let mut content = source.as_object().cloned().unwrap_or_default();
    let source_ns = str_at(source, "/metadata/namespace").to_string();
    if let Some(Json::Object(meta)) = content.get_mut("metadata") {
        for field in [
            "uid",
            "selfLink",
            "creationTimestamp",
            "managedFields",
            "resourceVersion",
            "generation",
        ] {
            meta.remove(field);
        }
        if source_ns != namespace {
            meta.remove("ownerReferences");
        }
    }
    let (group, version) = group_version(str_at(source, "/apiVersion"));
    let mut labels = BTreeMap::new();
    labels.insert(
        "generate.kyverno.io/clone-source".to_string(),
        String::new(),
    );
    labels.insert(
        "generate.kyverno.io/source-group".to_string(),
        group.to_string(),
    );
    labels.insert(
        "generate.kyverno.io/source-version".to_string(),
        version.to_string(),
    );
    labels.insert(
        "generate.kyverno.io/source-kind".to_string(),
        str_at(source, "/kind").to_string(),
    );
    labels.insert(
        "generate.kyverno.io/source-namespace".to_string(),
        source_ns,
    );
    labels.insert(
        "generate.kyverno.io/source-name".to_string(),
        str_at(source, "/metadata/name").to_string(),
    );
    finish(content, api_version, kind, name, namespace, &labels, origin)
}

/// Sets the target's identity and Kyverno's labels, with `apiVersion`, `kind` and `metadata`
/// first.
fn finish(
    content: Map<String, Json>,
    api_version: &str,
    kind: &str,
    name: &str,
    namespace: &str,
    extra_labels: &BTreeMap<String, String>,
    origin: Origin<'_>,
) -> Json {
    let mut metadata = content
        .get("metadata")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    let mut labels: BTreeMap<String, Json> = metadata
        .get("labels")
        .and_then(Json::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    for (k, v) in extra_labels {
        labels.insert(k.clone(), Json::String(v.clone()));
    }
    let trigger = origin.trigger;
    let (t_group, t_version) = group_version(str_at(trigger, "/apiVersion"));
    let kyverno_labels = [
        ("app.kubernetes.io/managed-by", "kyverno"),
        ("generate.kyverno.io/policy-name", origin.policy),
        (
            "generate.kyverno.io/policy-namespace",
            origin.policy_namespace,
        ),
        ("generate.kyverno.io/rule-name", origin.rule),
        ("generate.kyverno.io/trigger-group", t_group),
        ("generate.kyverno.io/trigger-version", t_version),
        ("generate.kyverno.io/trigger-kind", str_at(trigger, "/kind")),
        (
            "generate.kyverno.io/trigger-namespace",
            str_at(trigger, "/metadata/namespace"),
        ),
        (
            "generate.kyverno.io/trigger-uid",
            str_at(trigger, "/metadata/uid"),
        ),
    ];
    for (k, v) in kyverno_labels {
        labels.insert(k.to_string(), Json::String(v.to_string()));
    }
    let mut meta = Map::new();
    meta.insert("name".to_string(), Json::String(name.to_string()));
    if !namespace.is_empty() {
        meta.insert("namespace".to_string(), Json::String(namespace.to_string()));
    }
    metadata.remove("name");
    metadata.remove("namespace");
    metadata.remove("resourceVersion");
    metadata.remove("labels");
    meta.insert(
        "labels".to_string(),
        Json::Object(labels.into_iter().collect()),
    );
    meta.extend(metadata);
    let mut out = Map::new();
    out.insert(
        "apiVersion".to_string(),
        Json::String(api_version.to_string()),
    );
    out.insert("kind".to_string(), Json::String(kind.to_string()));
    out.insert("metadata".to_string(), Json::Object(meta));
    for (k, v) in content {
        if !matches!(k.as_str(), "apiVersion" | "kind" | "metadata") {
            out.insert(k, v);
        }
    }
    Json::Object(out)
}
