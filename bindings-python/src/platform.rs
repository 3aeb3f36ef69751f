//! The platform: an app's pipelines, operations on the local cloud with their audit log, and
//! account bootstrap plans. Each function reads the backends `opa.yaml` names, as `opa app`,
//! `opa audit list`, `opa pipeline generate` and `opa bootstrap` do.

use std::path::PathBuf;

use opa_aws::local::{LocalCloud, SqliteAuditLog};
use opa_core::audit::{AuditLog, AuditQuery, Timestamp};
use opa_core::cloud::{BootstrapRequest, Bootstrapper};
use opa_core::config::{AuditKind, CloudKind, Config};
use opa_core::entity::{EntityRef, RefDefaults};
use opa_core::operations::{OperationKind, OperationRequest, Operations};
use opa_core::pipeline::{self, DeployPlan, PipelineOptions};
use opa_core::platform::model::{ENVIRONMENT_KIND, resolve_environment};
use opa_core::platform::{Application, EntityIndex, EntityLookup, PlatformError};
use pyo3::prelude::*;
use pythonize::{depythonize, pythonize};
use serde_json::json;

use crate::catalog::Catalog;
use crate::errors::{backend_error, cloud_error, coded, platform_error, to_py};

/// The configuration: `config`, else `./opa.yaml`, else the defaults.
fn settings(config: Option<PathBuf>) -> PyResult<Config> {
    Config::load(config.as_deref()).map_err(|e| crate::errors::config_error(&e))
}

fn parse_ref(text: &str, kind: &str) -> PyResult<EntityRef> {
    EntityRef::parse_with(text, RefDefaults::kind(kind)).map_err(|e| to_py(&e))
}

/// The catalog given, else `platform.catalog` of the settings.
fn index(catalog: Option<PyRefMut<'_, Catalog>>, settings: &Config) -> PyResult<EntityIndex> {
    if let Some(mut catalog) = catalog {
        let core = catalog.core().map_err(|e| to_py(&e))?;
        return Ok(EntityIndex::from_catalog(core));
    }
    let paths = settings.catalog();
    if paths.is_empty() {
        return Err(coded(
            "no-catalog",
            "no catalog: pass catalog= or set platform.catalog in opa.yaml",
        ));
    }
    let mut index = EntityIndex::default();
    for p in &paths {
        index.add_path(p).map_err(|e| to_py(&e))?;
    }
    Ok(index)
}

fn local_cloud(settings: &Config) -> PyResult<LocalCloud> {
    match settings.cloud.kind {
        CloudKind::Local => Ok(LocalCloud::open(settings.state_file())),
        CloudKind::Aws => Err(backend_error(
            "unsupported",
            "cloud: aws is not available from Python in this build; use cloud: local",
        )),
    }
}

