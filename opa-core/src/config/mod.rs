//! `opa.yaml`: the configuration of an OPA-rs installation.
//!
//! Looked up as DESIGN.md says: the global `--config FILE`, else `./opa.yaml`, else built-in
//! defaults (embedded backends under `./.opa/`). `${VAR}` in a value reads the environment.
//!
//! ```yaml
//! integrations:
//!   - host: gitlab.example.com
//!     kind: gitlab
//!     token: ${GITLAB_TOKEN}
//!   - host: github.com
//!     kind: local
//!     root: ./git
//! urlRewrites:
//!   "https://gitlab.example.com/opa-admin/backstage-reference/-/tree/main/": ./reference
//! spacelift:
//!   account: acme
//!   apiKeyId: 01HCJMP2X7R0N8Q4M3V5Y6Z7AB
//!   apiKeySecret: ${SPACELIFT_API_KEY_SECRET}
//!   readOnly: true
//! ```
//!
//! Sections this module does not know yet (`cloud`, `audit`, `platform`) are kept in
//! [`Config::other`] until their owners add a typed field for them.

mod expand;
mod integration;
mod secret;
mod spacelift;

pub use expand::expand_env;
pub use integration::{Integration, IntegrationKind};
pub use secret::SecretString;
pub use spacelift::{
    SPACELIFT_API_ENDPOINT, SPACELIFT_API_KEY_ENDPOINT, SPACELIFT_API_KEY_ID,
    SPACELIFT_API_KEY_SECRET, SpaceliftAccess, SpaceliftSettings,
};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::yaml::{Limits, Node, Value, parse_single};

/// The file name looked up in the current directory.
pub const CONFIG_FILE_NAME: &str = "opa.yaml";

/// A failure to load `opa.yaml`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid configuration.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line (0 when unknown).
        line: u32,
        /// 1-based column (0 when unknown).
        column: u32,
        /// What is wrong.
        message: String,
    },
}

/// The configuration.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    /// Git hosts and the backend serving each. Empty: every host is served by the local backend
    /// under `./.opa/git`.
    #[serde(default)]
    pub integrations: Vec<Integration>,
    /// URL prefix → local folder: a template's remote `fetch:*` URL that starts with a prefix is
    /// read from the folder instead (the longest prefix wins). Relative folders are relative to
    /// the `opa.yaml`.
    #[serde(default)]
    pub url_rewrites: IndexMap<String, PathBuf>,
    /// The Spacelift account and API key (`opa stacks`, `opa:trigger-stack-run`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spacelift: Option<SpaceliftSettings>,
    /// Sections not typed here yet (`cloud`, `audit`, `platform`, …), as written.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
    /// The directory relative paths are resolved against: the file's directory, or the current
    /// directory for the built-in defaults.
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// The file this was read from; `None` for the built-in defaults.
    #[serde(skip)]
    pub source: Option<PathBuf>,
    /// Environment variables named with `${VAR}` that were not set (they read as empty).
    #[serde(skip)]
    pub unset_variables: Vec<String>,
}

impl Config {
    /// The built-in defaults, with relative paths resolved against `base_dir`.
    pub fn defaults(base_dir: impl Into<PathBuf>) -> Self {
        Self {
            base_dir: base_dir.into(),
            ..Self::default()
        }
    }

