//! A project's repository: reading a file, listing the tree, committing a set of files in one
//! commit (the commits API with `create`/`update` actions).

use std::collections::HashSet;

use base64::Engine as _;
use opa_core::vcs::{CommitInfo, CommitRequest, RepoId, VcsError};
use reqwest::Method;
use serde_json::json;

use super::GitLab;
use super::http::Call;
use super::model::{Commit, FileContent, TreeEntry, encode_path};
use super::{FILES_JSON_ONLY, FILES_RAW, FILES_UNKNOWN};

impl GitLab {
    /// The branch to read: `branch`, else the project's default branch.
    pub(super) async fn branch_or_default(
        &self,
        repo: &RepoId,
        branch: Option<&str>,
    ) -> Result<String, VcsError> {
        match branch {
            Some(b) => Ok(b.to_string()),
            None => match self.find_project(repo).await? {
                Some(p) => Ok(p.into_repository().default_branch),
                None => Err(VcsError::NotFound(format!("project {repo}"))),
            },
        }
    }

    /// A file's bytes: `GET /projects/:id/repository/files/:file_path/raw?ref=`. Until a raw
    /// read has succeeded once, a 404 is checked against the JSON form of the endpoint
    /// (`…/files/:file_path?ref=`, base64 content), and a server that only has that form is
    /// read through it from then on.
    pub(super) async fn raw_file(
        &self,
        repo: &RepoId,
        branch: &str,
        path: &str,
    ) -> Result<Vec<u8>, VcsError> {
        use std::sync::atomic::Ordering;
        let mode = self.file_mode.load(Ordering::Relaxed);
        if mode == FILES_JSON_ONLY {
            return self.file_json(repo, branch, path).await;
        }
        match self.file_raw(repo, branch, path).await {
            Ok(bytes) => {
                self.file_mode.store(FILES_RAW, Ordering::Relaxed);
                Ok(bytes)
            }
            Err(VcsError::NotFound(m)) if mode == FILES_UNKNOWN => {
                match self.file_json(repo, branch, path).await {
                    Ok(bytes) => {
                        tracing::info!("this GitLab has no raw file endpoint: using the JSON one");
                        self.file_mode.store(FILES_JSON_ONLY, Ordering::Relaxed);
                        Ok(bytes)
                    }
                    Err(_) => Err(VcsError::NotFound(m)),
                }
            }
            Err(e) => Err(e),
        }
    }

    async fn file_raw(&self, repo: &RepoId, branch: &str, path: &str) -> Result<Vec<u8>, VcsError> {
        let call = Call::get(
            format!(
                "/projects/{}/repository/files/{}/raw",
                encode_path(&repo.to_string()),
                encode_path(path)
            ),
            format!("{repo}:{path}@{branch}"),
        )
        .query("ref", branch);
        let response = self.http.call(call).await?;
        let bytes = response.bytes().await.map_err(|e| {
            VcsError::Backend(format!("reading {repo}:{path}: {}", e.without_url()))
        })?;
        Ok(bytes.to_vec())
    }

    async fn file_json(
        &self,
        repo: &RepoId,
        branch: &str,
        path: &str,
    ) -> Result<Vec<u8>, VcsError> {
        let call = Call::get(
            format!(
                "/projects/{}/repository/files/{}",
                encode_path(&repo.to_string()),
                encode_path(path)
            ),
            format!("{repo}:{path}@{branch}"),
        )
        .query("ref", branch);
        let file: FileContent = self.http.json(call).await?;
        match file.encoding.as_deref() {
            Some("base64") | None => base64::engine::general_purpose::STANDARD
                .decode(file.content.as_bytes())
                .map_err(|e| VcsError::Backend(format!("{repo}:{path}: bad base64 content: {e}"))),
            Some(_) => Ok(file.content.into_bytes()),
        }
    }

    /// Every entry of the repository tree at `branch` (`GET /projects/:id/repository/tree`,
    /// recursive, paginated).
    pub(super) async fn tree(&self, repo: &RepoId, branch: &str) -> Result<Vec<String>, VcsError> {
        let call = Call::get(
            format!(
                "/projects/{}/repository/tree",
                encode_path(&repo.to_string())
            ),
            format!("tree of {repo}@{branch}"),
        )
        .query("ref", branch)
        .query("recursive", "true");
        let entries: Vec<TreeEntry> = self.http.all_pages(call).await?;
        Ok(entries
            .into_iter()
            .filter(|e| e.kind == "blob")
            .map(|e| e.path)
            .collect())
    }

