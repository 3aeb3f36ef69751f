//! The audit trail: who did what to which app, where, when, with which role, and the outcome.
//!
//! An [`AuditRecord`] is what OPA on AWS writes to a provider's audit table, plus the
//! environment. Records are appended to an [`AuditLog`] (SQLite by default, DynamoDB on AWS) and
//! queried by app, environment, user and time range ([`AuditQuery`]).

mod log;
mod query;
mod record;
mod redact;
mod timestamp;

pub use log::AuditLog;
pub use query::AuditQuery;
pub use record::{AuditRecord, AuditStatus, REDACTED};
pub use redact::{is_secret_name, redact_request};
pub use timestamp::Timestamp;
