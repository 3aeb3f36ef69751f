//! Commits through GitHub's git data API: blobs, then a tree on the branch's tree, then a commit,
//! then the branch moved to it: one commit for any number of files, binary ones included.
//!
//! The git data API refuses to write into an empty repository (409), so the first commit of a
//! repository is started with the contents API (which creates the branch) and then replaced by a
//! root commit holding every file: the branch ends with exactly one commit.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use opa_core::vcs::{CommitInfo, CommitRequest, FileChange, RepoId, VcsError};
use reqwest::Method;
use serde_json::{Value as Json, json};

use super::GitHub;
use super::api::{ContentsWrite, GitCommit, GitRef, Sha};
use super::http::{Call, path, segment};

/// Backstage's default commit author.
const DEFAULT_AUTHOR_NAME: &str = "Scaffolder";
const DEFAULT_AUTHOR_EMAIL: &str = "scaffolder@backstage.io";

/// Where a commit goes: on the branch's tip, on another branch's tip (a new branch), or into an
/// empty repository.
enum Base {
    Tip { commit: String, tree: String },
    NewBranch { commit: String, tree: String },
    Empty,
}

fn valid_file_path(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && p.split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && s != ".git")
}

fn valid_branch(b: &str) -> bool {
    !b.is_empty()
        && !b.starts_with('/')
        && !b.ends_with('/')
        && !b.ends_with(".lock")
        && !b.contains("..")
        && !b.contains("//")
        && !b.chars().any(|c| c.is_control() || " ~^:?*[\\".contains(c))
}

impl GitHub {
    fn repo_api(&self, repo: &RepoId, rest: &str) -> String {
        self.api(&format!(
            "/repos/{}/{}{rest}",
            segment(&repo.owner),
            segment(&repo.name)
        ))
    }

