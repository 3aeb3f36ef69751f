//! GitHub's REST API (github.com and GitHub Enterprise Server) as a [`Vcs`]: repositories of an
//! organisation or user, commits through the git data API, files, pull requests, and Actions
//! (secrets, variables, workflow dispatches and runs).
//!
//! Every request carries `Accept: application/vnd.github+json`, `X-GitHub-Api-Version:
//! 2022-11-28`, a `User-Agent` and, with a token, `Authorization: Bearer …`. The token never
//! appears in `Debug` output or in errors. 401 maps to [`VcsError::Unauthorized`], 403 to
//! [`VcsError::Forbidden`], 404 to [`VcsError::NotFound`], 409 to [`VcsError::Conflict`], 422 to
//! [`VcsError::Rejected`]; rate limits (403/429 with `x-ratelimit-remaining: 0` or
//! `Retry-After`) are waited out up to a bound, then [`VcsError::RateLimited`].

mod actions;
mod api;
mod commit;
mod http;
mod sealed;

use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use opa_core::config::SecretString;
use opa_core::vcs::{
    ChangeRequest, ChangeRequestInfo, CommitInfo, CommitRequest, CreateRepository, PipelineInfo,
    RepoId, Repository, Vcs, VcsError, Visibility,
};
use reqwest::Method;
use serde_json::json;

pub use actions::{ActionsPublicKey, DispatchedRun, WorkflowRun};
pub use sealed::seal_secret;

use api::{Account, ApiRepository, FileContents, PullRequest, Tree};
use http::{Call, RAW_MEDIA_TYPE, path, segment};

/// github.com's API.
pub const GITHUB_API: &str = "https://api.github.com";
/// The longest rate-limit wait honoured by default.
const DEFAULT_MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(60);
/// The workflow [`Vcs::start_pipeline`] dispatches by default: the one `opa pipeline generate`
/// writes (`.github/workflows/deploy.yml`).
pub const DEFAULT_PIPELINE_WORKFLOW: &str = "deploy.yml";

/// A GitHub host (github.com or GitHub Enterprise Server) reached through its REST API.
#[derive(Clone)]
pub struct GitHub {
    api_base: String,
    token: Option<SecretString>,
    http: reqwest::Client,
    max_rate_limit_wait: Duration,
    pipeline_workflow: String,
}

impl std::fmt::Debug for GitHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitHub")
            .field("api_base", &self.api_base)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("max_rate_limit_wait", &self.max_rate_limit_wait)
            .field("pipeline_workflow", &self.pipeline_workflow)
            .finish()
    }
}

