//! `opa:get-platform-parameters`: values of the platform's SSM parameters.

use async_trait::async_trait;
use serde_json::{Map, Value as Json, json};

use super::{PlatformServices, string_list};
use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `opa:get-platform-parameters`.
#[derive(Debug, Clone)]
pub struct GetPlatformParameters {
    services: PlatformServices,
}

impl GetPlatformParameters {
    /// The action over these services.
    pub fn new(services: PlatformServices) -> Self {
        Self { services }
    }
}

#[async_trait]
impl Action for GetPlatformParameters {
    fn id(&self) -> &str {
        "opa:get-platform-parameters"
    }

    fn description(&self) -> &str {
        "Retrieves parameters of the platform account by name."
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["paramKeys"],
            "properties": {
                "paramKeys": {
                    "title": "Parameter names",
                    "type": "array",
                    "items": {"type": "string"},
                    "minItems": 1
                }
            }
        }))
    }

    fn output_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "properties": {"params": {"type": "object"}}
        }))
    }

    fn supports_dry_run(&self) -> bool {
        true
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let keys = string_list(&ctx.input, "paramKeys")?;
        let session = self.services.session().await?;
        let mut params = Map::new();
        for key in keys {
            let value = self
                .services
                .parameters
                .get_parameter(&session, &key)
                .await
                .map_err(|e| ActionError::Failed(format!("parameter {key}: {e}")))?;
            params.insert(key, Json::String(value));
        }
        ctx.output("params", Json::Object(params));
        Ok(())
    }
}
