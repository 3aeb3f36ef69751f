//! Applying generate policies to resources offline: for each resource and each generate rule
//! that matches it, the resources Kyverno would generate, and the outcome of the rule.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value as Json;

use super::conditions::preconditions_hold;
use super::context::{load_entries, request_context};
use super::generate::{Origin, Target, produce};
use super::matching::{MatchInput, rule_matches};
use super::references::substitute_references;
use super::request::RequestInfo;
use super::resource::{ResourceRef, str_at, string_map};
use super::variables::{Missing, VariableContext};
use super::{Policy, Rule};

/// What the policies are applied to.
#[derive(Debug, Clone, Copy)]
pub struct ApplyInput<'a> {
    /// The policies.
    pub policies: &'a [Policy],
    /// The resources the policies are applied to (the triggers).
    pub resources: &'a [Json],
    /// Resources that exist in the cluster: clone sources, ConfigMaps for `context`, Namespaces
    /// for `namespaceSelector`. The triggers are looked up here too.
    pub cluster: &'a [Json],
    /// The admission request (operation and requester).
    pub request: &'a RequestInfo,
}

/// The outcome of one rule on one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleStatus {
    /// The rule applied and generated its resources.
    Pass,
    /// The rule matched but its preconditions did not hold.
    Skip,
    /// The rule could not be applied (a variable, a context entry or a clone source is missing).
    Error,
}

/// One rule that matched one resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleResult {
    /// The policy's name.
    pub policy: String,
    /// The policy's namespace (for a namespaced `Policy`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_namespace: Option<String>,
    /// The rule's name.
    pub rule: String,
    /// The resource that matched (the trigger).
    pub resource: ResourceRef,
    /// The outcome.
    pub status: RuleStatus,
    /// Why, for `skip` and `error`; what was generated for `pass`.
    pub message: String,
    /// The rule's `synchronize`.
    pub synchronize: bool,
    /// The rule's `generateExisting` (or the policy's, when the rule does not say).
    pub generate_existing: bool,
    /// The generated resources.
    pub generated: Vec<Json>,
}

/// Everything the policies did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ApplyReport {
    /// One entry per (resource, matching generate rule), resources in input order, then policies
    /// and rules in order.
    pub results: Vec<RuleResult>,
}

impl ApplyReport {
    /// Every generated resource, in order.
    pub fn generated(&self) -> impl Iterator<Item = &Json> {
        self.results.iter().flat_map(|r| r.generated.iter())
    }

    /// Whether a rule ended in error.
    pub fn has_errors(&self) -> bool {
        self.results.iter().any(|r| r.status == RuleStatus::Error)
    }
}

/// Applies the generate rules of the policies to every resource.
pub fn apply(input: ApplyInput<'_>) -> ApplyReport {
    let mut report = ApplyReport::default();
    for resource in input.resources {
        let namespace_labels = namespace_labels(resource, input.cluster);
        let m = MatchInput {
            resource,
            namespace_labels: &namespace_labels,
            request: input.request,
        };
        for policy in input.policies {
            for rule in &policy.rules {
                let Some(generation) = &rule.generate else {
                    continue;
                };
                if rule_matches(policy, rule, m).is_err() {
                    continue;
                }
                let (status, message, generated) = match run_rule(policy, rule, resource, input) {
                    Ok(Some(generated)) => {
                        let names: Vec<String> = generated
                            .iter()
                            .map(|g| ResourceRef::of(g).to_string())
                            .collect();
                        let message = if names.is_empty() {
                            "nothing to generate".to_string()
                        } else {
                            format!("generated {}", names.join(", "))
                        };
                        (RuleStatus::Pass, message, generated)
                    }
                    Ok(None) => (
                        RuleStatus::Skip,
                        "preconditions not met".to_string(),
                        Vec::new(),
                    ),
                    Err(e) => (RuleStatus::Error, e, Vec::new()),
                };
                report.results.push(RuleResult {
                    policy: policy.name.clone(),
                    policy_namespace: policy.namespace.clone(),
                    rule: rule.name.clone(),
                    resource: ResourceRef::of(resource),
                    status,
                    message,
                    synchronize: generation.synchronize,
                    generate_existing: generation
                        .generate_existing
                        .or(policy.generate_existing)
                        .unwrap_or(false),
                    generated,
                });
            }
        }
    }
    report
}

