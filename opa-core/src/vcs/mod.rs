//! Version control as the platform uses it: a `Vcs` host that creates repositories, commits files,
//! reads and lists them.
//!
//! The trait is implemented by `opa-vcs` (local git now; GitLab and GitHub later). It is async,
//! object-safe and `Send + Sync`, so one `Arc<dyn Vcs>` serves every task. Which backend serves a
//! URL's host is decided by [`VcsResolver`] from `opa.yaml`'s `integrations`.

mod blob_url;
mod error;
mod repo_url;
mod resolver;
mod types;

pub use blob_url::BlobUrl;
pub use error::VcsError;
pub use repo_url::RepoUrl;
pub use resolver::{HostVcs, VcsResolver};
pub use types::{
    AccessToken, AccessTokenRequest, ChangeRequest, ChangeRequestInfo, CommitInfo, CommitRequest,
    CreateRepository, FileChange, PipelineInfo, RepoId, Repository, Visibility,
};

use async_trait::async_trait;

/// A git host: the operations templates, discovery and the platform need.
///
/// Methods that only some hosts offer (merge/pull requests, pipelines) have default
/// implementations that return [`VcsError::Unsupported`].
#[async_trait]
pub trait Vcs: Send + Sync {
    /// The backend's kind, e.g. `local`, `gitlab`, `github`.
    fn kind(&self) -> &'static str;

    /// Creates a repository. Fails with [`VcsError::AlreadyExists`] when it exists.
    async fn create_repository(&self, request: &CreateRepository) -> Result<Repository, VcsError>;

    /// The repository, or `None` when it does not exist.
    async fn get_repository(&self, repo: &RepoId) -> Result<Option<Repository>, VcsError>;

    /// Commits a set of files (added or replaced) to a branch, creating the branch when the
    /// repository has no commit on it yet.
    async fn commit_files(&self, request: &CommitRequest) -> Result<CommitInfo, VcsError>;

    /// Reads a file at the tip of a branch (the default branch when `branch` is `None`).
    async fn read_file(
        &self,
        repo: &RepoId,
        branch: Option<&str>,
        path: &str,
    ) -> Result<Vec<u8>, VcsError>;

    /// Lists the paths of the files matching a glob (`**/catalog-info.yaml`) at the tip of a
    /// branch (the default branch when `None`), sorted.
    async fn list_files(
        &self,
        repo: &RepoId,
        branch: Option<&str>,
        glob: &str,
    ) -> Result<Vec<String>, VcsError>;

    /// Lists the repositories under an owner (group or organisation, subgroups included), or
    /// every repository when `owner` is `None`.
    async fn list_repositories(&self, owner: Option<&str>) -> Result<Vec<Repository>, VcsError>;

    /// Creates `branch` at the tip of `from` (the default branch when `None`). Fails with
    /// [`VcsError::AlreadyExists`] when the branch exists.
    async fn create_branch(
        &self,
        repo: &RepoId,
        branch: &str,
        from: Option<&str>,
    ) -> Result<(), VcsError> {
        let _ = (repo, branch, from);
        Err(VcsError::Unsupported {
            backend: self.kind(),
            operation: "create a branch",
        })
    }

    /// Opens a merge request (GitLab) or pull request (GitHub).
    async fn open_change_request(
        &self,
        request: &ChangeRequest,
    ) -> Result<ChangeRequestInfo, VcsError> {
        let _ = request;
        Err(VcsError::Unsupported {
            backend: self.kind(),
            operation: "open a merge or pull request",
        })
    }

    /// Starts a pipeline (GitLab) or workflow run (GitHub) on a branch.
    async fn start_pipeline(&self, repo: &RepoId, branch: &str) -> Result<PipelineInfo, VcsError> {
        let _ = (repo, branch);
        Err(VcsError::Unsupported {
            backend: self.kind(),
            operation: "start a pipeline",
        })
    }

    /// Creates an access token scoped to one repository (a GitLab project access token).
    async fn create_access_token(
        &self,
        request: &AccessTokenRequest,
    ) -> Result<AccessToken, VcsError> {
        let _ = request;
        Err(VcsError::Unsupported {
            backend: self.kind(),
            operation: "create a repository access token",
        })
    }
}