    /// Loads the configuration as the CLI does: `explicit` (`--config FILE`), else `./opa.yaml`,
    /// else the built-in defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Self, ConfigError> {
        if let Some(path) = explicit {
            return Self::from_file(path);
        }
        let local = Path::new(CONFIG_FILE_NAME);
        if local.is_file() {
            return Self::from_file(local);
        }
        Ok(Self::defaults(std::env::current_dir().unwrap_or_default()))
    }

    /// Reads one file.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let base = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let base = std::path::absolute(&base).unwrap_or(base);
        let mut config = Self::from_yaml_str(&text, &|name| std::env::var(name).ok()).map_err(
            |(line, column, message)| ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message,
            },
        )?;
        config.base_dir = base;
        config.source = Some(path.to_path_buf());
        Ok(config)
    }

    /// Parses configuration text, expanding `${VAR}` with `env`. The error is
    /// `(line, column, message)`.
    pub fn from_yaml_str(
        text: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, (u32, u32, String)> {
        let root =
            parse_single(text, &Limits::default()).map_err(|d| (d.line, d.column, d.message))?;
        let Some(root) = root else {
            return Ok(Self::default());
        };
        if root.as_map().is_none() {
            return Err((root.pos.line, root.pos.column, "expected a mapping".into()));
        }
        let mut missing = Vec::new();
        let json = expand_node(&root, env, &mut missing);
        let mut config: Config = serde_json::from_value(json).map_err(|e| (0, 0, e.to_string()))?;
        missing.sort();
        missing.dedup();
        config.unset_variables = missing;
        Ok(config)
    }

    /// The integration serving `host`. With no `integrations` configured, every host is served by
    /// the local backend under `<base_dir>/.opa/git`.
    pub fn integration_for(&self, host: &str) -> Option<Integration> {
        if self.integrations.is_empty() {
            return Some(Integration::local(host, self.default_git_root()));
        }
        self.integrations
            .iter()
            .find(|i| i.host.eq_ignore_ascii_case(host))
            .cloned()
    }

    /// The Spacelift account and API key from `spacelift:`, else the environment
    /// (`SPACELIFT_API_KEY_ID`, `SPACELIFT_API_KEY_SECRET`, `SPACELIFT_API_ENDPOINT`); `Ok(None)`
    /// when neither names one. The error says what is missing and where to set it.
    pub fn spacelift_access(&self) -> Result<Option<SpaceliftAccess>, String> {
        SpaceliftSettings::resolve(self.spacelift.as_ref(), &|name| std::env::var(name).ok())
    }

    /// Where the local backend keeps repositories by default: `<base_dir>/.opa/git`.
    pub fn default_git_root(&self) -> PathBuf {
        self.base_dir.join(".opa").join("git")
    }

    /// The directory of a local integration's repositories, resolved against `base_dir`.
    pub fn local_root(&self, integration: &Integration) -> PathBuf {
        match &integration.root {
            Some(root) => self.resolve(root),
            None => self.default_git_root(),
        }
    }

    /// `path` resolved against `base_dir`.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.base_dir.join(path)
        }
    }

    /// `urlRewrites` with their folders resolved against `base_dir`, longest prefix first.
    pub fn url_rewrites_resolved(&self) -> Vec<(String, PathBuf)> {
        let mut rewrites: Vec<_> = self
            .url_rewrites
            .iter()
            .map(|(prefix, dir)| (prefix.clone(), self.resolve(dir)))
            .collect();
        rewrites.sort_by_key(|(prefix, _)| std::cmp::Reverse(prefix.len()));
        rewrites
    }
}

fn expand_node(
    node: &Node,
    env: &dyn Fn(&str) -> Option<String>,
    missing: &mut Vec<String>,
) -> serde_json::Value {
    match &node.value {
        Value::String(s) => serde_json::Value::String(expand_env(s, env, missing)),
        Value::Seq(items) => items.iter().map(|n| expand_node(n, env, missing)).collect(),
        Value::Map(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, v)| (k.key_string(), expand_node(v, env, missing)))
                .collect(),
        ),
        _ => node.to_json(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_integrations_and_rewrites() {
        let env = |n: &str| (n == "GL").then(|| "glpat-secret".to_string());
        let config = Config::from_yaml_str(
            "integrations:\n  - host: gitlab.example.com\n    kind: gitlab\n    token: ${GL}\n\
             urlRewrites:\n  https://x/a/: ./a\n  https://x/a/b/: ./b\ncloud:\n  kind: local\n",
            &env,
        )
        .unwrap();
        let gl = config.integration_for("GITLAB.example.com").unwrap();
        assert_eq!(gl.kind, IntegrationKind::Gitlab);
        assert_eq!(gl.token.as_ref().unwrap().expose(), "glpat-secret");
        assert!(!format!("{config:?}").contains("glpat-secret"));
        assert!(config.integration_for("github.com").is_none());
        assert_eq!(config.url_rewrites_resolved()[0].0, "https://x/a/b/");
        assert!(config.other.contains_key("cloud"));
    }

    #[test]
    fn reads_the_spacelift_section() {
        let env = |n: &str| (n == "SL_SECRET").then(|| "sl-secret-value".to_string());
        let config = Config::from_yaml_str(
            "spacelift:\n  account: acme\n  apiKeyId: 01KEY\n  apiKeySecret: ${SL_SECRET}\n  readOnly: true\n",
            &env,
        )
        .unwrap();
        let s = config.spacelift.as_ref().unwrap();
        assert_eq!(
            s.api_key_secret.as_ref().unwrap().expose(),
            "sl-secret-value"
        );
        assert!(s.read_only);
        assert!(!config.other.contains_key("spacelift"));
        assert!(!format!("{config:?}").contains("sl-secret-value"));
        let access = SpaceliftSettings::resolve(Some(s), &|_| None)
            .unwrap()
            .unwrap();
        assert_eq!(access.endpoint, "https://acme.app.spacelift.io/graphql");
    }

    #[test]
    fn defaults_serve_every_host_locally() {
        let config = Config::defaults("/tmp/w");
        let i = config.integration_for("github.com").unwrap();
        assert_eq!(i.kind, IntegrationKind::Local);
        assert_eq!(config.local_root(&i), PathBuf::from("/tmp/w/.opa/git"));
    }

    #[test]
    fn rejects_unknown_integration_kinds() {
        let err = Config::from_yaml_str("integrations:\n  - host: a\n    kind: svn\n", &|_| None)
            .unwrap_err();
        assert!(err.2.contains("svn"), "{}", err.2);
    }
}
