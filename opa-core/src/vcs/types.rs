//! The requests and answers of the [`Vcs`](super::Vcs) trait.

use std::fmt;

use serde::Serialize;

/// A repository on a host: its owner (a group path such as `platform/apps`, or an organisation or
/// user) and its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RepoId {
    /// The owner: group path, organisation or user.
    pub owner: String,
    /// The repository's name.
    pub name: String,
}

impl RepoId {
    /// A repository id.
    pub fn new(owner: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            owner: owner.into(),
            name: name.into(),
        }
    }
}

impl fmt::Display for RepoId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

/// Who may see a repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Only members.
    #[default]
    Private,
    /// Every signed-in user of the host (GitLab, GitHub Enterprise).
    Internal,
    /// Everyone.
    Public,
}

impl Visibility {
    /// Parses Backstage's `repoVisibility` (`private`, `internal`, `public`).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "private" => Some(Self::Private),
            "internal" => Some(Self::Internal),
            "public" => Some(Self::Public),
            _ => None,
        }
    }
}

/// What [`Vcs::create_repository`](super::Vcs::create_repository) creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateRepository {
    /// The repository.
    pub repo: RepoId,
    /// Its default branch (Backstage's default is `master`; templates usually say `main`).
    pub default_branch: String,
    /// Its visibility.
    pub visibility: Visibility,
    /// Its description.
    pub description: Option<String>,
}

/// A repository as the host reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Repository {
    /// The repository.
    pub id: RepoId,
    /// The host's numeric id for it (GitLab's project id), when it has one.
    pub project_id: Option<u64>,
    /// Its default branch.
    pub default_branch: String,
    /// Its visibility.
    pub visibility: Visibility,
    /// Its description.
    pub description: Option<String>,
    /// What `git clone` reads (for the local backend: the bare repository's path).
    pub clone_url: String,
    /// Its page on the host, without a trailing slash (`https://host/owner/name`).
    pub web_url: String,
    /// Whether it is archived.
    pub archived: bool,
}

/// One file to commit.
#[derive(Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Its path in the repository, `/`-separated, relative.
    pub path: String,
    /// Its content.
    pub content: Vec<u8>,
    /// Whether it is executable.
    pub executable: bool,
}

impl fmt::Debug for FileChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileChange")
            .field("path", &self.path)
            .field("bytes", &self.content.len())
            .field("executable", &self.executable)
            .finish()
    }
}

/// A commit of a set of files to a branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitRequest {
    /// The repository.
    pub repo: RepoId,
    /// The branch; created when it does not exist.
    pub branch: String,
    /// The commit message.
    pub message: String,
    /// The files added or replaced.
    pub files: Vec<FileChange>,
    /// Author name (default `Scaffolder`).
    pub author_name: Option<String>,
    /// Author email (default `scaffolder@backstage.io`).
    pub author_email: Option<String>,
}

/// A commit the host made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitInfo {
    /// The commit's hash.
    pub commit_hash: String,
    /// The branch it is on.
    pub branch: String,
}

/// A merge request (GitLab) or pull request (GitHub) to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRequest {
    /// The repository.
    pub repo: RepoId,
    /// The branch with the changes.
    pub source_branch: String,
    /// The branch to merge into.
    pub target_branch: String,
    /// The title.
    pub title: String,
    /// The description.
    pub description: String,
}

/// An opened merge or pull request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeRequestInfo {
    /// Its number on the host.
    pub number: u64,
    /// Its page.
    pub url: String,
}

/// A started pipeline or workflow run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineInfo {
    /// Its id on the host.
    pub id: u64,
    /// Its status as the host says it.
    pub status: String,
    /// Its page.
    pub url: Option<String>,
}

/// A project (repository) access token to create: OPA's `opa:createRepoAccessToken:gitlab`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessTokenRequest {
    /// The repository the token acts on.
    pub repo: RepoId,
    /// The host's numeric id for it, when known (GitLab's `projectId`); preferred over `repo`.
    pub project_id: Option<u64>,
    /// The token's name (`<repo>-repo-access-token`).
    pub name: String,
    /// Its scopes (`api`, `read_repository`, `write_repository`, …).
    pub scopes: Vec<String>,
    /// Its role: 10 guest, 20 reporter, 30 developer, 40 maintainer, 50 owner.
    pub access_level: u32,
    /// Its expiry date (`YYYY-MM-DD`).
    pub expires_at: Option<String>,
}

/// A created access token. The value is a [`SecretString`](crate::config::SecretString): it
/// never shows in `Debug`, `Display` or serialized output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessToken {
    /// Its id on the host.
    pub id: u64,
    /// Its name.
    pub name: String,
    /// Its scopes.
    pub scopes: Vec<String>,
    /// Its expiry date, when it has one.
    pub expires_at: Option<String>,
    /// The token itself.
    pub token: crate::config::SecretString,
}
