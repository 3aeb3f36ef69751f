//! CompositeResourceDefinitions (`apiextensions.crossplane.io/v1`): the API of a composite
//! resource (XR) and of its claim, and the schemas Crossplane generates for both.
//!
//! Crossplane makes a CRD for the XR and one for the claim from each XRD: the version's
//! `spec` and `status` properties, plus Crossplane's own fields (`compositionRef`, `claimRef`,
//! `compositionUpdatePolicy` with its default, …). [`Xrd::schema`] builds
//! those schemas.

use serde::Deserialize;
use serde_json::{Value, json};

use super::schema::Schema;
use super::source::{self, DocPath};
use crate::diagnostic::{Diagnostic, codes};
use crate::yaml::Node;

/// A parsed XRD.
#[derive(Debug, Clone, PartialEq)]
pub struct Xrd {
    /// `metadata.name` (`<plural>.<group>`).
    pub name: String,
    /// `spec`.
    pub spec: XrdSpec,
}

/// The spec of an XRD.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct XrdSpec {
    /// The API group of the XR and claim.
    pub group: String,
    /// The names of the XR.
    pub names: Names,
    /// The names of the claim, when the XR can be claimed.
    #[serde(default)]
    pub claim_names: Option<Names>,
    /// The versions of the API.
    #[serde(default)]
    pub versions: Vec<XrdVersion>,
    /// The Composition an XR uses when it names none.
    #[serde(default)]
    pub default_composition_ref: Option<NameRef>,
    /// The Composition every XR must use.
    #[serde(default)]
    pub enforced_composition_ref: Option<NameRef>,
    /// `Automatic` (the default) or `Manual`.
    #[serde(default)]
    pub default_composition_update_policy: Option<String>,
    /// `Background` (the default) or `Foreground`.
    #[serde(default)]
    pub default_composite_delete_policy: Option<String>,
}

/// Kubernetes API names of a kind.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Names {
    /// The kind.
    pub kind: String,
    /// The plural resource name.
    pub plural: String,
}

/// A reference by name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NameRef {
    /// The name.
    pub name: String,
}

/// One version of an XRD.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct XrdVersion {
    /// The version name (`v1alpha1`).
    pub name: String,
    /// Whether the API server serves this version.
    #[serde(default)]
    pub served: bool,
    /// Whether XRs are made and stored at this version (exactly one is).
    #[serde(default)]
    pub referenceable: bool,
    /// The version's schema.
    #[serde(default)]
    pub schema: Option<XrdSchema>,
}

/// The schema of an XRD version.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct XrdSchema {
    /// The OpenAPI v3 schema of the resource.
    #[serde(default, rename = "openAPIV3Schema")]
    pub open_api_v3_schema: Option<Value>,
}

/// Which of the two resources an XRD defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    /// The composite resource (cluster scoped).
    Composite,
    /// The claim (namespaced).
    Claim,
}

impl Xrd {
    /// Parses an XRD document.
    pub fn from_node(node: &Node) -> Result<Self, Diagnostic> {
        let root = DocPath::root();
        let kind = node.get("kind").and_then(Node::as_str);
        if kind != Some("CompositeResourceDefinition") {
            return Err(Diagnostic::new(
                codes::INVALID_KIND,
                "kind",
                format!(
                    "expected kind CompositeResourceDefinition, found {}",
                    kind.unwrap_or("none")
                ),
                source::locate(node, &root.key("kind")),
            ));
        }
        let name = node
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_string();
        let spec_node = node.get("spec").ok_or_else(|| {
            Diagnostic::new(
                codes::MISSING_FIELD,
                "spec",
                "spec: Required value",
                node.pos,
            )
        })?;
        let spec: XrdSpec = source::deserialize(spec_node, &root.key("spec"))?;
        if !spec.versions.iter().any(|v| v.referenceable) {
            return Err(Diagnostic::new(
                codes::INVALID_VALUE,
                "spec.versions",
                "spec.versions: Invalid value: exactly one version must be referenceable",
                source::locate(node, &root.key("spec").key("versions")),
            ));
        }
        Ok(Self { name, spec })
    }

    /// The version XRs are made at (`None` only for an XRD built by hand with no versions).
    pub fn referenceable_version(&self) -> Option<&XrdVersion> {
        self.spec
            .versions
            .iter()
            .find(|v| v.referenceable)
            .or(self.spec.versions.first())
    }

    /// The version named `name`.
    pub fn version(&self, name: &str) -> Option<&XrdVersion> {
        self.spec.versions.iter().find(|v| v.name == name)
    }

    /// `group/version` of XRs.
    pub fn composite_api_version(&self) -> String {
        let version = self.referenceable_version().map_or("", |v| v.name.as_str());
        format!("{}/{}", self.spec.group, version)
    }

    /// Which resource `api_version`/`kind` is, with its version, if this XRD defines it.
    pub fn resolve(&self, api_version: &str, kind: &str) -> Option<(ResourceKind, &XrdVersion)> {
        let (group, version) = api_version.split_once('/')?;
        if group != self.spec.group {
            return None;
        }
        let v = self.version(version)?;
        if kind == self.spec.names.kind {
            Some((ResourceKind::Composite, v))
        } else if self
            .spec
            .claim_names
            .as_ref()
            .is_some_and(|c| c.kind == kind)
        {
            Some((ResourceKind::Claim, v))
        } else {
            None
        }
    }

    fn update_policy(&self) -> &str {
        self.spec
            .default_composition_update_policy
            .as_deref()
            .unwrap_or("Automatic")
    }

