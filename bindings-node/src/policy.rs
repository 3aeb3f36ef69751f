//! Kyverno generate policies applied offline.

use napi_derive::napi;
use opa_core::kyverno::{
    ApplySources, RequestInfo, RuleStatus, SourceProblem, UserInfo, apply_sources,
};

/// The requester and the operation the resources arrive with.
#[napi(object)]
pub struct ApplyPoliciesOptions {
    /// YAML texts of resources that exist without triggering the rules (clone sources,
    /// ConfigMaps read by `context`, Namespaces for `namespaceSelector`).
    pub existing: Option<Vec<String>>,
    /// `CREATE` (default), `UPDATE`, `DELETE` or `CONNECT`.
    pub operation: Option<String>,
    /// The requesting user's name (`request.userInfo.username`).
    pub username: Option<String>,
    /// The requesting user's groups.
    pub groups: Option<Vec<String>>,
    /// The requester's namespaced roles (`namespace:name`).
    pub roles: Option<Vec<String>>,
    /// The requester's cluster roles.
    pub cluster_roles: Option<Vec<String>>,
}

/// A resource's identity.
#[napi(object)]
pub struct ResourceId {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.namespace` (empty for cluster-scoped resources).
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
}

/// One generate rule that matched one resource.
#[napi(object)]
pub struct PolicyRuleResult {
    /// The policy's name.
    pub policy: String,
    /// The policy's namespace, for a namespaced `Policy`.
    pub policy_namespace: Option<String>,
    /// The rule's name.
    pub rule: String,
    /// The resource that triggered it.
    pub resource: ResourceId,
    /// `pass`, `skip` (preconditions not met) or `error`.
    pub status: String,
    /// What was generated, or why not.
    pub message: String,
    /// The rule's `synchronize`.
    pub synchronize: bool,
    /// The rule's (or policy's) `generateExisting`.
    pub generate_existing: bool,
    /// The resources it generated.
    pub generated: Vec<serde_json::Value>,
}

/// A problem in one of the YAML texts.
#[napi(object)]
pub struct PolicySourceProblem {
    /// `policy`, `resource` or `existing`.
    pub source: String,
    /// The index of the text in its list.
    pub index: u32,
    /// Stable kebab-case code.
    pub code: String,
    /// Dotted path in the document.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// What applying the policies did.
#[napi(object)]
pub struct AppliedPolicies {
    /// No text had a problem and no rule ended in error.
    pub valid: bool,
    /// One entry per (resource, matching generate rule).
    pub results: Vec<PolicyRuleResult>,
    /// Every generated resource, in order.
    pub generated: Vec<serde_json::Value>,
    /// Problems in the texts.
    pub problems: Vec<PolicySourceProblem>,
}

fn problem(p: SourceProblem) -> PolicySourceProblem {
    PolicySourceProblem {
        source: p.source.to_string(),
        index: p.index as u32,
        code: p.diagnostic.code.to_string(),
        path: p.diagnostic.path,
        message: p.diagnostic.message,
        line: p.diagnostic.line,
        column: p.diagnostic.column,
    }
}

/// Applies Kyverno generate policies (YAML texts of `ClusterPolicy`/`Policy`) to resources (YAML
/// texts) and returns what they generate, as Kyverno would. Problems are data.
#[napi(catch_unwind)]
pub fn apply_policies(
    policies: Vec<String>,
    resources: Vec<String>,
    options: Option<ApplyPoliciesOptions>,
) -> AppliedPolicies {
    let options = options.unwrap_or(ApplyPoliciesOptions {
        existing: None,
        operation: None,
        username: None,
        groups: None,
        roles: None,
        cluster_roles: None,
    });
    let request = RequestInfo {
        operation: options.operation.unwrap_or_else(|| "CREATE".to_string()),
        user_info: UserInfo {
            username: options.username.unwrap_or_default(),
            groups: options.groups.unwrap_or_default(),
            ..Default::default()
        },
        roles: options.roles.unwrap_or_default(),
        cluster_roles: options.cluster_roles.unwrap_or_default(),
    };
    let existing = options.existing.unwrap_or_default();
    let (p, r, e) = (texts(&policies), texts(&resources), texts(&existing));
    let report = apply_sources(&ApplySources {
        policies: &p,
        resources: &r,
        existing: &e,
        request: &request,
    });
    AppliedPolicies {
        valid: report.valid,
        results: report
            .results
            .into_iter()
            .map(|r| PolicyRuleResult {
                policy: r.policy,
                policy_namespace: r.policy_namespace,
                rule: r.rule,
                resource: ResourceId {
                    api_version: r.resource.api_version,
                    kind: r.resource.kind,
                    namespace: r.resource.namespace,
                    name: r.resource.name,
                },
                status: match r.status {
                    RuleStatus::Pass => "pass",
                    RuleStatus::Skip => "skip",
                    RuleStatus::Error => "error",
                }
                .to_string(),
                message: r.message,
                synchronize: r.synchronize,
                generate_existing: r.generate_existing,
                generated: r.generated,
            })
            .collect(),
        generated: report.generated,
        problems: report.problems.into_iter().map(problem).collect(),
    }
}

fn texts(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}
