//! Behavioural test suites for the cloud traits and the audit log (cargo feature `testing`).
//!
//! Every backend runs the same suites: the embedded local backends in `opa-aws`'s tests now,
//! the AWS implementations against moto later. A suite is an `async fn` that panics with a
//! message naming the broken expectation; call it from a `#[tokio::test]`. Suites make their own
//! names unique ([`unique`]), so they can run against a shared server, one after the other.

mod audit_log;
mod bootstrapper;
mod credentials;
mod parameters;
mod runtime;
mod secrets;

pub use audit_log::audit_log_suite;
pub use bootstrapper::bootstrapper_suite;
pub use credentials::{CredentialsFixture, credentials_suite};
pub use parameters::parameters_suite;
pub use runtime::app_runtime_suite;
pub use secrets::secrets_suite;

use std::sync::atomic::{AtomicU64, Ordering};

/// A name unique to this process and call: `base-<millis>-<n>`.
pub fn unique(base: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{base}-{}-{}",
        crate::audit::Timestamp::now().as_millis() % 100_000_000,
        N.fetch_add(1, Ordering::Relaxed)
    )
}
