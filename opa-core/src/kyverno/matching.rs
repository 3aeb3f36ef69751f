//! Whether a rule applies to a resource: its `match` block holds and its `exclude` block does
//! not, following Kyverno's `MatchesResourceDescription`.
//!
//! Within one filter every field given must hold (AND across fields, OR inside a list field);
//! `match.any` needs one filter, `match.all` every filter; `exclude.any` excludes when one filter
//! holds, `exclude.all` when every filter does.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::filter::{MatchResources, ResourceDescription, ResourceFilter, Subject};
use super::request::RequestInfo;
use super::resource::{group_version, name_for_match, str_at, string_map};
use super::selector::selector_matches;
use super::wildcard;
use super::{Policy, Rule};

/// What a rule is matched against.
#[derive(Debug, Clone, Copy)]
pub struct MatchInput<'a> {
    /// The resource.
    pub resource: &'a Json,
    /// The labels of the resource's namespace, for `namespaceSelector`.
    pub namespace_labels: &'a BTreeMap<String, String>,
    /// The request.
    pub request: &'a RequestInfo,
}

/// Whether `rule` of `policy` applies to the input; `Err` holds the reasons it does not.
pub fn rule_matches(
    policy: &Policy,
    rule: &Rule,
    input: MatchInput<'_>,
) -> Result<(), Vec<String>> {
    if let Some(ns) = &policy.namespace {
        if str_at(input.resource, "/metadata/namespace") != ns {
            return Err(vec![format!(
                "the resource is not in the policy's namespace {ns:?}"
            )]);
        }
    }
    let mut reasons = Vec::new();
    let m = &rule.match_resources;
    if !m.any.is_empty() {
        if !m.any.iter().any(|f| match_filter(f, input).is_empty()) {
            reasons.push("no filter of match.any holds".to_string());
        }
    } else if !m.all.is_empty() {
        for f in &m.all {
            reasons.extend(match_filter(f, input));
        }
    } else {
        reasons.extend(match_filter(&m.legacy_filter(), input));
    }
    if reasons.is_empty() {
        if let Some(exclude) = &rule.exclude {
            reasons.extend(excluded(exclude, input));
        }
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(reasons)
    }
}

fn excluded(exclude: &MatchResources, input: MatchInput<'_>) -> Vec<String> {
    if !exclude.any.is_empty() {
        exclude
            .any
            .iter()
            .filter(|f| exclude_filter_holds(f, input))
            .map(|_| "excluded by a filter of exclude.any".to_string())
            .take(1)
            .collect()
    } else if !exclude.all.is_empty() {
        if exclude.all.iter().all(|f| exclude_filter_holds(f, input)) {
            vec!["excluded: every filter of exclude.all holds".to_string()]
        } else {
            Vec::new()
        }
    } else if exclude_filter_holds(&exclude.legacy_filter(), input) {
        vec!["excluded by the exclude block".to_string()]
    } else {
        Vec::new()
    }
}

/// The reasons a match filter does not hold (empty when it holds).
fn match_filter(filter: &ResourceFilter, input: MatchInput<'_>) -> Vec<String> {
    let mut filter = filter.clone();
    // Without a requester (offline), the user parts of a match are ignored, as Kyverno does.
    if input.request.has_no_requester() {
        filter.subjects.clear();
        filter.roles.clear();
        filter.cluster_roles.clear();
    }
    if filter.is_empty() {
        return vec!["a match filter cannot be empty".to_string()];
    }
    filter_problems(&filter, input)
}

/// Whether an exclude filter holds (an empty one never does).
fn exclude_filter_holds(filter: &ResourceFilter, input: MatchInput<'_>) -> bool {
    !filter.is_empty() && filter_problems(filter, input).is_empty()
}

fn filter_problems(filter: &ResourceFilter, input: MatchInput<'_>) -> Vec<String> {
    let d = &filter.resources;
    if !d.operations.is_empty() && !d.operations.contains(&input.request.operation) {
        return vec!["the operation does not match".to_string()];
    }
    let mut problems = description_problems(d, input);
    let request = input.request;
    if !filter.roles.is_empty() && !filter.roles.iter().any(|r| request.roles.contains(r)) {
        problems.push("the requester has none of the roles".to_string());
    }
    if !filter.cluster_roles.is_empty()
        && !filter
            .cluster_roles
            .iter()
            .any(|r| request.cluster_roles.contains(r))
    {
        problems.push("the requester has none of the cluster roles".to_string());
    }
    if !filter.subjects.is_empty() && !subjects_match(&filter.subjects, request) {
        problems.push("the requester is none of the subjects".to_string());
    }
    problems
}

