//! The resources of one team namespace.

use serde_json::{Value as Json, json};

use super::request::NamespaceRequest;
use super::role::{DEVELOPER_ROLE, developer_cluster_role};
use crate::diagnostic::Diagnostic;
use crate::kyverno::conditions::quantity;

/// The resources a team gets for a namespace request, in the order to apply them: Namespace
/// (`<team>-<env>`, labelled `team` and `environment`), ResourceQuota, LimitRange, default-deny
/// NetworkPolicy, the `developer` ClusterRole, a RoleBinding of the team's group (named as the
/// team) to it, and a ServiceAccount (`<team>`). Problems of the request are returned instead.
pub fn team_namespace(request: &NamespaceRequest) -> Result<Vec<Json>, Vec<Diagnostic>> {
    let problems = request.problems();
    if !problems.is_empty() {
        return Err(problems);
    }
    let team = request.team_name.as_str();
    let env = request.environment.as_str();
    let ns = request.namespace_name();
    let cpu = request.resource_quota.cpu_limit.as_str();
    let memory = request.resource_quota.memory_limit.as_str();
    let labels = json!({
        "team": team,
        "environment": env,
        "app.kubernetes.io/managed-by": "opa",
    });
    let meta = |name: &str| json!({"name": name, "namespace": ns, "labels": labels});
    Ok(vec![
        json!({
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"name": ns, "labels": labels},
        }),
        json!({
            "apiVersion": "v1",
            "kind": "ResourceQuota",
            "metadata": meta("team-quota"),
            "spec": {"hard": {
                "requests.cpu": cpu,
                "requests.memory": memory,
                "limits.cpu": cpu,
                "limits.memory": memory,
            }},
        }),
        json!({
            "apiVersion": "v1",
            "kind": "LimitRange",
            "metadata": meta("team-limits"),
            "spec": {"limits": [{
                "type": "Container",
                "default": {"cpu": at_most("500m", cpu), "memory": at_most("512Mi", memory)},
                "defaultRequest": {"cpu": at_most("100m", cpu), "memory": at_most("128Mi", memory)},
                "max": {"cpu": cpu, "memory": memory},
            }]},
        }),
        json!({
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": meta("default-deny"),
            "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
        }),
        developer_cluster_role(),
        json!({
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": meta(&format!("{team}-{DEVELOPER_ROLE}")),
            "roleRef": {
                "apiGroup": "rbac.authorization.k8s.io",
                "kind": "ClusterRole",
                "name": DEVELOPER_ROLE,
            },
            "subjects": [{
                "apiGroup": "rbac.authorization.k8s.io",
                "kind": "Group",
                "name": team,
            }],
        }),
        json!({
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": meta(team),
        }),
    ])
}

/// `wanted`, unless the namespace's quota is smaller (a LimitRange default above its `max` is
/// refused by the API server).
fn at_most<'a>(wanted: &'a str, quota: &'a str) -> &'a str {
    match (quantity(wanted), quantity(quota)) {
        (Some(w), Some(q)) if q < w => quota,
        _ => wanted,
    }
}
