//! The `developer` ClusterRole: what a team member may do in the team's namespaces.

use serde_json::{Value as Json, json};

/// The name of the ClusterRole team groups are bound to.
pub const DEVELOPER_ROLE: &str = "developer";

/// The `developer` ClusterRole: read pods, services, configmaps, endpoints, events, deployments,
/// replicasets and statefulsets; read logs, exec and port-forward into pods; read and roll Argo
/// Rollouts. Nothing may be deleted.
pub fn developer_cluster_role() -> Json {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {
            "name": DEVELOPER_ROLE,
            "labels": {"app.kubernetes.io/managed-by": "opa"},
        },
        "rules": [
            {
                "apiGroups": [""],
                "resources": ["pods", "services", "configmaps", "endpoints", "events"],
                "verbs": ["get", "list", "watch"],
            },
            {
                "apiGroups": ["apps"],
                "resources": ["deployments", "replicasets", "statefulsets"],
                "verbs": ["get", "list", "watch"],
            },
            {
                "apiGroups": [""],
                "resources": ["pods/log", "pods/exec", "pods/portforward"],
                "verbs": ["get", "create"],
            },
            {
                "apiGroups": ["argoproj.io"],
                "resources": ["rollouts"],
                "verbs": ["get", "list", "watch", "update", "patch"],
            },
        ],
    })
}
