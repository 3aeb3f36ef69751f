//! Operating a running app: its state, start/stop/restart, environment variables and the
//! released version.

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde::Serialize;
use serde_json::{Map, Value};

use super::credentials::CloudSession;
use super::error::CloudError;
use crate::platform::RuntimeType;

/// Which deployment of an app an operation acts on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppTarget {
    /// The app's name.
    pub app: String,
    /// The environment's name.
    pub env: String,
    /// The provider's name.
    pub provider: String,
    /// The provider's prefix.
    pub prefix: String,
    /// The provider's account.
    pub account: String,
    /// The provider's region.
    pub region: String,
    /// The provider's runtime.
    pub runtime: RuntimeType,
    /// The provider's cluster (ECS, EKS), if any.
    pub cluster: Option<String>,
    /// The deployment outputs (`metadata.appData.<env>.<provider>`): how a backend finds the
    /// service or function (`EcsServiceArn`, `LambdaFunctionArn`…).
    pub outputs: Map<String, Value>,
}

/// Whether an app is serving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunState {
    /// Serving (ECS desired count > 0, EKS replicas > 0, Lambda not throttled to 0).
    Running,
    /// Not serving.
    Stopped,
    /// Changing (a deployment in progress).
    Pending,
}

/// What the runtime reports about an app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    /// Running, stopped or changing.
    pub state: RunState,
    /// The released version (image tag, Lambda version or alias target).
    pub version: Option<String>,
    /// Desired instances (tasks, replicas; 1 for a function that may run).
    pub desired: u32,
    /// How many times it was (re)started or redeployed: a restart increases it.
    pub deployments: u64,
}

/// Operates running apps. Every method acts as `session` (the provider's operations role).
#[async_trait]
pub trait AppRuntime: Send + Sync {
    /// The app's state.
    async fn status(
        &self,
        session: &CloudSession,
        target: &AppTarget,
    ) -> Result<AppStatus, CloudError>;

    /// Starts a stopped app (a no-op on a running one).
    async fn start(
        &self,
        session: &CloudSession,
        target: &AppTarget,
    ) -> Result<AppStatus, CloudError>;

    /// Stops a running app (a no-op on a stopped one).
    async fn stop(
        &self,
        session: &CloudSession,
        target: &AppTarget,
    ) -> Result<AppStatus, CloudError>;

    /// Restarts the app (a new deployment of the same version).
    async fn restart(
        &self,
        session: &CloudSession,
        target: &AppTarget,
    ) -> Result<AppStatus, CloudError>;

    /// The app's environment variables.
    async fn env_vars(
        &self,
        session: &CloudSession,
        target: &AppTarget,
    ) -> Result<BTreeMap<String, String>, CloudError>;

    /// Sets environment variables (others are kept).
    async fn set_env_vars(
        &self,
        session: &CloudSession,
        target: &AppTarget,
        vars: &BTreeMap<String, String>,
    ) -> Result<(), CloudError>;

    /// Removes environment variables; removing one that is not set is not an error.
    async fn unset_env_vars(
        &self,
        session: &CloudSession,
        target: &AppTarget,
        keys: &[String],
    ) -> Result<(), CloudError>;

    /// Releases `version` (deploys it) and returns the new state.
    async fn release(
        &self,
        session: &CloudSession,
        target: &AppTarget,
        version: &str,
    ) -> Result<AppStatus, CloudError>;
}
