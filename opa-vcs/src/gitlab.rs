//! GitLab's REST API (v4) as a [`Vcs`]: projects of a group (subgroups included, paginated),
//! a project, and a file's raw content on a branch.
//!
//! Requests carry the token in the `PRIVATE-TOKEN` header; it never appears in `Debug` output
//! or in errors. 401/403 map to [`VcsError::Unauthorized`], 404 to [`VcsError::NotFound`], and
//! 429 is retried after `Retry-After` seconds (a few times, then a [`VcsError::Backend`]).

use std::time::Duration;

use async_trait::async_trait;
use opa_core::config::SecretString;
use opa_core::vcs::{
    CommitInfo, CommitRequest, CreateRepository, RepoId, Repository, Vcs, VcsError, Visibility,
};
use reqwest::{Response, StatusCode};
use serde::Deserialize;

/// How many times a rate-limited (429) request is retried.
const RATE_LIMIT_RETRIES: u32 = 3;
/// The longest `Retry-After` wait honoured, in seconds.
const MAX_RETRY_AFTER: u64 = 60;

/// A GitLab instance (gitlab.com or self-managed) reached through its REST API.
#[derive(Clone)]
pub struct GitLab {
    base_url: String,
    token: Option<SecretString>,
    http: reqwest::Client,
}

impl std::fmt::Debug for GitLab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitLab")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .finish()
    }
}

/// A project as `GET /projects` returns it (the fields used).
#[derive(Debug, Deserialize)]
struct Project {
    id: u64,
    path_with_namespace: String,
    #[serde(default)]
    default_branch: Option<String>,
    #[serde(default)]
    visibility: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    http_url_to_repo: Option<String>,
    #[serde(default)]
    web_url: Option<String>,
    #[serde(default)]
    archived: bool,
}

impl Project {
    fn into_repository(self) -> Repository {
        let (owner, name) = match self.path_with_namespace.rsplit_once('/') {
            Some((o, n)) => (o.to_string(), n.to_string()),
            None => (String::new(), self.path_with_namespace.clone()),
        };
        Repository {
            id: RepoId::new(owner, name),
            project_id: Some(self.id),
            default_branch: self.default_branch.unwrap_or_else(|| "main".to_string()),
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

/// Percent-encodes a path segment as GitLab wants it (`group/sub/project` → `group%2Fsub%2Fproject`).
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

impl GitLab {
    /// A client for the instance at `base_url` (`https://gitlab.com`; the API is under
    /// `/api/v4`), authenticating with `token` when given.
    pub fn new(base_url: impl Into<String>, token: Option<SecretString>) -> Result<Self, VcsError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("opa-rs/", env!("CARGO_PKG_VERSION")))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| VcsError::Backend(format!("cannot build the HTTP client: {e}")))?;
        let base_url = base_url.into().trim_end_matches('/').to_string();
        let base_url = base_url
            .strip_suffix("/api/v4")
            .map(str::to_string)
            .unwrap_or(base_url);
        Ok(Self {
            base_url,
            token: token.filter(|t| !t.is_empty()),
            http,
        })
    }

    /// A client whose token is `token` when given, else the `GITLAB_TOKEN` environment variable.
    pub fn from_env(
        base_url: impl Into<String>,
        token: Option<SecretString>,
    ) -> Result<Self, VcsError> {
        let token = token.or_else(|| std::env::var("GITLAB_TOKEN").ok().map(SecretString::new));
        Self::new(base_url, token)
    }

    fn api(&self, path: &str) -> String {
        format!("{}/api/v4{}", self.base_url, path)
    }

    /// GETs `url` (honouring 429 `Retry-After`) and maps error statuses; `what` names the
    /// object in errors.
    async fn get(&self, url: &str, what: &str) -> Result<Response, VcsError> {
        let mut attempt = 0;
        loop {
            let mut request = self.http.get(url);
            if let Some(token) = &self.token {
                request = request.header("PRIVATE-TOKEN", token.expose());
            }
            let response = request.send().await.map_err(|e| {
                VcsError::Backend(format!(
                    "GitLab request for {what} failed: {}",
                    e.without_url()
                ))
            })?;
            let status = response.status();
            if status.is_success() {
                return Ok(response);
            }
            match status {
                StatusCode::UNAUTHORIZED => {
                    return Err(VcsError::Unauthorized(format!(
                        "GitLab refused the token (401) for {what}; set GITLAB_TOKEN or the integration's token in opa.yaml"
                    )));
                }
                StatusCode::FORBIDDEN => {
                    return Err(VcsError::Unauthorized(format!(
                        "the token may not read {what} (403)"
                    )));
                }
                StatusCode::NOT_FOUND => return Err(VcsError::NotFound(what.to_string())),
                StatusCode::TOO_MANY_REQUESTS if attempt < RATE_LIMIT_RETRIES => {
                    attempt += 1;
                    let wait = response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .unwrap_or(1)
                        .min(MAX_RETRY_AFTER);
                    tracing::info!(what, wait, "GitLab rate limit: waiting before retrying");
                    tokio::time::sleep(Duration::from_secs(wait)).await;
                }
                StatusCode::TOO_MANY_REQUESTS => {
                    return Err(VcsError::Backend(format!(
                        "GitLab rate limit (429) still exceeded for {what} after {RATE_LIMIT_RETRIES} retries"
                    )));
                }
                other => {
                    return Err(VcsError::Backend(format!(
                        "GitLab answered {other} for {what}"
                    )));
                }
            }
        }
    }

