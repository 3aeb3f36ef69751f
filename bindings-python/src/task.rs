//! `run_template` and `run_template_async`: a template's steps run by the runner `opa template
//! run` uses, with Python callables as extra actions.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use opa_core::config::Config;
use opa_core::scaffolder::action::Secrets;
use opa_core::scaffolder::logger::{LogLevel, LogLine};
use opa_core::scaffolder::{
    ActionRegistry, TaskFailure, TaskRequest, TaskResult as CoreResult, TaskRunner, Template,
    UserInfo,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_async_runtimes::TaskLocals;
use pythonize::{depythonize, pythonize};
use serde_json::Value as Json;

use crate::action::PyAction;
use crate::errors;

/// One line of the task log.
#[pyclass(module = "opa_platform", frozen, get_all)]
pub struct LogEntry {
    /// The step the line belongs to; `None` for the task's own lines.
    step_id: Option<String>,
    /// `debug`, `info`, `warn` or `error`.
    level: &'static str,
    /// The text, secrets redacted.
    message: String,
}

#[pymethods]
impl LogEntry {
    fn __repr__(&self) -> String {
        format!(
            "LogEntry(step_id={:?}, level={:?}, message={:?})",
            self.step_id, self.level, self.message
        )
    }
}

impl LogEntry {
    fn new(line: LogLine) -> Self {
        Self {
            step_id: line.step_id,
            level: match line.level {
                LogLevel::Debug => "debug",
                LogLevel::Info => "info",
                LogLevel::Warn => "warn",
                LogLevel::Error => "error",
            },
            message: line.message,
        }
    }
}

/// The log as Python objects.
pub fn log_entries(py: Python<'_>, log: Vec<LogLine>) -> PyResult<Vec<Py<LogEntry>>> {
    log.into_iter()
        .map(|line| Py::new(py, LogEntry::new(line)))
        .collect()
}

/// A finished task.
#[pyclass(module = "opa_platform", frozen, get_all)]
pub struct TaskResult {
    /// The task's id.
    task_id: String,
    /// The template's rendered `output` (a dict; secrets redacted).
    output: Py<PyAny>,
    /// Every step: `{"id", "status", "output"}`, status `completed`, `skipped` or
    /// `dry-run-skipped`.
    steps: Py<PyAny>,
    /// What the task changed, for people.
    effects: Vec<String>,
    /// The task log (secrets redacted).
    log: Vec<Py<LogEntry>>,
    /// The workspace, when it was kept (`workspace=`).
    workspace: Option<String>,
    /// The files in the workspace at the end, relative and sorted.
    files: Vec<String>,
}

#[pymethods]
impl TaskResult {
    fn __repr__(&self) -> String {
        format!(
            "TaskResult(task_id={:?}, steps={}, log={} lines, files={})",
            self.task_id,
            Python::attach(|py| self.steps.bind(py).len().unwrap_or(0)),
            self.log.len(),
            self.files.len()
        )
    }
}

impl TaskResult {
    fn new(py: Python<'_>, result: CoreResult) -> PyResult<Self> {
        Ok(Self {
            task_id: result.task_id,
            output: pythonize(py, &result.output)?.unbind(),
            steps: pythonize(py, &result.steps)?.unbind(),
            effects: result.effects.iter().map(ToString::to_string).collect(),
            log: log_entries(py, result.log)?,
            workspace: result.workspace.map(|w| w.display().to_string()),
            files: result.files,
        })
    }
}

/// A run ready to start: the runner and the request.
struct Prepared {
    runner: TaskRunner,
    request: TaskRequest,
}

#[allow(clippy::too_many_arguments)]
fn prepare(
    template_yaml: &str,
    values: Option<&Bound<'_, PyAny>>,
    base_dir: Option<PathBuf>,
    dry_run: bool,
    workspace: Option<PathBuf>,
    config: Option<PathBuf>,
    user: Option<String>,
    secrets: Option<&Bound<'_, PyDict>>,
    actions: Option<&Bound<'_, PyDict>>,
    event_loop: Option<TaskLocals>,
) -> PyResult<Prepared> {
    let mut template = Template::from_yaml_str(template_yaml)
        .map_err(|diagnostics| errors::invalid_template(&diagnostics))?;
    template.base_dir = base_dir.map(|d| std::path::absolute(&d).unwrap_or(d));
    let values: Json = match values {
        Some(v) if !v.is_none() => depythonize(v)?,
        _ => Json::Object(Default::default()),
    };
    let secrets: Secrets = match secrets {
        Some(s) => s
            .iter()
            .map(|(k, v)| Ok((k.extract::<String>()?, v.extract::<String>()?)))
            .collect::<PyResult<Vec<_>>>()?
            .into_iter()
            .collect(),
        None => Secrets::new(),
    };
    let config = Config::load(config.as_deref()).map_err(|e| errors::config_error(&e))?;
    let mut registry = ActionRegistry::with_builtins();
    if let Some(actions) = actions {
        for (id, callable) in actions.iter() {
            let id: String = id.extract()?;
            registry.register(Arc::new(PyAction::new(id, &callable, event_loop.clone())?));
        }
    }
    let runner = TaskRunner::new(registry, opa_vcs::task_backends(Arc::new(config)));
    let mut request = TaskRequest::new(template, values);
    request.secrets = secrets;
    request.dry_run = dry_run;
    request.workspace = workspace;
    request.user = UserInfo {
        entity: None,
        entity_ref: user,
    };
    Ok(Prepared { runner, request })
}

/// Runs the task on the runtime; a panic becomes an error instead of crossing into Python.
async fn execute(prepared: Prepared) -> Result<Result<CoreResult, TaskFailure>, String> {
    let Prepared { runner, request } = prepared;
    // Cancelled when this future is dropped (the awaiting Python task was cancelled): the runner
    // stops between steps instead of running on unobserved.
    let _stop = request.cancel.clone().drop_guard();
    tokio::spawn(async move { runner.run(request).await })
        .await
        .map_err(panic_message)
}

fn panic_message(e: tokio::task::JoinError) -> String {
    if e.is_panic() {
        let payload = e.into_panic();
        let text = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        format!("OPA-rs panicked while running the template: {text}")
    } else {
        "the template run was cancelled".into()
    }
}

fn finish(
    py: Python<'_>,
    outcome: Result<Result<CoreResult, TaskFailure>, String>,
) -> PyResult<TaskResult> {
    match outcome {
        Ok(Ok(result)) => TaskResult::new(py, result),
        Ok(Err(failure)) => Err(errors::task_failure(py, failure)),
        Err(panic) => Err(errors::coded("internal-error", &panic)),
    }
}

/// Runs a template's steps (`template_yaml`: the Template entity as YAML) with `values` as
/// `parameters`, as `opa template run` does, and returns a `TaskResult`.
///
/// - `base_dir`: the template's directory; relative `fetch:*` URLs are read from there.
/// - `dry_run`: actions that support it run against the workspace; others are skipped.
/// - `workspace`: run there and keep it; by default a scratch directory removed at the end.
/// - `config`: the `opa.yaml` to use; by default `./opa.yaml`, else built-in defaults.
/// - `user`: the acting user's entity ref (`user.ref` in templates).
/// - `secrets`: names to values (`secrets.x` in step input; redacted everywhere).
/// - `actions`: action ids to callables taking an `ActionContext` and returning a dict of
///   outputs or `None`. Plain functions run on a worker thread; a coroutine function runs to
///   completion on a private event loop (`asyncio.run`) there; use `run_template_async` to run
///   coroutines on your own loop. An id that is also a built-in action replaces it.
///
/// The GIL is released while the steps run. A failure raises `TemplateError` with `code`,
/// `step_id`, `action`, `problems`, `effects` and `log`.
#[pyfunction]
#[pyo3(signature = (template_yaml, values = None, *, base_dir = None, dry_run = false,
    workspace = None, config = None, user = None, secrets = None, actions = None))]
