//! Pipelines: trigger one on a branch (`POST /projects/:id/pipeline`) and read its status
//! (`GET /projects/:id/pipelines/:pipeline_id`).

use opa_core::config::SecretString;
use opa_core::vcs::{PipelineInfo, VcsError};
use reqwest::Method;
use serde_json::json;

use super::GitLab;
use super::http::Call;
use super::model::{Pipeline, encode_path};

fn info(p: Pipeline) -> PipelineInfo {
    PipelineInfo {
        id: p.id,
        status: p.status,
        url: p.web_url,
    }
}

impl GitLab {
    /// Triggers a pipeline on `git_ref` with these variables (values are sent, never logged).
    pub async fn trigger_pipeline(
        &self,
        project: &str,
        git_ref: &str,
        variables: &[(String, SecretString)],
    ) -> Result<PipelineInfo, VcsError> {
        let mut body = json!({ "ref": git_ref });
        if !variables.is_empty() {
            body["variables"] = variables
                .iter()
                .map(|(k, v)| json!({"key": k, "value": v.expose(), "variable_type": "env_var"}))
                .collect();
        }
        let pipeline: Pipeline = self
            .http
            .json(Call::send(
                Method::POST,
                format!("/projects/{}/pipeline", encode_path(project)),
                body,
                format!("a pipeline of project {project} on {git_ref}"),
            ))
            .await?;
        Ok(info(pipeline))
    }

    /// A pipeline's current status (`created`, `pending`, `running`, `success`, `failed`, …).
    pub async fn pipeline_status(
        &self,
        project: &str,
        pipeline_id: u64,
    ) -> Result<PipelineInfo, VcsError> {
        let pipeline: Pipeline = self
            .http
            .json(Call::get(
                format!("/projects/{}/pipelines/{pipeline_id}", encode_path(project)),
                format!("pipeline {pipeline_id} of project {project}"),
            ))
            .await?;
        Ok(info(pipeline))
    }
}
