//! One audit record, with OPA's field names.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::timestamp::Timestamp;

/// What a redacted value is replaced with.
pub const REDACTED: &str = "***";

/// The outcome of an audited action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum AuditStatus {
    /// Done.
    Success,
    /// Attempted and failed.
    Failed,
    /// Not attempted: the user may not.
    Refused,
}

impl AuditStatus {
    /// `SUCCESS`, `FAILED` or `REFUSED`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditStatus::Success => "SUCCESS",
            AuditStatus::Failed => "FAILED",
            AuditStatus::Refused => "REFUSED",
        }
    }

    /// Parses [`AuditStatus::as_str`]'s form.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "SUCCESS" => Some(AuditStatus::Success),
            "FAILED" => Some(AuditStatus::Failed),
            "REFUSED" => Some(AuditStatus::Refused),
            _ => None,
        }
    }
}

/// An audit record as OPA on AWS writes it, plus the environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRecord {
    /// `<account>#<region>#<prefix>#<provider>#<app>#<user>#<action>#<timestamp>`.
    pub id: String,
    /// When (RFC 3339, UTC, milliseconds).
    pub created_at: Timestamp,
    /// The acting user's reference (`user:default/jane`).
    pub initiated_by: String,
    /// The app's owner (`group:default/team-a`).
    pub owner: String,
    /// The role assumed for the action (empty when refused before assuming).
    pub assumed_role: String,
    /// The provider's account.
    pub target_account: String,
    /// The provider's region.
    pub target_region: String,
    /// The provider's prefix.
    pub prefix: String,
    /// The provider's name.
    pub provider_name: String,
    /// The environment's name.
    pub env_name: String,
    /// The app's name.
    pub app_name: String,
    /// The kind of action (`operation`).
    pub action_type: String,
    /// The action (`start`, `set-env`, …).
    pub action_name: String,
    /// The request, secrets redacted.
    pub request: Value,
    /// The outcome.
    pub status: AuditStatus,
    /// What happened, for people.
    pub message: String,
}

impl AuditRecord {
    /// The record id for these parts (OPA's `#`-joined key).
    #[allow(clippy::too_many_arguments)]
    pub fn make_id(
        account: &str,
        region: &str,
        prefix: &str,
        provider: &str,
        app: &str,
        user: &str,
        action: &str,
        at: &Timestamp,
    ) -> String {
        format!("{account}#{region}#{prefix}#{provider}#{app}#{user}#{action}#{at}")
    }

    /// Recomputes the id from the record's own fields.
    pub fn expected_id(&self) -> String {
        Self::make_id(
            &self.target_account,
            &self.target_region,
            &self.prefix,
            &self.provider_name,
            &self.app_name,
            &self.initiated_by,
            &self.action_name,
            &self.created_at,
        )
    }
}
