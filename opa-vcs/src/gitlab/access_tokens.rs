//! Project access tokens (`POST /projects/:id/access_tokens`).

use opa_core::config::SecretString;
use opa_core::vcs::{AccessToken, AccessTokenRequest, VcsError};
use reqwest::Method;
use serde_json::json;

use super::GitLab;
use super::http::Call;
use super::model::{ProjectAccessToken, encode_path};

impl GitLab {
    /// Creates a project access token (GitLab 13.10+; `expires_at` is required from 16.0).
    /// The project is named by `project_id` when given, else by its path.
    pub(super) async fn create_project_access_token(
        &self,
        request: &AccessTokenRequest,
    ) -> Result<AccessToken, VcsError> {
        let project = match request.project_id {
            Some(id) => id.to_string(),
            None => request.repo.to_string(),
        };
        let mut body = json!({
            "name": request.name,
            "scopes": request.scopes,
            "access_level": request.access_level,
        });
        if let Some(expires) = &request.expires_at {
            body["expires_at"] = json!(expires);
        }
        let created: ProjectAccessToken = self
            .http
            .json(Call::send(
                Method::POST,
                format!("/projects/{}/access_tokens", encode_path(&project)),
                body,
                format!("an access token for project {project}"),
            ))
            .await?;
        let token = created.token.filter(|t| !t.is_empty()).ok_or_else(|| {
            VcsError::Backend(format!(
                "GitLab created access token {} for project {project} but returned no token",
                created.id
            ))
        })?;
        Ok(AccessToken {
            id: created.id,
            name: created.name,
            scopes: created.scopes,
            expires_at: created.expires_at,
            token: SecretString::new(token),
        })
    }
}
