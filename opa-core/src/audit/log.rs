//! The audit log trait.

use async_trait::async_trait;

use super::query::AuditQuery;
use super::record::AuditRecord;
use crate::cloud::CloudError;

/// Where audit records go. Appending is idempotent on the record's `id`: a retried append never
/// duplicates a record (the first one written stays).
#[async_trait]
pub trait AuditLog: Send + Sync {
    /// Appends a record.
    async fn append(&self, record: &AuditRecord) -> Result<(), CloudError>;

    /// The records matching `query`, oldest first.
    async fn query(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>, CloudError>;
}
