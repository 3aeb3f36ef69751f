//! `opa:createRepoAccessToken:gitlab`: a project access token for the app's repository, stored in
//! the secret that `opa:create-secret` made, as OPA on AWS does. The token's value goes only
//! into the secret: never into outputs, logs or errors.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::PlatformServices;
use crate::cloud::CloudError;
use crate::scaffolder::action::{Action, ActionContext, ActionError};
use crate::scaffolder::effects::Effect;
use crate::vcs::{AccessTokenRequest, RepoUrl};

/// The scopes OPA gives the token: the app's pipeline reads and writes its repository.
const SCOPES: &[&str] = &["api", "read_repository", "write_repository", "read_api"];
/// Maintainer: the pipeline pushes the report-back commit to a protected branch.
const MAINTAINER: u32 = 40;
/// Days until the token expires: just under GitLab's one-year maximum, as OPA chooses.
const VALID_DAYS: i64 = 364;

/// `opa:createRepoAccessToken:gitlab`.
#[derive(Debug, Clone)]
pub struct CreateRepoAccessToken {
    services: PlatformServices,
}

impl CreateRepoAccessToken {
    /// The action over these services.
    pub fn new(services: PlatformServices) -> Self {
        Self { services }
    }
}

#[async_trait]
impl Action for CreateRepoAccessToken {
    fn id(&self) -> &str {
        "opa:createRepoAccessToken:gitlab"
    }

    fn description(&self) -> &str {
        "Creates a GitLab project access token for the repository and stores it in a secret."
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["repoUrl", "secretArn", "projectId"],
            "properties": {
                "repoUrl": {"title": "Repository Location", "type": "string"},
                "projectId": {"title": "Project Id", "type": "number"},
                "secretArn": {"title": "Arn of the SecretsManager secret where the access token will be stored",
                              "type": "string"},
                "region": {"title": "AWS Region", "type": "string"}
            }
        }))
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let repo_url = RepoUrl::parse(ctx.required_str("repoUrl")?)?;
        let secret = ctx.required_str("secretArn")?.to_string();
        if secret.is_empty() {
            return Err(ActionError::InvalidInput("secretArn is empty".into()));
        }
        let project_id = match ctx.input.get("projectId") {
            Some(Json::Number(n)) => n.as_u64(),
            Some(Json::String(s)) => s.trim().parse::<u64>().ok(),
            _ => None,
        };
        let region = ctx
            .input_str("region")
            .filter(|r| !r.is_empty())
            .unwrap_or(&self.services.region)
            .to_string();
        let repo = repo_url.repo_id();
        ctx.logger.info(format!(
            "Project Id: {}",
            project_id.map_or_else(|| "-".to_string(), |id| id.to_string())
        ));
        ctx.logger
            .info(format!("Creating token for repo: {}", repo.name));
        let vcs = ctx.backends.vcs.vcs_for_host(&repo_url.host)?;
        let expires = chrono::Utc::now().date_naive() + chrono::Duration::days(VALID_DAYS);
        let token = vcs
            .create_access_token(&AccessTokenRequest {
                repo: repo.clone(),
                project_id,
                name: format!("{}-repo-access-token", repo.name),
                scopes: SCOPES.iter().map(|s| (*s).to_string()).collect(),
                access_level: MAINTAINER,
                expires_at: Some(expires.format("%Y-%m-%d").to_string()),
            })
            .await?;
        let session = self
            .services
            .credentials
            .platform_session(&region)
            .await
            .map_err(|e| ActionError::Failed(format!("cannot open a platform session: {e}")))?;
        let secrets = &self.services.secrets;
        let stored = match secrets
            .put_secret_value(&session, &secret, &token.token)
            .await
        {
            Ok(stored) => stored,
            // A plain name that does not exist yet is created (an ARN must exist, as on AWS).
            Err(CloudError::NotFound { .. }) if !secret.starts_with("arn:") => secrets
                .create_secret(
                    &session,
                    &secret,
                    &token.token,
                    Some(&format!("project access token of {repo}")),
                )
                .await
                .map_err(|e| ActionError::Failed(format!("cannot store the token: {e}")))?,
            Err(e) => {
                return Err(ActionError::Failed(format!(
                    "cannot store the token in secret {secret}: {e}"
                )));
            }
        };
        ctx.logger.info(format!(
            "Stored access token {} (expires {}) in secret {}",
            token.name,
            token.expires_at.as_deref().unwrap_or("never"),
            stored.arn
        ));
        ctx.record(Effect::Other {
            step_id: ctx.step_id.clone(),
            description: format!(
                "created access token {} for {repo} and stored it in secret {}",
                token.name, stored.arn
            ),
        });
        Ok(())
    }
}
