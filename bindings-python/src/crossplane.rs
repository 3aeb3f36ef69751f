//! Crossplane compositions rendered offline.

use opa_core::crossplane::{Inputs, render_report};
use pyo3::prelude::*;

use crate::errors::OpaError;

/// Renders a Crossplane claim (or composite resource) with its CompositeResourceDefinition and
/// Composition (YAML text each), as Crossplane v1.20's patch-and-transform would. Returns a dict
/// `{valid, resources, problems, warnings}`; problems in the inputs are data, not exceptions.
#[pyfunction]
fn render_composition(
    py: Python<'_>,
    xrd: &str,
    composition: &str,
    resource: &str,
) -> PyResult<Py<PyAny>> {
    let report = render_report(&Inputs {
        xrd,
        composition,
        resource,
    });
    let text = serde_json::to_string(&report).map_err(|e| OpaError::new_err(e.to_string()))?;
    Ok(py.import("json")?.call_method1("loads", (text,))?.unbind())
}

/// Adds the functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(render_composition, m)?)?;
    Ok(())
}
