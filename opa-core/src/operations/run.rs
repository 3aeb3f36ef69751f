//! Running an operation: permission, role, action, audit.

use serde::Serialize;

use super::kind::OperationKind;
use super::permission::{Permission, check_permission};
use crate::audit::{AuditLog, AuditRecord, AuditStatus, Timestamp, redact_request};
use crate::cloud::{
    AppRuntime, AppStatus, AppTarget, AssumeRoleRequest, CloudError, CloudSession, Credentials,
};
use crate::entity::{EntityRef, RefDefaults};
use crate::platform::model::{ENVIRONMENT_KIND, PlatformError};
use crate::platform::{Application, EntityLookup, Environment, EnvironmentProvider, Membership};

/// The action type of operations in audit records.
pub const ACTION_TYPE: &str = "operation";

/// An operation someone asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRequest {
    /// Who asks (`--as USER_REF` or `OPA_USER`), a User reference.
    pub user: EntityRef,
    /// The app (a Component of type aws-app).
    pub app: EntityRef,
    /// The environment (an AWSEnvironment).
    pub env: EntityRef,
    /// Only this provider of the environment (default: every provider).
    pub provider: Option<String>,
    /// What to do.
    pub kind: OperationKind,
}

impl OperationRequest {
    /// A request from command-line style references: `user` defaults to kind User, `app` to
    /// Component, `env` to AWSEnvironment.
    pub fn parse(user: &str, app: &str, env: &str, kind: OperationKind) -> crate::Result<Self> {
        Ok(Self {
            user: EntityRef::parse_with(user, RefDefaults::kind("User"))?,
            app: EntityRef::parse_with(app, RefDefaults::kind("Component"))?,
            env: EntityRef::parse_with(env, RefDefaults::kind(ENVIRONMENT_KIND))?,
            provider: None,
            kind,
        })
    }
}

/// What happened on one provider.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderOutcome {
    /// The provider's name.
    pub provider: String,
    /// The outcome.
    pub status: AuditStatus,
    /// What happened.
    pub message: String,
    /// The app's state afterwards, when the runtime reported it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_status: Option<AppStatus>,
    /// The audit record written.
    pub audit_id: String,
}

/// The outcome of an operation on every provider of the environment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationReport {
    /// The action (`set-env`).
    pub action: String,
    /// The app.
    pub app: String,
    /// The environment.
    pub env: String,
    /// The user.
    pub user: String,
    /// Per provider.
    pub outcomes: Vec<ProviderOutcome>,
}

impl OperationReport {
    /// `SUCCESS` when every provider succeeded, else `REFUSED` when refused, else `FAILED`.
    pub fn status(&self) -> AuditStatus {
        if self
            .outcomes
            .iter()
            .all(|o| o.status == AuditStatus::Success)
        {
            AuditStatus::Success
        } else if self
            .outcomes
            .iter()
            .any(|o| o.status == AuditStatus::Refused)
        {
            AuditStatus::Refused
        } else {
            AuditStatus::Failed
        }
    }
}

/// Why an operation could not even be attempted (nothing to audit against), or its audit record
/// could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OperationError {
    /// The app or environment is missing or malformed in the catalog.
    #[error(transparent)]
    Platform(#[from] PlatformError),
    /// The environment has no provider (or none named `--provider`).
    #[error("{0}")]
    NoProvider(String),
    /// The audit record could not be written; the operation's outcome is in the message.
    #[error("cannot write the audit record ({outcome}): {source}")]
    Audit {
        /// What had happened.
        outcome: String,
        /// Why the write failed.
        #[source]
        source: CloudError,
    },
}

/// The platform parts an operation needs.
pub struct Operations<'a> {
    /// The catalog's entities.
    pub lookup: &'a dyn EntityLookup,
    /// Group membership (usually the same catalog).
    pub membership: &'a dyn Membership,
    /// Assumes the operations role.
    pub credentials: &'a dyn Credentials,
    /// Acts on the app.
    pub runtime: &'a dyn AppRuntime,
    /// Receives the records.
    pub audit: &'a dyn AuditLog,
    /// The platform's admin group, whose members may operate every app.
    pub admin_group: Option<EntityRef>,
}

