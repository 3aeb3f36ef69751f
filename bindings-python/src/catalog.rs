//! `Catalog`: entities, relations and checks over texts and files.

use opa_core::catalog::{GrowingCatalog, LoadOptions};
use pyo3::prelude::*;
use pythonize::pythonize;

use crate::errors::to_py;

/// A relation of an entity.
#[pyclass(module = "opa_platform", frozen, get_all)]
pub struct Relation {
    /// The relation type, e.g. `ownedBy`.
    #[pyo3(name = "type")]
    relation_type: String,
    /// The target, `kind:namespace/name`.
    target_ref: String,
}

#[pymethods]
impl Relation {
    fn __repr__(&self) -> String {
        format!(
            "Relation(type={:?}, target_ref={:?})",
            self.relation_type, self.target_ref
        )
    }
}

/// A relation field naming an entity the catalog does not hold.
#[pyclass(module = "opa_platform", frozen, get_all)]
pub struct DanglingRef {
    /// The entity whose field it is.
    source: String,
    /// The field, e.g. `spec.owner`.
    field: String,
    /// The missing entity.
    target: String,
}

/// An entity reference defined more than once.
#[pyclass(module = "opa_platform", frozen, get_all)]
pub struct DuplicateRef {
    /// The reference.
    #[pyo3(name = "ref")]
    entity_ref: String,
    /// Every definition as `file:line:column`, the kept one first.
    locations: Vec<String>,
}

/// What `Catalog.check()` finds.
#[pyclass(module = "opa_platform", frozen, get_all)]
pub struct CatalogCheck {
    /// Relation targets that are not in the catalog.
    dangling: Vec<Py<DanglingRef>>,
    /// References defined more than once.
    duplicates: Vec<Py<DuplicateRef>>,
}

/// A catalog of entities with their relations, loaded from texts and files.
#[pyclass(module = "opa_platform")]
pub struct Catalog {
    inner: GrowingCatalog,
}

#[pymethods]
impl Catalog {
    #[new]
    fn new() -> Self {
        Self {
            inner: GrowingCatalog::new(LoadOptions::default()),
        }
    }

    /// Adds the entities of a YAML text; `file` names it in locations.
    #[pyo3(signature = (text, file = None))]
    fn add_text(&mut self, text: String, file: Option<String>) {
        self.inner.add_text(file, text);
    }

    /// Adds a file or a directory (every `*.yaml`/`*.yml` below it).
    fn add_path(&mut self, py: Python<'_>, path: std::path::PathBuf) -> PyResult<()> {
        let inner = &mut self.inner;
        py.detach(|| {
            inner.add_path(path)?;
            inner.catalog().map(|_| ())
        })
        .map_err(|e| to_py(&e))
    }

    /// Every entity, as its document (a dict).
    fn entities<'py>(&mut self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let catalog = self.inner.catalog().map_err(|e| to_py(&e))?;
        catalog
            .entities()
            .filter_map(|e| e.document())
            .map(|d| Ok(pythonize(py, &d.to_json())?))
            .collect()
    }

    /// The entity with this reference (case-insensitive), or `None`.
    fn entity<'py>(
        &mut self,
        py: Python<'py>,
        reference: &str,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let catalog = self.inner.catalog().map_err(|e| to_py(&e))?;
        match catalog.entity(reference).and_then(|e| e.document()) {
            Some(d) => Ok(Some(pythonize(py, &d.to_json())?)),
            None => Ok(None),
        }
    }

    /// The relations of an entity, as Backstage serves them.
    fn relations(&mut self, reference: &str) -> PyResult<Vec<Relation>> {
        let catalog = self.inner.catalog().map_err(|e| to_py(&e))?;
        Ok(catalog
            .relations(reference)
            .into_iter()
            .map(|r| Relation {
                relation_type: r.relation_type.to_string(),
                target_ref: r.target_ref,
            })
            .collect())
    }

    /// Dangling references and duplicate entities.
    fn check(&mut self, py: Python<'_>) -> PyResult<CatalogCheck> {
        let catalog = self.inner.catalog().map_err(|e| to_py(&e))?;
        let dangling = catalog
            .dangling()
            .map(|d| {
                Py::new(
                    py,
                    DanglingRef {
                        source: d.source,
                        field: d.field,
                        target: d.target,
                    },
                )
            })
            .collect::<PyResult<_>>()?;
        let duplicates = catalog
            .duplicates()
            .into_iter()
            .map(|d| {
                Py::new(
                    py,
                    DuplicateRef {
                        entity_ref: d.entity_ref,
                        locations: d
                            .locations
                            .iter()
                            .map(|l| format!("{}:{}:{}", l.file, l.line, l.column))
                            .collect(),
                    },
                )
            })
            .collect::<PyResult<_>>()?;
        Ok(CatalogCheck {
            dangling,
            duplicates,
        })
    }
}

impl Catalog {
    /// The core catalog (relations resolved), for the platform functions.
    pub(crate) fn core(&mut self) -> Result<&opa_core::catalog::Catalog, opa_core::Error> {
        self.inner.catalog()
    }
}

/// Adds this module's classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Relation>()?;
    m.add_class::<DanglingRef>()?;
    m.add_class::<DuplicateRef>()?;
    m.add_class::<CatalogCheck>()?;
    m.add_class::<Catalog>()?;
    Ok(())
}
