//! An environment provider: an account + region + runtime backed by an IaC repository, and —
//! once its pipeline has run — the roles and the audit table operations need.

use serde::Serialize;
use serde_json::Value;

use super::PROVIDER_KIND;
use super::error::{NotProvisioned, PlatformError, ProviderPart};
use super::fields::{expect_kind, reference, text, text_list};
use super::resolution::ResolvedProvider;
use super::runtime::{IacType, RuntimeType};
use crate::entity::EntityRef;
use crate::platform::aws_ids::is_account_id;

/// An environment provider, read from an `AWSEnvironmentProvider` entity. Parts that
/// provisioning fills in are `None` until then (OPA's templates write them as `""`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentProvider {
    /// The entity's reference.
    pub entity_ref: EntityRef,
    /// `metadata.name`.
    pub name: String,
    /// `spec.owner`, as a Group reference.
    pub owner: Option<EntityRef>,
    /// `metadata.awsAccount`: 12 digits.
    pub account: Option<String>,
    /// `metadata.awsRegion`.
    pub region: Option<String>,
    /// `metadata.prefix`: the platform prefix in resource names.
    pub prefix: Option<String>,
    /// `metadata.envType`.
    pub runtime_type: Option<RuntimeType>,
    /// `metadata.iacType`.
    pub iac_type: Option<IacType>,
    /// The IaC repository: `metadata.repoUrl`, else the `backstage.io/source-location`
    /// annotation.
    pub iac_repository: Option<String>,
    /// `metadata.environmentRole`: the role the provider's own pipeline deploys with.
    pub environment_role: Option<String>,
    /// `metadata.provisioningRole`: the role app pipelines assume (an ARN, or an SSM parameter
    /// name holding it, as OPA writes it).
    pub provisioning_role: Option<String>,
    /// `metadata.operationRole`: the role operations assume.
    pub operations_role: Option<String>,
    /// `metadata.auditTable`.
    pub audit_table: Option<String>,
    /// `metadata.vpc`.
    pub vpc: Option<String>,
    /// `metadata.clusterName`.
    pub cluster: Option<String>,
    /// `metadata.kmsKey`.
    pub kms_key: Option<String>,
    /// `metadata.secrets`: names or ARNs of the provider's secrets.
    pub secrets: Vec<String>,
    /// `metadata.stackName`.
    pub stack_name: Option<String>,
}

impl EnvironmentProvider {
    /// Reads a provider from its entity's JSON form. Missing or empty parts are `None`; a part
    /// with a malformed value (an account that is not 12 digits, an unknown runtime) is an error.
    pub fn from_entity(entity: &Value) -> Result<Self, PlatformError> {
        let me = expect_kind(entity, PROVIDER_KIND, "an AWSEnvironmentProvider")?;
        let invalid = |path: &str, message: String| PlatformError::InvalidField {
            entity: me.clone(),
            path: path.to_string(),
            message,
        };
        let account = text(entity, "metadata", "awsAccount");
        if let Some(a) = &account {
            if !is_account_id(a) {
                return Err(invalid(
                    "metadata.awsAccount",
                    format!("must be a 12-digit AWS account id, found \"{a}\""),
                ));
            }
        }
        let runtime_type = text(entity, "metadata", "envType")
            .map(|s| s.parse::<RuntimeType>())
            .transpose()
            .map_err(|e| invalid("metadata.envType", e))?;
        let iac_type = text(entity, "metadata", "iacType")
            .map(|s| s.parse::<IacType>())
            .transpose()
            .map_err(|e| invalid("metadata.iacType", e))?;
        let owner = text(entity, "spec", "owner")
            .map(|o| reference(&me, "spec.owner", &o, "Group"))
            .transpose()?;
        let iac_repository = text(entity, "metadata", "repoUrl").or_else(|| {
            entity
                .pointer("/metadata/annotations/backstage.io~1source-location")
                .and_then(Value::as_str)
                .map(|s| s.strip_prefix("url:").unwrap_or(s).to_string())
        });
        Ok(Self {
            name: me.name.clone(),
            owner,
            account,
            region: text(entity, "metadata", "awsRegion"),
            prefix: text(entity, "metadata", "prefix"),
            runtime_type,
            iac_type,
            iac_repository,
            environment_role: text(entity, "metadata", "environmentRole"),
            provisioning_role: text(entity, "metadata", "provisioningRole"),
            operations_role: text(entity, "metadata", "operationRole"),
            audit_table: text(entity, "metadata", "auditTable"),
            vpc: text(entity, "metadata", "vpc"),
            cluster: text(entity, "metadata", "clusterName"),
            kms_key: text(entity, "metadata", "kmsKey"),
            secrets: text_list(entity, "metadata", "secrets"),
            stack_name: text(entity, "metadata", "stackName"),
            entity_ref: me,
        })
    }

    /// The required parts that are missing or empty, in the order of [`ProviderPart`].
    pub fn missing_parts(&self) -> Vec<ProviderPart> {
        let checks: [(ProviderPart, bool); 8] = [
            (ProviderPart::Account, self.account.is_some()),
            (ProviderPart::Region, self.region.is_some()),
            (ProviderPart::Prefix, self.prefix.is_some()),
            (ProviderPart::RuntimeType, self.runtime_type.is_some()),
            (ProviderPart::IacType, self.iac_type.is_some()),
            (
                ProviderPart::ProvisioningRole,
                self.provisioning_role.is_some(),
            ),
            (ProviderPart::OperationsRole, self.operations_role.is_some()),
            (ProviderPart::AuditTable, self.audit_table.is_some()),
        ];
        checks
            .into_iter()
            .filter(|(_, present)| !present)
            .map(|(part, _)| part)
            .collect()
    }

    /// Whether every required part is there.
    pub fn is_provisioned(&self) -> bool {
        self.missing_parts().is_empty()
    }

    /// The provisioned view of this provider, or which parts are missing.
    pub fn provisioned(&self) -> Result<ResolvedProvider, NotProvisioned> {
        let missing = self.missing_parts();
        let (
            Some(account),
            Some(region),
            Some(prefix),
            Some(runtime_type),
            Some(iac_type),
            Some(provisioning_role),
            Some(operations_role),
            Some(audit_table),
        ) = (
            &self.account,
            &self.region,
            &self.prefix,
            self.runtime_type,
            self.iac_type,
            &self.provisioning_role,
            &self.operations_role,
            &self.audit_table,
        )
        else {
            return Err(NotProvisioned {
                provider: self.entity_ref.clone(),
                missing,
            });
        };
        Ok(ResolvedProvider {
            env_provider_name: self.name.clone(),
            env_provider_ref: self.entity_ref.to_string(),
            env_provider_type: runtime_type,
            env_provider_prefix: prefix.clone(),
            account_id: account.clone(),
            region: region.clone(),
            vpc_id: self.vpc.clone().unwrap_or_default(),
            cluster_arn: self.cluster.clone().unwrap_or_default(),
            assumed_role_arn: provisioning_role.clone(),
            operations_role_arn: operations_role.clone(),
            audit_table: audit_table.clone(),
            iac_type,
            kms_key: self.kms_key.clone(),
        })
    }
}
