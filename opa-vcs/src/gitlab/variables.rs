//! CI/CD variables of a project (`POST /projects/:id/variables`, `PUT …/variables/:key`).

use opa_core::config::SecretString;
use opa_core::vcs::VcsError;
use reqwest::Method;
use serde_json::json;

use super::GitLab;
use super::http::{Call, is_taken};
use super::model::encode_path;

/// A project CI/CD variable to set. `Debug` hides the value.
#[derive(Clone)]
pub struct CiVariable {
    /// Its key (`AWS_ROLE_ARN`).
    pub key: String,
    /// Its value.
    pub value: SecretString,
    /// Whether GitLab masks it in job logs.
    pub masked: bool,
    /// Whether only protected branches and tags see it.
    pub protected: bool,
    /// `env_var` (default) or `file`.
    pub file: bool,
    /// The environments that see it (`*` for all).
    pub environment_scope: Option<String>,
}

impl std::fmt::Debug for CiVariable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CiVariable")
            .field("key", &self.key)
            .field("masked", &self.masked)
            .field("protected", &self.protected)
            .finish_non_exhaustive()
    }
}

/// Whether [`GitLab::set_project_variable`] created or replaced the variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariableWrite {
    /// The variable was new.
    Created,
    /// The variable existed and its value and flags were replaced.
    Updated,
}

impl GitLab {
    /// Sets a project CI/CD variable: `POST`, and `PUT` when GitLab says the key exists (400
    /// `has already been taken`, or 409).
    pub async fn set_project_variable(
        &self,
        project: &str,
        variable: &CiVariable,
    ) -> Result<VariableWrite, VcsError> {
        let mut body = json!({
            "key": variable.key,
            "value": variable.value.expose(),
            "masked": variable.masked,
            "protected": variable.protected,
            "variable_type": if variable.file { "file" } else { "env_var" },
        });
        if let Some(scope) = &variable.environment_scope {
            body["environment_scope"] = json!(scope);
        }
        let what = format!("CI/CD variable {} of project {project}", variable.key);
        let path = format!("/projects/{}/variables", encode_path(project));
        match self
            .http
            .call(Call::send(Method::POST, path.clone(), body.clone(), &what))
            .await
        {
            Ok(_) => Ok(VariableWrite::Created),
            Err(e) if is_taken(&e) => {
                let put = Call::send(
                    Method::PUT,
                    format!("{path}/{}", encode_path(&variable.key)),
                    body,
                    &what,
                );
                let put = match &variable.environment_scope {
                    Some(scope) => put.query("filter[environment_scope]", scope.clone()),
                    None => put,
                };
                self.http.call(put).await?;
                Ok(VariableWrite::Updated)
            }
            Err(e) => Err(e),
        }
    }
}
