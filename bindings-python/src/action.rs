//! Python callables as scaffolder actions: an [`Action`] that hands each step to a callable and
//! brings its outputs back. No logic beyond the bridge.
//!
//! Where the callable runs: a plain function on a worker thread (the GIL is taken only for the
//! call). A coroutine function (or any callable returning a coroutine) runs, with
//! `run_template_async`, on the caller's event loop; with `run_template`, to completion on a
//! private event loop of its own (`asyncio.run`) on that worker thread.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use opa_core::scaffolder::action::Secrets;
use opa_core::scaffolder::logger::{LogLevel, StepLogger};
use opa_core::scaffolder::{Action, ActionContext, ActionError, UserInfo};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use pyo3_async_runtimes::TaskLocals;
use pythonize::{depythonize, pythonize};
use serde_json::{Map, Value as Json};

/// What a step's callable receives.
#[pyclass(module = "opa_platform", name = "ActionContext", frozen)]
pub struct PyActionContext {
    /// The step's rendered input (a dict).
    #[pyo3(get)]
    input: Py<PyAny>,
    /// The workspace directory (absolute).
    #[pyo3(get)]
    workspace_path: String,
    /// The step's id.
    #[pyo3(get)]
    step_id: String,
    /// The task's id.
    #[pyo3(get)]
    task_id: String,
    /// Whether this is a dry run.
    #[pyo3(get)]
    dry_run: bool,
    /// Writes to the task log.
    #[pyo3(get)]
    logger: Py<ActionLogger>,
    secrets: Arc<Secrets>,
    user: Arc<UserInfo>,
    outputs: Arc<Mutex<Map<String, Json>>>,
}

#[pymethods]
impl PyActionContext {
    /// The task's secrets, by name (values are redacted from the log and errors).
    #[getter]
    fn secrets<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize(py, &self.secrets.to_json())?)
    }

    /// The user running the task: `{"ref": ..., "entity": ...}` (keys present when known).
    #[getter]
    fn user<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize(py, self.user.as_ref())?)
    }

    /// Sets an output of the step (`${{ steps.<id>.output.<name> }}`); `value` must be
    /// JSON-like (dict, list, str, int, float, bool, None).
    fn output(&self, name: String, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let value: Json = depythonize(value)?;
        self.outputs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name, value);
        Ok(())
    }

    fn __repr__(&self) -> String {
        // Secret names only, never their values.
        let names: Vec<String> = self.secrets_names();
        format!(
            "ActionContext(step_id={:?}, workspace_path={:?}, dry_run={}, secrets={names:?})",
            self.step_id,
            self.workspace_path,
            if self.dry_run { "True" } else { "False" },
        )
    }
}

impl PyActionContext {
    fn secrets_names(&self) -> Vec<String> {
        self.secrets
            .to_json()
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// The step's logger: every line goes to the task log, secrets redacted.
#[pyclass(module = "opa_platform", frozen)]
pub struct ActionLogger {
    inner: StepLogger,
}

#[pymethods]
impl ActionLogger {
    /// Writes a debug line.
    fn debug(&self, message: &str) {
        self.inner.log(LogLevel::Debug, message);
    }

    /// Writes an info line.
    fn info(&self, message: &str) {
        self.inner.log(LogLevel::Info, message);
    }

    /// Writes a warning.
    fn warning(&self, message: &str) {
        self.inner.log(LogLevel::Warn, message);
    }

    /// Writes a warning (the name Backstage's logger uses).
    fn warn(&self, message: &str) {
        self.inner.log(LogLevel::Warn, message);
    }

    /// Writes an error line.
    fn error(&self, message: &str) {
        self.inner.log(LogLevel::Error, message);
    }

    fn __repr__(&self) -> String {
        "ActionLogger()".into()
    }
}

/// A Python callable registered as an action.
pub struct PyAction {
    id: String,
    callable: Arc<Py<PyAny>>,
    description: String,
    input_schema: Option<Json>,
    output_schema: Option<Json>,
    supports_dry_run: bool,
    /// The caller's event loop (`run_template_async`): coroutines run there.
    event_loop: Option<TaskLocals>,
}

impl PyAction {
    /// `callable` as the action `id`. Its optional attributes `description`, `input_schema`,
    /// `output_schema` (dicts) and `supports_dry_run` (bool) describe it to the runner.
    pub fn new(
        id: String,
        callable: &Bound<'_, PyAny>,
        event_loop: Option<TaskLocals>,
    ) -> PyResult<Self> {
        if !callable.is_callable() {
            return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "actions[{id:?}] is not callable"
            )));
        }
        let attr = |name: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
            Ok(callable.getattr_opt(name)?.filter(|v| !v.is_none()))
        };
        let schema = |name: &str| -> PyResult<Option<Json>> {
            attr(name)?
                .map(|v| depythonize(&v).map_err(PyErr::from))
                .transpose()
        };
        Ok(Self {
            description: attr("description")?
                .map(|v| v.extract::<String>())
                .transpose()?
                .unwrap_or_default(),
            input_schema: schema("input_schema")?,
            output_schema: schema("output_schema")?,
            supports_dry_run: attr("supports_dry_run")?
                .map(|v| v.is_truthy())
                .transpose()?
                .unwrap_or(false),
            callable: Arc::new(callable.clone().unbind()),
            event_loop,
            id,
        })
    }
}

