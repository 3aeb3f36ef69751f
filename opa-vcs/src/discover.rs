//! Discovery: the catalog files of a set of repositories on a [`Vcs`], read on each default
//! branch, several repositories at a time.
//!
//! In each repository the default files ([`CATALOG_FILES`]) and those matching the extra globs
//! are read, then the files that `Location` entities among them name (relative targets, globs,
//! and URLs of the same host), as Backstage's catalog would follow them. A repository that fails
//! is reported with its error and the others are still read; results come back in repository
//! order whatever order the reads finish in.

use std::collections::BTreeSet;

use futures::stream::{self, StreamExt};
use opa_core::vcs::{BlobUrl, Repository, Vcs, VcsError};
use opa_core::yaml::{Limits, parse_documents};

/// Where discovery looks in each repository by default.
pub const CATALOG_FILES: &[&str] = &["catalog-info.yaml", ".backstage/catalog-info.yaml"];

/// How many repositories are read at once by default.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// The most files read in one repository (catalog files plus the `Location` targets they name).
const MAX_FILES_PER_REPO: usize = 500;

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

/// A repository whose files could not be read (or a `Location` target that is missing).
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
    /// The repositories that failed, in repository order.
    pub failures: Vec<RepoFailure>,
    /// How many repositories were read.
    pub repositories: usize,
}

/// How discovery reads.
#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    /// More files to read in each repository (globs over its paths, `**` crossing directories).
    pub globs: Vec<String>,
    /// How many repositories are read at once (0 counts as 1).
    pub concurrency: usize,
    /// The host the repositories live on (`gitlab.example.com`): `Location` targets given as
    /// URLs on this host are followed.
    pub host: Option<String>,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        Self {
            globs: Vec::new(),
            concurrency: DEFAULT_CONCURRENCY,
            host: None,
        }
    }
}

/// Progress of a discovery, for a progress bar.
#[derive(Debug)]
pub enum Progress<'a> {
    /// Reading starts: how many repositories.
    Started {
        /// Repositories to read.
        total: usize,
    },
    /// A repository is done.
    Read {
        /// The repository.
        repo: &'a Repository,
        /// Whether it failed.
        failed: bool,
        /// Repositories done so far.
        done: usize,
        /// Repositories in all.
        total: usize,
    },
}

/// Reads [`CATALOG_FILES`] and the files matching `globs` on the default branch of every
/// repository in `repos`, [`DEFAULT_CONCURRENCY`] at a time; `progress` sees each repository
/// when it is done. See [`discover_files`].
pub async fn catalog_files(
    vcs: &dyn Vcs,
    repos: Vec<Repository>,
    globs: &[String],
    mut progress: impl FnMut(&Repository),
) -> Discovered {
    let options = DiscoverOptions {
        globs: globs.to_vec(),
        ..DiscoverOptions::default()
    };
    discover_files(vcs, repos, &options, |p| {
        if let Progress::Read { repo, .. } = p {
            progress(repo);
        }
    })
    .await
}

