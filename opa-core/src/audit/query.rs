//! Which audit records to read.

use serde::Serialize;

use super::record::AuditRecord;
use super::timestamp::Timestamp;

/// A query of the audit log: every given filter must match. Results come oldest first
/// (`createdAt`, then `id`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditQuery {
    /// The app's name.
    pub app: Option<String>,
    /// The environment's name.
    pub env: Option<String>,
    /// The user's reference (`user:default/jane`), compared case-insensitively.
    pub user: Option<String>,
    /// From this time on (inclusive).
    pub since: Option<Timestamp>,
    /// Before this time (exclusive).
    pub until: Option<Timestamp>,
    /// At most this many records (the newest ones when cut).
    pub limit: Option<usize>,
}

impl AuditQuery {
    /// Whether `record` passes the filters (the limit aside).
    pub fn matches(&self, record: &AuditRecord) -> bool {
        self.app.as_ref().is_none_or(|a| *a == record.app_name)
            && self.env.as_ref().is_none_or(|e| *e == record.env_name)
            && self
                .user
                .as_ref()
                .is_none_or(|u| u.eq_ignore_ascii_case(&record.initiated_by))
            && self.since.is_none_or(|s| record.created_at >= s)
            && self.until.is_none_or(|u| record.created_at < u)
    }

    /// Orders `records` oldest first and keeps the newest `limit`.
    pub fn finish(&self, mut records: Vec<AuditRecord>) -> Vec<AuditRecord> {
        records.sort_by(|a, b| {
            a.created_at
                .cmp(&b.created_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        if let Some(limit) = self.limit {
            let cut = records.len().saturating_sub(limit);
            records.drain(..cut);
        }
        records
    }
}
