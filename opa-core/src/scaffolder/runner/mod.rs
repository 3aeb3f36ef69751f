//! The step runner: a template's steps run in order against a workspace, as Backstage's
//! `NunjucksWorkflowRunner` runs them.
//!
//! - Every step's action must be registered: an unknown action fails the task before any step
//!   runs, naming the action and the step.
//! - The user's values are validated against the parameter pages (defaults applied) first.
//! - `if` is rendered and tested for truthiness (`false`, `null`, `""`, `0`, `[]` are false);
//!   `each` runs the step once per element or entry, with `each.key`/`each.value`, and collects
//!   each output into an array.
//! - Inputs are rendered (with `secrets` in the context, and only there) and validated against
//!   the action's input schema before the step runs.
//! - Secret values, and rendered values derived from them, are redacted (`***`) in the log,
//!   errors and outputs.
//! - In a dry run, actions that support it run against the workspace; the others are skipped and
//!   their outputs synthesized from their output schema.
//! - A failure names the step and the cause and lists what was already done; cancellation stops
//!   the task between steps.

// A failed task carries what it already did and its log; it is returned once per task, so its
// size does not matter.
#![allow(clippy::result_large_err)]

mod events;
mod helpers;
mod step;

pub use events::{TaskEvent, TaskObserver};
pub use helpers::{each_entries, example_output, is_truthy};

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value as Json, json};
use tokio_util::sync::CancellationToken;

use super::action::{ActionRegistry, Backends, Secrets, UserInfo};
use super::effects::Effect;
use super::logger::{LogLevel, LogLine, TaskLog};
use super::parameters::{ParameterProblem, validate_parameters};
use super::redact::Redactor;
use super::template::Template;

/// Runs templates.
#[derive(Clone, Debug)]
pub struct TaskRunner {
    registry: Arc<ActionRegistry>,
    backends: Backends,
}

/// One run of a template.
pub struct TaskRequest {
    /// The template.
    pub template: Arc<Template>,
    /// The user's values (`parameters`).
    pub values: Json,
    /// Secrets (`secrets`, only while rendering step input).
    pub secrets: Secrets,
    /// The user (`user.entity`, `user.ref`).
    pub user: UserInfo,
    /// Dry run.
    pub dry_run: bool,
    /// Run in this directory and keep it; `None`: a scratch directory removed at the end.
    pub workspace: Option<PathBuf>,
    /// The task's id (`context.task.id`); `None`: a new UUID.
    pub task_id: Option<String>,
    /// Cancels the task between steps.
    pub cancel: CancellationToken,
    /// Receives the task's events as they happen.
    pub observer: Option<Arc<dyn TaskObserver>>,
}

impl TaskRequest {
    /// A run of `template` with `values` and nothing else set.
    pub fn new(template: impl Into<Arc<Template>>, values: Json) -> Self {
        Self {
            template: template.into(),
            values,
            secrets: Secrets::new(),
            user: UserInfo::default(),
            dry_run: false,
            workspace: None,
            task_id: None,
            cancel: CancellationToken::new(),
            observer: None,
        }
    }
}

impl std::fmt::Debug for TaskRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskRequest")
            .field("template", &self.template.name)
            .field("secrets", &self.secrets)
            .field("dry_run", &self.dry_run)
            .field("workspace", &self.workspace)
            .finish_non_exhaustive()
    }
}

/// What a step did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepReport {
    /// The step's id.
    pub id: String,
    /// `completed`, `skipped` (its `if` was false) or `dry-run-skipped`.
    pub status: &'static str,
    /// Its outputs (redacted).
    pub output: Json,
}

/// A finished task.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskResult {
    /// The task's id.
    pub task_id: String,
    /// The template's rendered `output` (redacted).
    pub output: Json,
    /// Every step, in order.
    pub steps: Vec<StepReport>,
    /// What the task changed.
    pub effects: Vec<Effect>,
    /// The task log (redacted).
    pub log: Vec<LogLine>,
    /// The workspace, when it was kept (`TaskRequest::workspace`).
    pub workspace: Option<PathBuf>,
    /// The files in the workspace at the end, relative and sorted.
    pub files: Vec<String>,
}

/// A task that did not finish. The message names the step and the cause; `effects` lists what
/// was already done.
#[derive(Debug, Clone, Serialize, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct TaskFailure {
    /// `invalid-values`, `unknown-action`, `invalid-input`, `cancelled`, `workspace`, or the
    /// failing action's error code.
    pub code: &'static str,
    /// What went wrong (redacted), naming the step.
    pub message: String,
    /// The step that failed.
    pub step_id: Option<String>,
    /// Its action.
    pub action: Option<String>,
    /// For `invalid-values`: every problem with the values.
    pub problems: Vec<ParameterProblem>,
    /// What was already done before the failure.
    pub effects: Vec<Effect>,
    /// The task log up to the failure (redacted).
    pub log: Vec<LogLine>,
}

impl TaskFailure {
    fn new(code: &'static str, message: String) -> Self {
        Self {
            code,
            message,
            step_id: None,
            action: None,
            problems: Vec::new(),
            effects: Vec::new(),
            log: Vec::new(),
        }
    }
}