#[allow(clippy::too_many_arguments)]
fn run_template(
    py: Python<'_>,
    template_yaml: &str,
    values: Option<&Bound<'_, PyAny>>,
    base_dir: Option<PathBuf>,
    dry_run: bool,
    workspace: Option<PathBuf>,
    config: Option<PathBuf>,
    user: Option<String>,
    secrets: Option<&Bound<'_, PyDict>>,
    actions: Option<&Bound<'_, PyDict>>,
) -> PyResult<TaskResult> {
    let prepared = prepare(
        template_yaml,
        values,
        base_dir,
        dry_run,
        workspace,
        config,
        user,
        secrets,
        actions,
        None,
    )?;
    let cancel = prepared.request.cancel.clone();
    let runtime = pyo3_async_runtimes::tokio::get_runtime();
    let mut task = runtime.spawn(execute(prepared));
    let outcome = loop {
        // Wake up now and then so that Ctrl-C (KeyboardInterrupt) stops the task between steps.
        let joined = py.detach(|| {
            // The timer must be made inside the runtime.
            runtime.block_on(async {
                tokio::time::timeout(Duration::from_millis(200), &mut task).await
            })
        });
        match joined {
            Ok(joined) => break joined.map_err(panic_message).and_then(|r| r),
            Err(_) => {
                if let Err(interrupt) = py.check_signals() {
                    cancel.cancel();
                    return Err(interrupt);
                }
            }
        }
    };
    finish(py, outcome)
}

/// Like `run_template`, as an awaitable for asyncio: the steps run off the event loop, and
/// coroutine-function actions run on the calling event loop. Cancelling the awaiting task
/// stops the run between steps.
#[pyfunction]
#[pyo3(signature = (template_yaml, values = None, *, base_dir = None, dry_run = false,
    workspace = None, config = None, user = None, secrets = None, actions = None))]
#[allow(clippy::too_many_arguments)]
fn run_template_async<'py>(
    py: Python<'py>,
    template_yaml: &str,
    values: Option<&Bound<'py, PyAny>>,
    base_dir: Option<PathBuf>,
    dry_run: bool,
    workspace: Option<PathBuf>,
    config: Option<PathBuf>,
    user: Option<String>,
    secrets: Option<&Bound<'py, PyDict>>,
    actions: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let locals = pyo3_async_runtimes::tokio::get_current_locals(py)?;
    let prepared = prepare(
        template_yaml,
        values,
        base_dir,
        dry_run,
        workspace,
        config,
        user,
        secrets,
        actions,
        Some(locals.clone()),
    )?;
    pyo3_async_runtimes::tokio::future_into_py_with_locals(py, locals, async move {
        let outcome = execute(prepared).await;
        Python::attach(|py| finish(py, outcome))
    })
}

/// Adds this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<LogEntry>()?;
    m.add_class::<TaskResult>()?;
    m.add_function(wrap_pyfunction!(run_template, m)?)?;
    m.add_function(wrap_pyfunction!(run_template_async, m)?)?;
    Ok(())
}
