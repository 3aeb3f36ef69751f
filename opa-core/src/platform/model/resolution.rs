//! Environment → providers → accounts, regions and roles: what OPA's `opa:get-env-providers`
//! action returns, with OPA's output names.

use serde::Serialize;

use super::environment::Environment;
use super::error::PlatformError;
use super::index::EntityLookup;
use super::provider::EnvironmentProvider;
use super::runtime::{IacType, RuntimeType};
use crate::entity::EntityRef;

/// A provisioned provider as a deployment sees it: one element of `envProviders`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedProvider {
    /// The provider's name.
    pub env_provider_name: String,
    /// The provider's entity reference (OPA-rs addition).
    pub env_provider_ref: String,
    /// Its runtime type.
    pub env_provider_type: RuntimeType,
    /// Its prefix.
    pub env_provider_prefix: String,
    /// The 12-digit account id.
    pub account_id: String,
    /// The region.
    pub region: String,
    /// The VPC (empty when it has none).
    pub vpc_id: String,
    /// The cluster (empty for serverless).
    pub cluster_arn: String,
    /// The provisioning role deployments assume (as the provider entity holds it: an ARN or
    /// an SSM parameter name).
    pub assumed_role_arn: String,
    /// The operations role (OPA-rs addition).
    pub operations_role_arn: String,
    /// The audit table (OPA-rs addition).
    pub audit_table: String,
    /// The provider's IaC type (OPA-rs addition).
    pub iac_type: IacType,
    /// The KMS key, if any (OPA-rs addition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<String>,
}

/// An environment with its providers resolved: the output of `opa:get-env-providers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedEnvironment {
    /// The environment's name.
    pub env_name: String,
    /// Its short name.
    pub env_short_name: String,
    /// Its reference.
    pub env_ref: String,
    /// Whether deployments wait for approval.
    pub env_deploy_manual_approval: bool,
    /// Its level (OPA-rs addition).
    pub env_level: u32,
    /// Its providers, in `spec.dependsOn` order.
    pub env_providers: Vec<ResolvedProvider>,
}

/// Resolves an environment to its providers. Fails when the environment or one of its
/// providers is not in the catalog, or when a provider is not provisioned (naming each missing
/// part), as OPA's action fails on a provider whose IaC deployment did not finish.
pub fn resolve_environment(
    lookup: &dyn EntityLookup,
    env_ref: &EntityRef,
) -> Result<ResolvedEnvironment, PlatformError> {
    let entity = lookup
        .entity(env_ref)
        .ok_or_else(|| PlatformError::NotFound(env_ref.clone()))?;
    let env = Environment::from_entity(entity)?;
    resolve_providers(lookup, &env)
}

/// Resolves an already read environment to its providers.
pub fn resolve_providers(
    lookup: &dyn EntityLookup,
    env: &Environment,
) -> Result<ResolvedEnvironment, PlatformError> {
    let mut env_providers = Vec::with_capacity(env.providers.len());
    for provider_ref in &env.providers {
        let entity = lookup
            .entity(provider_ref)
            .ok_or_else(|| PlatformError::NotFound(provider_ref.clone()))?;
        let provider = EnvironmentProvider::from_entity(entity)?;
        env_providers.push(provider.provisioned()?);
    }
    Ok(ResolvedEnvironment {
        env_name: env.name.clone(),
        env_short_name: env.short_name.clone(),
        env_ref: env.entity_ref.to_string(),
        env_deploy_manual_approval: env.requires_approval,
        env_level: env.level,
        env_providers,
    })
}

/// Replaces the values a provider entity holds as SSM parameter names (OPA writes
/// `provisioningRole`, `vpc` and `clusterName` that way: a value starting with `/`) by the
/// parameters' values, read with `session` (a session in the provider's account and region).
/// Values that are not parameter names are kept.
pub async fn resolve_parameter_names(
    provider: &mut ResolvedProvider,
    parameters: &dyn crate::cloud::Parameters,
    session: &crate::cloud::CloudSession,
) -> Result<(), crate::cloud::CloudError> {
    for value in [
        &mut provider.assumed_role_arn,
        &mut provider.operations_role_arn,
        &mut provider.vpc_id,
        &mut provider.cluster_arn,
        &mut provider.audit_table,
    ] {
        if value.starts_with('/') {
            *value = parameters.get_parameter(session, value).await?;
        }
    }
    Ok(())
}
