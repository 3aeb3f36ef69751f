//! The platform from Node: pipelines of an app, the audit log, and single actions (built-in and
//! `opa:*`) run as Backstage's scaffolder would run them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use napi::Env;
use napi::bindgen_prelude::PromiseRaw;
use napi_derive::napi;
use opa_aws::local::{LocalCloud, SqliteAuditLog};
use opa_core::audit::{AuditLog, AuditQuery, Timestamp};
use opa_core::config::{AuditKind, CloudKind, Config};
use opa_core::entity::{EntityRef, RefDefaults};
use opa_core::pipeline::{self, DeployPlan, PipelineOptions};
use opa_core::platform::actions::PlatformServices;
use opa_core::platform::model::{ENVIRONMENT_KIND, resolve_environment};
use opa_core::platform::{Application, EntityIndex, EntityLookup};
use opa_core::scaffolder::action::Secrets;
use opa_core::scaffolder::catalog::MemoryCatalog;
use opa_core::scaffolder::logger::StepLogger;
use opa_core::scaffolder::{ActionContext, ActionRegistry, UserInfo};
use serde_json::Value as Json;

use crate::convert::{coded_error_with, throw_coded};
use crate::task::{TaskLogLine, TaskUser, log_lines};

/// Options of `generatePipelines`.
#[napi(object)]
pub struct GeneratePipelinesOptions {
    /// Environment refs to deploy to, in place of the app's `spec.dependsOn` environments.
    pub environments: Option<Vec<String>>,
    /// Pipeline options as `opa:generate-pipeline` takes them (`branch`, `catalogInfoPath`, …).
    #[napi(ts_type = "Record<string, unknown>")]
    pub pipeline: Option<Json>,
}

/// A generated file.
#[napi(object)]
pub struct PipelineFile {
    /// Its path in the app's repository (`.gitlab-ci.yml`).
    pub path: String,
    /// Its YAML text.
    pub content: String,
}

/// An app's pipelines.
#[napi(object)]
pub struct GeneratedPipelines {
    /// `.gitlab-ci.yml`.
    pub gitlab: String,
    /// `.github/workflows/deploy.yml`.
    pub github: String,
    /// Both, with their paths.
    pub files: Vec<PipelineFile>,
    /// The deployment plan: stages per environment, targets per provider.
    #[napi(ts_type = "Record<string, unknown>")]
    pub plan: Json,
}

