//! `cloud:` and `audit:`: which cloud backend runs operations and bootstrap, and which audit log
//! records them.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

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

impl AuditSettings {
    /// What the kind needs and the section lacks, as `(field, message)`.
    pub(crate) fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.kind == AuditKind::Dynamodb && self.table.as_deref().is_none_or(str::is_empty) {
            out.push((
                "kind",
                "kind dynamodb needs a table (audit.table)".to_string(),
            ));
        }
        out
    }
}
