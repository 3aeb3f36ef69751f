//! Port blueprints and entities.

use opa_core::port::{from_backstage, validate_sources};
use pyo3::prelude::*;

use pythonize::{depythonize, pythonize};

use crate::errors::coded;

/// Validates entities (YAML or JSON texts of Port entities, or of Backstage entities, which are
/// mapped first) against blueprints (YAML or JSON texts). Returns a dict
/// `{valid, problems, entities}`; problems are data, not exceptions.
#[pyfunction]
fn validate_port_entities(
    py: Python<'_>,
    blueprints: Vec<String>,
    entities: Vec<String>,
) -> PyResult<Py<PyAny>> {
    let b: Vec<&str> = blueprints.iter().map(String::as_str).collect();
    let e: Vec<&str> = entities.iter().map(String::as_str).collect();
    Ok(pythonize(py, &validate_sources(&b, &e))?.unbind())
}

/// Maps a Backstage entity (a dict) to a Port entity (a dict) with the blueprints of Port's
/// Backstage integration. Raises `OpaError` (code `invalid`) when the kind has no blueprint.
#[pyfunction]
fn backstage_to_port(py: Python<'_>, entity: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let entity: serde_json::Value =
        depythonize(entity).map_err(|e| coded("invalid", &e.to_string()))?;
    match from_backstage(&entity) {
        Ok(port) => Ok(pythonize(py, &port)?.unbind()),
        Err(message) => Err(coded("invalid", &message)),
    }
}

/// Adds the functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(validate_port_entities, m)?)?;
    m.add_function(wrap_pyfunction!(backstage_to_port, m)?)?;
    Ok(())
}
