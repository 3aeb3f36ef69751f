//! Merge requests (`POST /projects/:id/merge_requests`).

use opa_core::vcs::{ChangeRequest, ChangeRequestInfo, VcsError};
use reqwest::Method;
use serde_json::json;

use super::GitLab;
use super::http::Call;
use super::model::{MergeRequest, encode_path};

impl GitLab {
    /// Opens a merge request from `source_branch` into `target_branch`; its number is the
    /// project-scoped `iid`.
    pub(super) async fn open_merge_request(
        &self,
        request: &ChangeRequest,
    ) -> Result<ChangeRequestInfo, VcsError> {
        let repo = &request.repo;
        let body = json!({
            "source_branch": request.source_branch,
            "target_branch": request.target_branch,
            "title": request.title,
            "description": request.description,
        });
        let mr: MergeRequest = self
            .http
            .json(Call::send(
                Method::POST,
                format!(
                    "/projects/{}/merge_requests",
                    encode_path(&repo.to_string())
                ),
                body,
                format!(
                    "merge request {} -> {} in {repo}",
                    request.source_branch, request.target_branch
                ),
            ))
            .await?;
        let url = mr.web_url.unwrap_or_else(|| {
            format!("{}/{repo}/-/merge_requests/{}", self.http.base_url, mr.iid)
        });
        Ok(ChangeRequestInfo {
            number: mr.iid,
            url,
        })
    }
}
