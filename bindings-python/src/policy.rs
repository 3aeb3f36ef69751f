//! Kyverno generate policies applied offline.

use opa_core::kyverno::{ApplySources, RequestInfo, UserInfo, apply_sources};
use pyo3::prelude::*;

use pythonize::pythonize;

/// Applies Kyverno generate policies (YAML texts) to resources (YAML texts) and returns a dict
/// `{valid, results, generated, problems}`; problems in the texts are data, not exceptions.
#[pyfunction]
#[pyo3(signature = (policies, resources, *, existing = Vec::new(), operation = "CREATE".to_string(), username = String::new(), groups = Vec::new(), roles = Vec::new(), cluster_roles = Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn apply_policies(
    py: Python<'_>,
    policies: Vec<String>,
    resources: Vec<String>,
    existing: Vec<String>,
    operation: String,
    username: String,
    groups: Vec<String>,
    roles: Vec<String>,
    cluster_roles: Vec<String>,
) -> PyResult<Py<PyAny>> {
    let request = RequestInfo {
        operation,
        user_info: UserInfo {
            username,
            groups,
            ..Default::default()
        },
        roles,
        cluster_roles,
    };
    let p: Vec<&str> = policies.iter().map(String::as_str).collect();
    let r: Vec<&str> = resources.iter().map(String::as_str).collect();
    let e: Vec<&str> = existing.iter().map(String::as_str).collect();
    let report = apply_sources(&ApplySources {
        policies: &p,
        resources: &r,
        existing: &e,
        request: &request,
    });
    Ok(pythonize(py, &report)?.unbind())
}

/// Adds the functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(apply_policies, m)?)?;
    Ok(())
}
