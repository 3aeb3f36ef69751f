//! The platform's sections of `opa.yaml`: `cloud`, `audit` and `platform` (the `spacelift`
//! section is [`crate::config::SpaceliftSettings`]; [`check_config`] checks it too). Read from the
//! sections' JSON form, so they plug into the configuration loader as typed sections.
//!
//! ```yaml
//! cloud:
//!   kind: local            # local (default) | aws
//!   stateFile: .opa/cloud.json
//!   region: us-east-1      # aws: the platform's region
//!   endpointUrl: http://127.0.0.1:5000   # aws: e.g. a moto server
//! audit:
//!   kind: sqlite           # sqlite (default) | dynamodb
//!   path: .opa/audit.db    # sqlite
//!   table: opa-audit       # dynamodb
//! platform:
//!   prefix: opa
//!   adminGroup: group:default/platform-admins
//!   platformRole: arn:aws:iam::123456789012:role/opa-platform-role
//!   pipelineRole: arn:aws:iam::123456789012:role/opa-pipeline-role
//!   catalog: [catalog/]    # files or directories of catalog-info YAML
//! ```
//!
//! Relative paths are relative to the directory of `opa.yaml` (the current directory for the
//! built-in defaults).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The default directory of the embedded backends.
pub const STATE_DIR: &str = ".opa";

/// Which cloud backend runs operations and bootstrap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CloudKind {
    /// The embedded local cloud (a state file).
    #[default]
    Local,
    /// AWS.
    Aws,
}

/// Which audit log records operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditKind {
    /// An SQLite file.
    #[default]
    Sqlite,
    /// A DynamoDB table.
    Dynamodb,
}

/// `cloud:`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CloudSettings {
    /// `local` (default) or `aws`.
    #[serde(default)]
    pub kind: CloudKind,
    /// The local cloud's state file (default `.opa/cloud.json`).
    #[serde(default)]
    pub state_file: Option<PathBuf>,
    /// AWS: the platform's region.
    #[serde(default)]
    pub region: Option<String>,
    /// AWS: an endpoint override (a moto server).
    #[serde(default)]
    pub endpoint_url: Option<String>,
}

/// `audit:`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditSettings {
    /// `sqlite` (default) or `dynamodb`.
    #[serde(default)]
    pub kind: AuditKind,
    /// SQLite: the file (default `.opa/audit.db`).
    #[serde(default)]
    pub path: Option<PathBuf>,
    /// DynamoDB: the table.
    #[serde(default)]
    pub table: Option<String>,
    /// DynamoDB: its region (default the cloud's).
    #[serde(default)]
    pub region: Option<String>,
}

/// `platform:`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlatformSection {
    /// The platform prefix in resource names (default `opa`).
    #[serde(default)]
    pub prefix: Option<String>,
    /// The group whose members may operate every app.
    #[serde(default)]
    pub admin_group: Option<String>,
    /// The role the platform runs as.
    #[serde(default)]
    pub platform_role: Option<String>,
    /// The role pipelines run as.
    #[serde(default)]
    pub pipeline_role: Option<String>,
    /// Files or directories of catalog YAML that `opa app` and `opa audit` read.
    #[serde(default)]
    pub catalog: Vec<PathBuf>,
}

/// The platform's sections of `opa.yaml`, with paths resolved against `base_dir`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlatformSettings {
    /// `cloud:`.
    pub cloud: CloudSettings,
    /// `audit:`.
    pub audit: AuditSettings,
    /// `platform:`.
    pub platform: PlatformSection,
    /// Where relative paths start.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

impl PlatformSettings {
    /// The built-in defaults (embedded backends under `base_dir/.opa/`).
    pub fn defaults(base_dir: impl Into<PathBuf>) -> Self {
        Self {
            base_dir: base_dir.into(),
            ..Self::default()
        }
    }

    /// Reads the sections from a configuration file's root mapping (as JSON); other sections
    /// are left to their owners. Fails with the section and the problem.
    pub fn from_config(
        root: &serde_json::Value,
        base_dir: impl Into<PathBuf>,
    ) -> Result<Self, String> {
        fn section<T: serde::de::DeserializeOwned + Default>(
            root: &serde_json::Value,
            name: &str,
        ) -> Result<T, String> {
            match root.get(name) {
                None | Some(serde_json::Value::Null) => Ok(T::default()),
                Some(v) => serde_json::from_value(v.clone()).map_err(|e| format!("{name}: {e}")),
            }
        }
        Ok(Self {
            cloud: section(root, "cloud")?,
            audit: section(root, "audit")?,
            platform: section(root, "platform")?,
            base_dir: base_dir.into(),
        })
    }

    fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }

    /// The local cloud's state file.
    pub fn state_file(&self) -> PathBuf {
        self.resolve(
            self.cloud
                .state_file
                .as_deref()
                .unwrap_or(Path::new(".opa/cloud.json")),
        )
    }

    /// The SQLite audit log's file.
    pub fn audit_path(&self) -> PathBuf {
        self.resolve(
            self.audit
                .path
                .as_deref()
                .unwrap_or(Path::new(".opa/audit.db")),
        )
    }

    /// The catalog locations, resolved.
    pub fn catalog(&self) -> Vec<PathBuf> {
        self.platform
            .catalog
            .iter()
            .map(|p| self.resolve(p))
            .collect()
    }
}

/// The top-level sections of `opa.yaml` OPA-rs knows.
pub const KNOWN_SECTIONS: &[&str] = &[
    "integrations",
    "urlRewrites",
    "cloud",
    "audit",
    "platform",
    "spacelift",
];

