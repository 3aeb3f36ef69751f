//! `publish:gitlab`: creates a project on a GitLab host (or whatever backend `opa.yaml` maps the
//! host to) and pushes the workspace to it.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::publish::{Flavor, common_input_properties, publish};
use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `publish:gitlab`.
#[derive(Debug, Default, Clone, Copy)]
pub struct PublishGitlab;

#[async_trait]
impl Action for PublishGitlab {
    fn id(&self) -> &str {
        "publish:gitlab"
    }

    fn description(&self) -> &str {
        "Initializes a git repository of the content in the workspace, and publishes it to GitLab."
    }

    fn input_schema(&self) -> Option<Json> {
        let mut props = common_input_properties();
        props.insert("skipExisting".into(), json!({"type": "boolean"}));
        props.insert("setUserAsOwner".into(), json!({"type": "boolean"}));
        for key in ["settings", "branches", "projectVariables"] {
            props.insert(key.into(), json!({}));
        }
        Some(json!({"type": "object", "required": ["repoUrl"], "properties": props}))
    }

    fn output_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "properties": {
                "remoteUrl": {"type": "string", "title": "A URL to the repository with the provider"},
                "repoContentsUrl": {"type": "string", "title": "A URL to the root of the repository"},
                "projectId": {"type": "number", "title": "The ID of the project"},
                "commitHash": {"type": "string", "title": "The git commit hash of the initial commit"},
                "created": {"type": "boolean", "title": "Whether the repository was created or not"}
            }
        }))
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let skip = ctx.input_bool("skipExisting");
        let published = publish(ctx, Flavor::Gitlab, skip).await?;
        if !published.created {
            let url = published.repository.web_url.clone();
            ctx.output("remoteUrl", published.repository.clone_url.clone());
            ctx.output(
                "repoContentsUrl",
                format!("{url}/-/blob/{}", published.branch),
            );
        }
        ctx.output("projectId", published.repository.project_id.unwrap_or(0));
        ctx.output("created", published.created);
        let _ = published.commit_hash;
        Ok(())
    }
}
