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

/// Adds the exception classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("OpaError", py.get_type::<OpaError>())?;
    m.add("InvalidRefError", py.get_type::<InvalidRefError>())?;
    m.add("TemplateError", py.get_type::<TemplateError>())?;
    m.add("BackendError", py.get_type::<BackendError>())?;
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

fn with_code(err: PyErr, code: &str) -> PyErr {
    Python::attach(|py| {
        let _ = err.value(py).setattr("code", code);
    });
    err
}