fn sqlite_audit(settings: &Config) -> PyResult<SqliteAuditLog> {
    match settings.audit.kind {
        AuditKind::Sqlite => {
            SqliteAuditLog::open(settings.audit_path()).map_err(|e| cloud_error(&e))
        }
        AuditKind::Dynamodb => Err(backend_error(
            "unsupported",
            "audit: dynamodb is not available from Python in this build; use audit: sqlite",
        )),
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    pyo3_async_runtimes::tokio::get_runtime()
}

/// Generates an app's pipelines: `.gitlab-ci.yml` and `.github/workflows/deploy.yml`, deploying
/// to `environments` (refs; default: the environments the app lists in `spec.dependsOn`) in
/// level order. Returns `{"plan": ..., "files": [{"path", "content"}]}` as `opa pipeline
/// generate --format json` prints it. `options` overrides pipeline options (`branch`,
/// `buildCommands`, `artifactDir`, `iacDir`, `gitlabImage`, `gitlabTokenVariable`,
/// `githubRunner`, `catalogInfoPath`). Raises `PlatformError` when the app or an environment is
/// missing, malformed or not provisioned.
#[pyfunction]
#[pyo3(signature = (catalog, app, *, environments = None, options = None))]
fn generate_pipeline<'py>(
    py: Python<'py>,
    mut catalog: PyRefMut<'_, Catalog>,
    app: &str,
    environments: Option<Vec<String>>,
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let options: PipelineOptions = match options {
        Some(o) if !o.is_none() => {
            let mut merged = serde_json::to_value(PipelineOptions::default())
                .map_err(|e| coded("invalid", &e.to_string()))?;
            let given: serde_json::Value = depythonize(o)?;
            if let (Some(m), Some(g)) = (merged.as_object_mut(), given.as_object()) {
                m.extend(g.clone());
            }
            serde_json::from_value(merged)
                .map_err(|e| coded("invalid", &format!("options: {e}")))?
        }
        _ => PipelineOptions::default(),
    };
    let app_ref = parse_ref(app, "Component")?;
    let env_refs = environments
        .map(|envs| {
            envs.iter()
                .map(|e| parse_ref(e, ENVIRONMENT_KIND))
                .collect::<PyResult<Vec<_>>>()
        })
        .transpose()?;
    let core = catalog.core().map_err(|e| to_py(&e))?;
    let index = EntityIndex::from_catalog(core);
    let app = index
        .entity(&app_ref)
        .ok_or_else(|| PlatformError::NotFound(app_ref.clone()))
        .and_then(Application::from_entity)
        .map_err(|e| platform_error(&e))?;
    let envs = env_refs
        .unwrap_or_else(|| app.environments.clone())
        .iter()
        .map(|r| resolve_environment(&index, r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| platform_error(&e))?;
    let pipeline_failed = |e: pipeline::PipelineError| crate::errors::pipeline_error(&e);
    let plan = DeployPlan::new(&app, &envs).map_err(pipeline_failed)?;
    let files = vec![
        pipeline::generate_gitlab(&plan, &options).map_err(pipeline_failed)?,
        pipeline::generate_github(&plan, &options).map_err(pipeline_failed)?,
    ];
    Ok(pythonize(py, &json!({"plan": plan, "files": files}))?)
}

/// Reads the audit log `opa.yaml` names (SQLite; default `.opa/audit.db` beside it), oldest
/// first, as `opa audit list --format json` prints it: dicts with `id`, `createdAt`,
/// `initiatedBy`, `appName`, `envName`, `providerName`, `actionName`, `status`, `message`, ….
/// `since` and `until` are RFC 3339 times or durations back from now (`15m`, `2h`, `7d`);
/// `user` is a user ref. An audit log never written reads as empty.
#[pyfunction]
#[pyo3(signature = (*, config = None, app = None, env = None, user = None, since = None,
    until = None, limit = None))]
#[allow(clippy::too_many_arguments)]
fn audit_records<'py>(
    py: Python<'py>,
    config: Option<PathBuf>,
    app: Option<String>,
    env: Option<String>,
    user: Option<String>,
    since: Option<String>,
    until: Option<String>,
    limit: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let now = Timestamp::now();
    let time = |t: Option<String>| {
        t.map(|t| Timestamp::parse_relative(&t, now).map_err(|e| coded("invalid-time", &e)))
            .transpose()
    };
    let query = AuditQuery {
        app,
        env,
        user: user
            .map(|u| parse_ref(&u, "User").map(|r| r.to_string()))
            .transpose()?,
        since: time(since)?,
        until: time(until)?,
        limit,
    };
    let settings = settings(config)?;
    if settings.audit.kind == AuditKind::Sqlite && !settings.audit_path().exists() {
        return Ok(pythonize(py, &Vec::<serde_json::Value>::new())?);
    }
    let log = sqlite_audit(&settings)?;
    let records = py
        .detach(|| runtime().block_on(log.query(&query)))
        .map_err(|e| cloud_error(&e))?;
    Ok(pythonize(py, &records)?)
}

/// Runs an operation on an app in an environment, on the local cloud, as `opa app` does: the
/// user must own the app (or be in `platform.adminGroup`); every provider's outcome is written
/// to the audit log. `operation`: `start`, `stop`, `restart`, `release` (with `version`),
/// `set-env` (with `variables`) or `unset-env` (with `keys`). Returns the report
/// `{"action", "app", "env", "user", "outcomes": [{"provider", "status", "message",
/// "auditId"}]}`; a refused or failed operation is data (its `status`), not an exception.
/// Raises `PlatformError` when the app or environment cannot be found.
#[pyfunction]
#[pyo3(signature = (app, env, operation, *, user, provider = None, version = None,
    variables = None, keys = None, catalog = None, config = None))]
