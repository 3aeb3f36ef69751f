//! GitLab's REST API (v4) as a [`Vcs`], for gitlab.com and self-managed instances.
//!
//! Projects (create in a group, read, list a group with its subgroups), repository files (read,
//! list the tree, commit a set of files in one commit), merge requests, project access tokens,
//! CI/CD variables and pipelines.
//!
//! Requests carry the token in the `PRIVATE-TOKEN` header; it never appears in `Debug` output
//! or in errors. 401, 403, 404 and 409 map to [`VcsError::Unauthorized`],
//! [`VcsError::Forbidden`], [`VcsError::NotFound`] and [`VcsError::Conflict`] (or
//! [`VcsError::AlreadyExists`] when creating); 429 is retried after `Retry-After` (or
//! `RateLimit-Reset`) a few times before [`VcsError::RateLimited`], and an answer saying
//! `RateLimit-Remaining: 0` pauses the next request until the reset.

mod access_tokens;
mod http;
mod merge_requests;
mod model;
mod pipelines;
mod projects;
mod repository;
mod variables;

use std::sync::Arc;
use std::sync::atomic::AtomicU8;

use async_trait::async_trait;
use opa_core::config::SecretString;
use opa_core::vcs::{
    AccessToken, AccessTokenRequest, ChangeRequest, ChangeRequestInfo, CommitInfo, CommitRequest,
    CreateRepository, PipelineInfo, RepoId, Repository, Vcs, VcsError,
};

pub use model::encode_path;
pub use variables::{CiVariable, VariableWrite};

/// The instance used when none is configured.
pub const GITLAB_COM: &str = "https://gitlab.com";

/// Which file endpoint works: not known yet, `…/raw`, or only the JSON one.
const FILES_UNKNOWN: u8 = 0;
const FILES_RAW: u8 = 1;
const FILES_JSON_ONLY: u8 = 2;

/// A GitLab instance (gitlab.com or self-managed) reached through its REST API.
#[derive(Clone)]
pub struct GitLab {
    http: http::Http,
    file_mode: Arc<AtomicU8>,
}

impl std::fmt::Debug for GitLab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitLab")
            .field("base_url", &self.http.base_url)
            .field("token", &self.http.has_token().then_some("***"))
            .finish()
    }
}

impl GitLab {
    /// A client for the instance at `base_url` (`https://gitlab.com`, or with `/api/v4`),
    /// authenticating with `token` when given.
    pub fn new(base_url: impl Into<String>, token: Option<SecretString>) -> Result<Self, VcsError> {
        Ok(Self {
            http: http::Http::new(&base_url.into(), token)?,
            file_mode: Arc::new(AtomicU8::new(FILES_UNKNOWN)),
        })
    }

    /// A client whose token is `token` when given, else the `GITLAB_TOKEN` environment variable.
    pub fn from_env(
        base_url: impl Into<String>,
        token: Option<SecretString>,
    ) -> Result<Self, VcsError> {
        let token = token
            .filter(|t| !t.is_empty())
            .or_else(|| std::env::var("GITLAB_TOKEN").ok().map(SecretString::new));
        Self::new(base_url, token)
    }

    /// The instance URL, without `/api/v4`.
    pub fn base_url(&self) -> &str {
        &self.http.base_url
    }
}

#[async_trait]
impl Vcs for GitLab {
    fn kind(&self) -> &'static str {
        "gitlab"
    }

    async fn create_repository(&self, request: &CreateRepository) -> Result<Repository, VcsError> {
        self.create_project(request).await
    }

    async fn get_repository(&self, repo: &RepoId) -> Result<Option<Repository>, VcsError> {
        Ok(self
            .find_project(repo)
            .await?
            .map(model::Project::into_repository))
    }

    async fn commit_files(&self, request: &CommitRequest) -> Result<CommitInfo, VcsError> {
        self.commit(request).await
    }

    async fn read_file(
        &self,
        repo: &RepoId,
        branch: Option<&str>,
        path: &str,
    ) -> Result<Vec<u8>, VcsError> {
        let branch = self.branch_or_default(repo, branch).await?;
        self.raw_file(repo, &branch, path.trim_start_matches('/'))
            .await
    }

    async fn list_files(
        &self,
        repo: &RepoId,
        branch: Option<&str>,
        glob: &str,
    ) -> Result<Vec<String>, VcsError> {
        let branch = self.branch_or_default(repo, branch).await?;
        self.matching_files(repo, &branch, glob).await
    }

    async fn list_repositories(&self, owner: Option<&str>) -> Result<Vec<Repository>, VcsError> {
        let Some(group) = owner else {
            return Err(VcsError::InvalidRequest(
                "listing GitLab projects needs a group".to_string(),
            ));
        };
        self.group_projects(group, false).await
    }

    async fn open_change_request(
        &self,
        request: &ChangeRequest,
    ) -> Result<ChangeRequestInfo, VcsError> {
        self.open_merge_request(request).await
    }

    async fn start_pipeline(&self, repo: &RepoId, branch: &str) -> Result<PipelineInfo, VcsError> {
        self.trigger_pipeline(&repo.to_string(), branch, &[]).await
    }

    async fn create_access_token(
        &self,
        request: &AccessTokenRequest,
    ) -> Result<AccessToken, VcsError> {
        self.create_project_access_token(request).await
    }

    async fn create_branch(
        &self,
        repo: &RepoId,
        branch: &str,
        from: Option<&str>,
    ) -> Result<(), VcsError> {
        let from = self.branch_or_default(repo, from).await?;
        self.new_branch(repo, branch, &from).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_project_paths() {
        assert_eq!(
            encode_path("group/sub/my project"),
            "group%2Fsub%2Fmy%20project"
        );
        assert_eq!(
            encode_path(".backstage/catalog-info.yaml"),
            ".backstage%2Fcatalog-info.yaml"
        );
    }

    #[test]
    fn debug_hides_the_token() {
        let gl = GitLab::new(
            "https://gitlab.example.com/api/v4/",
            Some(SecretString::new("glpat-secret")),
        )
        .unwrap();
        let text = format!("{gl:?}");
        assert!(!text.contains("glpat-secret"), "{text}");
        assert!(text.contains("https://gitlab.example.com\""), "{text}");
    }
}
