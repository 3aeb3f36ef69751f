//! DefaultNamespaceEntityPolicy: an entity without a namespace is in `default`.

use crate::entity::DEFAULT_NAMESPACE;
use crate::yaml::Node;

/// The namespace the entity is in: `metadata.namespace` when it is a non-empty string, else
/// `default` (as the policy's `if (entity.metadata.namespace)` decides).
pub fn namespace(root: &Node) -> &str {
    root.get("metadata")
        .and_then(|m| m.get("namespace"))
        .and_then(Node::as_str)
        .filter(|n| !n.is_empty())
        .unwrap_or(DEFAULT_NAMESPACE)
}
