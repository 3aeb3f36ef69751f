//! `AWSEnvironmentProvider`: an account + region + runtime (ECS, EKS, serverless) backed by an
//! infrastructure-as-code repository. Fields the provisioning pipeline fills in later may be
//! empty strings: such a provider is valid but not yet provisioned.

use serde::{Deserialize, Serialize};

use super::PLATFORM_API_VERSION;
use super::checks::{FieldRule, check_fields};
use super::environment::ENVIRONMENT_TYPES;
use crate::entity::kinds::{DEPENDS_ON, KindSchema, OWNER, SYSTEM};
use crate::entity::object::{Entity, EntitySpec};
use crate::entity::schema::{Field, NON_EMPTY, NON_EMPTY_LIST, Ty};
use crate::entity::validate::Problems;
use crate::yaml::Node;

/// An environment provider entity.
pub type AwsEnvironmentProvider = Entity<ProviderSpec>;

/// The spec of an environment provider.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderSpec {
    /// `environment-provider`.
    #[serde(rename = "type")]
    pub provider_type: String,
    /// `experimental`, `production`…
    pub lifecycle: String,
    /// The owning group.
    pub owner: String,
    /// The system it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Entities it depends on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

impl EntitySpec for ProviderSpec {
    const KIND: &'static str = "AWSEnvironmentProvider";
    const API_VERSIONS: &'static [&'static str] = &[PLATFORM_API_VERSION];
}

/// The provider's own metadata fields, typed (read from `metadata.extra`). Empty strings mean
/// "not provisioned yet".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderMetadata {
    /// The platform prefix used in resource names.
    #[serde(default)]
    pub prefix: String,
    /// `ecs`, `eks`, `serverless`, `gen-ai-serverless`.
    #[serde(default)]
    pub env_type: String,
    /// The 12-digit account id.
    #[serde(default, deserialize_with = "string_or_number")]
    pub aws_account: String,
    /// The region (`us-east-1`).
    #[serde(default)]
    pub aws_region: String,
    /// The role the environment's pipelines assume.
    #[serde(default)]
    pub environment_role: String,
    /// The VPC id.
    #[serde(default)]
    pub vpc: String,
    /// The EKS/ECS cluster name.
    #[serde(default)]
    pub cluster_name: String,
    /// The role operations (start, stop, env vars) assume.
    #[serde(default)]
    pub operation_role: String,
    /// The role provisioning assumes.
    #[serde(default)]
    pub provisioning_role: String,
    /// The audit table.
    #[serde(default)]
    pub audit_table: String,
    /// The infrastructure stack.
    #[serde(default)]
    pub stack_name: String,
    /// `cdk` or `terraform`.
    #[serde(default)]
    pub iac_type: String,
    /// How the provider's state is kept (`cloudformation`, `terraform-cloud`…).
    #[serde(default)]
    pub component_state: String,
    /// `gitlab` or `github`.
    #[serde(default)]
    pub git_provider: String,
}

impl ProviderMetadata {
    /// Whether the provisioning pipeline has filled in the fields operations need.
    pub fn is_provisioned(&self) -> bool {
        [
            &self.aws_account,
            &self.aws_region,
            &self.operation_role,
            &self.provisioning_role,
            &self.audit_table,
        ]
        .iter()
        .all(|v| !v.is_empty())
    }
}

fn string_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::String(s) => s,
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    })
}

impl AwsEnvironmentProvider {
    /// The platform fields of the metadata.
    pub fn platform_metadata(&self) -> Result<ProviderMetadata, crate::Error> {
        serde_json::from_value(serde_json::Value::Object(self.metadata.extra.clone()))
            .map_err(|e| crate::Error::Invalid(format!("{}: metadata: {e}", self.entity_ref())))
    }
}

const RULES: &[(&str, FieldRule)] = &[
    ("prefix", FieldRule::Text),
    ("envType", FieldRule::OneOf(ENVIRONMENT_TYPES)),
    ("awsAccount", FieldRule::AccountId),
    ("awsRegion", FieldRule::Region),
    ("environmentRole", FieldRule::RoleArn),
    ("vpc", FieldRule::Text),
    ("clusterName", FieldRule::Text),
    ("operationRole", FieldRule::RoleArn),
    ("provisioningRole", FieldRule::RoleArn),
    ("auditTable", FieldRule::Text),
    ("stackName", FieldRule::Text),
    ("iacType", FieldRule::OneOf(&["cdk", "terraform"])),
    ("componentState", FieldRule::Text),
    ("gitProvider", FieldRule::OneOf(&["gitlab", "github"])),
];

fn check_metadata(root: &Node, out: &mut Problems) {
    check_fields(root, RULES, out);
}

/// The schema of `AWSEnvironmentProvider`.
pub(crate) static SCHEMA: KindSchema = KindSchema {
    kind: "AWSEnvironmentProvider",
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
    relations: &[OWNER, SYSTEM, DEPENDS_ON],
    extra: Some(check_metadata),
};
