//! [`SpaceliftClient`] as an [`IacRunner`], and the runner opa.yaml's `spacelift:` section
//! describes.

use std::sync::Arc;

use async_trait::async_trait;
use opa_core::config::SpaceliftAccess;
use opa_core::iac::{IacError, IacRunner, ReadOnly, Stack, TriggeredRun};

use crate::client::SpaceliftClient;
use crate::credentials::ApiKey;
use crate::error::SpaceliftError;

#[async_trait]
impl IacRunner for SpaceliftClient {
    fn kind(&self) -> &'static str {
        "spacelift"
    }

    async fn list_stacks(&self) -> Result<Vec<Stack>, IacError> {
        Ok(self.stacks().await?)
    }

    async fn trigger_run(&self, stack: &str) -> Result<TriggeredRun, IacError> {
        Ok(SpaceliftClient::trigger_run(self, stack).await?)
    }
}

impl From<SpaceliftError> for IacError {
    fn from(e: SpaceliftError) -> Self {
        let message = e.to_string();
        match e {
            SpaceliftError::Unauthorized { .. } => IacError::Unauthorized(message),
            SpaceliftError::Forbidden { .. } => IacError::Forbidden(message),
            SpaceliftError::RateLimited {
                retry_after_secs, ..
            } => IacError::RateLimited {
                message,
                retry_after_secs,
            },
            // Spacelift names an unknown (or invisible) stack in its error: "stack not found".
            SpaceliftError::GraphQl { messages, .. }
                if messages
                    .iter()
                    .any(|m| m.to_ascii_lowercase().contains("not found")) =>
            {
                IacError::NotFound(message)
            }
            SpaceliftError::GraphQl { .. } => IacError::Api(message),
            SpaceliftError::Invalid(_) => IacError::InvalidRequest(message),
            _ => IacError::Backend(message),
        }
    }
}

/// The runner `access` describes: a [`SpaceliftClient`], wrapped in [`ReadOnly`] when
/// `readOnly` is set.
pub fn runner_from_access(access: &SpaceliftAccess) -> Arc<dyn IacRunner> {
    let client = SpaceliftClient::new(
        access.endpoint.clone(),
        ApiKey::new(access.api_key_id.clone(), access.api_key_secret.clone()),
    );
    if access.read_only {
        Arc::new(ReadOnly::new(client))
    } else {
        Arc::new(client)
    }
}
