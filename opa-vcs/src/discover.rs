//! Discovery: the catalog files of a set of repositories on a [`Vcs`], read on each default
//! branch. A repository that fails is reported and the others are still read.

use opa_core::vcs::{Repository, Vcs, VcsError};

/// Where discovery looks in each repository by default.
pub const CATALOG_FILES: &[&str] = &["catalog-info.yaml", ".backstage/catalog-info.yaml"];

/// One catalog file found in a repository.
#[derive(Debug, Clone)]
pub struct Found {
    /// `owner/repo`.
    pub repo: String,
    /// The file's path in the repository.
    pub path: String,
    /// Its text.
    pub text: String,
}

/// A repository whose files could not be read.
#[derive(Debug)]
pub struct RepoFailure {
    /// `owner/repo`.
    pub repo: String,
    /// Why.
    pub error: VcsError,
}

/// What discovery read.
#[derive(Debug, Default)]
pub struct Discovered {
    /// The catalog files, by repository then path.
    pub found: Vec<Found>,
    /// The repositories that failed.
    pub failures: Vec<RepoFailure>,
}

/// Reads [`CATALOG_FILES`] and the files matching `globs` on the default branch of every
/// repository in `repos` (sorted by `owner/repo`). A missing file is skipped; any other failure
/// is recorded for its repository, which is then skipped.
pub async fn catalog_files(
    vcs: &dyn Vcs,
    mut repos: Vec<Repository>,
    globs: &[String],
    mut progress: impl FnMut(&Repository),
) -> Discovered {
    repos.sort_by_key(|r| r.id.to_string());
    let mut out = Discovered::default();
    for repo in repos {
        progress(&repo);
        match repo_files(vcs, &repo, globs).await {
            Ok(mut files) => out.found.append(&mut files),
            Err(error) => out.failures.push(RepoFailure {
                repo: repo.id.to_string(),
                error,
            }),
        }
    }
    out
}

async fn repo_files(
    vcs: &dyn Vcs,
    repo: &Repository,
    globs: &[String],
) -> Result<Vec<Found>, VcsError> {
    let branch = Some(repo.default_branch.as_str());
    let mut paths: Vec<String> = CATALOG_FILES.iter().map(|p| (*p).to_string()).collect();
    for glob in globs {
        for path in vcs.list_files(&repo.id, branch, glob).await? {
            if !paths.contains(&path) {
                paths.push(path);
            }
        }
    }
    let mut found = Vec::new();
    for path in paths {
        match vcs.read_file(&repo.id, branch, &path).await {
            Ok(bytes) => found.push(Found {
                repo: repo.id.to_string(),
                path,
                text: String::from_utf8_lossy(&bytes).into_owned(),
            }),
            Err(VcsError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(found)
}