impl TaskRunner {
    /// A runner with these actions and backends.
    pub fn new(registry: ActionRegistry, backends: Backends) -> Self {
        Self {
            registry: Arc::new(registry),
            backends,
        }
    }

    /// The actions.
    pub fn registry(&self) -> &ActionRegistry {
        &self.registry
    }

    /// The backends.
    pub fn backends(&self) -> &Backends {
        &self.backends
    }

    /// Checks that every step's action is registered; the error names the first unknown one.
    pub fn check_actions(&self, template: &Template) -> Result<(), TaskFailure> {
        for step in &template.steps {
            if self.registry.get(&step.action).is_none() {
                let mut f = TaskFailure::new(
                    "unknown-action",
                    format!(
                        "step {:?} uses unknown action {:?}: no action with this id is registered",
                        step.id, step.action
                    ),
                );
                f.step_id = Some(step.id.clone());
                f.action = Some(step.action.clone());
                return Err(f);
            }
        }
        Ok(())
    }

    /// Runs a task to its end.
    pub async fn run(&self, request: TaskRequest) -> Result<TaskResult, TaskFailure> {
        let template = request.template.clone();
        self.check_actions(&template)?;
        let checked = validate_parameters(&template, &request.values);
        if !checked.is_valid() {
            let mut f = TaskFailure::new(
                "invalid-values",
                format!(
                    "the values are not valid for template {:?}: {}",
                    template.name,
                    checked
                        .problems
                        .iter()
                        .map(|p| p.message.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            );
            f.problems = checked.problems;
            return Err(f);
        }
        let task_id = request
            .task_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let (workspace, scratch) = prepare_workspace(request.workspace.as_deref())?;

        let mut redactor = Redactor::new();
        for v in request.secrets.values() {
            redactor.add(v);
        }
        let log = Arc::new(TaskLog::new(redactor, request.observer.clone()));
        log.emit(TaskEvent::TaskStarted {
            task_id: task_id.clone(),
            template: template.name.clone(),
            steps: template.steps.len(),
            dry_run: request.dry_run,
            workspace: workspace.display().to_string(),
        });
        log.log(
            None,
            LogLevel::Info,
            &format!("Starting up task with {} steps", template.steps.len()),
        );

        let mut context = Map::new();
        context.insert("parameters".into(), checked.values.clone());
        context.insert("steps".into(), json!({}));
        context.insert(
            "user".into(),
            serde_json::to_value(&request.user).unwrap_or(Json::Null),
        );
        context.insert("context".into(), json!({"task": {"id": task_id}}));

        let mut task = step::TaskState {
            runner: self,
            request: &request,
            task_id: task_id.clone(),
            workspace: workspace.clone(),
            log: log.clone(),
            context,
            effects: Vec::new(),
            reports: Vec::new(),
            validators: HashMap::new(),
        };

        for s in &template.steps {
            if request.cancel.is_cancelled() {
                return Err(task.fail(
                    s,
                    "cancelled",
                    format!(
                        "Step {} ({}) of task {task_id} has been cancelled.",
                        s.id, s.name
                    ),
                ));
            }
            if let Err((code, message)) = task.execute(s).await {
                return Err(task.fail(s, code, message));
            }
        }

        let output = self
            .backends
            .templates
            .render_value(&template.output, &Json::Object(task.context.clone()))
            .map_err(|e| {
                let mut f = TaskFailure::new(
                    e.code(),
                    log.redact(&format!("the template's output could not be rendered: {e}")),
                );
                f.effects = task.effects.clone();
                f.log = log.lines();
                f
            })?;
        let output = log.redactor().redact_json(&output);
        log.emit(TaskEvent::TaskCompleted {
            output: output.clone(),
            effects: task.effects.clone(),
        });
        let files = list_files(&workspace);
        drop(scratch);
        Ok(TaskResult {
            task_id,
            output,
            steps: task.reports,
            effects: task.effects,
            log: log.lines(),
            workspace: request.workspace.as_ref().map(|_| workspace),
            files,
        })
    }
}

fn prepare_workspace(
    wanted: Option<&std::path::Path>,
) -> Result<(PathBuf, Option<tempfile::TempDir>), TaskFailure> {
    let fail = |e: std::io::Error, what: &str| {
        TaskFailure::new(
            "workspace",
            format!("cannot create the workspace {what}: {e}"),
        )
    };
    match wanted {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| fail(e, &dir.display().to_string()))?;
            let dir = dir
                .canonicalize()
                .map_err(|e| fail(e, &dir.display().to_string()))?;
            Ok((dir, None))
        }
        None => {
            let tmp = tempfile::Builder::new()
                .prefix("opa-task-")
                .tempdir()
                .map_err(|e| fail(e, "directory"))?;
            let dir = tmp
                .path()
                .canonicalize()
                .unwrap_or_else(|_| tmp.path().to_path_buf());
            Ok((dir, Some(tmp)))
        }
    }
}

/// The files under `dir`, relative and `/`-separated, sorted (at most 100,000).
fn list_files(dir: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .take(100_000)
        .map(|e| super::workspace::display_relative(dir, e.path()))
        .collect();
    files.sort();
    files
}
