//! The exception hierarchy: `OpaError` (a `ValueError`) and one subclass per kind of failure.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

pyo3::create_exception!(
    _native,
    OpaError,
    PyValueError,
    "Base of every OPA-rs error. `code` is a stable kebab-case id."
);
pyo3::create_exception!(
    _native,
    InvalidRefError,
    OpaError,
    "An entity reference could not be parsed."
);
pyo3::create_exception!(
    _native,
    TemplateError,
    OpaError,
    "A template could not be parsed, rendered or run."
);
pyo3::create_exception!(
    _native,
    BackendError,
    OpaError,
    "A backend (version control, cloud, audit log) failed."
);

pyo3::create_exception!(
    _native,
    PlatformError,
    OpaError,
    "The platform model could not be built or resolved (an entity missing, of the wrong kind, \
     malformed or not provisioned), or an app's pipeline could not be generated."
);

/// Adds the exception classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("OpaError", py.get_type::<OpaError>())?;
    m.add("InvalidRefError", py.get_type::<InvalidRefError>())?;
    m.add("TemplateError", py.get_type::<TemplateError>())?;
    m.add("BackendError", py.get_type::<BackendError>())?;
    m.add("PlatformError", py.get_type::<PlatformError>())?;
    Ok(())
}

/// Converts an opa-core error into the matching exception, with `code` set.
pub fn to_py(e: &opa_core::Error) -> PyErr {
    let message = e.to_string();
    let err = match e {
        opa_core::Error::InvalidRef(_) => InvalidRefError::new_err(message),
        _ => OpaError::new_err(message),
    };
    with_code(err, e.code())
}

/// A `TemplateError` with this code.
pub fn template_error(code: &str, message: &str) -> PyErr {
    with_code(TemplateError::new_err(message.to_string()), code)
}

/// An `OpaError` with this code.
pub fn coded(code: &str, message: &str) -> PyErr {
    with_code(OpaError::new_err(message.to_string()), code)
}

/// A `TemplateError` for a template that does not parse: code `invalid-template`, `errors` (every
/// problem as `{code, path, message, line, column}`) and the first one's `path`, `line`, `column`.
pub fn invalid_template(diagnostics: &[opa_core::diagnostic::Diagnostic]) -> PyErr {
    let message = diagnostics
        .iter()
        .map(|d| format!("{}:{}: {} [{}]", d.line, d.column, d.message, d.code))
        .collect::<Vec<_>>()
        .join("; ");
    let err = template_error("invalid-template", &format!("invalid template: {message}"));
    Python::attach(|py| {
        let value = err.value(py);
        let errors: Vec<_> = diagnostics
            .iter()
            .map(|d| {
                serde_json::json!({"code": d.code, "path": d.path, "message": d.message,
                    "line": d.line, "column": d.column})
            })
            .collect();
        if let Ok(list) = pythonize::pythonize(py, &errors) {
            let _ = value.setattr("errors", list);
        }
        if let Some(first) = diagnostics.first() {
            let _ = value.setattr("path", first.path.as_str());
            let _ = value.setattr("line", first.line);
            let _ = value.setattr("column", first.column);
        }
    });
    err
}

/// An `OpaError` for an `opa.yaml` that cannot be read (code `io`) or is not valid (code
/// `invalid-config`, with `errors` — every problem as `{code, path, message, line, column}` — and
/// the first one's `path`, `line` and `column`).
pub fn config_error(e: &opa_core::config::ConfigError) -> PyErr {
    use opa_core::config::ConfigError;
    match e {
        ConfigError::Invalid { problems, .. } => {
            let err = coded("invalid-config", &e.to_string());
            Python::attach(|py| {
                let value = err.value(py);
                let errors: Vec<_> = problems
                    .iter()
                    .map(|d| {
                        serde_json::json!({"code": d.code, "path": d.path, "message": d.message,
                            "line": d.line, "column": d.column})
                    })
                    .collect();
                if let Ok(list) = pythonize::pythonize(py, &errors) {
                    let _ = value.setattr("errors", list);
                }
                if let Some(first) = problems.first() {
                    let _ = value.setattr("path", first.path.as_str());
                    let _ = value.setattr("line", first.line);
                    let _ = value.setattr("column", first.column);
                }
            });
            err
        }
        _ => coded("io", &e.to_string()),
    }
}

