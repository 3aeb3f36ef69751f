//! `runTemplate`: a template's steps run by the Rust runner on napi's tokio runtime, with the
//! built-in actions, the backends `opa.yaml` chooses (as `opa template run` does) and JS
//! functions as further actions.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use napi::Env;
use napi::bindgen_prelude::PromiseRaw;
use napi_derive::napi;
use opa_core::config::Config;
use opa_core::scaffolder::action::Secrets;
use opa_core::scaffolder::{
    ActionRegistry, TaskFailure, TaskRequest, TaskResult as CoreTaskResult, TaskRunner, Template,
    UserInfo,
};
use serde_json::{Value as Json, json};

use crate::convert::coded_error_with;
use crate::js_action::{JsAction, JsHandler};

/// The user running the task.
#[napi(object)]
pub struct TaskUser {
    /// The user's entity ref (`user:default/jane`): `${{ user.ref }}`.
    #[napi(js_name = "ref")]
    pub entity_ref: String,
    /// The User entity: `${{ user.entity }}`.
    #[napi(ts_type = "Record<string, unknown>")]
    pub entity: Option<Json>,
}

/// Options of `runTemplate`.
#[napi(object, object_to_js = false)]
pub struct RunTemplateOptions {
    /// Where relative `url`s (`fetch:template`'s `./skeleton`) resolve; default: none, so a
    /// relative `url` fails.
    pub base_dir: Option<String>,
    /// Runs actions that support dry runs, skips the others with outputs made from their output
    /// schema.
    pub dry_run: Option<bool>,
    /// Runs in this directory and keeps it; default: a scratch directory removed at the end.
    pub workspace: Option<String>,
    /// The `opa.yaml` naming the git hosts and URL rewrites; default: `./opa.yaml` when it
    /// exists, else the built-in defaults.
    pub config: Option<String>,
    /// The user running the task.
    pub user: Option<TaskUser>,
    /// Secrets (`${{ secrets.x }}`), redacted from the log, outputs and errors.
    pub secrets: Option<HashMap<String, String>>,
    /// Further actions by id, as JS functions (they replace built-in ones with the same id).
    #[napi(ts_type = "Record<string, TemplateActionHandler>")]
    pub actions: Option<HashMap<String, JsHandler>>,
}

/// A line of the task log.
#[napi(object)]
pub struct TaskLogLine {
    /// The step it belongs to; `""` for the task's own lines.
    pub step_id: String,
    /// `debug`, `info`, `warn` or `error`.
    pub level: String,
    /// The text, secrets redacted.
    pub message: String,
}

/// What a step did.
#[napi(object)]
pub struct TaskStep {
    /// The step's id.
    pub id: String,
    /// `completed`, `skipped` (its `if` was false) or `dry-run-skipped`.
    pub status: String,
    /// Its outputs (secrets redacted).
    #[napi(ts_type = "Record<string, unknown>")]
    pub output: Json,
}

/// A finished task.
#[napi(object)]
pub struct TaskResult {
    /// The template's rendered `output` (secrets redacted).
    #[napi(ts_type = "Record<string, unknown>")]
    pub output: Json,
    /// The task log.
    pub log: Vec<TaskLogLine>,
    /// The task's id.
    pub task_id: String,
    /// Every step, in order.
    pub steps: Vec<TaskStep>,
    /// The files in the workspace at the end, relative and sorted.
    pub files: Vec<String>,
    /// The workspace, when `workspace` was given.
    pub workspace: Option<String>,
}