impl GitHub {
    /// A client for the API at `api_base` (<https://api.github.com>, or
    /// `https://HOST/api/v3` for GitHub Enterprise Server), authenticating with `token` when
    /// given.
    pub fn new(api_base: impl Into<String>, token: Option<SecretString>) -> Result<Self, VcsError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("opa-rs/", env!("CARGO_PKG_VERSION")))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| VcsError::Backend(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            api_base: api_base.into().trim_end_matches('/').to_string(),
            token: token.filter(|t| !t.is_empty()),
            http,
            max_rate_limit_wait: DEFAULT_MAX_RATE_LIMIT_WAIT,
            pipeline_workflow: DEFAULT_PIPELINE_WORKFLOW.to_string(),
        })
    }

    /// A client whose token is `token` when given, else the `GITHUB_TOKEN` environment variable.
    pub fn from_env(
        api_base: impl Into<String>,
        token: Option<SecretString>,
    ) -> Result<Self, VcsError> {
        let token = token
            .filter(|t| !t.is_empty())
            .or_else(|| std::env::var("GITHUB_TOKEN").ok().map(SecretString::new));
        Self::new(api_base, token)
    }

    /// The API base URL of a host as it appears in `repoUrl`s: github.com's is
    /// <https://api.github.com>, a GitHub Enterprise Server's is `https://HOST/api/v3`.
    pub fn api_base_for_host(host: &str) -> String {
        let host = host.trim().trim_end_matches('/').to_ascii_lowercase();
        if host == "github.com" || host == "www.github.com" {
            GITHUB_API.to_string()
        } else {
            format!("https://{host}/api/v3")
        }
    }

    /// The API base URL this client talks to.
    pub fn api_base(&self) -> &str {
        &self.api_base
    }

    /// Waits for a rate limit at most this long; a longer wait fails with
    /// [`VcsError::RateLimited`] at once (default 60 s).
    pub fn with_max_rate_limit_wait(mut self, wait: Duration) -> Self {
        self.max_rate_limit_wait = wait;
        self
    }

    /// The workflow (file name or id) that [`Vcs::start_pipeline`] dispatches (default
    /// `deploy.yml`).
    pub fn with_pipeline_workflow(mut self, workflow: impl Into<String>) -> Self {
        self.pipeline_workflow = workflow.into();
        self
    }

    /// The repository, or `None` when it does not exist.
    async fn repository(&self, repo: &RepoId) -> Result<Option<Repository>, VcsError> {
        let what = format!("repository {repo}");
        let url = self.api(&format!(
            "/repos/{}/{}",
            segment(&repo.owner),
            segment(&repo.name)
        ));
        match self
            .json::<ApiRepository>(&Call::new(Method::GET, url, &what))
            .await
        {
            Ok(r) => Ok(Some(r.into_repository())),
            Err(VcsError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `branch`, or the repository's default branch.
    async fn branch_or_default(
        &self,
        repo: &RepoId,
        branch: Option<&str>,
    ) -> Result<String, VcsError> {
        match branch {
            Some(b) => Ok(b.to_string()),
            None => match self.repository(repo).await? {
                Some(r) => Ok(r.default_branch),
                None => Err(VcsError::NotFound(format!("repository {repo}"))),
            },
        }
    }

    /// The repositories of organisation `org` (paginated), archived ones too when
    /// `include_archived`.
    pub async fn org_repositories(
        &self,
        org: &str,
        include_archived: bool,
    ) -> Result<Vec<Repository>, VcsError> {
        let url = self.api(&format!(
            "/orgs/{}/repos?type=all&per_page=100",
            segment(org)
        ));
        let repos: Vec<ApiRepository> = self.get_all(url, &format!("organization {org}")).await?;
        Ok(repos
            .into_iter()
            .map(ApiRepository::into_repository)
            .filter(|r| include_archived || !r.archived)
            .collect())
    }

    /// The paths of a tree's files, walking subtrees one by one (for trees too large for
    /// `recursive=1`).
    async fn walk_tree(&self, repo: &RepoId, root: &str) -> Result<Vec<String>, VcsError> {
        let mut files = Vec::new();
        let mut pending = vec![(String::new(), root.to_string())];
        while let Some((prefix, sha)) = pending.pop() {
            let what = format!("tree {sha} of {repo}");
            let url = self.api(&format!(
                "/repos/{}/{}/git/trees/{}",
                segment(&repo.owner),
                segment(&repo.name),
                segment(&sha)
            ));
            let tree: Tree = self.json(&Call::new(Method::GET, url, &what)).await?;
            for entry in tree.tree {
                let full = format!("{prefix}{}", entry.path);
                match entry.kind.as_str() {
                    "blob" => files.push(full),
                    "tree" => pending.push((format!("{full}/"), entry.sha)),
                    _ => {}
                }
            }
        }
        Ok(files)
    }
}

#[async_trait]
impl Vcs for GitHub {
    fn kind(&self) -> &'static str {
        "github"
    }

    /// Creates the repository in the organisation (`POST /orgs/{org}/repos`) or, when the owner
    /// is the token's own user, for that user (`POST /user/repos`). It is created empty; its
    /// default branch is the first branch committed to.
    async fn create_repository(&self, request: &CreateRepository) -> Result<Repository, VcsError> {
        let repo = &request.repo;
        let owner_what = format!("account {}", repo.owner);
        let owner: Account = self
            .json(&Call::new(
                Method::GET,
                self.api(&format!("/users/{}", segment(&repo.owner))),
                &owner_what,
            ))
            .await?;
        let mut body = json!({
            "name": repo.name,
            "private": request.visibility != Visibility::Public,
            "auto_init": false,
        });
        if let Some(d) = &request.description {
            body["description"] = json!(d);
        }
        let url = if owner.kind.eq_ignore_ascii_case("Organization") {
            body["visibility"] = json!(match request.visibility {
                Visibility::Private => "private",
                Visibility::Internal => "internal",
                Visibility::Public => "public",
            });
            self.api(&format!("/orgs/{}/repos", segment(&repo.owner)))
        } else {
            let me: Account = self
                .json(&Call::new(
                    Method::GET,
                    self.api("/user"),
                    "the authenticated user",
                ))
                .await?;
            if !me.login.eq_ignore_ascii_case(&owner.login) {
                return Err(VcsError::InvalidRequest(format!(
                    "cannot create {repo}: {} is a user, and the token belongs to {}",
                    owner.login, me.login
                )));
            }
            self.api("/user/repos")
        };
        let what = format!("repository {repo}");
        match self
            .json::<ApiRepository>(&Call::new(Method::POST, url, &what).body(&body))
            .await
        {
            Ok(created) => {
                let mut created = created.into_repository();
                created.default_branch = request.default_branch.clone();
                Ok(created)
            }
            Err(VcsError::Rejected(m)) if m.contains("already exists") => {
                Err(VcsError::AlreadyExists(repo.to_string()))
            }
            Err(e) => Err(e),
        }
    }

    async fn get_repository(&self, repo: &RepoId) -> Result<Option<Repository>, VcsError> {
        self.repository(repo).await
    }

    async fn commit_files(&self, request: &CommitRequest) -> Result<CommitInfo, VcsError> {
        self.commit(request).await
    }

    /// `GET /repos/{owner}/{repo}/contents/{path}?ref=…`, base64-decoded; files over 1 MB (which
    /// the JSON answer leaves out) are read again with the raw media type.
    async fn read_file(
        &self,
        repo: &RepoId,
        branch: Option<&str>,
        file: &str,
    ) -> Result<Vec<u8>, VcsError> {
        let mut url = self.api(&format!(
            "/repos/{}/{}/contents/{}",
            segment(&repo.owner),
            segment(&repo.name),
            path(file)
        ));
        if let Some(b) = branch {
            url.push_str(&format!("?ref={}", segment(b)));
        }
        let what = format!("{file} in {repo}@{}", branch.unwrap_or("HEAD"));
        let response = self
            .send(&Call::new(Method::GET, url.clone(), &what))
            .await?;
        let json: serde_json::Value = http::read_json(response, &what).await?;
        if json.is_array() {
            return Err(VcsError::InvalidRequest(format!("{what} is a directory")));
        }
        let contents: FileContents = serde_json::from_value(json)
            .map_err(|e| VcsError::Backend(format!("unreadable GitHub answer for {what}: {e}")))?;
        if contents.kind != "file" {
            return Err(VcsError::NotFound(format!("{what} (a {})", contents.kind)));
        }
        match (contents.encoding.as_deref(), contents.content) {
            (Some("base64"), Some(content)) => {
                let compact: String = content.split_whitespace().collect();
                BASE64.decode(compact).map_err(|e| {
                    VcsError::Backend(format!("GitHub sent invalid base64 for {what}: {e}"))
                })
            }
            _ => {
                let mut call = Call::new(Method::GET, url, &what);
                call.accept = RAW_MEDIA_TYPE;
                let bytes = self.send(&call).await?.bytes().await.map_err(|e| {
                    VcsError::Backend(format!("reading {what}: {}", e.without_url()))
                })?;
                Ok(bytes.to_vec())
            }
        }
    }

    /// `GET /repos/{owner}/{repo}/git/trees/{branch}?recursive=1`, the blobs' paths filtered by
    /// the glob; a truncated answer is completed by walking the subtrees. An empty repository
    /// has no files.
    async fn list_files(
        &self,
        repo: &RepoId,
        branch: Option<&str>,
        glob: &str,
    ) -> Result<Vec<String>, VcsError> {
        let matcher = globset::GlobBuilder::new(glob)
            .literal_separator(true)
            .build()
            .map_err(|e| VcsError::InvalidRequest(format!("invalid glob {glob:?}: {e}")))?
            .compile_matcher();
        let branch = self.branch_or_default(repo, branch).await?;
        let what = format!("the files of {repo}@{branch}");
        let url = self.api(&format!(
            "/repos/{}/{}/git/trees/{}?recursive=1",
            segment(&repo.owner),
            segment(&repo.name),
            path(&branch)
        ));
        let tree: Tree = match self.json(&Call::new(Method::GET, url, &what)).await {
            Ok(t) => t,
            Err(VcsError::Conflict(_)) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut files: Vec<String> = if tree.truncated {
            tracing::info!(%repo, "GitHub truncated the tree; walking its subtrees");
            self.walk_tree(repo, &branch).await?
        } else {
            tree.tree
                .into_iter()
                .filter(|e| e.kind == "blob")
                .map(|e| e.path)
                .collect()
        };
        files.retain(|p| matcher.is_match(p));
        files.sort();
        Ok(files)
    }

    /// The repositories of an organisation, else of a user (`GET /users/{owner}/repos`); with no
    /// owner, those the token's user can reach (`GET /user/repos`). Archived ones included.
    async fn list_repositories(&self, owner: Option<&str>) -> Result<Vec<Repository>, VcsError> {
        let Some(owner) = owner else {
            let repos: Vec<ApiRepository> = self
                .get_all(
                    self.api("/user/repos?per_page=100"),
                    "the authenticated user's repositories",
                )
                .await?;
            return Ok(repos
                .into_iter()
                .map(ApiRepository::into_repository)
                .collect());
        };
        match self.org_repositories(owner, true).await {
            Err(VcsError::NotFound(_)) => {
                let url = self.api(&format!(
                    "/users/{}/repos?type=owner&per_page=100",
                    segment(owner)
                ));
                let repos: Vec<ApiRepository> = self.get_all(url, &format!("user {owner}")).await?;
                Ok(repos
                    .into_iter()
                    .map(ApiRepository::into_repository)
                    .collect())
            }
            other => other,
        }
    }

    async fn create_branch(
        &self,
        repo: &RepoId,
        branch: &str,
        from: Option<&str>,
    ) -> Result<(), VcsError> {
        let from = self.branch_or_default(repo, from).await?;
        let Some(sha) = self.branch_tip(repo, &from).await? else {
            return Err(VcsError::NotFound(format!("branch {from} of {repo}")));
        };
        self.create_ref(repo, branch, &sha).await
    }

    /// `POST /repos/{owner}/{repo}/pulls`.
    async fn open_change_request(
        &self,
        request: &ChangeRequest,
    ) -> Result<ChangeRequestInfo, VcsError> {
        let repo = &request.repo;
        let what = format!(
            "a pull request from {} to {} in {repo}",
            request.source_branch, request.target_branch
        );
        let url = self.api(&format!(
            "/repos/{}/{}/pulls",
            segment(&repo.owner),
            segment(&repo.name)
        ));
        let body = json!({
            "title": request.title,
            "head": request.source_branch,
            "base": request.target_branch,
            "body": request.description,
        });
        let pr: PullRequest = self
            .json(&Call::new(Method::POST, url, &what).body(&body))
            .await?;
        Ok(ChangeRequestInfo {
            number: pr.number,
            url: pr.html_url,
        })
    }

    /// Dispatches the pipeline workflow (default `deploy.yml`) on `branch` and reports its run.
    async fn start_pipeline(&self, repo: &RepoId, branch: &str) -> Result<PipelineInfo, VcsError> {
        let workflow = self.pipeline_workflow.clone();
        let dispatched = self
            .dispatch_workflow(repo, &workflow, branch, &serde_json::Map::new())
            .await?;
        let run = match dispatched {
            Some(d) => Some(self.workflow_run(repo, d.run_id).await?),
            None => self
                .workflow_runs(repo, &workflow, Some(branch))
                .await?
                .into_iter()
                .next(),
        };
        Ok(match run {
            Some(run) => PipelineInfo {
                id: run.id,
                status: run.status,
                url: run.html_url,
            },
            None => PipelineInfo {
                id: 0,
                status: "requested".to_string(),
                url: None,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_token() {
        let gh = GitHub::new(
            "https://ghe.example.com/api/v3/",
            Some(SecretString::new("ghp_secret")),
        )
        .unwrap();
        let text = format!("{gh:?}");
        assert!(!text.contains("ghp_secret"), "{text}");
        assert!(
            text.contains("\"https://ghe.example.com/api/v3\""),
            "{text}"
        );
    }

    #[test]
    fn api_base_for_hosts() {
        assert_eq!(GitHub::api_base_for_host("github.com"), GITHUB_API);
        assert_eq!(
            GitHub::api_base_for_host("GHE.Example.com"),
            "https://ghe.example.com/api/v3"
        );
    }
}
