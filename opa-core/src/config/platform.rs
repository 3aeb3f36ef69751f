//! `platform:`: the platform's own settings.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

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
    /// Files or directories of catalog YAML that `opa app`, `opa audit` and `opa template run`
    /// read.
    #[serde(default)]
    pub catalog: Vec<PathBuf>,
}

impl PlatformSection {
    /// The prefix, `opa` when unset.
    pub fn prefix(&self) -> &str {
        self.prefix.as_deref().unwrap_or("opa")
    }
}
