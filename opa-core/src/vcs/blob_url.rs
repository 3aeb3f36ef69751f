//! URLs of files in repositories, as publishers write `repoContentsUrl`s:
//! `https://host/owner/repo/blob/branch/path` (GitHub) and
//! `https://host/group/sub/repo/-/blob/branch/path` (GitLab).

use super::RepoId;

/// A file (or directory) in a repository at a branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobUrl {
    /// The host.
    pub host: String,
    /// The repository.
    pub repo: RepoId,
    /// The branch.
    pub branch: String,
    /// The path in the repository, without a leading `/` (may be empty).
    pub path: String,
}

impl BlobUrl {
    /// Parses a blob or tree URL; `None` when it is not one.
    pub fn parse(url: &str) -> Option<Self> {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))?;
        let rest = rest.split(['?', '#']).next().unwrap_or_default();
        let (host, path) = rest.split_once('/')?;
        let (repo_path, after) =
            if let Some(i) = path.find("/-/blob/").or_else(|| path.find("/-/tree/")) {
                (&path[..i], &path[i + 8..])
            } else {
                let segments: Vec<&str> = path.splitn(4, '/').collect();
                if segments.len() < 4 || !matches!(segments[2], "blob" | "tree") {
                    return None;
                }
                let i = segments[0].len() + segments[1].len() + 1;
                (&path[..i], segments[3])
            };
        let (owner, name) = repo_path.rsplit_once('/')?;
        let (branch, file) = after.split_once('/').unwrap_or((after, ""));
        if owner.is_empty() || name.is_empty() || branch.is_empty() {
            return None;
        }
        Some(Self {
            host: host.to_ascii_lowercase(),
            repo: RepoId::new(owner, name.trim_end_matches(".git")),
            branch: branch.to_string(),
            path: file.trim_start_matches('/').to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_github_and_gitlab_urls() {
        let gh = BlobUrl::parse("https://github.com/acme/web/blob/main/catalog-info.yaml").unwrap();
        assert_eq!(gh.repo, RepoId::new("acme", "web"));
        assert_eq!(
            (gh.branch.as_str(), gh.path.as_str()),
            ("main", "catalog-info.yaml")
        );
        let gl =
            BlobUrl::parse("https://gitlab.x/g/sub/app/-/blob/main//.backstage/c.yaml").unwrap();
        assert_eq!(gl.repo, RepoId::new("g/sub", "app"));
        assert_eq!(gl.path, ".backstage/c.yaml");
        assert!(BlobUrl::parse("https://github.com/acme").is_none());
    }
}