    async fn project(&self, path: &str) -> Result<Project, VcsError> {
        let url = self.api(&format!("/projects/{}", encode_path(path)));
        let response = self.get(&url, &format!("project {path}")).await?;
        response.json::<Project>().await.map_err(|e| {
            VcsError::Backend(format!("unreadable GitLab answer for project {path}: {e}"))
        })
    }
}

/// The next page's number from `X-Next-Page`, or from a `Link: <…page=N…>; rel="next"` header.
fn next_page(response: &Response) -> Option<String> {
    let headers = response.headers();
    if let Some(next) = headers.get("x-next-page").and_then(|v| v.to_str().ok()) {
        let next = next.trim();
        return (!next.is_empty()).then(|| next.to_string());
    }
    let link = headers.get("link").and_then(|v| v.to_str().ok())?;
    link.split(',').find_map(|part| {
        let (url, rel) = part.split_once(';')?;
        if !rel.contains("rel=\"next\"") {
            return None;
        }
        let url = url.trim().trim_start_matches('<').trim_end_matches('>');
        let query = url.split_once('?')?.1;
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix("page=").map(str::to_string))
    })
}

#[async_trait]
impl Vcs for GitLab {
    fn kind(&self) -> &'static str {
        "gitlab"
    }

    async fn create_repository(&self, request: &CreateRepository) -> Result<Repository, VcsError> {
        let _ = request;
        Err(VcsError::Unsupported {
            backend: "gitlab",
            operation: "create a project (not implemented yet)",
        })
    }

    async fn get_repository(&self, repo: &RepoId) -> Result<Option<Repository>, VcsError> {
        match self.project(&repo.to_string()).await {
            Ok(p) => Ok(Some(p.into_repository())),
            Err(VcsError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn commit_files(&self, request: &CommitRequest) -> Result<CommitInfo, VcsError> {
        let _ = request;
        Err(VcsError::Unsupported {
            backend: "gitlab",
            operation: "commit files (not implemented yet)",
        })
    }

    async fn read_file(
        &self,
        repo: &RepoId,
        branch: Option<&str>,
        path: &str,
    ) -> Result<Vec<u8>, VcsError> {
        let project = repo.to_string();
        let branch = match branch {
            Some(b) => b.to_string(),
            None => match self.get_repository(repo).await? {
                Some(r) => r.default_branch,
                None => return Err(VcsError::NotFound(format!("project {project}"))),
            },
        };
        let url = self.api(&format!(
            "/projects/{}/repository/files/{}/raw?ref={}",
            encode_path(&project),
            encode_path(path),
            encode_path(&branch)
        ));
        let response = self
            .get(&url, &format!("{project}:{path}@{branch}"))
            .await?;
        let bytes = response.bytes().await.map_err(|e| {
            VcsError::Backend(format!("reading {project}:{path}: {}", e.without_url()))
        })?;
        Ok(bytes.to_vec())
    }

    async fn list_files(
        &self,
        repo: &RepoId,
        branch: Option<&str>,
        glob: &str,
    ) -> Result<Vec<String>, VcsError> {
        let _ = (repo, branch, glob);
        Err(VcsError::Unsupported {
            backend: "gitlab",
            operation: "list a repository tree (not implemented yet)",
        })
    }

    async fn list_repositories(&self, owner: Option<&str>) -> Result<Vec<Repository>, VcsError> {
        let Some(group) = owner else {
            return Err(VcsError::InvalidRequest(
                "listing GitLab projects needs a group".to_string(),
            ));
        };
        self.group_projects(group, false).await
    }
}

impl GitLab {
    /// The projects of `group` and its subgroups, archived ones too when `include_archived`,
    /// following the pagination headers.
    pub async fn group_projects(
        &self,
        group: &str,
        include_archived: bool,
    ) -> Result<Vec<Repository>, VcsError> {
        let group = group.trim_matches('/');
        let archived = if include_archived {
            ""
        } else {
            "&archived=false"
        };
        let mut out = Vec::new();
        let mut page = "1".to_string();
        for _ in 0..10_000 {
            let url = self.api(&format!(
                "/groups/{}/projects?include_subgroups=true{archived}&per_page=100&page={}",
                encode_path(group),
                encode_path(&page)
            ));
            let response = self.get(&url, &format!("group {group}")).await?;
            let next = next_page(&response);
            let projects: Vec<Project> = response.json().await.map_err(|e| {
                VcsError::Backend(format!("unreadable GitLab answer for group {group}: {e}"))
            })?;
            out.extend(projects.into_iter().map(Project::into_repository));
            match next {
                Some(n) if n != page => page = n,
                _ => break,
            }
        }
        Ok(out)
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
