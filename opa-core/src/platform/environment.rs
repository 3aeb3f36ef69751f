//! `AWSEnvironment`: a named deployment target (dev, qa, prod) with its category, approval rule
//! and the providers it deploys to (`spec.dependsOn`).

use serde::{Deserialize, Serialize};

use super::PLATFORM_API_VERSION;
use super::checks::{FieldRule, check_fields};
use crate::entity::kinds::{KindSchema, OWNER, RelationField, SYSTEM};
use crate::entity::object::{Entity, EntitySpec};
use crate::entity::schema::{Field, NON_EMPTY, NON_EMPTY_LIST, Ty};
use crate::entity::validate::Problems;
use crate::yaml::Node;

/// An environment entity.
pub type AwsEnvironment = Entity<EnvironmentSpec>;

/// The spec of an environment.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentSpec {
    /// `environment`.
    #[serde(rename = "type")]
    pub environment_type: String,
    /// `experimental`, `production`…
    pub lifecycle: String,
    /// The owning group.
    pub owner: String,
    /// The system it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Its providers (default kind AWSEnvironmentProvider).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

impl EntitySpec for EnvironmentSpec {
    const KIND: &'static str = "AWSEnvironment";
    const API_VERSIONS: &'static [&'static str] = &[PLATFORM_API_VERSION];
}

/// The environment's own metadata fields, typed (read from `metadata.extra`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentMetadata {
    /// A short name used in resource names (`dev`).
    #[serde(default)]
    pub short_name: String,
    /// The runtime of its providers: `ecs`, `eks`, `serverless`, `gen-ai-serverless`.
    #[serde(default)]
    pub environment_type: String,
    /// `single-account` or `multi-account`.
    #[serde(default)]
    pub env_type_account: String,
    /// `single-region` or `multi-region`.
    #[serde(default)]
    pub env_type_region: String,
    /// `development`, `testing`, `staging`, `sandbox`, `production`.
    #[serde(default)]
    pub category: String,
    /// `private`, `internal`, `public`.
    #[serde(default)]
    pub classification: String,
    /// Its rank, 1 (dev) to 10 (prod).
    #[serde(default)]
    pub level: i64,
    /// The repository holding the environment.
    #[serde(default)]
    pub repo_url: String,
    /// Whether a deployment waits for approval.
    #[serde(default)]
    pub deployment_requires_approval: bool,
}

impl AwsEnvironment {
    /// The platform fields of the metadata.
    pub fn platform_metadata(&self) -> Result<EnvironmentMetadata, crate::Error> {
        serde_json::from_value(serde_json::Value::Object(self.metadata.extra.clone()))
            .map_err(|e| crate::Error::Invalid(format!("{}: metadata: {e}", self.entity_ref())))
    }
}

/// The environment types OPA on AWS knows.
pub const ENVIRONMENT_TYPES: &[&str] = &["ecs", "eks", "serverless", "gen-ai-serverless"];

const RULES: &[(&str, FieldRule)] = &[
    ("shortName", FieldRule::Text),
    ("environmentType", FieldRule::OneOf(ENVIRONMENT_TYPES)),
    (
        "envTypeAccount",
        FieldRule::OneOf(&["single-account", "multi-account"]),
    ),
    (
        "envTypeRegion",
        FieldRule::OneOf(&["single-region", "multi-region"]),
    ),
    (
        "category",
        FieldRule::OneOf(&["development", "testing", "staging", "sandbox", "production"]),
    ),
    (
        "classification",
        FieldRule::OneOf(&["private", "internal", "public"]),
    ),
    ("level", FieldRule::Number),
    ("repoUrl", FieldRule::Text),
    ("deploymentRequiresApproval", FieldRule::Boolean),
];

fn check_metadata(root: &Node, out: &mut Problems) {
    check_fields(root, RULES, out);
}

/// The schema of `AWSEnvironment`: spec `type`, `lifecycle`, `owner` required; `dependsOn` are
/// its providers.
pub(crate) static SCHEMA: KindSchema = KindSchema {
    kind: "AWSEnvironment",
    api_versions: &[PLATFORM_API_VERSION],
    spec: Ty::Object {
        fields: &[
            Field::required("type", NON_EMPTY),
            Field::required("lifecycle", NON_EMPTY),
            Field::required("owner", NON_EMPTY),
            Field::optional("system", NON_EMPTY),
            Field::optional("dependsOn", NON_EMPTY_LIST),
        ],
        additional: None,
    },
    relations: &[
        OWNER,
        SYSTEM,
        RelationField::new(
            "dependsOn",
            Some("AWSEnvironmentProvider"),
            "dependsOn",
            "dependencyOf",
        ),
    ],
    extra: Some(check_metadata),
};