/// A `TemplateError` for a task that failed: `code`, `step_id`, `action`, `problems` (for
/// `invalid-values`), `effects` (what was already done) and `log`; the message names the step.
/// Everything is redacted by the runner.
pub fn task_failure(py: Python<'_>, failure: opa_core::scaffolder::TaskFailure) -> PyErr {
    let err = template_error(failure.code, &failure.message);
    let value = err.value(py);
    let _ = value.setattr("step_id", failure.step_id);
    let _ = value.setattr("action", failure.action);
    if let Ok(problems) = pythonize::pythonize(py, &failure.problems) {
        let _ = value.setattr("problems", problems);
    }
    let effects: Vec<String> = failure.effects.iter().map(ToString::to_string).collect();
    let _ = value.setattr("effects", effects);
    if let Ok(log) = crate::task::log_entries(py, failure.log) {
        let _ = value.setattr("log", log);
    }
    err
}

/// A `BackendError` with this code.
pub fn backend_error(code: &str, message: &str) -> PyErr {
    with_code(BackendError::new_err(message.to_string()), code)
}

/// A cloud or audit-log failure as a `BackendError` (`code`: `access-denied`, `not-found`,
/// `drift`, `io`, …).
pub fn cloud_error(e: &opa_core::cloud::CloudError) -> PyErr {
    backend_error(e.code(), &e.to_string())
}

/// A platform-model failure as a `PlatformError` with `code` and `entity_ref`.
pub fn platform_error(e: &opa_core::platform::PlatformError) -> PyErr {
    use opa_core::platform::PlatformError as Core;
    let err = with_code(PlatformError::new_err(e.to_string()), e.code());
    let entity = match e {
        Core::NotFound(r) => Some(r.to_string()),
        Core::WrongKind { entity, .. } | Core::InvalidField { entity, .. } => {
            Some(entity.to_string())
        }
        _ => None,
    };
    Python::attach(|py| {
        let value = err.value(py);
        let _ = value.setattr("entity_ref", entity);
        if let Core::InvalidField { path, .. } = e {
            let _ = value.setattr("path", path.as_str());
        }
    });
    err
}

/// A pipeline that cannot be generated, as a `PlatformError` (code `no-environments`,
/// `no-providers`, `no-iac-type`, `role-not-arn` or `emit`).
pub fn pipeline_error(e: &opa_core::pipeline::PipelineError) -> PyErr {
    use opa_core::pipeline::PipelineError as Core;
    let code = match e {
        Core::NoEnvironments(_) => "no-environments",
        Core::NoProviders(_) => "no-providers",
        Core::NoIacType(_) => "no-iac-type",
        Core::RoleNotArn { .. } => "role-not-arn",
        _ => "emit",
    };
    with_code(PlatformError::new_err(e.to_string()), code)
}

/// An operation that could not be attempted or audited.
pub fn operation_error(e: &opa_core::operations::OperationError) -> PyErr {
    use opa_core::operations::OperationError as Core;
    match e {
        Core::Platform(p) => platform_error(p),
        Core::NoProvider(m) => with_code(PlatformError::new_err(m.clone()), "no-provider"),
        Core::Audit { source, .. } => backend_error(source.code(), &e.to_string()),
        _ => coded("operation-failed", &e.to_string()),
    }
}

fn with_code(err: PyErr, code: &str) -> PyErr {
    Python::attach(|py| {
        let _ = err.value(py).setattr("code", code);
    });
    err
}
