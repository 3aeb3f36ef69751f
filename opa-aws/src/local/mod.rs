//! The embedded local cloud: the defaults that run with no account and no server.
//!
//! [`LocalCloud`] provisions providers into a JSON state file (roles with trust policies, OIDC
//! providers, the Terraform state bucket and lock table, the audit table, parameters, secrets,
//! project access tokens) and runs every runtime type's operations against that state; it
//! implements [`Credentials`](opa_core::cloud::Credentials),
//! [`AppRuntime`](opa_core::cloud::AppRuntime), [`Secrets`](opa_core::cloud::Secrets),
//! [`Parameters`](opa_core::cloud::Parameters) and
//! [`Bootstrapper`](opa_core::cloud::Bootstrapper). [`SqliteAuditLog`] is the
//! [`AuditLog`](opa_core::audit::AuditLog) on SQLite.

mod audit_sqlite;
mod bootstrap;
mod cloud;
mod credentials;
mod ids;
mod lockfile;
mod parameters;
pub(crate) mod policy;
mod runtime;
mod secrets;
pub mod state;

pub use audit_sqlite::SqliteAuditLog;
pub use cloud::{LocalCloud, PLATFORM_ACCOUNT};
pub use state::LocalState;
