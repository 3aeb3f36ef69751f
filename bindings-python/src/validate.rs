//! `validate`: the verdict of `opa validate` on a text, as data.

use std::path::Path;

use opa_core::entity::{LoadOptions, ValidateOptions, read_entities};
use pyo3::prelude::*;

/// One problem in an entity.
#[pyclass(module = "opa_platform", frozen, get_all)]
pub struct EntityError {
    /// Stable kebab-case id, e.g. `invalid-name`.
    code: String,
    /// Dotted path from the entity root, e.g. `metadata.tags.1`.
    path: String,
    /// What is wrong, stating the expectation.
    message: String,
    /// 1-based line.
    line: u32,
    /// 1-based column, in characters.
    column: u32,
}

#[pymethods]
impl EntityError {
    fn __repr__(&self) -> String {
        format!(
            "EntityError(code={:?}, path={:?}, line={}, column={}, message={:?})",
            self.code, self.path, self.line, self.column, self.message
        )
    }
}

/// The verdict on one document.
#[pyclass(module = "opa_platform", frozen, get_all)]
pub struct EntityResult {
    /// 0-based index of the document, counting every document.
    document: usize,
    /// `kind:namespace/name`, when the document has a usable kind and name.
    #[pyo3(name = "ref")]
    entity_ref: Option<String>,
    /// Whether the entity is valid.
    valid: bool,
    /// Every problem; empty when valid.
    errors: Vec<Py<EntityError>>,
}

#[pymethods]
impl EntityResult {
    fn __repr__(&self) -> String {
        format!(
            "EntityResult(document={}, ref={:?}, valid={}, errors={})",
            self.document,
            self.entity_ref,
            self.valid,
            self.errors.len()
        )
    }
}

/// Validates every document of a YAML text as Backstage's catalog would (same verdicts and
/// positions as `opa validate`). Problems in the input are data, not exceptions.
#[pyfunction]
#[pyo3(signature = (text, file = None, allow_unknown_kinds = false, strict = false))]
fn validate(
    py: Python<'_>,
    text: &str,
    file: Option<&str>,
    allow_unknown_kinds: bool,
    strict: bool,
) -> PyResult<Vec<EntityResult>> {
    let options = LoadOptions {
        validate: ValidateOptions {
            allow_unknown_kinds,
            strict,
        },
        ..LoadOptions::default()
    };
    let reports = py.detach(|| read_entities(text, file.map(Path::new), None, &options));
    reports
        .into_iter()
        .map(|report| {
            let valid = report.is_valid();
            let errors = report
                .diagnostics
                .into_iter()
                .map(|d| {
                    Py::new(
                        py,
                        EntityError {
                            code: d.code.to_string(),
                            path: d.path,
                            message: d.message,
                            line: d.line,
                            column: d.column,
                        },
                    )
                })
                .collect::<PyResult<Vec<_>>>()?;
            Ok(EntityResult {
                document: report.index,
                entity_ref: report.entity_ref.map(|r| r.to_canonical()),
                valid,
                errors,
            })
        })
        .collect()
}

/// Adds this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<EntityError>()?;
    m.add_class::<EntityResult>()?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    Ok(())
}