/// Generates an app's GitLab CI pipeline and GitHub Actions workflow, as `opa pipeline
/// generate` does: `app` is the app's entity, or its ref looked up in `entities` (which hold its
/// environments and their providers). Throws an `Error` with `code` `invalid-ref`, `not-found`,
/// `wrong-kind`, `invalid-field`, `not-provisioned` or `pipeline`.
#[napi(catch_unwind)]
pub fn generate_pipelines(
    env: Env,
    #[napi(ts_arg_type = "string | Record<string, unknown>")] app: Json,
    #[napi(ts_arg_type = "Record<string, unknown>[]")] entities: Vec<Json>,
    options: Option<GeneratePipelinesOptions>,
) -> napi::Result<GeneratedPipelines> {
    let index = EntityIndex::new(entities);
    let fail = |code: &str, message: String| throw_coded(&env, code, &message);
    let app_entity = match &app {
        Json::String(reference) => {
            let app_ref = EntityRef::parse_with(reference, RefDefaults::kind("Component"))
                .map_err(|e| fail(e.code(), e.to_string()))?;
            index
                .entity(&app_ref)
                .cloned()
                .ok_or_else(|| fail("not-found", format!("{app_ref} is not in the catalog")))?
        }
        other => other.clone(),
    };
    let app = Application::from_entity(&app_entity).map_err(|e| fail(e.code(), e.to_string()))?;
    let options = options.unwrap_or(GeneratePipelinesOptions {
        environments: None,
        pipeline: None,
    });
    let env_refs = match options.environments {
        None => app.environments.clone(),
        Some(refs) => refs
            .iter()
            .map(|r| EntityRef::parse_with(r, RefDefaults::kind(ENVIRONMENT_KIND)))
            .collect::<Result<_, _>>()
            .map_err(|e| fail(e.code(), e.to_string()))?,
    };
    let environments = env_refs
        .iter()
        .map(|r| resolve_environment(&index, r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| fail(e.code(), e.to_string()))?;
    let pipeline_options: PipelineOptions = match options.pipeline {
        Some(o) => serde_json::from_value(o).map_err(|e| fail("invalid-input", e.to_string()))?,
        None => PipelineOptions::default(),
    };
    let plan = DeployPlan::new(&app, &environments).map_err(|e| fail("pipeline", e.to_string()))?;
    let gitlab = pipeline::generate_gitlab(&plan, &pipeline_options)
        .map_err(|e| fail("pipeline", e.to_string()))?;
    let github = pipeline::generate_github(&plan, &pipeline_options)
        .map_err(|e| fail("pipeline", e.to_string()))?;
    Ok(GeneratedPipelines {
        plan: serde_json::to_value(&plan).unwrap_or(Json::Null),
        files: [&gitlab, &github]
            .iter()
            .map(|f| PipelineFile {
                path: f.path.clone(),
                content: f.content.clone(),
            })
            .collect(),
        gitlab: gitlab.content,
        github: github.content,
    })
}

/// Filters of `auditList`.
#[napi(object)]
pub struct AuditListOptions {
    /// The `opa.yaml` whose `audit` section names the log; default `./opa.yaml`, else the
    /// embedded SQLite log `./.opa/audit.db`.
    pub config: Option<String>,
    /// The app's name.
    pub app: Option<String>,
    /// The environment's name.
    pub env: Option<String>,
    /// The user (`jane` or `user:default/jane`).
    pub user: Option<String>,
    /// From this time on: RFC 3339, or relative (`1h`, `7d`).
    pub since: Option<String>,
    /// Before this time.
    pub until: Option<String>,
    /// At most this many records (the newest).
    pub limit: Option<u32>,
}

/// Lists audit records (who did what to which app, where, when, with which role, and the
/// outcome) from the audit log `opa.yaml` chooses, off the event loop, as `opa audit list`.
/// Rejects with `code` `config`, `invalid-input` or the backend's code.
#[napi(catch_unwind, ts_return_type = "Promise<Record<string, unknown>[]>")]
pub fn audit_list<'env>(
    env: &'env Env,
    options: Option<AuditListOptions>,
) -> napi::Result<PromiseRaw<'env, Vec<Json>>> {
    let options = options.unwrap_or(AuditListOptions {
        config: None,
        app: None,
        env: None,
        user: None,
        since: None,
        until: None,
        limit: None,
    });
    let prepared = audit_query(&options);
    let config = options.config.map(PathBuf::from);
    env.spawn_future_with_callback(
        async move {
            let query = match prepared {
                Ok(q) => q,
                Err(message) => return Ok(Err(("invalid-input", message))),
            };
            let config = match Config::load(config.as_deref()) {
                Ok(c) => c,
                Err(e) => return Ok(Err(("config", e.to_string()))),
            };
            if config.audit.kind != AuditKind::Sqlite {
                return Ok(Err((
                    "unavailable",
                    "audit: this addon reads the embedded SQLite audit log; kind dynamodb is \
                     read by the opa CLI"
                        .to_string(),
                )));
            }
            // Listing a log that was never written does not create one.
            if !config.audit_path().exists() {
                return Ok(Ok(Vec::new()));
            }
            let log = match SqliteAuditLog::open(config.audit_path()) {
                Ok(l) => l,
                Err(e) => return Ok(Err((e.code(), e.to_string()))),
            };
            Ok(match log.query(&query).await {
                Ok(records) => Ok(records
                    .iter()
                    .map(|r| serde_json::to_value(r).unwrap_or(Json::Null))
                    .collect()),
                Err(e) => Err((e.code(), e.to_string())),
            })
        },
        |env, outcome| {
            outcome.map_err(|(code, message)| coded_error_with(env, code, &message, Json::Null))
        },
    )
}

fn audit_query(options: &AuditListOptions) -> Result<AuditQuery, String> {
    let now = Timestamp::now();
    let time = |t: &Option<String>| {
        t.as_deref()
            .map(|t| Timestamp::parse_relative(t, now))
            .transpose()
    };
    Ok(AuditQuery {
        app: options.app.clone(),
        env: options.env.clone(),
        user: options
            .user
            .as_deref()
            .map(|u| EntityRef::parse_with(u, RefDefaults::kind("User")).map(|r| r.to_string()))
            .transpose()
            .map_err(|e| e.to_string())?,
        since: time(&options.since)?,
        until: time(&options.until)?,
        limit: options.limit.map(|l| l as usize),
    })
}

/// An action OPA-rs provides.
#[napi(object)]
pub struct ActionInfo {
    /// Its id (`fetch:template`, `opa:get-env-providers`).
    pub id: String,
    /// What it does.
    pub description: String,
    /// The JSON Schema of its input.
    #[napi(ts_type = "Record<string, unknown> | undefined")]
    pub input_schema: Option<Json>,
    /// The JSON Schema of its output.
    #[napi(ts_type = "Record<string, unknown> | undefined")]
    pub output_schema: Option<Json>,
    /// Whether it runs in a dry run.
    pub supports_dry_run: bool,
}

/// Every action `runAction` runs: the built-in ones and the platform's `opa:*`.
#[napi(catch_unwind)]
pub fn list_actions() -> Vec<ActionInfo> {
    let registry = registry(&Config::defaults("."));
    registry
        .ids()
        .filter_map(|id| registry.get(id))
        .map(|a| ActionInfo {
            id: a.id().to_string(),
            description: a.description().to_string(),
            input_schema: a.input_schema(),
            output_schema: a.output_schema(),
            supports_dry_run: a.supports_dry_run(),
        })
        .collect()
}

