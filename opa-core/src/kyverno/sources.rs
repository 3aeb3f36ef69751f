//! Applying policies given as YAML texts (what the bindings and other callers without files
//! have): problems in the texts are data with the text they are in, as in the CLI.

use serde::Serialize;
use serde_json::Value as Json;

use super::apply::{ApplyInput, RuleResult, apply};
use super::policy::{Policy, parse_policy};
use super::request::RequestInfo;
use crate::diagnostic::Diagnostic;
use crate::yaml::{Limits, parse_documents};

/// YAML texts to apply policies with.
#[derive(Debug, Clone, Copy)]
pub struct ApplySources<'a> {
    /// Texts holding `ClusterPolicy`/`Policy` documents (other documents are skipped).
    pub policies: &'a [&'a str],
    /// Texts holding the resources the policies are applied to (`kind: List` is expanded).
    pub resources: &'a [&'a str],
    /// Texts holding resources that exist without triggering (clone sources, ConfigMaps…).
    pub existing: &'a [&'a str],
    /// The request.
    pub request: &'a RequestInfo,
}

/// A problem in one of the texts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceProblem {
    /// Which list the text is in: `policy`, `resource` or `existing`.
    pub source: &'static str,
    /// Its index in that list.
    pub index: usize,
    /// The problem, with its line and column in that text.
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
}

/// What applying the texts did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceReport {
    /// No text had a problem and no rule ended in error.
    pub valid: bool,
    /// One entry per (resource, matching generate rule).
    pub results: Vec<RuleResult>,
    /// Every generated resource, in order.
    pub generated: Vec<Json>,
    /// Problems in the texts (policies with problems are not applied).
    pub problems: Vec<SourceProblem>,
}

/// Parses the texts and applies the policies. Never fails: problems are in the report.
pub fn apply_sources(input: &ApplySources<'_>) -> SourceReport {
    let mut problems = Vec::new();
    let mut policies: Vec<Policy> = Vec::new();
    for (index, text) in input.policies.iter().enumerate() {
        for doc in parse_documents(text, &Limits::default()) {
            let mut problem = |diagnostic| {
                problems.push(SourceProblem {
                    source: "policy",
                    index,
                    diagnostic,
                })
            };
            if let Some(e) = doc.error {
                problem(e);
                continue;
            }
            let Some(root) = doc.root.filter(|r| !r.is_null()) else {
                continue;
            };
            match parse_policy(&root) {
                Ok(Some(p)) => policies.push(p),
                Ok(None) => {}
                Err(found) => found.into_iter().for_each(&mut problem),
            }
        }
    }
    let resources = read_resources(input.resources, "resource", &mut problems);
    let mut cluster = resources.clone();
    cluster.extend(read_resources(input.existing, "existing", &mut problems));
    let report = apply(ApplyInput {
        policies: &policies,
        resources: &resources,
        cluster: &cluster,
        request: input.request,
    });
    SourceReport {
        valid: problems.is_empty() && !report.has_errors(),
        generated: report.generated().cloned().collect(),
        results: report.results,
        problems,
    }
}

/// The resources of YAML texts, `kind: List` expanded.
fn read_resources(
    texts: &[&str],
    source: &'static str,
    problems: &mut Vec<SourceProblem>,
) -> Vec<Json> {
    let mut out = Vec::new();
    for (index, text) in texts.iter().enumerate() {
        for doc in parse_documents(text, &Limits::default()) {
            if let Some(diagnostic) = doc.error {
                problems.push(SourceProblem {
                    source,
                    index,
                    diagnostic,
                });
                continue;
            }
            let Some(root) = doc.root.filter(|r| !r.is_null()) else {
                continue;
            };
            let json = root.to_json();
            let is_list = json
                .get("kind")
                .and_then(Json::as_str)
                .is_some_and(|k| k == "List" || k.ends_with("List"));
            match (is_list, json.get("items")) {
                (true, Some(Json::Array(items))) => out.extend(items.iter().cloned()),
                _ => out.push(json),
            }
        }
    }
    out
}