    fn delete_policy(&self) -> &str {
        self.spec
            .default_composite_delete_policy
            .as_deref()
            .unwrap_or("Background")
    }

    /// The schema of the resource's CRD at `version`: the version's `spec` and `status`
    /// properties with Crossplane's own fields laid over them.
    pub fn schema(&self, kind: ResourceKind, version: &XrdVersion) -> Schema {
        let user = version
            .schema
            .as_ref()
            .and_then(|s| s.open_api_v3_schema.clone())
            .unwrap_or(Value::Null);
        let props_of = |field: &str| -> (serde_json::Map<String, Value>, Value) {
            let f = user.get("properties").and_then(|p| p.get(field));
            let props = f
                .and_then(|f| f.get("properties"))
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let required = f
                .and_then(|f| f.get("required"))
                .cloned()
                .unwrap_or_else(|| json!([]));
            (props, required)
        };
        let (mut spec, spec_required) = props_of("spec");
        let own = match kind {
            ResourceKind::Composite => composite_spec_props(self.update_policy()),
            ResourceKind::Claim => claim_spec_props(self.update_policy(), self.delete_policy()),
        };
        for (k, v) in own {
            spec.insert(k, v);
        }
        let (mut status, status_required) = props_of("status");
        for (k, v) in status_props() {
            status.insert(k, v);
        }
        Schema::from_json(&json!({
            "type": "object",
            "required": ["spec"],
            "properties": {
                "apiVersion": {"type": "string"},
                "kind": {"type": "string"},
                "metadata": {"type": "object"},
                "spec": {"type": "object", "properties": spec, "required": spec_required},
                "status": {"type": "object", "properties": status, "required": status_required},
            }
        }))
    }
}

fn name_ref() -> Value {
    json!({"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}})
}

fn selector() -> Value {
    json!({
        "type": "object",
        "required": ["matchLabels"],
        "properties": {"matchLabels": {"type": "object", "additionalProperties": {"type": "string"}}}
    })
}

fn publish_connection_details_to() -> Value {
    json!({
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string"},
            "configRef": {
                "type": "object",
                "default": {"name": "default"},
                "properties": {"name": {"type": "string"}}
            },
            "metadata": {
                "type": "object",
                "properties": {
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "annotations": {"type": "object", "additionalProperties": {"type": "string"}},
                    "type": {"type": "string"}
                }
            }
        }
    })
}

/// Crossplane's fields of an XR's spec (xcrd `CompositeResourceSpecProps`).
fn composite_spec_props(update_policy: &str) -> serde_json::Map<String, Value> {
    let v = json!({
        "compositionRef": name_ref(),
        "compositionSelector": selector(),
        "compositionRevisionRef": name_ref(),
        "compositionRevisionSelector": selector(),
        "compositionUpdatePolicy": {
            "type": "string", "enum": ["Automatic", "Manual"], "default": update_policy
        },
        "claimRef": {
            "type": "object",
            "required": ["apiVersion", "kind", "namespace", "name"],
            "properties": {
                "apiVersion": {"type": "string"}, "kind": {"type": "string"},
                "namespace": {"type": "string"}, "name": {"type": "string"}
            }
        },
        "environmentConfigRefs": {
            "type": "array",
            "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}
        },
        "resourceRefs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["apiVersion", "kind"],
                "properties": {
                    "apiVersion": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string"}
                }
            }
        },
        "publishConnectionDetailsTo": publish_connection_details_to(),
        "writeConnectionSecretToRef": {
            "type": "object",
            "required": ["name", "namespace"],
            "properties": {"name": {"type": "string"}, "namespace": {"type": "string"}}
        }
    });
    v.as_object().cloned().unwrap_or_default()
}

/// Crossplane's fields of a claim's spec (xcrd `CompositeResourceClaimSpecProps`).
fn claim_spec_props(update_policy: &str, delete_policy: &str) -> serde_json::Map<String, Value> {
    let v = json!({
        "compositionRef": name_ref(),
        "compositionSelector": selector(),
        "compositionRevisionRef": name_ref(),
        "compositionRevisionSelector": selector(),
        "compositionUpdatePolicy": {
            "type": "string", "enum": ["Automatic", "Manual"], "default": update_policy
        },
        "compositeDeletePolicy": {
            "type": "string", "enum": ["Background", "Foreground"], "default": delete_policy
        },
        "resourceRef": {
            "type": "object",
            "required": ["apiVersion", "kind", "name"],
            "properties": {
                "apiVersion": {"type": "string"}, "kind": {"type": "string"}, "name": {"type": "string"}
            }
        },
        "publishConnectionDetailsTo": publish_connection_details_to(),
        "writeConnectionSecretToRef": {
            "type": "object",
            "required": ["name"],
            "properties": {"name": {"type": "string"}}
        }
    });
    v.as_object().cloned().unwrap_or_default()
}

/// Crossplane's fields of a status (xcrd `CompositeResourceStatusProps`).
fn status_props() -> serde_json::Map<String, Value> {
    let v = json!({
        "conditions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["lastTransitionTime", "reason", "status", "type"],
                "properties": {
                    "lastTransitionTime": {"type": "string", "format": "date-time"},
                    "message": {"type": "string"}, "reason": {"type": "string"},
                    "status": {"type": "string"}, "type": {"type": "string"}
                }
            }
        },
        "connectionDetails": {
            "type": "object",
            "properties": {"lastPublishedTime": {"type": "string", "format": "date-time"}}
        }
    });
    v.as_object().cloned().unwrap_or_default()
}
