//! The platform's configuration and backends for `opa app` and `opa audit`: the `cloud`,
//! `audit` and `platform` sections of opa.yaml (or the built-in defaults: embedded backends
//! under ./.opa/), the catalog, the local cloud and the audit log.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use opa_aws::aws::{AwsConfig, DynamoDbAuditLog};
use opa_aws::local::{LocalCloud, SqliteAuditLog};
use opa_core::audit::AuditLog;
use opa_core::config::Config;
use opa_core::platform::EntityIndex;
use opa_core::platform::settings::{AuditKind, CloudKind, PlatformSettings};

/// Reads the platform's sections of `--config FILE`, else `./opa.yaml`, else the defaults,
/// through the configuration loader (so `${VAR}` reads the environment).
pub fn settings(explicit: Option<&Path>) -> anyhow::Result<PlatformSettings> {
    let config = Config::load(explicit)?;
    let root = serde_json::Value::Object(config.other.clone().into_iter().collect());
    PlatformSettings::from_config(&root, config.base_dir.clone()).map_err(|e| {
        match &config.source {
            Some(file) => anyhow::anyhow!("{}: {e}", file.display()),
            None => anyhow::anyhow!("{e}"),
        }
    })
}

/// The catalog from `--catalog` paths, else `platform.catalog`.
pub fn catalog(settings: &PlatformSettings, paths: &[PathBuf]) -> anyhow::Result<EntityIndex> {
    let paths = if paths.is_empty() {
        settings.catalog()
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

/// The cloud backend.
pub fn cloud(settings: &PlatformSettings) -> anyhow::Result<LocalCloud> {
    match settings.cloud.kind {
        CloudKind::Local => Ok(LocalCloud::open(settings.state_file())),
        CloudKind::Aws => {
            bail!("cloud: aws is not available in this build yet; use cloud: local (the default)")
        }
    }
}

/// The audit log: SQLite, or DynamoDB (`audit.table` in `audit.region`, else `cloud.region`,
/// with the AWS default credential chain, through `cloud.endpointUrl` or `AWS_ENDPOINT_URL`
/// when set). Calls on it must run on `runtime`.
pub fn audit_log(
    settings: &PlatformSettings,
    runtime: &tokio::runtime::Runtime,
) -> anyhow::Result<Box<dyn AuditLog>> {
    match settings.audit.kind {
        AuditKind::Sqlite => Ok(Box::new(SqliteAuditLog::open(settings.audit_path())?)),
        AuditKind::Dynamodb => {
            let table = settings
                .audit
                .table
                .clone()
                .context("audit: kind dynamodb needs a table")?;
            let region = settings
                .audit
                .region
                .clone()
                .or_else(|| settings.cloud.region.clone())
                .or_else(|| std::env::var("AWS_REGION").ok())
                .context("audit: kind dynamodb needs a region (audit.region or cloud.region)")?;
            let mut config = AwsConfig::from_env();
            if settings.cloud.endpoint_url.is_some() {
                config = config.with_endpoint_url(settings.cloud.endpoint_url.clone());
            }
            let log = runtime.block_on(DynamoDbAuditLog::default_chain(&config, &region, table));
            Ok(Box::new(log))
        }
    }
}

/// The embedded SQLite audit log (quickstart runs on the embedded defaults).
pub fn sqlite_audit_log(settings: &PlatformSettings) -> anyhow::Result<SqliteAuditLog> {
    Ok(SqliteAuditLog::open(settings.audit_path())?)
}

/// A runtime for the async backends.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}
