//! Kyverno policies (`kyverno.io/v1` `ClusterPolicy` and `Policy`) as OPA-rs reads them: the
//! rules with their `match`/`exclude` blocks, `context`, `preconditions` and `generate` part.
//!
//! Parsing never fails: problems are [`Diagnostic`]s with the line and column of the field.

use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use super::filter::MatchResources;
use super::generate::Generation;
use crate::diagnostic::{Diagnostic, codes};
use crate::yaml::Node;

/// The API group and version of the policies OPA-rs evaluates.
pub const API_VERSIONS: &[&str] = &["kyverno.io/v1", "kyverno.io/v2beta1"];

/// Whether a policy applies cluster-wide or in one namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum PolicyKind {
    /// `ClusterPolicy`: applies to resources of every namespace.
    ClusterPolicy,
    /// `Policy`: applies only to resources of its own namespace.
    Policy,
}

/// A parsed Kyverno policy.
#[derive(Debug, Clone)]
pub struct Policy {
    /// `ClusterPolicy` or `Policy`.
    pub kind: PolicyKind,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace` of a `Policy` (`None` for a `ClusterPolicy`).
    pub namespace: Option<String>,
    /// `spec.generateExisting` (or the older `spec.generateExistingOnPolicyUpdate`), the default of
    /// every generate rule that does not say.
    pub generate_existing: Option<bool>,
    /// `spec.rules`, in order.
    pub rules: Vec<Rule>,
}

/// One rule of a policy.
#[derive(Debug, Clone)]
pub struct Rule {
    /// `name`.
    pub name: String,
    /// `match`: which resources the rule applies to.
    pub match_resources: MatchResources,
    /// `exclude`: which of those it skips.
    pub exclude: Option<MatchResources>,
    /// `context` entries, kept as written (variables are resolved when the rule is applied).
    pub context: Vec<Json>,
    /// `preconditions` as written (`any`/`all`, or a plain list meaning `all`).
    pub preconditions: Option<Json>,
    /// `generate`, when the rule is a generate rule.
    pub generate: Option<Generation>,
}

impl Policy {
    /// Whether the policy has at least one generate rule.
    pub fn has_generate(&self) -> bool {
        self.rules.iter().any(|r| r.generate.is_some())
    }
}

/// Reads a policy from a parsed YAML document. Returns `Ok(None)` when the document is not a
/// Kyverno policy at all (another kind of resource), and the diagnostics when it is one with
/// problems.
pub fn parse_policy(root: &Node) -> Result<Option<Policy>, Vec<Diagnostic>> {
    let json = root.to_json();
    let kind = match json.get("kind").and_then(Json::as_str) {
        Some("ClusterPolicy") => PolicyKind::ClusterPolicy,
        Some("Policy") => PolicyKind::Policy,
        _ => return Ok(None),
    };
    let mut problems = Vec::new();
    let api_version = json.get("apiVersion").and_then(Json::as_str).unwrap_or("");
    if !API_VERSIONS.contains(&api_version) {
        problems.push(problem(
            root,
            &["apiVersion"],
            codes::INVALID_API_VERSION,
            format!("apiVersion must be one of {API_VERSIONS:?}, found {api_version:?}"),
        ));
    }
    let name = json
        .pointer("/metadata/name")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_string();
    if name.is_empty() {
        problems.push(problem(
            root,
            &["metadata", "name"],
            codes::MISSING_FIELD,
            "metadata.name is required",
        ));
    }
    let namespace = match kind {
        PolicyKind::ClusterPolicy => None,
        PolicyKind::Policy => Some(
            json.pointer("/metadata/namespace")
                .and_then(Json::as_str)
                .filter(|s| !s.is_empty())
                .unwrap_or("default")
                .to_string(),
        ),
    };
    let spec = json.get("spec").cloned().unwrap_or(Json::Null);
    let generate_existing = spec
        .get("generateExisting")
        .or_else(|| spec.get("generateExistingOnPolicyUpdate"))
        .and_then(Json::as_bool);
    let mut rules = Vec::new();
    match spec.get("rules") {
        Some(Json::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let at = ["spec".to_string(), "rules".to_string(), i.to_string()];
                if let Some(rule) = parse_rule(root, &at, item, &mut problems) {
                    rules.push(rule);
                }
            }
        }
        _ => problems.push(problem(
            root,
            &["spec", "rules"],
            codes::MISSING_FIELD,
            "spec.rules must be a list of rules",
        )),
    }
    if problems.is_empty() {
        Ok(Some(Policy {
            kind,
            name,
            namespace,
            generate_existing,
            rules,
        }))
    } else {
        Err(problems)
    }
}

fn parse_rule(
    root: &Node,
    at: &[String],
    rule: &Json,
    problems: &mut Vec<Diagnostic>,
) -> Option<Rule> {
    let before = problems.len();
    let path = |field: &str| -> Vec<String> {
        let mut p = at.to_vec();
        p.push(field.to_string());
        p
    };
    let name = rule.get("name").and_then(Json::as_str).unwrap_or_default();
    if name.is_empty() {
        problems.push(problem(
            root,
            &path("name"),
            codes::MISSING_FIELD,
            "a rule needs a name",
        ));
    }
    let match_resources = match rule.get("match") {
        Some(m) => typed::<MatchResources>(root, &path("match"), m, problems),
        None => {
            problems.push(problem(
                root,
                &path("match"),
                codes::MISSING_FIELD,
                "a rule needs a match block",
            ));
            None
        }
    };
    let exclude = rule
        .get("exclude")
        .and_then(|e| typed::<MatchResources>(root, &path("exclude"), e, problems));
    let context = match rule.get("context") {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::Array(items)) => items.clone(),
        Some(_) => {
            problems.push(problem(
                root,
                &path("context"),
                codes::INVALID_TYPE,
                "context must be a list of entries",
            ));
            Vec::new()
        }
    };
    let preconditions = rule.get("preconditions").filter(|p| !p.is_null()).cloned();
    let generate = match rule.get("generate") {
        None | Some(Json::Null) => None,
        Some(g) => match Generation::parse(g) {
            Ok(g) => Some(g),
            Err(message) => {
                problems.push(problem(
                    root,
                    &path("generate"),
                    codes::INVALID_VALUE,
                    message,
                ));
                None
            }
        },
    };
    if problems.len() > before {
        return None;
    }
    Some(Rule {
        name: name.to_string(),
        match_resources: match_resources?,
        exclude,
        context,
        preconditions,
        generate,
    })
}

/// Deserializes a block into its typed form, reporting a problem at the block's position.
fn typed<T: DeserializeOwned>(
    root: &Node,
    path: &[String],
    value: &Json,
    problems: &mut Vec<Diagnostic>,
) -> Option<T> {
    match serde_json::from_value(value.clone()) {
        Ok(t) => Some(t),
        Err(e) => {
            problems.push(problem(
                root,
                path,
                codes::INVALID_VALUE,
                format!("{}: {e}", path.join(".")),
            ));
            None
        }
    }
}

/// A diagnostic at the node a path leads to (or the nearest existing parent).
fn problem<S: AsRef<str>>(
    root: &Node,
    path: &[S],
    code: &'static str,
    message: impl Into<String>,
) -> Diagnostic {
    let dotted: Vec<&str> = path.iter().map(AsRef::as_ref).collect();
    Diagnostic::new(code, dotted.join("."), message, root.locate(path))
}
