//! The cloud side of the platform as traits: [`Credentials`] (assume a provider's role),
//! [`AppRuntime`] (operate a running app), [`Secrets`], [`Parameters`] (SSM-like) and
//! [`Bootstrapper`] (plan and apply an account's platform resources). The audit log is
//! [`crate::audit::AuditLog`].
//!
//! Every trait is async (`async-trait`), object-safe and `Send + Sync`, so backends are chosen at
//! run time (`Box<dyn AppRuntime>`). Calls that act inside an account take a [`CloudSession`]:
//! the temporary credentials [`Credentials::assume_role`] returned and the region, so the AWS
//! backend builds its SDK clients from it and the local backend checks it. Implementations:
//! the embedded local cloud in `opa-aws` (`opa_aws::local`) and AWS itself; both must pass the
//! behavioural suites of `opa_core::testing` (cargo feature `testing`).

mod bootstrap;
mod credentials;
mod error;
mod oidc;
mod parameters;
mod runtime;
mod secrets;

/// The secret string the configuration uses too: `***` in `Debug`, `Display` and JSON.
pub use crate::config::SecretString;
pub use bootstrap::{
    BootstrapPlan, BootstrapRequest, Bootstrapper, ChangeAction, PlannedChange,
    ProvisionedResources,
};
pub use credentials::{
    AssumeRoleRequest, CallerIdentity, CloudSession, Credentials, TemporaryCredentials,
};
pub use error::CloudError;
pub use oidc::{InvalidOidcSubject, OidcSubject};
pub use parameters::Parameters;
pub use runtime::{AppRuntime, AppStatus, AppTarget, RunState};
pub use secrets::{SecretRef, Secrets};
