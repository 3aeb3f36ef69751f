//! The local git host: bare repositories under a directory, written with libgit2 (git2).
//!
//! `<root>/<owner>/<name>.git` is a bare repository whose `HEAD` names the default branch. The
//! description lives in git's own `description` file; visibility and the project id in the
//! repository's config (`opa.visibility`, `opa.projectid`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use async_trait::async_trait;
use git2::{ErrorCode, Repository as GitRepo, RepositoryInitOptions, Signature};
use opa_core::vcs::{
    CommitInfo, CommitRequest, CreateRepository, RepoId, Repository, Vcs, VcsError, Visibility,
};

/// A directory acting as a git host.
#[derive(Debug)]
pub struct LocalGit {
    root: PathBuf,
    host: String,
    // Serializes writes (repository creation and commits) within the process.
    write_lock: Mutex<()>,
}

fn backend(e: git2::Error) -> VcsError {
    VcsError::Backend(format!("git: {}", e.message()))
}

fn valid_segment(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && !s.starts_with('.')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

impl LocalGit {
    /// A host serving repositories under `root`; `host` is the name URLs use
    /// (`https://<host>/<owner>/<name>`).
    pub fn new(root: impl Into<PathBuf>, host: impl Into<String>) -> Self {
        Self {
            root: root.into(),
            host: host.into(),
            write_lock: Mutex::new(()),
        }
    }

    /// The directory of repositories.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the bare repository of `repo` lives.
    pub fn repo_path(&self, repo: &RepoId) -> Result<PathBuf, VcsError> {
        let owner_ok = repo.owner.split('/').all(valid_segment);
        if !owner_ok || !valid_segment(&repo.name) {
            return Err(VcsError::InvalidRequest(format!(
                "invalid repository {repo}: owner and name must be letters, digits, '-', '_' or '.'"
            )));
        }
        let mut path = self.root.clone();
        for part in repo.owner.split('/') {
            path.push(part);
        }
        path.push(format!("{}.git", repo.name));
        Ok(path)
    }

    fn open(&self, repo: &RepoId) -> Result<GitRepo, VcsError> {
        let path = self.repo_path(repo)?;
        if !path.is_dir() {
            return Err(VcsError::NotFound(format!("repository {repo}")));
        }
        GitRepo::open_bare(&path).map_err(backend)
    }

    fn describe(&self, id: RepoId, git: &GitRepo) -> Repository {
        let config = git.config().ok();
        let get = |key: &str| config.as_ref().and_then(|c| c.get_string(key).ok());
        let default_branch = git
            .find_reference("HEAD")
            .ok()
            .and_then(|r| r.symbolic_target().ok().flatten().map(str::to_string))
            .and_then(|t| t.strip_prefix("refs/heads/").map(str::to_string))
            .unwrap_or_else(|| "main".into());
        let description = std::fs::read_to_string(git.path().join("description"))
            .ok()
            .map(|d| d.trim_end().to_string())
            .filter(|d| !d.is_empty() && !d.starts_with("Unnamed repository"));
        let path = git.path().to_path_buf();
        let clone_url = std::path::absolute(&path)
            .unwrap_or(path)
            .display()
            .to_string()
            .trim_end_matches('/')
            .to_string();
        Repository {
            web_url: format!("https://{}/{}/{}", self.host, id.owner, id.name),
            project_id: get("opa.projectid").and_then(|s| s.parse().ok()),
            visibility: get("opa.visibility")
                .and_then(|v| Visibility::parse(&v))
                .unwrap_or_default(),
            archived: get("opa.archived").is_some_and(|v| v == "true"),
            id,
            default_branch,
            description,
            clone_url,
        }
    }

    fn all_repos(&self) -> Vec<(RepoId, PathBuf)> {
        let mut out = Vec::new();
        for entry in walk_dirs(&self.root, 0) {
            let Some(name) = entry
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".git"))
            else {
                continue;
            };
            let Ok(rel) = entry
                .parent()
                .unwrap_or(&self.root)
                .strip_prefix(&self.root)
            else {
                continue;
            };
            let owner = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            if owner.is_empty() {
                continue;
            }
            out.push((RepoId::new(owner, name), entry));
        }
        out.sort();
        out
    }

    fn next_project_id(&self) -> u64 {
        self.all_repos()
            .iter()
            .filter_map(|(_, p)| GitRepo::open_bare(p).ok())
            .filter_map(|g| g.config().ok()?.get_string("opa.projectid").ok())
            .filter_map(|s| s.parse::<u64>().ok())
            .max()
            .unwrap_or(0)
            + 1
    }

    fn tip<'r>(
        &self,
        git: &'r GitRepo,
        branch: Option<&str>,
    ) -> Result<git2::Commit<'r>, VcsError> {
        let reference = match branch {
            Some(b) => git.find_reference(&format!("refs/heads/{b}")),
            None => git.head(),
        };
        let reference = reference.map_err(|e| match e.code() {
            ErrorCode::NotFound | ErrorCode::UnbornBranch => {
                VcsError::NotFound(format!("branch {}", branch.unwrap_or("HEAD")))
            }
            _ => backend(e),
        })?;
        reference.peel_to_commit().map_err(backend)
    }
}

