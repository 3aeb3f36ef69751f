//! [`AppRuntime`] on AWS: ECS services and Lambda functions, operated as the provider's
//! operations role (the session [`Operations`](opa_core::operations::Operations) assumed).
//!
//! How an app is found comes from its deployment outputs (`metadata.appData.<env>.<provider>`,
//! written by the app's pipeline):
//!
//! - ECS (`ecs`): `EcsServiceArn` (or `EcsServiceName` with `EcsClusterArn`/`EcsClusterName`, or
//!   the provider's cluster); the app's container is the one named like the app, else the
//!   first. Start and stop set the service's desired count (stop remembers it in the service
//!   tag `opa:desired-count`, start restores it, 1 when unknown); restart forces a new
//!   deployment; environment variables and releases register a new revision of the task
//!   definition (environment, or the image's tag) and update the service to it — what OPA on
//!   AWS's `aws-apps-backend` does (`updateServiceTask`, `registerTaskDefinition`).
//! - Lambda (`serverless`, `gen-ai-serverless`): `LambdaFunctionArn` (or `LambdaFunctionName`,
//!   `FunctionName`), served through the alias `LambdaAliasName` (default `live`). Stop sets
//!   the reserved concurrency to 0 and start removes it; environment variables change the
//!   function's configuration; every change that redeploys (restart, environment, release)
//!   publishes a version and points the alias at it, the version's description holding the
//!   released version.
//! - EKS (`eks`) is not operated by this backend yet: its calls are
//!   [`CloudError::Unsupported`].
//!
//! The deployment count of [`AppStatus`] is the number of deployments OPA made: the service
//! tag `opa:deployments` on ECS, the published version behind the alias on Lambda.

mod ecs;
mod lambda;

use std::collections::BTreeMap;

use async_trait::async_trait;
use opa_core::cloud::{AppRuntime, AppStatus, AppTarget, CloudError, CloudSession};
use opa_core::platform::RuntimeType;

use super::config::AwsConfig;
use super::credentials::AwsCredentials;

/// Operates apps on ECS and Lambda with clients built from an [`AwsConfig`] and the session
/// each call is given.
#[derive(Debug, Clone)]
pub struct AwsAppRuntime {
    config: AwsConfig,
}

impl AwsAppRuntime {
    /// A runtime building its clients from `config`.
    pub fn new(config: AwsConfig) -> Self {
        Self { config }
    }

    /// The runtime and the credentials `opa app` needs on AWS, in one call: the platform's
    /// credentials from the default provider chain (they assume each provider's operations
    /// role, with session tags, cached), and the runtime acting with the sessions they return.
    pub fn for_platform(config: AwsConfig) -> (AwsCredentials, AwsAppRuntime) {
        (
            AwsCredentials::default_chain(config.clone()),
            AwsAppRuntime::new(config),
        )
    }

    fn backend<'a>(
        &'a self,
        session: &CloudSession,
        target: &'a AppTarget,
    ) -> Result<Backend<'a>, CloudError> {
        let sdk = self.config.session(session);
        match target.runtime {
            RuntimeType::Ecs => Ok(Backend::Ecs(ecs::EcsApp::locate(
                self.config.ecs(&sdk),
                target,
            )?)),
            RuntimeType::Serverless | RuntimeType::GenAiServerless => Ok(Backend::Lambda(
                lambda::LambdaApp::locate(self.config.lambda(&sdk), target)?,
            )),
            RuntimeType::Eks => Err(CloudError::Unsupported(format!(
                "operating EKS apps ({} in {}/{}) is not available on AWS yet; use kubectl or the app's pipeline",
                target.app, target.env, target.provider
            ))),
        }
    }
}

enum Backend<'a> {
    Ecs(ecs::EcsApp<'a>),
    Lambda(lambda::LambdaApp<'a>),
}

/// The first of `keys` present in the target's deployment outputs, as a non-empty string.
fn output<'a>(target: &'a AppTarget, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .filter_map(|k| target.outputs.get(*k))
        .filter_map(|v| v.as_str())
        .map(str::trim)
        .find(|v| !v.is_empty())
}

/// The error for an app whose outputs do not say where it runs.
fn not_deployed(target: &AppTarget, wanted: &str) -> CloudError {
    CloudError::not_found(
        "app",
        format!(
            "{} in {}/{} (not deployed: metadata.appData.{}.{} has no {wanted}; run its pipeline first)",
            target.app, target.env, target.provider, target.env, target.provider
        ),
    )
}

#[async_trait]
impl AppRuntime for AwsAppRuntime {
    async fn status(
        &self,
        session: &CloudSession,
        target: &AppTarget,
    ) -> Result<AppStatus, CloudError> {
        match self.backend(session, target)? {
            Backend::Ecs(app) => app.status().await,
            Backend::Lambda(app) => app.status().await,
        }
    }

    async fn start(
        &self,
        session: &CloudSession,
        target: &AppTarget,
    ) -> Result<AppStatus, CloudError> {
        match self.backend(session, target)? {
            Backend::Ecs(app) => app.start().await,
            Backend::Lambda(app) => app.start().await,
        }
    }

    async fn stop(
        &self,
        session: &CloudSession,
        target: &AppTarget,
    ) -> Result<AppStatus, CloudError> {
        match self.backend(session, target)? {
            Backend::Ecs(app) => app.stop().await,
            Backend::Lambda(app) => app.stop().await,
        }
    }

    async fn restart(
        &self,
        session: &CloudSession,
        target: &AppTarget,
    ) -> Result<AppStatus, CloudError> {
        match self.backend(session, target)? {
            Backend::Ecs(app) => app.restart().await,
            Backend::Lambda(app) => app.restart().await,
        }
    }

    async fn env_vars(
        &self,
        session: &CloudSession,
        target: &AppTarget,
    ) -> Result<BTreeMap<String, String>, CloudError> {
        match self.backend(session, target)? {
            Backend::Ecs(app) => app.env_vars().await,
            Backend::Lambda(app) => app.env_vars().await,
        }
    }

    async fn set_env_vars(
        &self,
        session: &CloudSession,
        target: &AppTarget,
        vars: &BTreeMap<String, String>,
    ) -> Result<(), CloudError> {
        let change = |env: &mut BTreeMap<String, String>| {
            env.extend(vars.iter().map(|(k, v)| (k.clone(), v.clone())));
        };
        match self.backend(session, target)? {
            Backend::Ecs(app) => app.change_env(change).await,
            Backend::Lambda(app) => app.change_env(change).await,
        }
    }

    async fn unset_env_vars(
        &self,
        session: &CloudSession,
        target: &AppTarget,
        keys: &[String],
    ) -> Result<(), CloudError> {
        let change = |env: &mut BTreeMap<String, String>| {
            for k in keys {
                env.remove(k);
            }
        };
        match self.backend(session, target)? {
            Backend::Ecs(app) => app.change_env(change).await,
            Backend::Lambda(app) => app.change_env(change).await,
        }
    }

    async fn release(
        &self,
        session: &CloudSession,
        target: &AppTarget,
        version: &str,
    ) -> Result<AppStatus, CloudError> {
        let version = version.trim();
        if version.is_empty() {
            return Err(CloudError::InvalidRequest("the version is empty".into()));
        }
        match self.backend(session, target)? {
            Backend::Ecs(app) => app.release(version).await,
            Backend::Lambda(app) => app.release(version).await,
        }
    }
}
