//! `opa:create-secret`: an empty secret for the app (its repository token, later), as OPA makes it.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::PlatformServices;
use crate::cloud::SecretString;
use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `opa:create-secret`.
#[derive(Debug, Clone)]
pub struct CreateSecret {
    services: PlatformServices,
}

impl CreateSecret {
    /// The action over these services.
    pub fn new(services: PlatformServices) -> Self {
        Self { services }
    }
}

#[async_trait]
impl Action for CreateSecret {
    fn id(&self) -> &str {
        "opa:create-secret"
    }

    fn description(&self) -> &str {
        "Creates a secret in the platform account and returns its ARN."
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["secretName"],
            "properties": {
                "secretName": {"type": "string", "minLength": 1},
                "description": {"type": "string"},
                "region": {"type": "string"},
                "tags": {"type": "array"}
            }
        }))
    }

    fn output_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "properties": {"awsSecretArn": {"type": "string"}}
        }))
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let name = ctx.required_str("secretName")?.to_string();
        let description = ctx.input_str("description").map(str::to_string);
        let session = self.services.session().await?;
        // OPA creates the secret empty; the repository token is put into it later.
        let created = self
            .services
            .secrets
            .create_secret(
                &session,
                &name,
                &SecretString::new(String::new()),
                description.as_deref(),
            )
            .await
            .map_err(|e| ActionError::Failed(format!("cannot create secret {name}: {e}")))?;
        ctx.logger.info(format!("created secret {}", created.name));
        ctx.output("awsSecretArn", created.arn);
        Ok(())
    }
}