fn description_problems(d: &ResourceDescription, input: MatchInput<'_>) -> Vec<String> {
    let resource = input.resource;
    let mut problems = Vec::new();
    let kind = str_at(resource, "/kind");
    if !d.kinds.is_empty() && !kind_matches(&d.kinds, str_at(resource, "/apiVersion"), kind) {
        problems.push(format!("the kind does not match {:?}", d.kinds));
    }
    let name = name_for_match(resource);
    if !d.name.is_empty() && !wildcard::matches(&d.name, name) {
        problems.push("the name does not match".to_string());
    }
    if !d.names.is_empty() && !d.names.iter().any(|n| wildcard::matches(n, name)) {
        problems.push("none of the names match".to_string());
    }
    if !d.namespaces.is_empty() {
        let ns = if kind == "Namespace" {
            str_at(resource, "/metadata/name")
        } else {
            str_at(resource, "/metadata/namespace")
        };
        if !d.namespaces.iter().any(|p| wildcard::matches(p, ns)) {
            problems.push("the namespace does not match".to_string());
        }
    }
    if !d.annotations.is_empty() {
        let annotations = string_map(resource, "/metadata/annotations");
        let holds = d.annotations.iter().all(|(k, v)| {
            annotations
                .iter()
                .any(|(ak, av)| wildcard::matches(k, ak) && wildcard::matches(v, av))
        });
        if !holds {
            problems.push("the annotations do not match".to_string());
        }
    }
    if let Some(selector) = &d.selector {
        match selector_matches(selector, &string_map(resource, "/metadata/labels")) {
            Ok(true) => {}
            Ok(false) => problems.push("the selector does not match".to_string()),
            Err(e) => problems.push(format!("the selector is invalid: {e}")),
        }
    }
    if let Some(selector) = &d.namespace_selector {
        if kind == "Namespace" {
            problems.push("a namespace selector does not apply to a Namespace".to_string());
        } else if !kind.is_empty() {
            match selector_matches(selector, input.namespace_labels) {
                Ok(true) => {}
                Ok(false) => problems.push("the namespace selector does not match".to_string()),
                Err(e) => problems.push(format!("the namespace selector is invalid: {e}")),
            }
        }
    }
    problems
}

/// Whether one of the kind selectors (`Kind`, `version/Kind`, `group/version/Kind`, with
/// wildcards) matches a resource of that `apiVersion` and kind.
pub fn kind_matches(kinds: &[String], api_version: &str, kind: &str) -> bool {
    let (group, version) = group_version(api_version);
    kinds.iter().any(|selector| {
        let (g, v, k, sub) = parse_kind_selector(selector);
        wildcard::matches(&g, group)
            && wildcard::matches(&v, version)
            && wildcard::matches(&k, kind)
            // A selector naming a subresource never matches the resource itself.
            && (sub.is_empty() || wildcard::matches(&sub, ""))
    })
}

/// Splits a kind selector into group, version, kind and subresource, as Kyverno's
/// `ParseKindSelector` does.
fn parse_kind_selector(input: &str) -> (String, String, String, String) {
    let mut parts: Vec<&str> = input.split('/').collect();
    if let Some(last) = parts.pop() {
        parts.extend(last.split('.'));
    }
    let is_version = |s: &str| s == "*" || is_version_string(s);
    let own = |s: &str| s.to_string();
    let any = || "*".to_string();
    match parts.as_slice() {
        [k] => (any(), any(), own(k), String::new()),
        ["*", "*"] => (any(), any(), any(), any()),
        ["*", sub] if sub.to_lowercase() == *sub => (any(), any(), any(), own(sub)),
        [v, k] if is_version(v) => (any(), own(v), own(k), String::new()),
        [k, sub] => (any(), any(), own(k), own(sub)),
        [v, k, sub] if is_version(v) => (any(), own(v), own(k), own(sub)),
        [g, v, k] => (own(g), own(v), own(k), String::new()),
        [g, v, k, sub] => (own(g), own(v), own(k), own(sub)),
        _ => (String::new(), String::new(), String::new(), String::new()),
    }
}

/// `v1`, `v2beta1`, `v1alpha2`…
fn is_version_string(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('v') else {
        return false;
    };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    let rest = &rest[digits..];
    if rest.is_empty() {
        return true;
    }
    let tail = rest
        .strip_prefix("alpha")
        .or_else(|| rest.strip_prefix("beta"));
    tail.is_some_and(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()))
}

/// Whether the requester is one of the subjects (users and groups by wildcard pattern).
fn subjects_match(subjects: &[Subject], request: &RequestInfo) -> bool {
    let user = &request.user_info;
    subjects.iter().any(|s| match s.kind.as_str() {
        "ServiceAccount" => user
            .service_account()
            .is_some_and(|(ns, name)| ns == s.namespace && name == s.name),
        "User" | "Group" => user
            .groups
            .iter()
            .chain(std::iter::once(&user.username))
            .any(|g| wildcard::matches(&s.name, g)),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_selectors() {
        let k = |s: &str| vec![s.to_string()];
        assert!(kind_matches(&k("Namespace"), "v1", "Namespace"));
        assert!(kind_matches(&k("v1/Namespace"), "v1", "Namespace"));
        assert!(!kind_matches(&k("v2/Namespace"), "v1", "Namespace"));
        assert!(kind_matches(
            &k("apps/v1/Deployment"),
            "apps/v1",
            "Deployment"
        ));
        assert!(!kind_matches(
            &k("batch/v1/Deployment"),
            "apps/v1",
            "Deployment"
        ));
        assert!(kind_matches(&k("*"), "apps/v1", "Deployment"));
        assert!(kind_matches(&k("Deploy*"), "apps/v1", "Deployment"));
        assert!(!kind_matches(&k("Pod/exec"), "v1", "Pod"));
        assert!(kind_matches(
            &k("networking.k8s.io/v1/NetworkPolicy"),
            "networking.k8s.io/v1",
            "NetworkPolicy"
        ));
    }

    #[test]
    fn versions() {
        assert!(is_version_string("v1"));
        assert!(is_version_string("v2beta1"));
        assert!(!is_version_string("v2beta"));
        assert!(!is_version_string("apps"));
    }
}
