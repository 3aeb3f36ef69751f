//! Team namespaces and their RBAC.

use napi_derive::napi;
use opa_core::rbac::{DEFAULT_CPU, DEFAULT_MEMORY, NamespaceRequest, team_namespace as build};

/// A team's request for a namespace, as the `opa:create-team-namespace` action takes it.
#[napi(object)]
pub struct TeamNamespaceRequest {
    /// The team (a DNS label).
    pub team_name: String,
    /// `dev`, `staging` or `production`.
    pub environment: String,
    /// The namespace's quota.
    pub resource_quota: Option<TeamQuota>,
}

/// The quota of a team namespace.
#[napi(object)]
pub struct TeamQuota {
    /// CPU, a Kubernetes quantity (default `"4"`).
    pub cpu_limit: Option<String>,
    /// Memory, a Kubernetes quantity (default `"8Gi"`).
    pub memory_limit: Option<String>,
}

/// A problem of the request.
#[napi(object)]
pub struct TeamNamespaceProblem {
    /// Stable kebab-case code.
    pub code: String,
    /// The input's field (`teamName`, `resourceQuota.cpuLimit`…).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// The resources of a team namespace.
#[napi(object)]
pub struct TeamNamespace {
    /// Whether the request was valid.
    pub valid: bool,
    /// `<team>-<environment>`.
    pub namespace: String,
    /// Namespace, ResourceQuota, LimitRange, NetworkPolicy, ClusterRole, RoleBinding,
    /// ServiceAccount (empty when the request is invalid).
    pub resources: Vec<serde_json::Value>,
    /// Problems of the request.
    pub problems: Vec<TeamNamespaceProblem>,
}

/// The resources a platform team hands out for a team's namespace request.
#[napi(catch_unwind)]
pub fn team_namespace(request: TeamNamespaceRequest) -> TeamNamespace {
    let quota = request.resource_quota;
    let (cpu, memory) = match quota {
        Some(q) => (q.cpu_limit, q.memory_limit),
        None => (None, None),
    };
    let req = NamespaceRequest::new(request.team_name, request.environment)
        .with_cpu(cpu.unwrap_or_else(|| DEFAULT_CPU.to_string()))
        .with_memory(memory.unwrap_or_else(|| DEFAULT_MEMORY.to_string()));
    let namespace = req.namespace_name();
    match build(&req) {
        Ok(resources) => TeamNamespace {
            valid: true,
            namespace,
            resources,
            problems: Vec::new(),
        },
        Err(problems) => TeamNamespace {
            valid: false,
            namespace,
            resources: Vec::new(),
            problems: problems
                .into_iter()
                .map(|p| TeamNamespaceProblem {
                    code: p.code.to_string(),
                    path: p.path,
                    message: p.message,
                })
                .collect(),
        },
    }
}