#[allow(clippy::too_many_arguments)]
fn operate_app<'py>(
    py: Python<'py>,
    app: &str,
    env: &str,
    operation: &str,
    user: &str,
    provider: Option<String>,
    version: Option<String>,
    variables: Option<std::collections::BTreeMap<String, String>>,
    keys: Option<Vec<String>>,
    catalog: Option<PyRefMut<'_, Catalog>>,
    config: Option<PathBuf>,
) -> PyResult<Bound<'py, PyAny>> {
    let missing = |what: &str| {
        coded(
            "invalid-input",
            &format!("operation {operation:?} needs {what}"),
        )
    };
    let kind = match operation {
        "start" => OperationKind::Start,
        "stop" => OperationKind::Stop,
        "restart" => OperationKind::Restart,
        "release" => OperationKind::Release(version.ok_or_else(|| missing("version="))?),
        "set-env" => OperationKind::SetEnv(variables.ok_or_else(|| missing("variables="))?),
        "unset-env" => OperationKind::UnsetEnv(keys.ok_or_else(|| missing("keys="))?),
        other => {
            return Err(coded(
                "invalid-input",
                &format!(
                    "unknown operation {other:?}: expected start, stop, restart, release, set-env or unset-env"
                ),
            ));
        }
    };
    let mut request = OperationRequest::parse(user, app, env, kind).map_err(|e| to_py(&e))?;
    request.provider = provider;
    let settings = settings(config)?;
    let index = index(catalog, &settings)?;
    let cloud = local_cloud(&settings)?;
    let audit = sqlite_audit(&settings)?;
    let admin_group = settings
        .platform
        .admin_group
        .as_deref()
        .map(|g| parse_ref(g, "Group"))
        .transpose()?;
    let ops = Operations {
        lookup: &index,
        membership: &index,
        credentials: &cloud,
        runtime: &cloud,
        audit: &audit,
        admin_group,
    };
    let report = py
        .detach(|| runtime().block_on(ops.run(&request)))
        .map_err(|e| crate::errors::operation_error(&e))?;
    let mut value = serde_json::to_value(&report).map_err(|e| coded("invalid", &e.to_string()))?;
    value["status"] = json!(report.status().as_str());
    Ok(pythonize(py, &value)?)
}

/// Plans (or with `apply=True` applies) the bootstrap of one account and region for an
/// environment on the local cloud `opa.yaml` names, as `opa bootstrap aws` does on AWS: the
/// provisioning and operations roles with their trust policies, the OIDC provider, the audit
/// table, the Terraform state bucket and lock table. Returns `{"plan": {"account", "region",
/// "changes": [{"resource", "name", "action", "detail"}]}, "text": ..., "resources": ... }`
/// (`resources` after an apply). Raises `BackendError` (code `drift` when something drifted and
/// `force` is not set).
#[pyfunction]
#[pyo3(signature = (account, region, env_name, *, prefix = "opa", github_repo = None,
    gitlab_host = None, gitlab_project = None, destroy = false, force = false, apply = false,
    config = None))]
#[allow(clippy::too_many_arguments)]
fn bootstrap_local<'py>(
    py: Python<'py>,
    account: String,
    region: String,
    env_name: String,
    prefix: &str,
    github_repo: Option<String>,
    gitlab_host: Option<String>,
    gitlab_project: Option<String>,
    destroy: bool,
    force: bool,
    apply: bool,
    config: Option<PathBuf>,
) -> PyResult<Bound<'py, PyAny>> {
    let settings = settings(config)?;
    let cloud = local_cloud(&settings)?;
    let session = cloud.admin_session(&account, &region);
    let request = BootstrapRequest {
        account,
        region,
        env_name,
        prefix: prefix.to_string(),
        github_repo,
        gitlab_host,
        gitlab_project,
        destroy,
        force,
        ..BootstrapRequest::default()
    };
    let (plan, resources) = py
        .detach(|| {
            runtime().block_on(async {
                if apply {
                    cloud
                        .apply(&session, &request)
                        .await
                        .map(|(p, r)| (p, Some(r)))
                } else {
                    cloud.plan(&session, &request).await.map(|p| (p, None))
                }
            })
        })
        .map_err(|e| cloud_error(&e))?;
    Ok(pythonize(
        py,
        &json!({"plan": plan, "text": plan.to_text(), "resources": resources}),
    )?)
}

/// Adds this module's functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(generate_pipeline, m)?)?;
    m.add_function(wrap_pyfunction!(audit_records, m)?)?;
    m.add_function(wrap_pyfunction!(operate_app, m)?)?;
    m.add_function(wrap_pyfunction!(bootstrap_local, m)?)?;
    Ok(())
}