    /// The commit a branch points at, `None` when the branch does not exist, or
    /// [`VcsError::Conflict`] when the repository is empty.
    pub(super) async fn branch_tip(
        &self,
        repo: &RepoId,
        branch: &str,
    ) -> Result<Option<String>, VcsError> {
        let what = format!("branch {branch} of {repo}");
        let url = self.repo_api(repo, &format!("/git/ref/heads/{}", path(branch)));
        match self
            .json::<GitRef>(&Call::new(Method::GET, url, &what))
            .await
        {
            Ok(r) => Ok(Some(r.object.sha)),
            Err(VcsError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn commit_tree(&self, repo: &RepoId, commit: &str) -> Result<String, VcsError> {
        let what = format!("commit {commit} of {repo}");
        let url = self.repo_api(repo, &format!("/git/commits/{}", segment(commit)));
        let c: GitCommit = self.json(&Call::new(Method::GET, url, &what)).await?;
        Ok(c.tree.sha)
    }

    async fn base(&self, repo: &RepoId, branch: &str) -> Result<Base, VcsError> {
        match self.branch_tip(repo, branch).await {
            Ok(Some(commit)) => {
                let tree = self.commit_tree(repo, &commit).await?;
                return Ok(Base::Tip { commit, tree });
            }
            Ok(None) => {}
            Err(VcsError::Conflict(_)) => return Ok(Base::Empty),
            Err(e) => return Err(e),
        }
        let Some(info) = self.repository(repo).await? else {
            return Err(VcsError::NotFound(format!("repository {repo}")));
        };
        match self.branch_tip(repo, &info.default_branch).await {
            Ok(Some(commit)) => {
                let tree = self.commit_tree(repo, &commit).await?;
                Ok(Base::NewBranch { commit, tree })
            }
            Ok(None) | Err(VcsError::Conflict(_)) => Ok(Base::Empty),
            Err(e) => Err(e),
        }
    }

    async fn create_blob(&self, repo: &RepoId, file: &FileChange) -> Result<String, VcsError> {
        let what = format!("a blob for {} in {repo}", file.path);
        let body = json!({"content": BASE64.encode(&file.content), "encoding": "base64"});
        let url = self.repo_api(repo, "/git/blobs");
        let blob: Sha = self
            .json(&Call::new(Method::POST, url, &what).body(&body))
            .await?;
        Ok(blob.sha)
    }

    /// Writes the files as blobs and a tree on `base_tree` (a whole new tree when `None`).
    async fn create_tree(
        &self,
        repo: &RepoId,
        files: &[FileChange],
        base_tree: Option<&str>,
    ) -> Result<String, VcsError> {
        let mut entries = Vec::with_capacity(files.len());
        for file in files {
            let sha = self.create_blob(repo, file).await?;
            let mode = if file.executable { "100755" } else { "100644" };
            entries.push(json!({"path": file.path, "mode": mode, "type": "blob", "sha": sha}));
        }
        let mut body = json!({"tree": entries});
        if let Some(base) = base_tree {
            body["base_tree"] = Json::String(base.to_string());
        }
        let what = format!("a tree in {repo}");
        let url = self.repo_api(repo, "/git/trees");
        let tree: Sha = self
            .json(&Call::new(Method::POST, url, &what).body(&body))
            .await?;
        Ok(tree.sha)
    }

    async fn create_commit(
        &self,
        request: &CommitRequest,
        tree: &str,
        parents: &[&str],
    ) -> Result<String, VcsError> {
        let body = json!({
            "message": request.message,
            "tree": tree,
            "parents": parents,
            "author": author(request),
        });
        let what = format!("a commit in {}", request.repo);
        let url = self.repo_api(&request.repo, "/git/commits");
        let commit: GitCommit = self
            .json(&Call::new(Method::POST, url, &what).body(&body))
            .await?;
        Ok(commit.sha)
    }

    async fn move_branch(
        &self,
        repo: &RepoId,
        branch: &str,
        sha: &str,
        force: bool,
    ) -> Result<(), VcsError> {
        let what = format!("branch {branch} of {repo}");
        let url = self.repo_api(repo, &format!("/git/refs/heads/{}", path(branch)));
        let body = json!({"sha": sha, "force": force});
        self.send(&Call::new(Method::PATCH, url, &what).body(&body))
            .await?;
        Ok(())
    }

    /// Creates `refs/heads/<branch>` at `sha`; [`VcsError::AlreadyExists`] when it exists.
    pub(super) async fn create_ref(
        &self,
        repo: &RepoId,
        branch: &str,
        sha: &str,
    ) -> Result<(), VcsError> {
        let what = format!("branch {branch} of {repo}");
        let url = self.repo_api(repo, "/git/refs");
        let body = json!({"ref": format!("refs/heads/{branch}"), "sha": sha});
        match self
            .send(&Call::new(Method::POST, url, &what).body(&body))
            .await
        {
            Ok(_) => Ok(()),
            Err(VcsError::Rejected(m)) if m.contains("already exists") => {
                Err(VcsError::AlreadyExists(what))
            }
            Err(e) => Err(e),
        }
    }

    /// The first commit of an empty repository: the contents API creates the branch with the
    /// first file, then a root commit with every file replaces it.
    async fn first_commit(&self, request: &CommitRequest) -> Result<String, VcsError> {
        let repo = &request.repo;
        let Some(first) = request.files.first() else {
            return Err(VcsError::InvalidRequest(format!(
                "cannot make an empty first commit in the empty repository {repo}"
            )));
        };
        let what = format!("{} in {repo}", first.path);
        let url = self.repo_api(repo, &format!("/contents/{}", path(&first.path)));
        let body = json!({
            "message": request.message,
            "content": BASE64.encode(&first.content),
            "branch": request.branch,
            "author": author(request),
            "committer": author(request),
        });
        let written: ContentsWrite = self
            .json(&Call::new(Method::PUT, url, &what).body(&body))
            .await?;
        let mut sha = written.commit.sha;
        if request.files.len() > 1 || first.executable {
            let tree = self.create_tree(repo, &request.files, None).await?;
            sha = self.create_commit(request, &tree, &[]).await?;
            self.move_branch(repo, &request.branch, &sha, true).await?;
        }
        // The first branch of a repository is its default one.
        if let Some(info) = self.repository(repo).await?
            && info.default_branch != request.branch
        {
            let what = format!("repository {repo}");
            let url = self.repo_api(repo, "");
            let body = json!({"default_branch": request.branch});
            self.send(&Call::new(Method::PATCH, url, &what).body(&body))
                .await?;
        }
        Ok(sha)
    }

    pub(super) async fn commit(&self, request: &CommitRequest) -> Result<CommitInfo, VcsError> {
        if !valid_branch(&request.branch) {
            return Err(VcsError::InvalidRequest(format!(
                "invalid branch name {:?}",
                request.branch
            )));
        }
        if let Some(bad) = request.files.iter().find(|f| !valid_file_path(&f.path)) {
            return Err(VcsError::InvalidRequest(format!(
                "invalid file path {:?} in commit",
                bad.path
            )));
        }
        let repo = &request.repo;
        let sha = match self.base(repo, &request.branch).await? {
            Base::Tip { commit, tree } => {
                let tree = self.create_tree(repo, &request.files, Some(&tree)).await?;
                let sha = self.create_commit(request, &tree, &[&commit]).await?;
                self.move_branch(repo, &request.branch, &sha, false).await?;
                sha
            }
            Base::NewBranch { commit, tree } => {
                let tree = self.create_tree(repo, &request.files, Some(&tree)).await?;
                let sha = self.create_commit(request, &tree, &[&commit]).await?;
                self.create_ref(repo, &request.branch, &sha).await?;
                sha
            }
            Base::Empty => self.first_commit(request).await?,
        };
        Ok(CommitInfo {
            commit_hash: sha,
            branch: request.branch.clone(),
        })
    }
}

fn author(request: &CommitRequest) -> Json {
    json!({
        "name": request.author_name.as_deref().unwrap_or(DEFAULT_AUTHOR_NAME),
        "email": request.author_email.as_deref().unwrap_or(DEFAULT_AUTHOR_EMAIL),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_paths_and_branches() {
        assert!(valid_file_path("src/index.js"));
        assert!(!valid_file_path("../x"));
        assert!(!valid_file_path("/etc/passwd"));
        assert!(!valid_file_path("a//b"));
        assert!(!valid_file_path(".git/config"));
        assert!(valid_branch("feature/new-app"));
        assert!(!valid_branch("a..b"));
        assert!(!valid_branch("bad name"));
    }
}