/// Directories under `dir` that are bare repositories (`*.git`), not descending into them.
fn walk_dirs(dir: &Path, depth: usize) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if depth > 16 {
        return out;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if path.extension().is_some_and(|e| e == "git") {
            out.push(path);
        } else {
            out.extend(walk_dirs(&path, depth + 1));
        }
    }
    out
}

fn signature(request: &CommitRequest) -> Result<Signature<'static>, VcsError> {
    Signature::now(
        request.author_name.as_deref().unwrap_or("Scaffolder"),
        request
            .author_email
            .as_deref()
            .unwrap_or("scaffolder@backstage.io"),
    )
    .map_err(backend)
}

/// A repository path must be relative, `/`-separated, without `.`, `..` or `.git` segments.
fn valid_file_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && path
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && s != ".git")
}

#[async_trait]
impl Vcs for LocalGit {
    fn kind(&self) -> &'static str {
        "local"
    }

    async fn create_repository(&self, request: &CreateRepository) -> Result<Repository, VcsError> {
        let _guard = self.write_lock.lock().unwrap_or_else(|e| e.into_inner());
        let path = self.repo_path(&request.repo)?;
        if path.exists() {
            return Err(VcsError::AlreadyExists(request.repo.to_string()));
        }
        if !request
            .default_branch
            .split('/')
            .all(|s| valid_segment(s) || s.chars().all(|c| c.is_ascii_alphanumeric()))
        {
            return Err(VcsError::InvalidRequest(format!(
                "invalid branch name {:?}",
                request.default_branch
            )));
        }
        let project_id = self.next_project_id();
        std::fs::create_dir_all(path.parent().unwrap_or(&self.root))
            .map_err(|e| VcsError::Backend(format!("{}: {e}", self.root.display())))?;
        let mut options = RepositoryInitOptions::new();
        options
            .bare(true)
            .initial_head(&request.default_branch)
            .mkpath(true);
        let git = GitRepo::init_opts(&path, &options).map_err(backend)?;
        let mut config = git.config().map_err(backend)?;
        let visibility = match request.visibility {
            Visibility::Private => "private",
            Visibility::Internal => "internal",
            Visibility::Public => "public",
        };
        config
            .set_str("opa.visibility", visibility)
            .and_then(|_| config.set_str("opa.projectid", &project_id.to_string()))
            .map_err(backend)?;
        if let Some(d) = &request.description {
            std::fs::write(git.path().join("description"), format!("{d}\n"))
                .map_err(|e| VcsError::Backend(e.to_string()))?;
        }
        Ok(self.describe(request.repo.clone(), &git))
    }

    async fn get_repository(&self, repo: &RepoId) -> Result<Option<Repository>, VcsError> {
        match self.open(repo) {
            Ok(git) => Ok(Some(self.describe(repo.clone(), &git))),
            Err(VcsError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn commit_files(&self, request: &CommitRequest) -> Result<CommitInfo, VcsError> {
        let _guard = self.write_lock.lock().unwrap_or_else(|e| e.into_inner());
        let git = self.open(&request.repo)?;
        let refname = format!("refs/heads/{}", request.branch);
        if !git2::Reference::is_valid_name(&refname) {
            return Err(VcsError::InvalidRequest(format!(
                "invalid branch name {:?}",
                request.branch
            )));
        }
        let parent = match git.find_reference(&refname) {
            Ok(r) => Some(r.peel_to_commit().map_err(backend)?),
            Err(e) if e.code() == ErrorCode::NotFound => None,
            Err(e) => return Err(backend(e)),
        };
        let mut index = git2::Index::new().map_err(backend)?;
        if let Some(p) = &parent {
            index
                .read_tree(&p.tree().map_err(backend)?)
                .map_err(backend)?;
        }
        for file in &request.files {
            if !valid_file_path(&file.path) {
                return Err(VcsError::InvalidRequest(format!(
                    "invalid file path {:?} in commit",
                    file.path
                )));
            }
            let oid = git.blob(&file.content).map_err(backend)?;
            let entry = git2::IndexEntry {
                ctime: git2::IndexTime::new(0, 0),
                mtime: git2::IndexTime::new(0, 0),
                dev: 0,
                ino: 0,
                mode: if file.executable { 0o100755 } else { 0o100644 },
                uid: 0,
                gid: 0,
                file_size: u32::try_from(file.content.len()).unwrap_or(u32::MAX),
                id: oid,
                flags: u16::try_from(file.path.len().min(0xfff)).unwrap_or(0xfff),
                flags_extended: 0,
                path: file.path.as_bytes().to_vec(),
            };
            index.add(&entry).map_err(backend)?;
        }
        let tree_id = index.write_tree_to(&git).map_err(backend)?;
        let tree = git.find_tree(tree_id).map_err(backend)?;
        let sig = signature(request)?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let oid = git
            .commit(
                Some(&refname),
                &sig,
                &sig,
                &request.message,
                &tree,
                &parents,
            )
            .map_err(backend)?;
        Ok(CommitInfo {
            commit_hash: oid.to_string(),
            branch: request.branch.clone(),
        })
    }

    /// A token for a local repository: the local git host checks no tokens, so this only makes
    /// a fresh random value (for the platform to store as a secret) and records its name, scopes
    /// and expiry — never the value — in the repository's config.
    async fn create_access_token(
        &self,
        request: &opa_core::vcs::AccessTokenRequest,
    ) -> Result<opa_core::vcs::AccessToken, VcsError> {
        let _guard = self.write_lock.lock().unwrap_or_else(|e| e.into_inner());
        let git = self.open(&request.repo)?;
        let mut config = git.config().map_err(backend)?;
        let id = config
            .get_i64("opa.accesstokens")
            .ok()
            .and_then(|n| u64::try_from(n).ok())
            .unwrap_or(0)
            + 1;
        let key = format!("opa-accesstoken-{id}");
        config
            .set_i64("opa.accesstokens", i64::try_from(id).unwrap_or(i64::MAX))
            .map_err(backend)?;
        config
            .set_str(&format!("{key}.name"), &request.name)
            .map_err(backend)?;
        config
            .set_str(&format!("{key}.scopes"), &request.scopes.join(","))
            .map_err(backend)?;
        if let Some(expires) = &request.expires_at {
            config
                .set_str(&format!("{key}.expiresat"), expires)
                .map_err(backend)?;
        }
        Ok(opa_core::vcs::AccessToken {
            id,
            name: request.name.clone(),
            scopes: request.scopes.clone(),
            expires_at: request.expires_at.clone(),
            token: opa_core::config::SecretString::new(format!(
                "glpat-{}",
                uuid::Uuid::new_v4().simple()
            )),
        })
    }

    async fn create_branch(
        &self,
        repo: &RepoId,
        branch: &str,
        from: Option<&str>,
    ) -> Result<(), VcsError> {
        let _guard = self.write_lock.lock().unwrap_or_else(|e| e.into_inner());
        let git = self.open(repo)?;
        let refname = format!("refs/heads/{branch}");
        if !git2::Reference::is_valid_name(&refname) {
            return Err(VcsError::InvalidRequest(format!(
                "invalid branch name {branch:?}"
            )));
        }
        if git.find_reference(&refname).is_ok() {
            return Err(VcsError::AlreadyExists(format!(
                "branch {branch} of {repo}"
            )));
        }
        let tip = self.tip(&git, from)?;
        git.reference(&refname, tip.id(), false, "create branch")
            .map_err(backend)?;
        Ok(())
    }

    async fn read_file(
        &self,
        repo: &RepoId,
        branch: Option<&str>,
        path: &str,
    ) -> Result<Vec<u8>, VcsError> {
        let git = self.open(repo)?;
        let commit = self.tip(&git, branch)?;
        let tree = commit.tree().map_err(backend)?;
        let path = path.trim_start_matches('/');
        let entry = tree.get_path(Path::new(path)).map_err(|e| match e.code() {
            ErrorCode::NotFound => VcsError::NotFound(format!("{path} in {repo}")),
            _ => backend(e),
        })?;
        let object = entry.to_object(&git).map_err(backend)?;
        let blob = object
            .as_blob()
            .ok_or_else(|| VcsError::NotFound(format!("{path} in {repo} is not a file")))?;
        Ok(blob.content().to_vec())
    }

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
        let git = self.open(repo)?;
        let commit = match self.tip(&git, branch) {
            Ok(c) => c,
            Err(VcsError::NotFound(_)) if branch.is_none() => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let tree = commit.tree().map_err(backend)?;
        let mut files = Vec::new();
        tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() == Some(git2::ObjectType::Blob) {
                let path = format!("{dir}{}", entry.name().unwrap_or_default());
                if matcher.is_match(&path) {
                    files.push(path);
                }
            }
            git2::TreeWalkResult::Ok
        })
        .map_err(backend)?;
        files.sort();
        Ok(files)
    }

    async fn list_repositories(&self, owner: Option<&str>) -> Result<Vec<Repository>, VcsError> {
        let mut out = Vec::new();
        for (id, path) in self.all_repos() {
            let inside = owner.is_none_or(|o| {
                let o = o.trim_end_matches('/');
                id.owner == o || id.owner.starts_with(&format!("{o}/"))
            });
            if !inside {
                continue;
            }
            if let Ok(git) = GitRepo::open_bare(&path) {
                out.push(self.describe(id, &git));
            }
        }
        Ok(out)
    }
}