/// What the call gave back: a value, or an awaitable running on the caller's loop.
enum Called {
    Done(Py<PyAny>),
    Pending(std::pin::Pin<Box<dyn std::future::Future<Output = PyResult<Py<PyAny>>> + Send>>),
}

#[async_trait]
impl Action for PyAction {
    fn id(&self) -> &str {
        &self.id
    }

    fn description(&self) -> &str {
        &self.description
    }

    fn input_schema(&self) -> Option<Json> {
        self.input_schema.clone()
    }

    fn output_schema(&self) -> Option<Json> {
        self.output_schema.clone()
    }

    fn supports_dry_run(&self) -> bool {
        self.supports_dry_run
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let outputs = Arc::new(Mutex::new(Map::new()));
        let input = ctx.input.clone();
        let parts = (
            ctx.workspace.display().to_string(),
            ctx.step_id.clone(),
            ctx.task_id.clone(),
            ctx.dry_run,
            ctx.logger.clone(),
            ctx.secrets.clone(),
            ctx.user.clone(),
            outputs.clone(),
        );
        let callable = self.callable.clone();
        let event_loop = self.event_loop.clone();
        let called = tokio::task::spawn_blocking(move || {
            Python::attach(|py| -> PyResult<Called> {
                let (workspace_path, step_id, task_id, dry_run, logger, secrets, user, outputs) =
                    parts;
                let context = PyActionContext {
                    input: pythonize(py, &input)?.unbind(),
                    workspace_path,
                    step_id,
                    task_id,
                    dry_run,
                    logger: Py::new(py, ActionLogger { inner: logger })?,
                    secrets,
                    user,
                    outputs,
                };
                let returned = callable.bind(py).call1((context,))?;
                if !returned.hasattr("__await__")? {
                    return Ok(Called::Done(returned.unbind()));
                }
                match &event_loop {
                    Some(locals) => Ok(Called::Pending(Box::pin(
                        pyo3_async_runtimes::into_future_with_locals(locals, returned)?,
                    ))),
                    None => {
                        let asyncio = py.import("asyncio")?;
                        if !asyncio
                            .call_method1("iscoroutine", (&returned,))?
                            .is_truthy()?
                        {
                            return Err(pyo3::exceptions::PyTypeError::new_err(
                                "the action returned an awaitable that is not a coroutine; \
                                 run_template runs coroutines only (use run_template_async)",
                            ));
                        }
                        Ok(Called::Done(
                            asyncio.call_method1("run", (returned,))?.unbind(),
                        ))
                    }
                }
            })
        })
        .await
        .map_err(|e| ActionError::Failed(format!("the Python action panicked: {e}")))?
        .map_err(failure)?;
        let returned = match called {
            Called::Done(value) => value,
            Called::Pending(future) => future.await.map_err(failure)?,
        };
        let returned = Python::attach(|py| -> PyResult<Option<Map<String, Json>>> {
            let returned = returned.bind(py);
            if returned.is_none() {
                return Ok(None);
            }
            if !returned.is_instance_of::<PyDict>() {
                return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                    "the action returned {}; expected a dict of outputs or None",
                    returned.get_type().name()?
                )));
            }
            Ok(Some(depythonize(returned)?))
        })
        .map_err(failure)?;
        let set = std::mem::take(&mut *outputs.lock().unwrap_or_else(|e| e.into_inner()));
        for (name, value) in set.into_iter().chain(returned.unwrap_or_default()) {
            ctx.output(name, value);
        }
        Ok(())
    }
}

/// A Python exception as the step's failure: `ExceptionType: message` (the runner adds the step
/// and redacts secrets).
fn failure(err: PyErr) -> ActionError {
    let text = Python::attach(|py| {
        let kind = err
            .get_type(py)
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "Exception".into());
        let message = err
            .value(py)
            .str()
            .map(|s: Bound<'_, PyString>| s.to_string())
            .unwrap_or_default();
        if message.is_empty() {
            kind
        } else {
            format!("{kind}: {message}")
        }
    });
    ActionError::Failed(text)
}

/// Adds this module's classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyActionContext>()?;
    m.add_class::<ActionLogger>()?;
    Ok(())
}
