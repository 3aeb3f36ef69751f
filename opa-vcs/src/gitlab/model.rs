//! GitLab's answers, as its REST API v4 documents them (only the fields used).

use opa_core::vcs::{RepoId, Repository, Visibility};
use serde::Deserialize;

/// A project (`GET /projects/:id`, `GET /groups/:id/projects`, `POST /projects`).
#[derive(Debug, Deserialize)]
pub(super) struct Project {
    pub id: u64,
    #[serde(default)]
    pub path_with_namespace: String,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub namespace: Option<ProjectNamespace>,
    #[serde(default)]
    pub default_branch: Option<String>,
    #[serde(default)]
    pub visibility: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub http_url_to_repo: Option<String>,
    #[serde(default)]
    pub web_url: Option<String>,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub empty_repo: bool,
}

impl Project {
    pub fn into_repository(mut self) -> Repository {
        // Some servers leave out `path_with_namespace`: build it from the namespace and path.
        if self.path_with_namespace.is_empty()
            && let (Some(ns), Some(path)) = (&self.namespace, &self.path)
            && let Some(full) = &ns.full_path
        {
            self.path_with_namespace = format!("{full}/{path}");
        }
        let (owner, name) = match self.path_with_namespace.rsplit_once('/') {
            Some((o, n)) => (o.to_string(), n.to_string()),
            None => (String::new(), self.path_with_namespace.clone()),
        };
        Repository {
            id: RepoId::new(owner, name),
            project_id: Some(self.id),
            default_branch: self
                .default_branch
                .filter(|b| !b.is_empty())
                .unwrap_or_else(|| "main".to_string()),
            visibility: self
                .visibility
                .as_deref()
                .and_then(Visibility::parse)
                .unwrap_or_default(),
            description: self.description.filter(|d| !d.is_empty()),
            clone_url: self.http_url_to_repo.unwrap_or_default(),
            web_url: self
                .web_url
                .unwrap_or_default()
                .trim_end_matches('/')
                .to_string(),
            archived: self.archived,
        }
    }
}

/// A project's `namespace` (only its path is used).
#[derive(Debug, Deserialize)]
pub(super) struct ProjectNamespace {
    #[serde(default)]
    pub full_path: Option<String>,
}

/// A namespace or group (`GET /namespaces/:id`, `GET /groups/:id/descendant_groups`).
#[derive(Debug, Deserialize)]
pub(super) struct Namespace {
    pub id: u64,
    #[serde(default)]
    pub full_path: Option<String>,
}

/// An entry of a repository tree (`GET /projects/:id/repository/tree`).
#[derive(Debug, Deserialize)]
pub(super) struct TreeEntry {
    #[serde(rename = "type")]
    pub kind: String,
    pub path: String,
}

/// A file with its content (`GET /projects/:id/repository/files/:file_path`).
#[derive(Debug, Deserialize)]
pub(super) struct FileContent {
    #[serde(default)]
    pub encoding: Option<String>,
    pub content: String,
}

/// A commit (`POST /projects/:id/repository/commits`).
#[derive(Debug, Deserialize)]
pub(super) struct Commit {
    pub id: String,
}

/// A merge request (`POST /projects/:id/merge_requests`).
#[derive(Debug, Deserialize)]
pub(super) struct MergeRequest {
    pub iid: u64,
    #[serde(default)]
    pub web_url: Option<String>,
}

/// A pipeline (`POST /projects/:id/pipeline`, `GET /projects/:id/pipelines/:pipeline_id`).
#[derive(Debug, Deserialize)]
pub(super) struct Pipeline {
    pub id: u64,
    pub status: String,
    #[serde(default)]
    pub web_url: Option<String>,
}

/// A project access token (`POST /projects/:id/access_tokens`). Its `Debug` hides the token.
#[derive(Deserialize)]
pub(super) struct ProjectAccessToken {
    pub id: u64,
    pub name: String,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub expires_at: Option<String>,
    #[serde(default)]
    pub token: Option<String>,
}

impl std::fmt::Debug for ProjectAccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProjectAccessToken")
            .field("id", &self.id)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Percent-encodes a path segment as GitLab wants it (`group/sub/project` →
/// `group%2Fsub%2Fproject`).
pub fn encode_path(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
