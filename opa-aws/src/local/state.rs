//! The local cloud's state: what it has provisioned, per account and region, in one JSON file.
//! Written atomically (a temporary file in the same directory, then a rename), so a crash or a
//! full disk never leaves half-written state.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use opa_core::cloud::CloudError;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The version of the state file's format.
pub const STATE_VERSION: u32 = 1;

/// Everything the local cloud holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalState {
    /// The format version.
    pub version: u32,
    /// Accounts by id.
    #[serde(default)]
    pub accounts: BTreeMap<String, AccountState>,
}

impl Default for LocalState {
    fn default() -> Self {
        Self {
            version: STATE_VERSION,
            accounts: BTreeMap::new(),
        }
    }
}

/// One account: its global resources and its regions.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountState {
    /// IAM roles by name.
    #[serde(default)]
    pub roles: BTreeMap<String, RoleState>,
    /// IAM OIDC identity providers by URL.
    #[serde(default)]
    pub oidc_providers: BTreeMap<String, OidcProviderState>,
    /// S3 buckets by name.
    #[serde(default)]
    pub buckets: BTreeMap<String, BucketState>,
    /// Regions by name.
    #[serde(default)]
    pub regions: BTreeMap<String, RegionState>,
}

/// An IAM role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleState {
    /// Its ARN.
    pub arn: String,
    /// Its trust policy document.
    pub trust_policy: Value,
    /// Its inline permissions policy.
    pub policy: Value,
}

/// An OIDC identity provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OidcProviderState {
    /// Its ARN.
    pub arn: String,
    /// The audiences (client ids).
    pub audiences: Vec<String>,
}

/// An S3 bucket's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BucketState {
    /// The region it is in.
    pub region: String,
    /// Versioning on.
    pub versioning: bool,
    /// Default encryption (`aws:kms`, `AES256`).
    pub encryption: String,
    /// Every public access block on.
    pub public_access_blocked: bool,
}

/// One region of an account.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionState {
    /// SSM parameters by name.
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    /// Secrets by name.
    #[serde(default)]
    pub secrets: BTreeMap<String, SecretState>,
    /// DynamoDB tables by name.
    #[serde(default)]
    pub tables: BTreeMap<String, TableState>,
    /// Deployed apps by `app/env/provider`.
    #[serde(default)]
    pub apps: BTreeMap<String, AppState>,
}

/// A secret. The local cloud stores the value in the state file, which is the point of a local
/// cloud: keep `./.opa/` out of version control.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretState {
    /// Its ARN.
    pub arn: String,
    /// Its value.
    pub value: String,
    /// Its description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A DynamoDB table's key schema and settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TableState {
    /// The hash key (name, type).
    pub hash_key: (String, String),
    /// The range key, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range_key: Option<(String, String)>,
    /// Global secondary indexes: name → hash key, range key.
    #[serde(default)]
    pub indexes: BTreeMap<String, (String, String)>,
    /// On-demand billing.
    pub on_demand: bool,
    /// Point-in-time recovery on.
    pub point_in_time_recovery: bool,
}

/// A deployed app, as its runtime would report it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppState {
    /// `ecs`, `eks`, `serverless`, `gen-ai-serverless`.
    pub runtime: String,
    /// Whether it serves.
    pub running: bool,
    /// The released version.
    pub version: String,
    /// How many deployments it has had.
    pub deployments: u64,
    /// Its environment variables.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// The runtime's own view: ECS `desiredCount` and `taskDefinition`, EKS `replicas`, Lambda
    /// `reservedConcurrency` and `version`.
    #[serde(default)]
    pub details: Value,
}

impl LocalState {
    /// Reads the state file; a missing file is the empty state.
    pub fn load(path: &Path) -> Result<Self, CloudError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => {
                return Err(CloudError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        let state: LocalState = serde_json::from_str(&text).map_err(|e| {
            CloudError::Backend(format!(
                "{}: not a local cloud state file: {e}",
                path.display()
            ))
        })?;
        if state.version != STATE_VERSION {
            return Err(CloudError::Backend(format!(
                "{}: state version {} is not supported (expected {STATE_VERSION})",
                path.display(),
                state.version
            )));
        }
        Ok(state)
    }

    /// Writes the state atomically: to a temporary file beside `path`, synced, then renamed
    /// over it.
    pub fn save(&self, path: &Path) -> Result<(), CloudError> {
        let io = |source: std::io::Error| CloudError::Io {
            path: path.to_path_buf(),
            source,
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        std::fs::create_dir_all(&dir).map_err(io)?;
        let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io)?;
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| CloudError::Backend(format!("cannot serialize the state: {e}")))?;
        tmp.write_all(text.as_bytes()).map_err(io)?;
        tmp.write_all(b"\n").map_err(io)?;
        tmp.as_file().sync_all().map_err(io)?;
        tmp.persist(path).map_err(|e| io(e.error))?;
        Ok(())
    }

    /// The account, created empty when new.
    pub fn account_mut(&mut self, account: &str) -> &mut AccountState {
        self.accounts.entry(account.to_string()).or_default()
    }

    /// The region of an account, created empty when new.
    pub fn region_mut(&mut self, account: &str, region: &str) -> &mut RegionState {
        self.account_mut(account)
            .regions
            .entry(region.to_string())
            .or_default()
    }

    /// The region of an account, if it exists.
    pub fn region(&self, account: &str, region: &str) -> Option<&RegionState> {
        self.accounts.get(account)?.regions.get(region)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_replaces_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/state.json");
        assert_eq!(LocalState::load(&path).unwrap(), LocalState::default());
        let mut s = LocalState::default();
        s.region_mut("123456789012", "us-east-1")
            .parameters
            .insert("/opa/x".into(), "1".into());
        s.save(&path).unwrap();
        assert_eq!(LocalState::load(&path).unwrap(), s);
        s.save(&path).unwrap();
        // Only the state file is left: the temporary file was renamed over it.
        let files: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(files.len(), 1);
        std::fs::write(&path, "{half").unwrap();
        let e = LocalState::load(&path).unwrap_err();
        assert!(
            e.to_string().contains("not a local cloud state file"),
            "{e}"
        );
    }
}
