//! GitHub Actions on a repository: secrets (sealed with the repository's public key),
//! variables, workflow dispatches and their runs.

use opa_core::config::SecretString;
use opa_core::vcs::{RepoId, VcsError};
use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json, json};

use super::GitHub;
use super::http::{Call, read_json, segment};
use super::sealed::seal_secret;

/// A repository's public key for Actions secrets
/// (`GET /repos/{owner}/{repo}/actions/secrets/public-key`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ActionsPublicKey {
    /// The key's id, sent back with each secret.
    pub key_id: String,
    /// The Curve25519 public key, base64.
    pub key: String,
}

/// A workflow run as GitHub reports it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct WorkflowRun {
    /// Its id.
    pub id: u64,
    /// `queued`, `in_progress`, `completed`, …
    pub status: String,
    /// `success`, `failure`, … once completed.
    #[serde(default)]
    pub conclusion: Option<String>,
    /// The branch it runs on.
    #[serde(default)]
    pub head_branch: Option<String>,
    /// What started it (`workflow_dispatch`, `push`, …).
    #[serde(default)]
    pub event: Option<String>,
    /// Its page.
    #[serde(default)]
    pub html_url: Option<String>,
}

/// The run a dispatch started, when the host says (`return_run_details`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DispatchedRun {
    /// The run's id.
    #[serde(rename = "workflow_run_id")]
    pub run_id: u64,
    /// The run's API URL.
    #[serde(default)]
    pub run_url: Option<String>,
    /// The run's page.
    #[serde(default)]
    pub html_url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct WorkflowRuns {
    #[serde(default)]
    workflow_runs: Vec<WorkflowRun>,
}

impl GitHub {
    fn actions_api(&self, repo: &RepoId, rest: &str) -> String {
        self.api(&format!(
            "/repos/{}/{}/actions{rest}",
            segment(&repo.owner),
            segment(&repo.name)
        ))
    }

    /// The repository's public key for Actions secrets.
    pub async fn actions_public_key(&self, repo: &RepoId) -> Result<ActionsPublicKey, VcsError> {
        let what = format!("the Actions public key of {repo}");
        let url = self.actions_api(repo, "/secrets/public-key");
        self.json(&Call::new(Method::GET, url, &what)).await
    }

    /// Creates or replaces an Actions secret: the value is sealed (libsodium sealed box) with
    /// the repository's public key, so only GitHub can read it.
    pub async fn set_actions_secret(
        &self,
        repo: &RepoId,
        name: &str,
        value: &SecretString,
    ) -> Result<(), VcsError> {
        let key = self.actions_public_key(repo).await?;
        let encrypted = seal_secret(&key.key, value.expose().as_bytes())?;
        let what = format!("Actions secret {name} of {repo}");
        let url = self.actions_api(repo, &format!("/secrets/{}", segment(name)));
        let body = json!({"encrypted_value": encrypted, "key_id": key.key_id});
        self.send(&Call::new(Method::PUT, url, &what).body(&body))
            .await?;
        Ok(())
    }

    /// Creates an Actions variable, or updates it when it exists (409 on create).
    pub async fn set_actions_variable(
        &self,
        repo: &RepoId,
        name: &str,
        value: &str,
    ) -> Result<(), VcsError> {
        let what = format!("Actions variable {name} of {repo}");
        let body = json!({"name": name, "value": value});
        let create = Call::new(Method::POST, self.actions_api(repo, "/variables"), &what);
        match self.send(&create.body(&body)).await {
            Ok(_) => Ok(()),
            Err(VcsError::Conflict(_)) => {
                let url = self.actions_api(repo, &format!("/variables/{}", segment(name)));
                self.send(&Call::new(Method::PATCH, url, &what).body(&body))
                    .await?;
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Dispatches a workflow (its file name, such as `deploy.yml`, or its id) on `git_ref` with
    /// `inputs`. Asks for the run's details; a host that answers 204 without them gives `None`.
    pub async fn dispatch_workflow(
        &self,
        repo: &RepoId,
        workflow: &str,
        git_ref: &str,
        inputs: &Map<String, Json>,
    ) -> Result<Option<DispatchedRun>, VcsError> {
        let what = format!("workflow {workflow} of {repo}");
        let url = self.actions_api(
            repo,
            &format!("/workflows/{}/dispatches", segment(workflow)),
        );
        let body = json!({"ref": git_ref, "inputs": inputs, "return_run_details": true});
        let response = self
            .send(&Call::new(Method::POST, url, &what).body(&body))
            .await?;
        if response.status() == StatusCode::NO_CONTENT {
            return Ok(None);
        }
        read_json(response, &what).await.map(Some)
    }

    /// The runs of a workflow started by dispatches, newest first, on `branch` when given.
    pub async fn workflow_runs(
        &self,
        repo: &RepoId,
        workflow: &str,
        branch: Option<&str>,
    ) -> Result<Vec<WorkflowRun>, VcsError> {
        let what = format!("the runs of workflow {workflow} of {repo}");
        let mut url = self.actions_api(
            repo,
            &format!(
                "/workflows/{}/runs?event=workflow_dispatch&per_page=30",
                segment(workflow)
            ),
        );
        if let Some(b) = branch {
            url.push_str(&format!("&branch={}", segment(b)));
        }
        let runs: WorkflowRuns = self.json(&Call::new(Method::GET, url, &what)).await?;
        Ok(runs.workflow_runs)
    }

    /// One workflow run.
    pub async fn workflow_run(&self, repo: &RepoId, run_id: u64) -> Result<WorkflowRun, VcsError> {
        let what = format!("workflow run {run_id} of {repo}");
        let url = self.actions_api(repo, &format!("/runs/{run_id}"));
        self.json(&Call::new(Method::GET, url, &what)).await
    }
}
