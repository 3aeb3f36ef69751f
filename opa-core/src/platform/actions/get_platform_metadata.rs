//! `opa:get-platform-metadata`: the platform's region (and account and prefix).

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::PlatformServices;
use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `opa:get-platform-metadata`.
#[derive(Debug, Clone)]
pub struct GetPlatformMetadata {
    services: PlatformServices,
}

impl GetPlatformMetadata {
    /// The action over these services.
    pub fn new(services: PlatformServices) -> Self {
        Self { services }
    }
}

#[async_trait]
impl Action for GetPlatformMetadata {
    fn id(&self) -> &str {
        "opa:get-platform-metadata"
    }

    fn description(&self) -> &str {
        "Returns metadata about the platform: its region, account and prefix."
    }

    fn output_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "properties": {
                "platformRegion": {"type": "string"},
                "platformAccount": {"type": "string"},
                "platformPrefix": {"type": "string"}
            }
        }))
    }

    fn supports_dry_run(&self) -> bool {
        true
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let session = self.services.session().await?;
        let identity = self
            .services
            .credentials
            .caller_identity(&session)
            .await
            .map_err(|e| {
                ActionError::Failed(format!("cannot identify the platform account: {e}"))
            })?;
        ctx.output("platformRegion", self.services.region.clone());
        ctx.output("platformAccount", identity.account);
        ctx.output("platformPrefix", self.services.prefix.clone());
        Ok(())
    }
}
