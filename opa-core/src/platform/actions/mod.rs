//! The platform's scaffolder actions (`opa:*`), as OPA on AWS's scaffolder backend module defines
//! them, implemented on the cloud traits so they run on the embedded local cloud and on AWS.
//!
//! Register them with [`register`] next to the built-in actions.

mod create_repo_access_token;
mod create_secret;
mod generate_pipeline;
mod get_component_info;
mod get_env_providers;
mod get_platform_metadata;
mod get_platform_parameters;
mod get_ssm_parameters;
mod kebab_case;

use std::sync::Arc;

pub use create_repo_access_token::CreateRepoAccessToken;
pub use create_secret::CreateSecret;
pub use generate_pipeline::GeneratePipeline;
pub use get_component_info::GetComponentInfo;
pub use get_env_providers::GetEnvProviders;
pub use get_platform_metadata::GetPlatformMetadata;
pub use get_platform_parameters::GetPlatformParameters;
pub use get_ssm_parameters::GetSsmParameters;

use crate::cloud::{CloudSession, Credentials, Parameters, Secrets};
use crate::entity::{EntityRef, RefDefaults};
use crate::platform::model::PROVIDER_KIND;
use crate::scaffolder::action::{ActionError, ActionRegistry};
use crate::scaffolder::catalog::TemplateCatalog;

/// What the `opa:*` actions act on.
#[derive(Clone)]
pub struct PlatformServices {
    /// Sessions in the platform account.
    pub credentials: Arc<dyn Credentials>,
    /// SSM-like parameters.
    pub parameters: Arc<dyn Parameters>,
    /// Secrets Manager-like secrets.
    pub secrets: Arc<dyn Secrets>,
    /// The platform's region.
    pub region: String,
    /// The platform's prefix (default `opa`).
    pub prefix: String,
}

impl std::fmt::Debug for PlatformServices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlatformServices")
            .field("region", &self.region)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl PlatformServices {
    /// A session in the platform account and region.
    pub(crate) async fn session(&self) -> Result<CloudSession, ActionError> {
        self.credentials
            .platform_session(&self.region)
            .await
            .map_err(|e| ActionError::Failed(format!("cannot open a platform session: {e}")))
    }
}

/// Adds every `opa:*` action to `registry`.
pub fn register(registry: &mut ActionRegistry, services: &PlatformServices) {
    registry.register(Arc::new(GetPlatformMetadata::new(services.clone())));
    registry.register(Arc::new(GetPlatformParameters::new(services.clone())));
    registry.register(Arc::new(GetSsmParameters::new(services.clone())));
    registry.register(Arc::new(GetEnvProviders::new(services.clone())));
    registry.register(Arc::new(CreateSecret::new(services.clone())));
    registry.register(Arc::new(CreateRepoAccessToken::new(services.clone())));
    registry.register(Arc::new(GeneratePipeline));
    registry.register(Arc::new(GetComponentInfo));
}

/// The string items of an array input.
pub(crate) fn string_list(
    input: &serde_json::Value,
    key: &str,
) -> Result<Vec<String>, ActionError> {
    match input.get(key) {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| ActionError::InvalidInput(format!("{key} must hold strings")))
            })
            .collect(),
        Some(_) => Err(ActionError::InvalidInput(format!("{key} must be an array"))),
        None => Err(ActionError::InvalidInput(format!("{key} is required"))),
    }
}

/// An environment's entity followed by the entities of the providers its `spec.dependsOn`
/// names (those the catalog holds): what resolving the environment needs.
pub(crate) async fn environment_entities(
    catalog: &dyn TemplateCatalog,
    env_ref: &EntityRef,
) -> Result<Vec<serde_json::Value>, ActionError> {
    let env = catalog
        .get_entity(env_ref)
        .await?
        .ok_or_else(|| ActionError::NotFound(format!("environment {env_ref}")))?;
    let targets: Vec<String> = env
        .pointer("/spec/dependsOn")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(serde_json::Value::as_str)
        .map(str::to_string)
        .collect();
    let mut entities = vec![env];
    for target in targets {
        let provider_ref = EntityRef::parse_with(&target, RefDefaults::kind(PROVIDER_KIND))
            .map_err(|e| ActionError::Failed(format!("{env_ref}: spec.dependsOn: {e}")))?;
        if let Some(provider) = catalog.get_entity(&provider_ref).await? {
            entities.push(provider);
        }
    }
    Ok(entities)
}
