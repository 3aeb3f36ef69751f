//! Operations on a running app: start, stop, restart, set and unset environment variables,
//! release a version.
//!
//! Each [`Operations::run`] checks permission (members of the app's owner group and of the
//! platform's admin group may; membership from the catalog), assumes each provider's operations
//! role through [`Credentials`](crate::cloud::Credentials), acts through
//! [`AppRuntime`](crate::cloud::AppRuntime), and writes an audit record per provider — also when
//! the operation fails or is refused.

mod kind;
mod permission;
mod run;

pub use kind::OperationKind;
pub use permission::{Permission, check_permission};
pub use run::{
    ACTION_TYPE, OperationError, OperationReport, OperationRequest, Operations, ProviderOutcome,
};
