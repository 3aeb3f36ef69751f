//! The platform's configuration and backends for `opa app` and `opa audit`: the `cloud`,
//! `audit` and `platform` sections of opa.yaml (or the built-in defaults: embedded backends
//! under ./.opa/), the catalog, the local cloud and the audit log.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use opa_aws::local::{LocalCloud, SqliteAuditLog};
use opa_core::platform::EntityIndex;
use opa_core::platform::settings::{AuditKind, CloudKind, PlatformSettings};
use opa_core::yaml::{Limits, parse_single};

/// Reads the platform's sections of `--config FILE`, else `./opa.yaml`, else the defaults.
pub fn settings(explicit: Option<&Path>) -> anyhow::Result<PlatformSettings> {
    let file = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => Some(PathBuf::from("opa.yaml")).filter(|p| p.is_file()),
    };
    let Some(file) = file else {
        return Ok(PlatformSettings::defaults(std::env::current_dir()?));
    };
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let root = match parse_single(&text, &Limits::default()) {
        Ok(root) => root.map(|n| n.to_json()).unwrap_or_default(),
        Err(d) => bail!("{}:{}:{}: {}", file.display(), d.line, d.column, d.message),
    };
    let base = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(std::env::current_dir, |d| Ok(d.to_path_buf()))?;
    PlatformSettings::from_config(&root, base)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))
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

/// The audit log.
pub fn audit_log(settings: &PlatformSettings) -> anyhow::Result<SqliteAuditLog> {
    match settings.audit.kind {
        AuditKind::Sqlite => Ok(SqliteAuditLog::open(settings.audit_path())?),
        AuditKind::Dynamodb => bail!(
            "audit: dynamodb is not available in this build yet; use audit: sqlite (the default)"
        ),
    }
}

/// A runtime for the async backends.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}
