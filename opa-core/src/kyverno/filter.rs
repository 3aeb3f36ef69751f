//! The `match` and `exclude` blocks of a rule, as Kyverno's API defines them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A `match` or `exclude` block: `any` (one filter is enough), `all` (every filter), or the older
/// form with `resources`, `subjects`, `roles` and `clusterRoles` directly in the block.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MatchResources {
    /// Filters of which one must match.
    #[serde(default)]
    pub any: Vec<ResourceFilter>,
    /// Filters of which all must match.
    #[serde(default)]
    pub all: Vec<ResourceFilter>,
    /// The older form: a resource description directly in the block.
    #[serde(default)]
    pub resources: ResourceDescription,
    /// The older form: subjects directly in the block.
    #[serde(default)]
    pub subjects: Vec<Subject>,
    /// The older form: roles directly in the block.
    #[serde(default)]
    pub roles: Vec<String>,
    /// The older form: cluster roles directly in the block.
    #[serde(default)]
    pub cluster_roles: Vec<String>,
}

impl MatchResources {
    /// The older form as one filter.
    pub fn legacy_filter(&self) -> ResourceFilter {
        ResourceFilter {
            resources: self.resources.clone(),
            subjects: self.subjects.clone(),
            roles: self.roles.clone(),
            cluster_roles: self.cluster_roles.clone(),
        }
    }
}

/// One entry of `any` or `all`: what the resource must be and who must ask for it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceFilter {
    /// What the resource must be.
    #[serde(default)]
    pub resources: ResourceDescription,
    /// Users, groups or service accounts of which the requester must be one.
    #[serde(default)]
    pub subjects: Vec<Subject>,
    /// Namespaced roles of which the requester must have one (`namespace:name`).
    #[serde(default)]
    pub roles: Vec<String>,
    /// Cluster roles of which the requester must have one.
    #[serde(default)]
    pub cluster_roles: Vec<String>,
}

impl ResourceFilter {
    /// Whether the filter says nothing about the requester.
    pub fn has_no_user_info(&self) -> bool {
        self.subjects.is_empty() && self.roles.is_empty() && self.cluster_roles.is_empty()
    }

    /// Whether the filter says nothing at all (Kyverno refuses such a match).
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.has_no_user_info()
    }
}

/// What a resource must be: every field given must hold (a list field holds when one entry does).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceDescription {
    /// Kinds: `Kind`, `version/Kind`, `group/version/Kind`, with wildcards, and `Kind/subresource`.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// A name pattern (deprecated in favour of `names`).
    #[serde(default)]
    pub name: String,
    /// Name patterns.
    #[serde(default)]
    pub names: Vec<String>,
    /// Namespace patterns (for a Namespace, its own name).
    #[serde(default)]
    pub namespaces: Vec<String>,
    /// Annotations the resource must have (keys and values may be patterns).
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    /// A label selector on the resource (keys and values of `matchLabels` may be patterns).
    #[serde(default)]
    pub selector: Option<LabelSelector>,
    /// A label selector on the resource's namespace.
    #[serde(default)]
    pub namespace_selector: Option<LabelSelector>,
    /// Admission operations (`CREATE`, `UPDATE`, `DELETE`, `CONNECT`).
    #[serde(default)]
    pub operations: Vec<String>,
}

impl ResourceDescription {
    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        self == &ResourceDescription::default()
    }
}

/// A Kubernetes label selector.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LabelSelector {
    /// Labels that must be present with these values.
    #[serde(default)]
    pub match_labels: BTreeMap<String, String>,
    /// Set-based requirements.
    #[serde(default)]
    pub match_expressions: Vec<LabelRequirement>,
}

/// One `matchExpressions` entry.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LabelRequirement {
    /// The label key.
    pub key: String,
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    pub operator: String,
    /// The values for `In` and `NotIn`.
    #[serde(default)]
    pub values: Vec<String>,
}

/// An RBAC subject: a `User`, `Group` or `ServiceAccount`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Subject {
    /// `User`, `Group` or `ServiceAccount`.
    pub kind: String,
    /// The user, group or service account name (users and groups may be patterns).
    pub name: String,
    /// The service account's namespace.
    #[serde(default)]
    pub namespace: String,
    /// `rbac.authorization.k8s.io` for users and groups.
    #[serde(default)]
    pub api_group: String,
}
