//! From a claim to its composite resource (XR), as Crossplane v1.20's claim controller makes it:
//! the claim's spec without the claim-only fields, the claim's labels and annotations (except
//! Kubernetes' reserved ones), the `crossplane.io/claim-name` and `claim-namespace` labels,
//! and a `claimRef` back to the claim.

use serde_json::{Map, Value, json};

use super::xrd::Xrd;

/// The label naming an XR on itself and on every resource composed for it.
pub const LABEL_COMPOSITE: &str = "crossplane.io/composite";
/// The label naming the claim of an XR.
pub const LABEL_CLAIM_NAME: &str = "crossplane.io/claim-name";
/// The label naming the namespace of the claim of an XR.
pub const LABEL_CLAIM_NAMESPACE: &str = "crossplane.io/claim-namespace";
/// The annotation naming the Composition template a composed resource was made from.
pub const ANNOTATION_RESOURCE_NAME: &str = "crossplane.io/composition-resource-name";

/// Claim spec fields that stay on the claim: every Crossplane claim field except those the
/// claim controller propagates (`compositionRef`, `compositionSelector`,
/// `compositionUpdatePolicy`, `compositionRevisionSelector`).
const CLAIM_ONLY_FIELDS: [&str; 5] = [
    "compositeDeletePolicy",
    "resourceRef",
    "writeConnectionSecretToRef",
    "publishConnectionDetailsTo",
    "compositionRevisionRef",
];

/// The namespace of a claim that does not say one (as `kubectl` would use).
pub const DEFAULT_NAMESPACE: &str = "default";

/// Whether a label or annotation key is reserved by Kubernetes (`*.kubernetes.io/…`,
/// `*.k8s.io/…`); the claim controller does not copy those to the XR.
fn is_reserved(key: &str) -> bool {
    let prefix = key.split('/').next().unwrap_or_default();
    key.contains('/') && (prefix.ends_with("kubernetes.io") || prefix.ends_with("k8s.io"))
}

fn without_reserved(m: Option<&Value>) -> Map<String, Value> {
    m.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter(|(k, _)| !is_reserved(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// The XR the claim controller makes for `claim` (already defaulted and validated). Crossplane
/// names it `<claim>-<random suffix>`; offline it is named after the claim, with the
/// `generateName` Crossplane sets.
pub fn composite_from_claim(xrd: &Xrd, claim: &Value) -> Value {
    let name = claim
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let namespace = claim
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or(DEFAULT_NAMESPACE);
    let mut labels = without_reserved(claim.pointer("/metadata/labels"));
    labels.insert(LABEL_CLAIM_NAME.into(), Value::from(name));
    labels.insert(LABEL_CLAIM_NAMESPACE.into(), Value::from(namespace));
    let annotations = without_reserved(claim.pointer("/metadata/annotations"));

    let mut metadata = Map::new();
    metadata.insert("name".into(), Value::from(name));
    metadata.insert("generateName".into(), Value::from(format!("{name}-")));
    metadata.insert("labels".into(), Value::Object(labels));
    if !annotations.is_empty() {
        metadata.insert("annotations".into(), Value::Object(annotations));
    }

    let mut spec: Map<String, Value> = claim
        .get("spec")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for field in CLAIM_ONLY_FIELDS {
        spec.remove(field);
    }
    spec.insert(
        "claimRef".into(),
        json!({
            "apiVersion": claim.get("apiVersion").cloned().unwrap_or(Value::Null),
            "kind": claim.get("kind").cloned().unwrap_or(Value::Null),
            "name": name,
            "namespace": namespace,
        }),
    );

    json!({
        "apiVersion": xrd.composite_api_version(),
        "kind": xrd.spec.names.kind,
        "metadata": metadata,
        "spec": spec,
    })
}