/// The labels of the resource's namespace, when that Namespace is among the known resources.
fn namespace_labels(resource: &Json, cluster: &[Json]) -> BTreeMap<String, String> {
    let ns = str_at(resource, "/metadata/namespace");
    if ns.is_empty() {
        return BTreeMap::new();
    }
    cluster
        .iter()
        .find(|r| str_at(r, "/kind") == "Namespace" && str_at(r, "/metadata/name") == ns)
        .map(|r| string_map(r, "/metadata/labels"))
        .unwrap_or_default()
}

/// Runs one generate rule on a matching resource: `Ok(None)` when preconditions do not hold.
fn run_rule(
    policy: &Policy,
    rule: &Rule,
    resource: &Json,
    input: ApplyInput<'_>,
) -> Result<Option<Vec<Json>>, String> {
    let Some(generation) = &rule.generate else {
        return Ok(Some(Vec::new()));
    };
    let mut ctx = request_context(resource, input.request);
    load_entries(&mut ctx, &rule.context, input.cluster, "/context")
        .map_err(|e| format!("failed to load context: {e}"))?;
    if let Some(pre) = &rule.preconditions {
        let holds = preconditions_hold(pre, &ctx, "/preconditions")
            .map_err(|e| format!("failed to evaluate preconditions: {e}"))?;
        if !holds {
            return Ok(None);
        }
    }
    let origin = Origin {
        policy: &policy.name,
        policy_namespace: policy.namespace.as_deref().unwrap_or(""),
        rule: &rule.name,
        trigger: resource,
    };
    match generation.raw.get("foreach").and_then(Json::as_array) {
        None => generate_pattern(
            policy,
            &generation.raw,
            &ctx,
            origin,
            input.cluster,
            "/generate",
        ),
        Some(items) => {
            let mut out = Vec::new();
            for (i, foreach) in items.iter().enumerate() {
                let at = format!("/generate/foreach/{i}");
                let list = foreach
                    .get("list")
                    .and_then(Json::as_str)
                    .unwrap_or_default();
                let elements = match ctx.query(list, Missing::Null)? {
                    Json::Array(items) => items,
                    Json::Null => Vec::new(),
                    other => vec![other],
                };
                for (index, element) in elements.into_iter().enumerate() {
                    if element.is_null() {
                        continue;
                    }
                    let mut ectx = ctx.clone();
                    ectx.set("element", element);
                    ectx.set("elementIndex", Json::from(index));
                    let entries = foreach
                        .get("context")
                        .and_then(Json::as_array)
                        .cloned()
                        .unwrap_or_default();
                    load_entries(&mut ectx, &entries, input.cluster, &format!("{at}/context"))
                        .map_err(|e| format!("failed to load context: {e}"))?;
                    if let Some(pre) = foreach.get("preconditions").filter(|p| !p.is_null()) {
                        if !preconditions_hold(pre, &ectx, &format!("{at}/preconditions"))? {
                            continue;
                        }
                    }
                    if let Some(found) =
                        generate_pattern(policy, foreach, &ectx, origin, input.cluster, &at)?
                    {
                        out.extend(found);
                    }
                }
            }
            Ok(Some(out))
        }
    }
}

fn generate_pattern(
    policy: &Policy,
    pattern: &Json,
    ctx: &VariableContext,
    origin: Origin<'_>,
    cluster: &[Json],
    path: &str,
) -> Result<Option<Vec<Json>>, String> {
    let mut pattern = pattern.clone();
    if let Json::Object(map) = &mut pattern {
        // Only the resource parts are substituted (foreach lists and nested contexts are not).
        for key in ["foreach", "list", "context", "preconditions"] {
            map.remove(key);
        }
    }
    let pattern = substitute_references(&pattern)
        .map_err(|e| format!("variable substitution failed: {e}"))?;
    let substituted = ctx
        .substitute(&pattern, path, Missing::Fail)
        .map_err(|e| format!("variable substitution failed: {e}"))?;
    let target = Target::from_pattern(&substituted)?;
    if let Some(ns) = &policy.namespace {
        if !target.namespace.is_empty() && &target.namespace != ns {
            return Err(format!(
                "a namespaced Policy generates only into its own namespace {ns:?}, not {:?}",
                target.namespace
            ));
        }
    }
    produce(&target, origin, cluster).map(Some)
}
