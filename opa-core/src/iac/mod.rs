//! Infrastructure-as-code runners: services that hold infrastructure *stacks* (a repository,
//! a branch and a project root whose Terraform, OpenTofu, Pulumi or CDK code a runner plans and
//! applies) and run them on request. Spacelift is one (`opa-spacelift`).
//!
//! [`IacRunner`] is async, object-safe and `Send + Sync`, so a runner is chosen at run time
//! (`Arc<dyn IacRunner>`). [`ReadOnly`] wraps any runner so that listing works and triggering
//! is refused ([`IacError::ReadOnly`]) before anything reaches the service: what `readOnly: true`
//! in opa.yaml's `spacelift:` section gives. [`TriggerStackRun`] is the scaffolder action
//! `opa:trigger-stack-run` over a runner.

mod error;
mod read_only;
mod stack;
mod trigger_action;

pub use error::IacError;
pub use read_only::ReadOnly;
pub use stack::{Stack, TriggeredRun};
pub use trigger_action::TriggerStackRun;

use async_trait::async_trait;

/// A service that runs infrastructure stacks.
#[async_trait]
pub trait IacRunner: Send + Sync {
    /// The backend's kind, e.g. `spacelift`.
    fn kind(&self) -> &'static str;

    /// Whether this runner refuses to trigger runs.
    fn is_read_only(&self) -> bool {
        false
    }

    /// The stacks the runner's credentials can see (with Spacelift, the API key's scope decides
    /// which: an admin key sees every stack, others those their spaces and access policies
    /// allow).
    async fn list_stacks(&self) -> Result<Vec<Stack>, IacError>;

    /// Triggers a run of the stack with id `stack` on its tracked branch; returns the new run.
    async fn trigger_run(&self, stack: &str) -> Result<TriggeredRun, IacError>;
}

#[async_trait]
impl<T: IacRunner + ?Sized> IacRunner for std::sync::Arc<T> {
    fn kind(&self) -> &'static str {
        (**self).kind()
    }

    fn is_read_only(&self) -> bool {
        (**self).is_read_only()
    }

    async fn list_stacks(&self) -> Result<Vec<Stack>, IacError> {
        (**self).list_stacks().await
    }

    async fn trigger_run(&self, stack: &str) -> Result<TriggeredRun, IacError> {
        (**self).trigger_run(stack).await
    }
}
