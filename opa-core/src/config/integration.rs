//! `integrations`: which backend serves each git host.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::SecretString;

/// The kind of backend behind a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IntegrationKind {
    /// A directory of bare git repositories on this machine (the embedded default).
    #[default]
    Local,
    /// A GitLab instance (gitlab.com or self-managed).
    Gitlab,
    /// GitHub or GitHub Enterprise.
    Github,
}

impl IntegrationKind {
    /// The kind's name as written in `opa.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Gitlab => "gitlab",
            Self::Github => "github",
        }
    }

    /// The environment variable that holds the token when `opa.yaml` has none.
    pub fn token_env(self) -> Option<&'static str> {
        match self {
            Self::Local => None,
            Self::Gitlab => Some("GITLAB_TOKEN"),
            Self::Github => Some("GITHUB_TOKEN"),
        }
    }
}

/// One entry of `integrations`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Integration {
    /// The host it serves, as it appears in `repoUrl`s (`gitlab.example.com`).
    pub host: String,
    /// The backend.
    #[serde(default)]
    pub kind: IntegrationKind,
    /// The API token (`${GITLAB_TOKEN}` reads the environment). Never printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<SecretString>,
    /// The API's base URL (GitLab: the instance URL, API under `/api/v4`; GitHub: the API URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_base_url: Option<String>,
    /// For `local`: the directory of repositories (`<root>/<owner>/<repo>.git`); relative paths
    /// are relative to the `opa.yaml` that names them. Default `./.opa/git`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<PathBuf>,
}

impl Integration {
    /// A local integration for `host` with its repositories under `root`.
    pub fn local(host: impl Into<String>, root: impl Into<PathBuf>) -> Self {
        Self {
            host: host.into(),
            kind: IntegrationKind::Local,
            token: None,
            api_base_url: None,
            root: Some(root.into()),
        }
    }

    /// The token: from `opa.yaml`, else from the kind's environment variable (`GITLAB_TOKEN`,
    /// `GITHUB_TOKEN`).
    pub fn effective_token(&self) -> Option<SecretString> {
        self.token.clone().filter(|t| !t.is_empty()).or_else(|| {
            self.kind
                .token_env()
                .and_then(|var| std::env::var(var).ok())
                .filter(|t| !t.is_empty())
                .map(SecretString::new)
        })
    }
}
