//! `opa.yaml`: the configuration of an OPA-rs installation — one typed model, read once, with
//! one schema and one set of defaults for every command and binding.
//!
//! Looked up as DESIGN.md says: the global `--config FILE`, else `./opa.yaml`, else built-in
//! defaults (embedded backends under `./.opa/`). `${VAR}` in a value reads the environment.
//! Relative paths are relative to the directory of `opa.yaml` (the current directory for the
//! built-in defaults). A problem anywhere in the file is reported at its line and column
//! ([`parse()`], [`Config::check`]).
//!
//! ```yaml
//! integrations:
//!   - host: gitlab.example.com
//!     kind: gitlab                       # local (default) | gitlab | github
//!     token: ${GITLAB_TOKEN}
//!   - host: github.com
//!     kind: local
//!     root: ./git
//! urlRewrites:
//!   "https://gitlab.example.com/opa-admin/backstage-reference/-/tree/main/": ./reference
//! cloud:
//!   kind: local                          # local (default) | aws
//!   stateFile: .opa/cloud.json           # local: the state file (default)
//!   region: us-east-1                    # aws: the platform's region
//!   endpointUrl: http://127.0.0.1:5000   # aws: e.g. a moto server
//! audit:
//!   kind: sqlite                         # sqlite (default) | dynamodb
//!   path: .opa/audit.db                  # sqlite (default)
//!   table: opa-audit                     # dynamodb (required)
//!   region: us-east-1                    # dynamodb (default cloud.region)
//! platform:
//!   prefix: opa                          # default opa
//!   adminGroup: group:default/platform-admins
//!   platformRole: arn:aws:iam::123456789012:role/opa-platform-role
//!   pipelineRole: arn:aws:iam::123456789012:role/opa-pipeline-role
//!   catalog: [catalog/]                  # files or directories of catalog-info YAML
//! spacelift:                           # opa stacks, opa:trigger-stack-run
//!   account: acme
//!   apiKeyId: 01HCJMP2X7R0N8Q4M3V5Y6Z7AB
//!   apiKeySecret: ${SPACELIFT_API_KEY_SECRET}
//!   readOnly: true
//! ```

mod cloud;
mod expand;
mod integration;
mod parse;
mod platform;
mod secret;
mod spacelift;

pub use cloud::{AuditKind, AuditSettings, CloudKind, CloudSettings};
pub use expand::expand_env;
pub use integration::{Integration, IntegrationKind};
pub use parse::{Parsed, SECTIONS, parse};
pub use platform::PlatformSection;
pub use secret::SecretString;
pub use spacelift::{
    SPACELIFT_API_ENDPOINT, SPACELIFT_API_KEY_ENDPOINT, SPACELIFT_API_KEY_ID,
    SPACELIFT_API_KEY_SECRET, SpaceliftAccess, SpaceliftSettings,
};

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Serialize;

use crate::diagnostic::Diagnostic;

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
    #[error("{}", invalid_message(.path, .problems))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem, in file order (at least one).
        problems: Vec<Diagnostic>,
    },
}

