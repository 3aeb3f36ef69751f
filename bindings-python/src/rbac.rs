//! Team namespaces and their RBAC.

use opa_core::rbac::{DEFAULT_CPU, DEFAULT_MEMORY, NamespaceRequest, team_namespace as build};
use pyo3::prelude::*;
use serde_json::json;

use pythonize::pythonize;

/// The resources a platform team hands out for a team's namespace request. Returns a dict
/// `{valid, namespace, resources, problems}`; an invalid request is data, not an exception.
#[pyfunction]
#[pyo3(signature = (team_name, environment, *, cpu_limit = DEFAULT_CPU.to_string(), memory_limit = DEFAULT_MEMORY.to_string()))]
fn team_namespace(
    py: Python<'_>,
    team_name: String,
    environment: String,
    cpu_limit: String,
    memory_limit: String,
) -> PyResult<Py<PyAny>> {
    let request = NamespaceRequest::new(team_name, environment)
        .with_cpu(cpu_limit)
        .with_memory(memory_limit);
    let namespace = request.namespace_name();
    let out = match build(&request) {
        Ok(resources) => {
            json!({"valid": true, "namespace": namespace, "resources": resources, "problems": []})
        }
        Err(problems) => {
            json!({"valid": false, "namespace": namespace, "resources": [], "problems": problems})
        }
    };
    Ok(pythonize(py, &out)?.unbind())
}

/// Adds the functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(team_namespace, m)?)?;
    Ok(())
}
