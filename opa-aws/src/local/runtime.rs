//! Local app runtime: each runtime type's operations on the app's record in the state. ECS
//! keeps a desired count and a task definition revision, EKS a replica count, Lambda
//! (serverless and gen-ai-serverless) a reserved concurrency (0 = stopped) and a version.

use std::collections::BTreeMap;

use async_trait::async_trait;
use opa_core::cloud::{AppRuntime, AppStatus, AppTarget, CloudError, CloudSession, RunState};
use serde_json::json;

use super::cloud::LocalCloud;
use super::state::AppState;

/// The key of an app's record: `app/env/provider`.
pub(crate) fn app_key(target: &AppTarget) -> String {
    format!("{}/{}/{}", target.app, target.env, target.provider)
}

/// Rewrites the runtime's own view of the app after a change.
pub(crate) fn refresh_details(app: &mut AppState) {
    app.details = match app.runtime.as_str() {
        "ecs" => json!({
            "desiredCount": u32::from(app.running),
            "taskDefinition": format!("revision-{}", app.deployments),
            "image": format!("app:{}", app.version),
        }),
        "eks" => json!({
            "replicas": u32::from(app.running),
            "image": format!("app:{}", app.version),
            "rolloutRevision": app.deployments,
        }),
        // serverless, gen-ai-serverless: a Lambda function.
        _ => json!({
            "reservedConcurrency": if app.running { serde_json::Value::Null } else { json!(0) },
            "version": app.deployments,
            "aliasTarget": app.version,
        }),
    };
}

pub(crate) fn status_of(app: &AppState) -> AppStatus {
    AppStatus {
        state: if app.running {
            RunState::Running
        } else {
            RunState::Stopped
        },
        version: Some(app.version.clone()),
        desired: u32::from(app.running),
        deployments: app.deployments,
    }
}

impl LocalCloud {
    fn with_app<T>(
        &self,
        session: &CloudSession,
        target: &AppTarget,
        f: impl FnOnce(&mut AppState) -> T,
    ) -> Result<T, CloudError> {
        self.update(|state| {
            LocalCloud::check_session(state, session, &target.account)?;
            let key = app_key(target);
            let app = state
                .region_mut(&target.account, &target.region)
                .apps
                .get_mut(&key)
                .ok_or_else(|| {
                    CloudError::not_found(
                        "app",
                        format!(
                            "{} in {}/{} (not deployed: run its pipeline first)",
                            target.app, target.env, target.provider
                        ),
                    )
                })?;
            let out = f(app);
            refresh_details(app);
            Ok(out)
        })
    }
}

#[async_trait]
impl AppRuntime for LocalCloud {
    async fn status(
        &self,
        session: &CloudSession,
        target: &AppTarget,
    ) -> Result<AppStatus, CloudError> {
        self.with_app(session, target, |app| status_of(app))
    }

    async fn start(
        &self,
        session: &CloudSession,
        target: &AppTarget,
    ) -> Result<AppStatus, CloudError> {
        self.with_app(session, target, |app| {
            app.running = true;
            status_of(app)
        })
    }

    async fn stop(
        &self,
        session: &CloudSession,
        target: &AppTarget,
    ) -> Result<AppStatus, CloudError> {
        self.with_app(session, target, |app| {
            app.running = false;
            status_of(app)
        })
    }

    async fn restart(
        &self,
        session: &CloudSession,
        target: &AppTarget,
    ) -> Result<AppStatus, CloudError> {
        self.with_app(session, target, |app| {
            app.running = true;
            app.deployments += 1;
            status_of(app)
        })
    }

    async fn env_vars(
        &self,
        session: &CloudSession,
        target: &AppTarget,
    ) -> Result<BTreeMap<String, String>, CloudError> {
        self.with_app(session, target, |app| app.env.clone())
    }

    async fn set_env_vars(
        &self,
        session: &CloudSession,
        target: &AppTarget,
        vars: &BTreeMap<String, String>,
    ) -> Result<(), CloudError> {
        self.with_app(session, target, |app| {
            app.env
                .extend(vars.iter().map(|(k, v)| (k.clone(), v.clone())));
            // New variables take a new task definition / function configuration.
            app.deployments += 1;
        })
    }

    async fn unset_env_vars(
        &self,
        session: &CloudSession,
        target: &AppTarget,
        keys: &[String],
    ) -> Result<(), CloudError> {
        self.with_app(session, target, |app| {
            let before = app.env.len();
            for k in keys {
                app.env.remove(k);
            }
            if app.env.len() != before {
                app.deployments += 1;
            }
        })
    }

    async fn release(
        &self,
        session: &CloudSession,
        target: &AppTarget,
        version: &str,
    ) -> Result<AppStatus, CloudError> {
        if version.trim().is_empty() {
            return Err(CloudError::InvalidRequest("the version is empty".into()));
        }
        self.with_app(session, target, |app| {
            app.version = version.to_string();
            app.deployments += 1;
            status_of(app)
        })
    }
}
