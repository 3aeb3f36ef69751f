//! Backstage's `repoUrl`: `host?owner=…&repo=…`, as `RepoUrlPicker` writes it.

use super::{RepoId, VcsError};

/// A parsed `repoUrl` (`github.com?owner=acme&repo=web`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoUrl {
    /// The host, with its port when it has one.
    pub host: String,
    /// The `owner` parameter (a group path on GitLab).
    pub owner: Option<String>,
    /// The `repo` parameter.
    pub repo: String,
    /// The `organization` parameter (Azure DevOps, Gerrit).
    pub organization: Option<String>,
    /// The `workspace` parameter (Bitbucket Cloud).
    pub workspace: Option<String>,
    /// The `project` parameter (Bitbucket, Azure DevOps).
    pub project: Option<String>,
}

impl RepoUrl {
    /// Parses `host?owner=…&repo=…`; like Backstage, `owner` and `repo` are required.
    pub fn parse(text: &str) -> Result<Self, VcsError> {
        let invalid = |what: &str| {
            VcsError::InvalidRequest(format!(
                "Invalid repo URL passed to publisher: https://{text}, {what}"
            ))
        };
        let (host, query) = text.split_once('?').unwrap_or((text, ""));
        let host = host.trim_end_matches('/');
        if host.is_empty() || host.contains('/') || host.contains(char::is_whitespace) {
            return Err(invalid("invalid host"));
        }
        let mut url = RepoUrl {
            host: host.to_ascii_lowercase(),
            owner: None,
            repo: String::new(),
            organization: None,
            workspace: None,
            project: None,
        };
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.into_owned();
            match key.as_ref() {
                "owner" => url.owner = Some(value),
                "repo" => url.repo = value,
                "organization" => url.organization = Some(value),
                "workspace" => url.workspace = Some(value),
                "project" => url.project = Some(value),
                _ => {}
            }
        }
        if url.repo.is_empty() {
            return Err(invalid("missing repo"));
        }
        if url.owner.as_deref().is_none_or(str::is_empty) {
            return Err(invalid("missing owner"));
        }
        Ok(url)
    }

    /// The repository it names.
    pub fn repo_id(&self) -> RepoId {
        RepoId::new(self.owner.clone().unwrap_or_default(), self.repo.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_backstage_repo_urls() {
        let url = RepoUrl::parse("gitlab.example.com?owner=group%2Fsub&repo=web").unwrap();
        assert_eq!(url.host, "gitlab.example.com");
        assert_eq!(url.repo_id(), RepoId::new("group/sub", "web"));
        let err = RepoUrl::parse("github.com?repo=web").unwrap_err();
        assert!(err.to_string().contains("missing owner"), "{err}");
        assert!(RepoUrl::parse("github.com?owner=a").is_err());
    }
}
