//! `publish:github`: creates a repository on a GitHub host (or whatever backend `opa.yaml` maps
//! the host to) and pushes the workspace to it.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::publish::{Flavor, common_input_properties, publish};
use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `publish:github`.
#[derive(Debug, Default, Clone, Copy)]
pub struct PublishGithub;

#[async_trait]
impl Action for PublishGithub {
    fn id(&self) -> &str {
        "publish:github"
    }

    fn description(&self) -> &str {
        "Initializes a git repository of contents in workspace and publishes it to GitHub."
    }

    fn input_schema(&self) -> Option<Json> {
        let mut props = common_input_properties();
        for key in ["homepage", "access"] {
            props.insert(key.into(), json!({"type": "string"}));
        }
        props.insert(
            "allowedHosts".into(),
            json!({"type": "array", "items": {"type": "string"}}),
        );
        Some(json!({"type": "object", "required": ["repoUrl"], "properties": props}))
    }

    fn output_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "properties": {
                "remoteUrl": {"type": "string", "title": "A URL to the repository with the provider"},
                "repoContentsUrl": {"type": "string", "title": "A URL to the root of the repository"},
                "commitHash": {"type": "string", "title": "The git commit hash of the initial commit"}
            }
        }))
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        publish(ctx, Flavor::Github, false).await?;
        Ok(())
    }
}
