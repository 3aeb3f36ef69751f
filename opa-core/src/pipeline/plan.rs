//! The deployment plan both pipelines are generated from: one stage per environment in level
//! order, one target per provider of that environment.

use serde::Serialize;

use super::error::PipelineError;
use super::session_name;
use crate::platform::aws_ids::is_role_arn;
use crate::platform::{Application, IacType, ResolvedEnvironment, ResolvedProvider};

/// One deployment of the app: an environment × provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeployTarget {
    /// The job id (`deploy-dev-usa`): `[A-Za-z0-9_-]`, unique in the pipeline.
    pub job_id: String,
    /// The provider deployed to.
    pub provider: ResolvedProvider,
    /// The STS session name of the deployment (2–64 characters of `[\w+=,.@-]`).
    pub session_name: String,
}

/// The deployments to one environment; they run after every deployment of the previous stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeployStage {
    /// The environment's name.
    pub env_name: String,
    /// The environment's reference (`awsenvironment:default/dev`).
    pub env_ref: String,
    /// Its level.
    pub level: u32,
    /// Whether someone must approve before it deploys.
    pub requires_approval: bool,
    /// Its targets, one per provider.
    pub targets: Vec<DeployTarget>,
}

/// What a pipeline does: build once, then deploy the same artifact stage by stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeployPlan {
    /// The app's name.
    pub app_name: String,
    /// The app's IaC type (the app's own, else its first provider's).
    pub iac_type: IacType,
    /// The stages in promotion order (level, then name).
    pub stages: Vec<DeployStage>,
}

impl DeployPlan {
    /// Plans the deployment of `app` to `environments`. Fails when there is no environment, an
    /// environment has no provider, a provisioning role is not an IAM role ARN yet (an SSM
    /// parameter name must be resolved first), or the IaC type is unknown.
    pub fn new(
        app: &Application,
        environments: &[ResolvedEnvironment],
    ) -> Result<Self, PipelineError> {
        if environments.is_empty() {
            return Err(PipelineError::NoEnvironments(app.name.clone()));
        }
        let mut ordered: Vec<&ResolvedEnvironment> = environments.iter().collect();
        ordered.sort_by(|a, b| {
            a.env_level
                .cmp(&b.env_level)
                .then_with(|| a.env_name.cmp(&b.env_name))
        });
        let iac_type = app
            .iac_type
            .or_else(|| {
                ordered
                    .iter()
                    .flat_map(|e| &e.env_providers)
                    .map(|p| p.iac_type)
                    .next()
            })
            .ok_or_else(|| PipelineError::NoIacType(app.name.clone()))?;
        let mut used_ids: Vec<String> = vec!["build".into()];
        let mut stages = Vec::with_capacity(ordered.len());
        for env in ordered {
            if env.env_providers.is_empty() {
                return Err(PipelineError::NoProviders(env.env_ref.clone()));
            }
            let mut targets = Vec::with_capacity(env.env_providers.len());
            for provider in &env.env_providers {
                if !is_role_arn(&provider.assumed_role_arn) {
                    return Err(PipelineError::RoleNotArn {
                        provider: provider.env_provider_ref.clone(),
                        value: provider.assumed_role_arn.clone(),
                    });
                }
                let job_id = unique_id(
                    &mut used_ids,
                    &format!("deploy-{}-{}", env.env_name, provider.env_provider_name),
                );
                let session_name = session_name::sanitize(&format!(
                    "opa-{}-{}-{}",
                    app.name, env.env_name, provider.env_provider_name
                ));
                targets.push(DeployTarget {
                    job_id,
                    provider: provider.clone(),
                    session_name,
                });
            }
            stages.push(DeployStage {
                env_name: env.env_name.clone(),
                env_ref: env.env_ref.clone(),
                level: env.env_level,
                requires_approval: env.env_deploy_manual_approval,
                targets,
            });
        }
        Ok(Self {
            app_name: app.name.clone(),
            iac_type,
            stages,
        })
    }

    /// Every target in order.
    pub fn targets(&self) -> impl Iterator<Item = (&DeployStage, &DeployTarget)> {
        self.stages
            .iter()
            .flat_map(|s| s.targets.iter().map(move |t| (s, t)))
    }
}

/// A job id of `[A-Za-z0-9_-]`, starting with a letter, not yet used.
fn unique_id(used: &mut Vec<String>, raw: &str) -> String {
    let mut id: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.insert_str(0, "job-");
    }
    let base = id.clone();
    let mut n = 2;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.push(id.clone());
    id
}