fn invalid_message(path: &Path, problems: &[Diagnostic]) -> String {
    problems
        .iter()
        .map(|d| format!("{}:{}:{}: {}", path.display(), d.line, d.column, d.message))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    /// Git hosts and the backend serving each. Empty: every host is served by the local backend
    /// under `./.opa/git`.
    pub integrations: Vec<Integration>,
    /// URL prefix → local folder: a template's remote `fetch:*` URL that starts with a prefix is
    /// read from the folder instead (the longest prefix wins). Relative folders are relative to
    /// the `opa.yaml`.
    pub url_rewrites: IndexMap<String, PathBuf>,
    /// `cloud:` — the cloud backend (default: the embedded local cloud).
    pub cloud: CloudSettings,
    /// `audit:` — the audit log (default: SQLite under `.opa/`).
    pub audit: AuditSettings,
    /// `platform:` — prefix, roles, admin group, catalog.
    pub platform: PlatformSection,
    /// `spacelift:` — the Spacelift account and API key (`opa stacks`, `opa:trigger-stack-run`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spacelift: Option<SpaceliftSettings>,
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
        let mut config =
            Self::from_yaml_str(&text, &|name| std::env::var(name).ok()).map_err(|problems| {
                ConfigError::Invalid {
                    path: path.to_path_buf(),
                    problems,
                }
            })?;
        config.base_dir = base;
        config.source = Some(path.to_path_buf());
        Ok(config)
    }

    /// Parses configuration text, expanding `${VAR}` with `env`; the error is every problem
    /// found, each at its line and column.
    pub fn from_yaml_str(
        text: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, Vec<Diagnostic>> {
        let parsed = parse(text, env);
        if !parsed.problems.is_empty() {
            return Err(parsed.problems);
        }
        let mut config = parsed.config;
        config.unset_variables = parsed.unset_variables;
        Ok(config)
    }

    /// Checks configuration text against the schema (`opa config check`): every problem, each
    /// at its line and column; empty when valid. `${VAR}` reads the process environment.
    pub fn check(text: &str) -> Vec<Diagnostic> {
        parse(text, &|name| std::env::var(name).ok()).problems
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

    /// The local cloud's state file (`cloud.stateFile`, default `.opa/cloud.json`), resolved.
    pub fn state_file(&self) -> PathBuf {
        self.resolve(
            self.cloud
                .state_file
                .as_deref()
                .unwrap_or(Path::new(".opa/cloud.json")),
        )
    }

    /// The SQLite audit log's file (`audit.path`, default `.opa/audit.db`), resolved.
    pub fn audit_path(&self) -> PathBuf {
        self.resolve(
            self.audit
                .path
                .as_deref()
                .unwrap_or(Path::new(".opa/audit.db")),
        )
    }

    /// The catalog locations (`platform.catalog`), resolved.
    pub fn catalog(&self) -> Vec<PathBuf> {
        self.platform
            .catalog
            .iter()
            .map(|p| self.resolve(p))
            .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn reads_every_section() {
        let env = |n: &str| (n == "GL").then(|| "glpat-secret".to_string());
        let config = Config::from_yaml_str(
            "integrations:\n  - host: gitlab.example.com\n    kind: gitlab\n    token: ${GL}\n\
             urlRewrites:\n  https://x/a/: ./a\n  https://x/a/b/: ./b\ncloud:\n  kind: aws\n  region: eu-west-1\n\
             audit: {kind: dynamodb, table: opa-audit}\nplatform:\n  adminGroup: platform-admins\n",
            &env,
        )
        .unwrap();
        let gl = config.integration_for("GITLAB.example.com").unwrap();
        assert_eq!(gl.kind, IntegrationKind::Gitlab);
        assert_eq!(gl.token.as_ref().unwrap().expose(), "glpat-secret");
        assert!(!format!("{config:?}").contains("glpat-secret"));
        assert!(config.integration_for("github.com").is_none());
        assert_eq!(config.url_rewrites_resolved()[0].0, "https://x/a/b/");
        assert_eq!(config.cloud.kind, CloudKind::Aws);
        assert_eq!(config.cloud.region.as_deref(), Some("eu-west-1"));
        assert_eq!(config.audit.kind, AuditKind::Dynamodb);
        assert_eq!(
            config.platform.admin_group.as_deref(),
            Some("platform-admins")
        );
        assert_eq!(config.platform.prefix(), "opa");
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
        assert!(!format!("{config:?}").contains("sl-secret-value"));
        let access = SpaceliftSettings::resolve(Some(s), &|_| None)
            .unwrap()
            .unwrap();
        assert_eq!(access.endpoint, "https://acme.app.spacelift.io/graphql");
    }

    #[test]
    fn checks_the_spacelift_section() {
        let ok = "spacelift:\n  account: acme\n  apiKeyId: 01KEY\n  apiKeySecret: ${SECRET}\n  readOnly: true\n";
        assert!(Config::check(ok).is_empty(), "{:?}", Config::check(ok));
        let d = Config::check("spacelift:\n  acount: acme\n");
        assert_eq!(
            (d.len(), d[0].code, d[0].line, d[0].column),
            (1, "invalid-value", 2, 3),
            "{d:?}"
        );
        assert!(d[0].message.contains("acount"), "{}", d[0].message);
        let d = Config::check("spacelift:\n  readOnly: maybe\n");
        assert_eq!(d.len(), 1, "{d:?}");
        let d = Config::check("spacelift:\n  account: acme.app.spacelift.io\n");
        assert_eq!(
            (d[0].path.as_str(), d[0].line, d[0].column),
            ("spacelift.account", 2, 12)
        );
        assert!(d[0].message.contains("account name"), "{d:?}");
    }

    #[test]
    fn defaults_are_the_embedded_backends() {
        let config = Config::defaults("/tmp/w");
        let i = config.integration_for("github.com").unwrap();
        assert_eq!(i.kind, IntegrationKind::Local);
        assert_eq!(config.local_root(&i), PathBuf::from("/tmp/w/.opa/git"));
        assert_eq!(config.cloud.kind, CloudKind::Local);
        assert_eq!(config.audit.kind, AuditKind::Sqlite);
        assert_eq!(config.state_file(), PathBuf::from("/tmp/w/.opa/cloud.json"));
        assert_eq!(config.audit_path(), PathBuf::from("/tmp/w/.opa/audit.db"));
        // An empty file and null sections are the defaults too.
        let empty = Config::from_yaml_str("", &no_env).unwrap();
        assert_eq!(empty, Config::default());
        let nulls = Config::from_yaml_str("cloud:\naudit: ~\n", &no_env).unwrap();
        assert_eq!(nulls, Config::default());
    }

    #[test]
    fn resolves_paths_against_the_file() {
        let mut config = Config::from_yaml_str(
            "cloud: {kind: local, stateFile: state/cloud.json}\nplatform:\n  catalog: [catalog, /abs/x.yaml]\n",
            &no_env,
        )
        .unwrap();
        config.base_dir = PathBuf::from("/work/site");
        assert_eq!(
            config.state_file(),
            PathBuf::from("/work/site/state/cloud.json")
        );
        assert_eq!(
            config.audit_path(),
            PathBuf::from("/work/site/.opa/audit.db")
        );
        assert_eq!(
            config.catalog(),
            [
                PathBuf::from("/work/site/catalog"),
                PathBuf::from("/abs/x.yaml")
            ]
        );
    }

    #[test]
    fn problems_are_reported_where_they_are() {
        let problems = Config::from_yaml_str(
            "integrations:\n  - host: a\n    kind: svn\ncloud:\n  kind: gcp\nclowd: {}\naudit:\n  pth: x\n",
            &no_env,
        )
        .unwrap_err();
        let found: Vec<_> = problems
            .iter()
            .map(|d| (d.code, d.path.as_str(), d.line, d.column))
            .collect();
        assert_eq!(
            found,
            [
                ("invalid-value", "integrations.0.kind", 3, 11),
                ("invalid-value", "cloud.kind", 5, 9),
                ("unknown-field", "clowd", 6, 1),
                ("invalid-value", "audit.pth", 8, 3),
            ],
            "{problems:?}"
        );
        assert!(
            problems[0].message.contains("svn"),
            "{}",
            problems[0].message
        );
        assert!(problems[1].message.contains("unknown variant `gcp`"));
        assert!(problems[3].message.contains("pth"));
    }

    #[test]
    fn a_dynamodb_audit_log_needs_a_table() {
        let problems = Config::check("audit:\n  kind: dynamodb\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            (
                problems[0].path.as_str(),
                problems[0].line,
                problems[0].column
            ),
            ("audit.kind", 2, 3)
        );
    }

    #[test]
    fn checks_a_file() {
        assert!(Config::check("cloud: {kind: local}\naudit:\n  kind: sqlite\n").is_empty());
        assert!(
            Config::check(
                "integrations:\n  - host: gitlab.example.com\n    kind: gitlab\n    token: x\nurlRewrites:\n  https://a/: ./a\n"
            )
            .is_empty()
        );
        let d = Config::check("urlRewrites: [1]\n");
        assert_eq!((d[0].path.as_str(), d[0].line), ("urlRewrites", 1), "{d:?}");
        assert_eq!(Config::check("cloud: [\n")[0].code, "yaml-syntax");
        assert_eq!(Config::check("- a\n")[0].code, "invalid-value");
    }

    #[test]
    fn the_loader_names_the_file_and_every_problem() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("opa.yaml");
        std::fs::write(&file, "cloud:\n  kind: gcp\naudit: {kind: nosql}\n").unwrap();
        let err = Config::from_file(&file).unwrap_err().to_string();
        assert!(
            err.contains("opa.yaml:2:9: cloud.kind: unknown variant `gcp`"),
            "{err}"
        );
        assert!(err.contains("opa.yaml:3:15: audit.kind"), "{err}");
    }
}
