//! The platform's backends as opa.yaml chooses them (or the built-in defaults: embedded backends
//! under ./.opa/): the catalog, the cloud (local, or AWS) and the audit log — for `opa app`,
//! `opa audit`, `opa pipeline`, `opa template run` and the quickstart.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use opa_aws::aws::{
    AwsAppRuntime, AwsConfig, AwsCredentials, DynamoDbAuditLog, SecretsManagerSecrets,
    SsmParameters,
};
use opa_aws::local::{LocalCloud, SqliteAuditLog};
use opa_core::audit::AuditLog;
use opa_core::cloud::{AppRuntime, Credentials, Parameters, Secrets};
use opa_core::config::{AuditKind, CloudKind, Config};
use opa_core::platform::EntityIndex;
use opa_core::platform::actions::PlatformServices;

/// The configuration: `--config FILE`, else `./opa.yaml`, else the defaults (`${VAR}` reads
/// the environment; an unset one is warned about).
pub fn config(explicit: Option<&Path>) -> anyhow::Result<Config> {
    let config = Config::load(explicit)?;
    for var in &config.unset_variables {
        tracing::warn!("opa.yaml names ${{{var}}}, which is not set");
    }
    Ok(config)
}

/// The catalog from `--catalog` paths, else `platform.catalog`.
pub fn catalog(config: &Config, paths: &[PathBuf]) -> anyhow::Result<EntityIndex> {
    let paths = if paths.is_empty() {
        config.catalog()
    } else {
        paths.to_vec()
    };
    if paths.is_empty() {
        bail!("no catalog: pass --catalog PATH or set platform.catalog in opa.yaml");
    }
    let mut index = EntityIndex::default();
    for p in &paths {
        let problems = index.add_path(p)?;
        for (file, d) in problems {
            tracing::warn!("{}:{}:{}: {}", file.display(), d.line, d.column, d.message);
        }
    }
    Ok(index)
}

/// The cloud backends, one per trait, as `cloud.kind` chooses them.
#[derive(Clone)]
pub struct Cloud {
    /// Sessions and role assumption.
    pub credentials: Arc<dyn Credentials>,
    /// SSM-like parameters.
    pub parameters: Arc<dyn Parameters>,
    /// Secrets Manager-like secrets.
    pub secrets: Arc<dyn Secrets>,
    /// The running apps; `Err` says why this cloud cannot operate them.
    pub runtime: Result<Arc<dyn AppRuntime>, String>,
    /// The platform's region.
    pub region: String,
}

impl Cloud {
    /// What the `opa:*` scaffolder actions act on.
    pub fn services(&self, config: &Config) -> PlatformServices {
        PlatformServices {
            credentials: self.credentials.clone(),
            parameters: self.parameters.clone(),
            secrets: self.secrets.clone(),
            region: self.region.clone(),
            prefix: config.platform.prefix().to_string(),
        }
    }

    /// The app runtime, or an error saying why there is none.
    pub fn runtime(&self) -> anyhow::Result<&dyn AppRuntime> {
        self.runtime
            .as_deref()
            .map_err(|why| anyhow::anyhow!("{why}"))
    }
}

/// The region of the platform: `cloud.region`, else `AWS_REGION`, else `us-east-1` for the
/// local cloud.
fn region(config: &Config) -> Option<String> {
    config
        .cloud
        .region
        .clone()
        .or_else(|| std::env::var("AWS_REGION").ok().filter(|r| !r.is_empty()))
}

/// The AWS SDK configuration: the default credential chain, through `cloud.endpointUrl` (or
/// `AWS_ENDPOINT_URL`) when set.
fn aws_config(config: &Config) -> AwsConfig {
    let aws = AwsConfig::from_env();
    if config.cloud.endpoint_url.is_some() {
        aws.with_endpoint_url(config.cloud.endpoint_url.clone())
    } else {
        aws
    }
}

/// The cloud backends: the embedded local cloud (`cloud.stateFile`), or AWS (STS, SSM, Secrets
/// Manager, and ECS/Lambda for the apps, with the default credential chain, in `cloud.region`).
pub fn cloud(config: &Config) -> anyhow::Result<Cloud> {
    match config.cloud.kind {
        CloudKind::Local => {
            let local = Arc::new(local_cloud(config));
            Ok(Cloud {
                credentials: local.clone(),
                parameters: local.clone(),
                secrets: local.clone(),
                runtime: Ok(local as Arc<dyn AppRuntime>),
                region: region(config).unwrap_or_else(|| "us-east-1".into()),
            })
        }
        CloudKind::Aws => {
            let region = region(config)
                .context("cloud: kind aws needs a region (cloud.region or AWS_REGION)")?;
            let aws = aws_config(config);
            Ok(Cloud {
                credentials: Arc::new(AwsCredentials::default_chain(aws.clone())),
                parameters: Arc::new(SsmParameters::new(aws.clone())),
                secrets: Arc::new(SecretsManagerSecrets::new(aws.clone())),
                // ECS services and Lambda functions; EKS apps are refused per app.
                runtime: Ok(Arc::new(AwsAppRuntime::new(aws)) as Arc<dyn AppRuntime>),
                region,
            })
        }
    }
}

/// The embedded local cloud (the quickstart always runs on it).
pub fn local_cloud(config: &Config) -> LocalCloud {
    LocalCloud::open(config.state_file())
}

/// The audit log: SQLite, or DynamoDB (`audit.table` in `audit.region`, else `cloud.region`,
/// with the AWS default credential chain, through `cloud.endpointUrl` or `AWS_ENDPOINT_URL`
/// when set). Calls on it must run on `runtime`.
pub fn audit_log(
    config: &Config,
    runtime: &tokio::runtime::Runtime,
) -> anyhow::Result<Box<dyn AuditLog>> {
    match config.audit.kind {
        AuditKind::Sqlite => Ok(Box::new(SqliteAuditLog::open(config.audit_path())?)),
        AuditKind::Dynamodb => {
            // The schema requires the table with kind dynamodb.
            let table = config.audit.table.clone().unwrap_or_default();
            let region = config
                .audit
                .region
                .clone()
                .or_else(|| region(config))
                .context("audit: kind dynamodb needs a region (audit.region or cloud.region)")?;
            let log = runtime.block_on(DynamoDbAuditLog::default_chain(
                &aws_config(config),
                &region,
                table,
            ));
            Ok(Box::new(log))
        }
    }
}

/// The embedded SQLite audit log (quickstart runs on the embedded defaults).
pub fn sqlite_audit_log(config: &Config) -> anyhow::Result<SqliteAuditLog> {
    Ok(SqliteAuditLog::open(config.audit_path())?)
}

/// A runtime for the async backends.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}
