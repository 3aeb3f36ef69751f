//! Rendering templates.

use opa_core::scaffolder::templating::{FileRenderOptions, RenderLimits, TemplateEngine};
use pyo3::prelude::*;
use pythonize::depythonize;

use crate::errors::template_error;

/// Renders one `fetch:template` skeleton file with `values` (as `${{ values.x }}`), exactly as
/// the action writes it. Raises `TemplateError` (code `template-syntax`, `template-render` or
/// `limit-exceeded`).
#[pyfunction]
fn render_template_string(
    py: Python<'_>,
    text: &str,
    values: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let values: serde_json::Value = depythonize(values)?;
    let ctx = serde_json::json!({ "values": values });
    py.detach(|| {
        TemplateEngine::new(RenderLimits::default()).render_file(
            text,
            &ctx,
            &FileRenderOptions::default(),
        )
    })
    .map_err(|e| template_error(e.code(), &e.to_string()))
}

/// Adds this module's functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(render_template_string, m)?)?;
    Ok(())
}
