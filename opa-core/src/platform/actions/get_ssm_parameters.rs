//! `opa:get-ssm-parameters`: parameters of each environment provider, keyed by provider.

use async_trait::async_trait;
use serde_json::{Map, Value as Json, json};

use super::{PlatformServices, string_list};
use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `opa:get-ssm-parameters`.
#[derive(Debug, Clone)]
pub struct GetSsmParameters {
    services: PlatformServices,
}

impl GetSsmParameters {
    /// The action over these services.
    pub fn new(services: PlatformServices) -> Self {
        Self { services }
    }
}

#[async_trait]
impl Action for GetSsmParameters {
    fn id(&self) -> &str {
        "opa:get-ssm-parameters"
    }

    fn description(&self) -> &str {
        "Retrieves SSM parameters for each environment provider (the output of opa:get-env-providers)."
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["paramKeys", "envProviders"],
            "properties": {
                "paramKeys": {"type": "array", "items": {"type": "string"}},
                "envProviders": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["envProviderName"],
                        "properties": {"envProviderName": {"type": "string"}}
                    }
                }
            }
        }))
    }

    fn output_schema(&self) -> Option<Json> {
        Some(json!({"type": "object", "properties": {"params": {"type": "object"}}}))
    }

    fn supports_dry_run(&self) -> bool {
        true
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let keys = string_list(&ctx.input, "paramKeys")?;
        let providers: Vec<String> = ctx
            .input
            .get("envProviders")
            .and_then(Json::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|p| p.get("envProviderName").and_then(Json::as_str))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let session = self.services.session().await?;
        let mut params = Map::new();
        for provider in providers {
            let mut values = Map::new();
            for key in &keys {
                let value = self
                    .services
                    .parameters
                    .get_parameter(&session, key)
                    .await
                    .map_err(|e| {
                        ActionError::Failed(format!("parameter {key} of {provider}: {e}"))
                    })?;
                values.insert(key.clone(), Json::String(value));
            }
            params.insert(provider, Json::Object(values));
        }
        ctx.output("params", Json::Object(params));
        Ok(())
    }
}