    /// The files of `branch` matching `glob` (`*` stays within a directory, `**` crosses them),
    /// sorted.
    pub(super) async fn matching_files(
        &self,
        repo: &RepoId,
        branch: &str,
        glob: &str,
    ) -> Result<Vec<String>, VcsError> {
        let matcher = globset::GlobBuilder::new(glob.trim_start_matches('/'))
            .literal_separator(true)
            .build()
            .map_err(|e| VcsError::InvalidRequest(format!("invalid glob {glob:?}: {e}")))?
            .compile_matcher();
        let mut files: Vec<String> = self
            .tree(repo, branch)
            .await?
            .into_iter()
            .filter(|p| matcher.is_match(p))
            .collect();
        files.sort();
        Ok(files)
    }

    /// Commits `request.files` in one commit: `update` for paths the branch has, `create` for
    /// the others, base64 for content that is not UTF-8. A branch that does not exist yet is
    /// started from the default branch (or is the first branch of an empty project).
    pub(super) async fn commit(&self, request: &CommitRequest) -> Result<CommitInfo, VcsError> {
        let repo = &request.repo;
        if request.files.is_empty() {
            return Err(VcsError::InvalidRequest(format!(
                "nothing to commit to {repo}: no files"
            )));
        }
        let (existing, start_branch) = match self.tree(repo, &request.branch).await {
            Ok(paths) => (paths, None),
            Err(VcsError::NotFound(_)) => self.branch_start(repo, &request.branch).await?,
            Err(e) => return Err(e),
        };
        let existing: HashSet<String> = existing.into_iter().collect();
        let actions: Vec<serde_json::Value> = request
            .files
            .iter()
            .map(|f| {
                let action = if existing.contains(&f.path) {
                    "update"
                } else {
                    "create"
                };
                let (encoding, content) = match std::str::from_utf8(&f.content) {
                    Ok(text) => ("text", text.to_string()),
                    Err(_) => (
                        "base64",
                        base64::engine::general_purpose::STANDARD.encode(&f.content),
                    ),
                };
                let mut a = json!({
                    "action": action,
                    "file_path": f.path,
                    "content": content,
                    "encoding": encoding,
                });
                if f.executable {
                    a["execute_filemode"] = json!(true);
                }
                a
            })
            .collect();
        let mut body = json!({
            "branch": request.branch,
            "commit_message": request.message,
            "actions": actions,
            "author_name": request.author_name.as_deref().unwrap_or("Scaffolder"),
            "author_email": request.author_email.as_deref().unwrap_or("scaffolder@backstage.io"),
        });
        if let Some(start) = start_branch {
            body["start_branch"] = json!(start);
        }
        let commit: Commit = self
            .http
            .json(Call::send(
                Method::POST,
                format!(
                    "/projects/{}/repository/commits",
                    encode_path(&repo.to_string())
                ),
                body,
                format!("commit to {repo}@{}", request.branch),
            ))
            .await?;
        Ok(CommitInfo {
            commit_hash: commit.id,
            branch: request.branch.clone(),
        })
    }

    /// For a branch that does not exist: the files of the branch it starts from and that
    /// branch's name (none for an empty project).
    async fn branch_start(
        &self,
        repo: &RepoId,
        branch: &str,
    ) -> Result<(Vec<String>, Option<String>), VcsError> {
        let project = self
            .find_project(repo)
            .await?
            .ok_or_else(|| VcsError::NotFound(format!("project {repo}")))?;
        let default = match project.default_branch.clone() {
            Some(d) if !d.is_empty() && !project.empty_repo && d != branch => d,
            _ => return Ok((Vec::new(), None)),
        };
        match self.tree(repo, &default).await {
            Ok(paths) => Ok((paths, Some(default))),
            // The default branch is named but has no commit yet.
            Err(VcsError::NotFound(_)) => Ok((Vec::new(), None)),
            Err(e) => Err(e),
        }
    }
}

impl GitLab {
    /// Creates `branch` from `from` (`POST /projects/:id/repository/branches`); GitLab's 400
    /// `Branch already exists` is [`VcsError::AlreadyExists`].
    pub(super) async fn new_branch(
        &self,
        repo: &RepoId,
        branch: &str,
        from: &str,
    ) -> Result<(), VcsError> {
        let call = Call {
            method: Method::POST,
            path: format!(
                "/projects/{}/repository/branches",
                encode_path(&repo.to_string())
            ),
            query: vec![("branch", branch.to_string()), ("ref", from.to_string())],
            body: None,
            what: format!("branch {branch} of {repo} from {from}"),
        };
        match self.http.call(call).await {
            Ok(_) => Ok(()),
            Err(e) if super::http::is_taken(&e) => Err(VcsError::AlreadyExists(format!(
                "branch {branch} of {repo}"
            ))),
            Err(e) => Err(e),
        }
    }
}
