//! GitHub's REST API answers, as far as the client reads them.

use opa_core::vcs::{RepoId, Repository, Visibility};
use serde::Deserialize;

/// An account (`GET /users/{username}`; a repository's `owner`).
#[derive(Debug, Deserialize)]
pub(super) struct Account {
    pub login: String,
    /// `User` or `Organization`.
    #[serde(default, rename = "type")]
    pub kind: String,
}

/// A repository (`GET /repos/{owner}/{repo}`, `GET /orgs/{org}/repos`, `POST /orgs/{org}/repos`).
#[derive(Debug, Deserialize)]
pub(super) struct ApiRepository {
    pub id: u64,
    pub name: String,
    pub owner: Account,
    #[serde(default)]
    pub private: bool,
    #[serde(default)]
    pub visibility: Option<String>,
    #[serde(default)]
    pub default_branch: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub clone_url: Option<String>,
    #[serde(default)]
    pub html_url: Option<String>,
    #[serde(default)]
    pub archived: bool,
}

impl ApiRepository {
    pub fn into_repository(self) -> Repository {
        let visibility = self
            .visibility
            .as_deref()
            .and_then(Visibility::parse)
            .unwrap_or(if self.private {
                Visibility::Private
            } else {
                Visibility::Public
            });
        Repository {
            id: RepoId::new(self.owner.login, self.name),
            project_id: Some(self.id),
            default_branch: self.default_branch.unwrap_or_else(|| "main".to_string()),
            visibility,
            description: self.description.filter(|d| !d.is_empty()),
            clone_url: self.clone_url.unwrap_or_default(),
            web_url: self
                .html_url
                .unwrap_or_default()
                .trim_end_matches('/')
                .to_string(),
            archived: self.archived,
        }
    }
}

/// A git object named by a reference or a commit.
#[derive(Debug, Deserialize)]
pub(super) struct Sha {
    pub sha: String,
}

/// `GET /repos/{owner}/{repo}/git/ref/{ref}`.
#[derive(Debug, Deserialize)]
pub(super) struct GitRef {
    pub object: Sha,
}

/// `GET /repos/{owner}/{repo}/git/commits/{sha}`, `POST …/git/commits`.
#[derive(Debug, Deserialize)]
pub(super) struct GitCommit {
    pub sha: String,
    pub tree: Sha,
}

/// `PUT /repos/{owner}/{repo}/contents/{path}`.
#[derive(Debug, Deserialize)]
pub(super) struct ContentsWrite {
    pub commit: Sha,
}

/// `GET /repos/{owner}/{repo}/contents/{path}` for a file.
#[derive(Debug, Deserialize)]
pub(super) struct FileContents {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub encoding: Option<String>,
    #[serde(default)]
    pub content: Option<String>,
}

/// One entry of `GET /repos/{owner}/{repo}/git/trees/{tree_sha}`.
#[derive(Debug, Deserialize)]
pub(super) struct TreeEntry {
    pub path: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub sha: String,
}

/// `GET /repos/{owner}/{repo}/git/trees/{tree_sha}`.
#[derive(Debug, Deserialize)]
pub(super) struct Tree {
    #[serde(default)]
    pub tree: Vec<TreeEntry>,
    #[serde(default)]
    pub truncated: bool,
}

/// `POST /repos/{owner}/{repo}/pulls`.
#[derive(Debug, Deserialize)]
pub(super) struct PullRequest {
    pub number: u64,
    pub html_url: String,
}
