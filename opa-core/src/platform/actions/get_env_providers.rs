//! `opa:get-env-providers`: an environment's providers with their accounts, regions and roles,
//! with OPA's output names.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::{PlatformServices, environment_entities};
use crate::entity::{EntityRef, RefDefaults};
use crate::platform::EntityIndex;
use crate::platform::model::ENVIRONMENT_KIND;
use crate::platform::model::{resolve_environment, resolve_parameter_names};
use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `opa:get-env-providers`.
#[derive(Debug, Clone)]
pub struct GetEnvProviders {
    services: PlatformServices,
}

impl GetEnvProviders {
    /// The action over these services.
    pub fn new(services: PlatformServices) -> Self {
        Self { services }
    }
}

#[async_trait]
impl Action for GetEnvProviders {
    fn id(&self) -> &str {
        "opa:get-env-providers"
    }

    fn description(&self) -> &str {
        "Resolves an environment to its providers: accounts, regions, roles and audit tables."
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["environmentRef"],
            "properties": {
                "environmentRef": {
                    "title": "Environment entity reference",
                    "type": "string",
                    "minLength": 1
                }
            }
        }))
    }

    fn output_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "properties": {
                "envName": {"type": "string"},
                "envShortName": {"type": "string"},
                "envRef": {"type": "string"},
                "envDeployManualApproval": {"type": "boolean"},
                "envLevel": {"type": "number"},
                "envProviders": {"type": "array", "items": {"type": "object"}}
            }
        }))
    }

    fn supports_dry_run(&self) -> bool {
        true
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let text = ctx.required_str("environmentRef")?;
        let env_ref = EntityRef::parse_with(text, RefDefaults::kind(ENVIRONMENT_KIND))
            .map_err(|e| ActionError::InvalidInput(e.to_string()))?;
        let catalog = ctx.backends.catalog.clone();
        let entities = environment_entities(catalog.as_ref(), &env_ref).await?;
        let index = EntityIndex::new(entities);
        let mut resolved = resolve_environment(&index, &env_ref)
            .map_err(|e| ActionError::Failed(e.to_string()))?;
        let session = self.services.session().await?;
        for provider in &mut resolved.env_providers {
            resolve_parameter_names(provider, self.services.parameters.as_ref(), &session)
                .await
                .map_err(|e| ActionError::Failed(e.to_string()))?;
        }
        ctx.logger.info(format!(
            "{} resolves to {} provider(s)",
            resolved.env_ref,
            resolved.env_providers.len()
        ));
        let value =
            serde_json::to_value(&resolved).map_err(|e| ActionError::Failed(e.to_string()))?;
        if let Json::Object(fields) = value {
            for (name, field) in fields {
                ctx.output(name, field);
            }
        }
        Ok(())
    }
}