/// Reads the catalog files of every repository in `repos` (sorted by `owner/repo`), at most
/// `options.concurrency` repositories at a time. A missing file is skipped; any other failure
/// is recorded for its repository, whose files are then left out.
pub async fn discover_files(
    vcs: &dyn Vcs,
    mut repos: Vec<Repository>,
    options: &DiscoverOptions,
    mut progress: impl FnMut(Progress<'_>),
) -> Discovered {
    repos.sort_by_key(|r| r.id.to_string());
    repos.dedup_by_key(|r| r.id.to_string());
    let total = repos.len();
    progress(Progress::Started { total });
    let mut results: Vec<(usize, Result<RepoFiles, VcsError>)> = Vec::with_capacity(total);
    let mut reads = stream::iter(repos.iter().enumerate())
        .map(|(index, repo)| async move { (index, repo_files(vcs, repo, options).await) })
        .buffer_unordered(options.concurrency.max(1));
    while let Some((index, result)) = reads.next().await {
        progress(Progress::Read {
            repo: &repos[index],
            failed: result.is_err(),
            done: results.len() + 1,
            total,
        });
        results.push((index, result));
    }
    drop(reads);
    results.sort_by_key(|(index, _)| *index);
    let mut out = Discovered {
        repositories: total,
        ..Discovered::default()
    };
    for (index, result) in results {
        let repo = repos[index].id.to_string();
        match result {
            Ok(files) => {
                out.found.extend(files.found);
                out.failures
                    .extend(files.missing_targets.into_iter().map(|error| RepoFailure {
                        repo: repo.clone(),
                        error,
                    }));
            }
            Err(error) => out.failures.push(RepoFailure { repo, error }),
        }
    }
    out
}

/// The files read in one repository.
struct RepoFiles {
    found: Vec<Found>,
    /// `Location` targets that do not exist (reported, not fatal).
    missing_targets: Vec<VcsError>,
}

async fn repo_files(
    vcs: &dyn Vcs,
    repo: &Repository,
    options: &DiscoverOptions,
) -> Result<RepoFiles, VcsError> {
    let branch = Some(repo.default_branch.as_str());
    let mut queue: Vec<String> = CATALOG_FILES.iter().map(|p| (*p).to_string()).collect();
    for glob in &options.globs {
        queue.extend(vcs.list_files(&repo.id, branch, glob).await?);
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut found = Vec::new();
    let mut missing_targets = Vec::new();
    // Paths named by a `Location`: a missing one is reported, unlike a missing default file.
    let mut targeted: BTreeSet<String> = BTreeSet::new();
    let mut next = 0;
    while next < queue.len() && seen.len() < MAX_FILES_PER_REPO {
        let path = queue[next].clone();
        next += 1;
        if !seen.insert(path.clone()) {
            continue;
        }
        let text = match vcs.read_file(&repo.id, branch, &path).await {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(VcsError::NotFound(_)) => {
                if targeted.contains(&path) {
                    missing_targets.push(VcsError::NotFound(format!(
                        "{}:{path} (a Location target)",
                        repo.id
                    )));
                }
                continue;
            }
            Err(e) => return Err(e),
        };
        for target in location_targets(&text) {
            for path in resolve_target(vcs, repo, &path, &target, options).await? {
                targeted.insert(path.clone());
                queue.push(path);
            }
        }
        found.push(Found {
            repo: repo.id.to_string(),
            path,
            text,
        });
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(RepoFiles {
        found,
        missing_targets,
    })
}

/// The `spec.target` and `spec.targets` of the `Location` entities in a catalog file.
fn location_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for doc in parse_documents(text, &Limits::default()) {
        let Some(root) = doc.root else { continue };
        let is_location = root
            .get("kind")
            .and_then(|k| k.as_str())
            .is_some_and(|k| k.eq_ignore_ascii_case("location"));
        let Some(spec) = root.get("spec").filter(|_| is_location) else {
            continue;
        };
        if let Some(t) = spec.get("target").and_then(|t| t.as_str()) {
            out.push(t.to_string());
        }
        if let Some(ts) = spec.get("targets").and_then(|t| t.as_seq()) {
            out.extend(ts.iter().filter_map(|t| t.as_str()).map(str::to_string));
        }
    }
    out
}

/// The repository paths a `Location` target names: relative to `from`'s folder, a glob, or a
/// blob URL of this repository on the same host. Targets elsewhere are not followed.
async fn resolve_target(
    vcs: &dyn Vcs,
    repo: &Repository,
    from: &str,
    target: &str,
    options: &DiscoverOptions,
) -> Result<Vec<String>, VcsError> {
    let path = if target.contains("://") {
        match BlobUrl::parse(target) {
            Some(url)
                if url.repo == repo.id
                    && options
                        .host
                        .as_deref()
                        .is_some_and(|h| h.eq_ignore_ascii_case(&url.host)) =>
            {
                url.path
            }
            _ => return Ok(Vec::new()),
        }
    } else {
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        match join(dir, target) {
            Some(p) => p,
            None => return Ok(Vec::new()),
        }
    };
    if path.contains(['*', '?', '[', '{']) {
        let branch = Some(repo.default_branch.as_str());
        return vcs.list_files(&repo.id, branch, &path).await;
    }
    Ok(vec![path])
}

/// `dir/target` with `.` and `..` resolved; `None` when it leaves the repository.
fn join(dir: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_targets() {
        assert_eq!(
            join(".backstage", "./api.yaml").as_deref(),
            Some(".backstage/api.yaml")
        );
        assert_eq!(join("a/b", "../c.yaml").as_deref(), Some("a/c.yaml"));
        assert_eq!(join("", "../x.yaml"), None);
        assert_eq!(join("a", "/top.yaml").as_deref(), Some("top.yaml"));
    }

    #[test]
    fn finds_location_targets() {
        let text = "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: l\nspec:\n  targets:\n    - ./a.yaml\n    - ./b.yaml\n---\nkind: Component\nspec:\n  target: ./no.yaml\n";
        assert_eq!(location_targets(text), ["./a.yaml", "./b.yaml"]);
    }
}
