//! Entity references.

use opa_core::entity::{DEFAULT_NAMESPACE, EntityRef as CoreRef, RefDefaults};
use pyo3::prelude::*;

use crate::errors::to_py;

/// A complete entity reference: `kind`, `namespace` and `name`.
#[pyclass(module = "opa_platform", name = "EntityRef", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EntityRef {
    /// The kind, e.g. `Component`.
    #[pyo3(get)]
    kind: String,
    /// The namespace, e.g. `default`.
    #[pyo3(get)]
    namespace: String,
    /// The name.
    #[pyo3(get)]
    name: String,
}

#[pymethods]
impl EntityRef {
    #[new]
    #[pyo3(signature = (kind, name, namespace = None))]
    fn new(kind: String, name: String, namespace: Option<String>) -> Self {
        Self {
            kind,
            namespace: namespace.unwrap_or_else(|| DEFAULT_NAMESPACE.to_string()),
            name,
        }
    }

    fn __str__(&self) -> String {
        self.core().to_canonical()
    }

    fn __repr__(&self) -> String {
        format!(
            "EntityRef(kind={:?}, namespace={:?}, name={:?})",
            self.kind, self.namespace, self.name
        )
    }
}

impl EntityRef {
    fn core(&self) -> CoreRef {
        CoreRef::new(&self.kind, &self.namespace, &self.name)
    }
}

impl From<CoreRef> for EntityRef {
    fn from(r: CoreRef) -> Self {
        Self {
            kind: r.kind,
            namespace: r.namespace,
            name: r.name,
        }
    }
}

/// Parses `[kind:][namespace/]name` as Backstage's `parseEntityRef` does.
#[pyfunction]
#[pyo3(signature = (reference, default_kind = None, default_namespace = None))]
fn parse_entity_ref(
    reference: &str,
    default_kind: Option<&str>,
    default_namespace: Option<&str>,
) -> PyResult<EntityRef> {
    let defaults = RefDefaults {
        kind: default_kind,
        namespace: default_namespace,
    };
    CoreRef::parse_with(reference, defaults)
        .map(EntityRef::from)
        .map_err(|e| to_py(&e))
}

/// Prints a reference as Backstage's `stringifyEntityRef` does: `kind:namespace/name`.
#[pyfunction]
fn stringify_entity_ref(reference: &EntityRef) -> String {
    reference.core().to_canonical()
}

/// Adds this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<EntityRef>()?;
    m.add_function(wrap_pyfunction!(parse_entity_ref, m)?)?;
    m.add_function(wrap_pyfunction!(stringify_entity_ref, m)?)?;
    Ok(())
}