/// The built-in actions and the `opa:*` ones on the embedded local cloud `config` names
/// (`cloud.stateFile`, `cloud.region`, `platform.prefix`), as `opa template run` registers them.
fn registry(config: &Config) -> ActionRegistry {
    let cloud = Arc::new(LocalCloud::open(config.state_file()));
    let services = PlatformServices {
        credentials: cloud.clone(),
        parameters: cloud.clone(),
        secrets: cloud,
        region: config
            .cloud
            .region
            .clone()
            .unwrap_or_else(|| "us-east-1".to_string()),
        prefix: config.platform.prefix().to_string(),
    };
    let mut registry = ActionRegistry::with_builtins();
    opa_core::platform::actions::register(&mut registry, &services);
    registry
}

/// Options of `runAction`.
#[napi(object)]
pub struct RunActionOptions {
    /// The workspace directory (Backstage's `ctx.workspacePath`); created when missing.
    pub workspace: String,
    /// Where relative `url`s resolve (the template's directory).
    pub base_dir: Option<String>,
    /// The `opa.yaml` naming git hosts, URL rewrites and the platform's cloud.
    pub config: Option<String>,
    /// The user running the task.
    pub user: Option<TaskUser>,
    /// The task's secrets.
    pub secrets: Option<HashMap<String, String>>,
    /// Whether this is a dry run.
    pub dry_run: Option<bool>,
    /// The catalog `catalog:*` and `opa:*` actions read (environments, providers, apps).
    #[napi(ts_type = "Record<string, unknown>[]")]
    pub entities: Option<Vec<Json>>,
    /// The step's id, for the log and errors (default `step`).
    pub step_id: Option<String>,
}

/// What one action did.
#[napi(object)]
pub struct ActionRun {
    /// Its outputs.
    #[napi(ts_type = "Record<string, unknown>")]
    pub output: Json,
    /// What it logged.
    pub log: Vec<TaskLogLine>,
}

/// Runs one action (built-in or `opa:*`, see `listActions`) with this input against a
/// workspace, off the event loop: what a Backstage scaffolder module calls from its actions'
/// handlers. Rejects with the action's error `code` (`unknown-action`, `invalid-input`,
/// `not-found`, …) and a message naming the step.
#[napi(catch_unwind, ts_return_type = "Promise<ActionRun>")]
pub fn run_action<'env>(
    env: &'env Env,
    id: String,
    #[napi(ts_arg_type = "Record<string, unknown>")] input: Json,
    options: RunActionOptions,
) -> napi::Result<PromiseRaw<'env, ActionRun>> {
    env.spawn_future_with_callback(
        async move {
            let step_id = options.step_id.clone().unwrap_or_else(|| "step".into());
            let handle = tokio::spawn(run_one(id, input, options, step_id.clone()));
            Ok(match handle.await {
                Ok(result) => result,
                Err(e) => Err((
                    "internal",
                    format!("internal error in step {step_id:?}: {e}"),
                )),
            })
        },
        |env, outcome| {
            outcome.map_err(|(code, message)| coded_error_with(env, code, &message, Json::Null))
        },
    )
}

async fn run_one(
    id: String,
    input: Json,
    options: RunActionOptions,
    step_id: String,
) -> Result<ActionRun, (&'static str, String)> {
    let named = |e: String| format!("step {step_id:?} ({id}) failed: {e}");
    let config_path = options.config.as_deref().map(Path::new);
    let config = Config::load(config_path).map_err(|e| ("config", e.to_string()))?;
    if config.cloud.kind != CloudKind::Local {
        return Err((
            "unavailable",
            "cloud: this addon runs the opa:* actions on the embedded local cloud; cloud: aws \
             is run by the opa CLI"
                .to_string(),
        ));
    }
    let registry = registry(&config);
    let action = registry.get(&id).ok_or_else(|| {
        (
            "unknown-action",
            named(format!("no action {id:?} is provided")),
        )
    })?;
    let catalog = MemoryCatalog::new();
    for entity in options.entities.unwrap_or_default() {
        catalog
            .insert(entity)
            .map_err(|e| ("invalid-input", named(format!("entities: {e}"))))?;
    }
    let backends = opa_vcs::task_backends(Arc::new(config)).with_catalog(Arc::new(catalog));
    let workspace = PathBuf::from(&options.workspace);
    std::fs::create_dir_all(&workspace)
        .map_err(|e| ("workspace", named(format!("{}: {e}", workspace.display()))))?;
    let logger = StepLogger::detached(step_id.clone());
    let mut ctx = ActionContext::new(input, workspace, step_id.clone(), backends, logger.clone());
    ctx.template_dir = options.base_dir.map(PathBuf::from);
    ctx.secrets = Arc::new(
        options
            .secrets
            .unwrap_or_default()
            .into_iter()
            .collect::<Secrets>(),
    );
    ctx.user = Arc::new(
        options
            .user
            .map(|u| UserInfo {
                entity: u.entity,
                entity_ref: Some(u.entity_ref),
            })
            .unwrap_or_default(),
    );
    ctx.dry_run = options.dry_run.unwrap_or(false);
    let result = action.handle(&mut ctx).await;
    let (outputs, _) = ctx.take_results();
    result.map_err(|e| (e.code(), named(e.to_string())))?;
    Ok(ActionRun {
        output: Json::Object(outputs),
        log: log_lines(logger.lines()),
    })
}