/// Checks a configuration file's text: YAML syntax, a mapping at the root, known top-level
/// sections, and the `cloud`, `audit` and `platform` sections against their schema. Problems are
/// diagnostics (`yaml-syntax`, `unknown-field`, `invalid-value`) at the section's key.
pub fn check_config(text: &str) -> Vec<crate::Diagnostic> {
    use crate::diagnostic::Diagnostic;
    use crate::yaml::{Limits, parse_single};
    let root = match parse_single(text, &Limits::default()) {
        Ok(Some(root)) => root,
        Ok(None) => return Vec::new(),
        Err(d) => return vec![d],
    };
    let Some(map) = root.as_map() else {
        return vec![Diagnostic::new(
            "invalid-value",
            "",
            format!(
                "the configuration must be a mapping of sections, found {}",
                root.type_name()
            ),
            root.pos,
        )];
    };
    let mut out = Vec::new();
    for (key, value) in map.iter() {
        let name = key.key_string();
        if !KNOWN_SECTIONS.contains(&name.as_str()) {
            out.push(Diagnostic::new(
                "unknown-field",
                name.clone(),
                format!(
                    "unknown section \"{name}\"; the sections are {}",
                    KNOWN_SECTIONS.join(", ")
                ),
                key.pos,
            ));
            continue;
        }
        let single = serde_json::json!({ name.clone(): value.to_json() });
        if name == "integrations" || name == "urlRewrites" || name == "spacelift" {
            // The sections typed by `crate::config::Config`.
            match serde_json::from_value::<crate::config::Config>(single) {
                Err(e) => {
                    let message = format!("{name}: {e}");
                    out.push(Diagnostic::new("invalid-value", name, message, value.pos));
                }
                Ok(config) => {
                    let checked = config.spacelift.as_ref().map(|s| s.check());
                    if let Some(Err(message)) = checked {
                        out.push(Diagnostic::new("invalid-value", name, message, value.pos));
                    }
                }
            }
            continue;
        }
        if let Err(message) = PlatformSettings::from_config(&single, ".") {
            out.push(Diagnostic::new("invalid-value", name, message, value.pos));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn checks_the_scaffolder_sections() {
        let d = check_config(
            "integrations:\n  - host: gitlab.example.com\n    kind: gitlab\n    token: x\nurlRewrites:\n  https://a/: ./a\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let d = check_config("integrations:\n  - host: h\n    kind: svn\nurlRewrites: [1]\n");
        let found: Vec<_> = d.iter().map(|d| (d.path.as_str(), d.line)).collect();
        assert_eq!(
            found,
            vec![("integrations", 2), ("urlRewrites", 4)],
            "{d:?}"
        );
        assert!(d[0].message.contains("svn"), "{}", d[0].message);
    }

    #[test]
    fn reads_sections_and_resolves_paths() {
        let root = json!({
            "integrations": [],
            "cloud": {"kind": "local", "stateFile": "state/cloud.json"},
            "audit": {"kind": "sqlite"},
            "platform": {"adminGroup": "platform-admins", "catalog": ["catalog", "/abs/x.yaml"]},
        });
        let s = PlatformSettings::from_config(&root, "/work/site").unwrap();
        assert_eq!(s.state_file(), PathBuf::from("/work/site/state/cloud.json"));
        assert_eq!(s.audit_path(), PathBuf::from("/work/site/.opa/audit.db"));
        assert_eq!(
            s.catalog(),
            [
                PathBuf::from("/work/site/catalog"),
                PathBuf::from("/abs/x.yaml")
            ]
        );
        let bad = json!({"cloud": {"kind": "gcp"}});
        let e = PlatformSettings::from_config(&bad, ".").unwrap_err();
        assert!(e.starts_with("cloud: unknown variant `gcp`"), "{e}");
        let typo = json!({"audit": {"pth": "x"}});
        assert!(
            PlatformSettings::from_config(&typo, ".")
                .unwrap_err()
                .contains("pth")
        );
        assert_eq!(
            PlatformSettings::from_config(&json!({}), ".")
                .unwrap()
                .cloud
                .kind,
            CloudKind::Local
        );
    }

    #[test]
    fn checks_the_spacelift_section() {
        let ok = "spacelift:\n  account: acme\n  apiKeyId: 01KEY\n  apiKeySecret: ${SECRET}\n  readOnly: true\n";
        assert!(check_config(ok).is_empty(), "{:?}", check_config(ok));
        let d = check_config("spacelift:\n  acount: acme\n");
        assert_eq!(
            (d.len(), d[0].code, d[0].line),
            (1, "invalid-value", 2),
            "{d:?}"
        );
        assert!(d[0].message.contains("acount"), "{}", d[0].message);
        let d = check_config("spacelift:\n  readOnly: maybe\n");
        assert_eq!(d.len(), 1, "{d:?}");
        let d = check_config("spacelift:\n  account: acme.app.spacelift.io\n");
        assert!(d[0].message.contains("account name"), "{d:?}");
    }

    #[test]
    fn checks_a_file() {
        assert!(check_config("cloud: {kind: local}\naudit:\n  kind: sqlite\n").is_empty());
        let d = check_config("cloud:\n  kind: gcp\nclowd: {}\n");
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!((d[0].code, d[0].line, d[0].column), ("invalid-value", 2, 3));
        assert!(d[0].message.contains("unknown variant `gcp`"));
        assert_eq!(
            (d[1].code, d[1].path.as_str(), d[1].line),
            ("unknown-field", "clowd", 3)
        );
        assert_eq!(check_config("cloud: [\n")[0].code, "yaml-syntax");
        assert_eq!(check_config("- a\n")[0].code, "invalid-value");
    }
}