struct Context<'r> {
    request: &'r OperationRequest,
    app: Application,
    env: Environment,
}

impl Operations<'_> {
    /// Runs `request` on every provider of the environment (or the one asked for) and audits
    /// each. Refusals and failures are outcomes in the report, not errors.
    pub async fn run(&self, request: &OperationRequest) -> Result<OperationReport, OperationError> {
        let app_entity = self
            .lookup
            .entity(&request.app)
            .ok_or_else(|| PlatformError::NotFound(request.app.clone()))?;
        let app = Application::from_entity(app_entity)?;
        let env_entity = self
            .lookup
            .entity(&request.env)
            .ok_or_else(|| PlatformError::NotFound(request.env.clone()))?;
        let env = Environment::from_entity(env_entity)?;
        let mut providers = Vec::new();
        for r in &env.providers {
            if request
                .provider
                .as_ref()
                .is_some_and(|p| !p.eq_ignore_ascii_case(&r.name))
            {
                continue;
            }
            let entity = self
                .lookup
                .entity(r)
                .ok_or_else(|| PlatformError::NotFound(r.clone()))?;
            providers.push(EnvironmentProvider::from_entity(entity)?);
        }
        if providers.is_empty() {
            return Err(OperationError::NoProvider(match &request.provider {
                Some(p) => format!("environment {} has no provider named {p}", env.entity_ref),
                None => format!("environment {} has no provider", env.entity_ref),
            }));
        }
        let ctx = Context { request, app, env };
        let permission = check_permission(
            self.membership,
            &request.user,
            &ctx.app.owner,
            self.admin_group.as_ref(),
        );
        let mut outcomes = Vec::with_capacity(providers.len());
        for provider in &providers {
            let outcome = match &permission {
                Permission::Refused { reason } => Attempt {
                    status: AuditStatus::Refused,
                    message: reason.clone(),
                    assumed_role: String::new(),
                    app_status: None,
                },
                Permission::Allowed { .. } => self.attempt(&ctx, provider).await,
            };
            outcomes.push(self.audit(&ctx, provider, outcome).await?);
        }
        Ok(OperationReport {
            action: request.kind.name().into(),
            app: ctx.app.entity_ref.to_string(),
            env: ctx.env.name.clone(),
            user: request.user.to_string(),
            outcomes,
        })
    }

    async fn attempt(&self, ctx: &Context<'_>, provider: &EnvironmentProvider) -> Attempt {
        let failed = |message: String, assumed_role: String| Attempt {
            status: AuditStatus::Failed,
            message,
            assumed_role,
            app_status: None,
        };
        if !ctx.app.environments.contains(&ctx.env.entity_ref) {
            return failed(
                format!(
                    "{} is not deployed to {} (it is not in the app's spec.dependsOn)",
                    ctx.app.entity_ref, ctx.env.entity_ref
                ),
                String::new(),
            );
        }
        let resolved = match provider.provisioned() {
            Ok(r) => r,
            Err(e) => return failed(e.to_string(), String::new()),
        };
        let role = resolved.operations_role_arn.clone();
        let user = &ctx.request.user;
        let assume = AssumeRoleRequest::new(
            role.clone(),
            &format!("opa-{}-{}", user.name, ctx.request.kind.name()),
            resolved.region.clone(),
        )
        .tag("user", user.to_string())
        .tag("app", ctx.app.name.clone())
        .tag("environment", ctx.env.name.clone());
        let credentials = match self.credentials.assume_role(&assume).await {
            Ok(c) => c,
            Err(e) => return failed(format!("cannot assume the operations role: {e}"), role),
        };
        let assumed_role = credentials.assumed_role_arn.clone();
        let session = CloudSession {
            credentials,
            region: resolved.region.clone(),
        };
        let target = AppTarget {
            app: ctx.app.name.clone(),
            env: ctx.env.name.clone(),
            provider: provider.name.clone(),
            prefix: resolved.env_provider_prefix.clone(),
            account: resolved.account_id.clone(),
            region: resolved.region.clone(),
            runtime: resolved.env_provider_type,
            cluster: provider.cluster.clone(),
            outputs: ctx
                .app
                .outputs(&ctx.env.name, &provider.name)
                .cloned()
                .unwrap_or_default(),
        };
        match self.act(&session, &target, &ctx.request.kind).await {
            Ok((message, app_status)) => Attempt {
                status: AuditStatus::Success,
                message,
                assumed_role,
                app_status,
            },
            Err(e) => failed(
                format!("{} failed: {e}", ctx.request.kind.name()),
                assumed_role,
            ),
        }
    }

    async fn act(
        &self,
        session: &CloudSession,
        target: &AppTarget,
        kind: &OperationKind,
    ) -> Result<(String, Option<AppStatus>), CloudError> {
        let rt = self.runtime;
        let where_ = format!("{} in {}/{}", target.app, target.env, target.provider);
        Ok(match kind {
            OperationKind::Start => {
                let s = rt.start(session, target).await?;
                (format!("started {where_}"), Some(s))
            }
            OperationKind::Stop => {
                let s = rt.stop(session, target).await?;
                (format!("stopped {where_}"), Some(s))
            }
            OperationKind::Restart => {
                let s = rt.restart(session, target).await?;
                (format!("restarted {where_}"), Some(s))
            }
            OperationKind::SetEnv(vars) => {
                rt.set_env_vars(session, target, vars).await?;
                let keys: Vec<&str> = vars.keys().map(String::as_str).collect();
                (format!("set {} on {where_}", keys.join(", ")), None)
            }
            OperationKind::UnsetEnv(keys) => {
                rt.unset_env_vars(session, target, keys).await?;
                (format!("unset {} on {where_}", keys.join(", ")), None)
            }
            OperationKind::Release(version) => {
                let s = rt.release(session, target, version).await?;
                (format!("released {version} of {where_}"), Some(s))
            }
        })
    }

    async fn audit(
        &self,
        ctx: &Context<'_>,
        provider: &EnvironmentProvider,
        attempt: Attempt,
    ) -> Result<ProviderOutcome, OperationError> {
        let created_at = Timestamp::now();
        let account = provider.account.clone().unwrap_or_default();
        let region = provider.region.clone().unwrap_or_default();
        let prefix = provider.prefix.clone().unwrap_or_default();
        let user = ctx.request.user.to_string();
        let action = ctx.request.kind.name();
        let record = AuditRecord {
            id: AuditRecord::make_id(
                &account,
                &region,
                &prefix,
                &provider.name,
                &ctx.app.name,
                &user,
                action,
                &created_at,
            ),
            created_at,
            initiated_by: user,
            owner: ctx.app.owner.to_string(),
            assumed_role: attempt.assumed_role,
            target_account: account,
            target_region: region,
            prefix,
            provider_name: provider.name.clone(),
            env_name: ctx.env.name.clone(),
            app_name: ctx.app.name.clone(),
            action_type: ACTION_TYPE.into(),
            action_name: action.into(),
            request: redact_request(&ctx.request.kind.request()),
            status: attempt.status,
            message: attempt.message.clone(),
        };
        self.audit
            .append(&record)
            .await
            .map_err(|source| OperationError::Audit {
                outcome: format!("{}: {}", attempt.status.as_str(), attempt.message),
                source,
            })?;
        Ok(ProviderOutcome {
            provider: provider.name.clone(),
            status: attempt.status,
            message: attempt.message,
            app_status: attempt.app_status,
            audit_id: record.id,
        })
    }
}

struct Attempt {
    status: AuditStatus,
    message: String,
    assumed_role: String,
    app_status: Option<AppStatus>,
}