/// Runs a template (`scaffolder.backstage.io/v1beta3` YAML) with `values`, as Backstage's
/// scaffolder runs it, off Node's event loop. Resolves to the rendered `output` and the task
/// log; rejects with an `Error` whose `code` is `invalid-template`, `config`, `invalid-values`,
/// `unknown-action`, `invalid-input`, `action-failed` (a JS action threw) or the failing
/// action's code, whose message names the step, and which carries `stepId`, `action`,
/// `problems` and `log`.
#[napi(catch_unwind, ts_return_type = "Promise<TaskResult>")]
pub fn run_template<'env>(
    env: &'env Env,
    template_yaml: String,
    #[napi(ts_arg_type = "Record<string, unknown>")] values: Json,
    options: Option<RunTemplateOptions>,
) -> napi::Result<PromiseRaw<'env, TaskResult>> {
    let options = options.unwrap_or(RunTemplateOptions {
        base_dir: None,
        dry_run: None,
        workspace: None,
        config: None,
        user: None,
        secrets: None,
        actions: None,
    });
    let prepared = prepare(template_yaml, values, options);
    env.spawn_future_with_callback(
        async move {
            let (runner, request) = match prepared {
                Ok(ready) => ready,
                Err(refused) => return Ok(refused),
            };
            // On its own task, so that a panic in the runner comes back as a failure.
            let outcome = match tokio::spawn(async move { runner.run(request).await }).await {
                Ok(Ok(result)) => Outcome::Done(Box::new(result)),
                Ok(Err(failure)) => Outcome::Failed(Box::new(failure)),
                Err(e) => Outcome::Refused {
                    code: "internal",
                    message: panic_failure(&e),
                    extra: Json::Null,
                },
            };
            Ok(outcome)
        },
        |env, outcome| match outcome {
            Outcome::Done(result) => Ok(task_result(*result)),
            Outcome::Failed(failure) => Err(failure_error(env, &failure)),
            Outcome::Refused {
                code,
                message,
                extra,
            } => Err(coded_error_with(env, code, &message, extra)),
        },
    )
}

/// How a task ended, carried from the runtime back to the main thread.
enum Outcome {
    Done(Box<CoreTaskResult>),
    Failed(Box<TaskFailure>),
    Refused {
        code: &'static str,
        message: String,
        extra: Json,
    },
}

/// The runner and the request, or why the task cannot start.
fn prepare(
    template_yaml: String,
    values: Json,
    options: RunTemplateOptions,
) -> Result<(TaskRunner, TaskRequest), Outcome> {
    let mut template = Template::from_yaml_str(&template_yaml).map_err(|diagnostics| {
        let first = diagnostics
            .first()
            .map(|d| d.to_string())
            .unwrap_or_default();
        Outcome::Refused {
            code: "invalid-template",
            message: format!("invalid template: {first}"),
            extra: json!({ "diagnostics": diagnostics }),
        }
    })?;
    template.base_dir = options
        .base_dir
        .as_deref()
        .map(|dir| std::path::absolute(dir).unwrap_or_else(|_| PathBuf::from(dir)));
    let config =
        Config::load(options.config.as_deref().map(std::path::Path::new)).map_err(|e| {
            Outcome::Refused {
                code: "config",
                message: e.to_string(),
                extra: Json::Null,
            }
        })?;

    let mut registry = ActionRegistry::with_builtins();
    for (id, handler) in options.actions.unwrap_or_default() {
        registry.register(Arc::new(JsAction::new(id, handler)));
    }
    let runner = TaskRunner::new(registry, opa_vcs::task_backends(Arc::new(config)));

    let mut request = TaskRequest::new(template, values);
    request.dry_run = options.dry_run.unwrap_or(false);
    request.workspace = options.workspace.map(PathBuf::from);
    request.secrets = options
        .secrets
        .unwrap_or_default()
        .into_iter()
        .collect::<Secrets>();
    request.user = options
        .user
        .map(|u| UserInfo {
            entity: u.entity,
            entity_ref: Some(u.entity_ref),
        })
        .unwrap_or_default();
    Ok((runner, request))
}

fn panic_failure(e: &tokio::task::JoinError) -> String {
    format!("internal error in the template runner: {e}")
}

fn failure_error(env: &Env, failure: &TaskFailure) -> napi::Error {
    coded_error_with(
        env,
        failure.code,
        &failure.message,
        json!({
            "stepId": failure.step_id,
            "action": failure.action,
            "problems": failure.problems,
            "log": log_json(&failure.log),
        }),
    )
}

fn log_json(lines: &[opa_core::scaffolder::logger::LogLine]) -> Json {
    serde_json::to_value(lines).unwrap_or(Json::Null)
}

/// Task log lines as JS objects.
pub(crate) fn log_lines(lines: Vec<opa_core::scaffolder::logger::LogLine>) -> Vec<TaskLogLine> {
    lines
        .into_iter()
        .map(|line| TaskLogLine {
            step_id: line.step_id.unwrap_or_default(),
            level: serde_json::to_value(line.level)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            message: line.message,
        })
        .collect()
}

fn task_result(result: CoreTaskResult) -> TaskResult {
    TaskResult {
        output: result.output,
        log: log_lines(result.log),
        task_id: result.task_id,
        steps: result
            .steps
            .into_iter()
            .map(|s| TaskStep {
                id: s.id,
                status: s.status.to_string(),
                output: s.output,
            })
            .collect(),
        files: result.files,
        workspace: result.workspace.map(|w| w.display().to_string()),
    }
}
