//! `Catalog`: entities, relations and checks over texts and files.

use std::sync::{Arc, Mutex};

use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task};
use napi_derive::napi;
use opa_core::catalog::{GrowingCatalog, LoadOptions};

use crate::convert::{coded_error, lock_error, throw};

/// A relation of an entity.
#[napi(object)]
pub struct EntityRelation {
    /// The relation type, e.g. `ownedBy`.
    #[napi(js_name = "type")]
    pub relation_type: String,
    /// The target, `kind:namespace/name`.
    pub target_ref: String,
}

/// A relation field naming an entity the catalog does not hold.
#[napi(object)]
pub struct DanglingReference {
    /// The entity whose field it is.
    pub source: String,
    /// The field, e.g. `spec.owner`.
    pub field: String,
    /// The missing entity.
    pub target: String,
}

/// An entity reference defined more than once.
#[napi(object)]
pub struct DuplicateReference {
    /// The reference.
    #[napi(js_name = "ref")]
    pub entity_ref: String,
    /// Every definition as `file:line:column`, the kept one first.
    pub locations: Vec<String>,
}

/// What `check()` finds.
#[napi(object)]
pub struct CatalogCheck {
    /// Relation targets that are not in the catalog.
    pub dangling: Vec<DanglingReference>,
    /// References defined more than once.
    pub duplicates: Vec<DuplicateReference>,
}

/// A catalog of entities with their relations, loaded from texts and files.
#[napi]
pub struct Catalog {
    state: Arc<Mutex<GrowingCatalog>>,
}

impl Default for Catalog {
    fn default() -> Self {
        Self::new()
    }
}

#[napi]
impl Catalog {
    /// An empty catalog.
    #[napi(constructor)]
    pub fn new() -> Self {
        Self {
            state: Arc::new(Mutex::new(GrowingCatalog::new(LoadOptions::default()))),
        }
    }

    /// Adds the entities of a YAML text; `file` names it in locations.
    #[napi(catch_unwind)]
    pub fn add_text(&self, env: Env, text: String, file: Option<String>) -> napi::Result<()> {
        let mut state = self.state.lock().map_err(|_| lock_error(&env))?;
        state.add_text(file, text);
        Ok(())
    }

    /// Adds a file or a directory (every `*.yaml`/`*.yml` below it), read off the event loop.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn add_path(&self, path: String) -> AsyncTask<AddPath> {
        AsyncTask::new(AddPath {
            state: Arc::clone(&self.state),
            path,
            failure: None,
        })
    }

    /// Every entity, as its document.
    #[napi(catch_unwind, ts_return_type = "Record<string, unknown>[]")]
    pub fn entities(&self, env: Env) -> napi::Result<Vec<serde_json::Value>> {
        let mut state = self.state.lock().map_err(|_| lock_error(&env))?;
        let catalog = state.catalog().map_err(|e| throw(&env, &e))?;
        Ok(catalog
            .entities()
            .filter_map(|e| e.document().map(|d| d.to_json()))
            .collect())
    }

    /// The entity with this reference (`kind:namespace/name`, case-insensitive), or `null`.
    #[napi(catch_unwind, ts_return_type = "Record<string, unknown> | null")]
    pub fn entity(&self, env: Env, reference: String) -> napi::Result<Option<serde_json::Value>> {
        let mut state = self.state.lock().map_err(|_| lock_error(&env))?;
        let catalog = state.catalog().map_err(|e| throw(&env, &e))?;
        Ok(catalog
            .entity(&reference)
            .and_then(|e| e.document())
            .map(|d| d.to_json()))
    }

    /// The relations of an entity, as Backstage serves them.
    #[napi(catch_unwind)]
    pub fn relations(&self, env: Env, reference: String) -> napi::Result<Vec<EntityRelation>> {
        let mut state = self.state.lock().map_err(|_| lock_error(&env))?;
        let catalog = state.catalog().map_err(|e| throw(&env, &e))?;
        Ok(catalog
            .relations(&reference)
            .into_iter()
            .map(|r| EntityRelation {
                relation_type: r.relation_type.to_string(),
                target_ref: r.target_ref,
            })
            .collect())
    }

    /// Dangling references and duplicate entities.
    #[napi(catch_unwind)]
    pub fn check(&self, env: Env) -> napi::Result<CatalogCheck> {
        let mut state = self.state.lock().map_err(|_| lock_error(&env))?;
        let catalog = state.catalog().map_err(|e| throw(&env, &e))?;
        Ok(CatalogCheck {
            dangling: catalog
                .dangling()
                .map(|d| DanglingReference {
                    source: d.source,
                    field: d.field,
                    target: d.target,
                })
                .collect(),
            duplicates: catalog
                .duplicates()
                .into_iter()
                .map(|d| DuplicateReference {
                    entity_ref: d.entity_ref,
                    locations: d
                        .locations
                        .iter()
                        .map(|l| format!("{}:{}:{}", l.file, l.line, l.column))
                        .collect(),
                })
                .collect(),
        })
    }
}

/// The work of `Catalog.addPath`, on a worker thread.
pub struct AddPath {
    state: Arc<Mutex<GrowingCatalog>>,
    path: String,
    failure: Option<(&'static str, String)>,
}

impl AddPath {
    fn load(&mut self) -> napi::Result<()> {
        // Fail now, not at the next query, when the path cannot be read.
        let mut state = self
            .state
            .lock()
            .map_err(|_| napi::Error::from_reason("the catalog is unusable after a panic"))?;
        // Load here, on the worker thread, so later queries on the event loop find it built.
        let loaded = state
            .add_path(&self.path)
            .and_then(|()| state.catalog().map(|_| ()));
        loaded.map_err(|e| {
            let message = e.to_string();
            self.failure = Some((e.code(), message.clone()));
            napi::Error::from_reason(message)
        })
    }
}

impl Task for AddPath {
    type Output = ();
    type JsValue = ();

    fn compute(&mut self) -> napi::Result<Self::Output> {
        // A panic on the worker thread would abort the process: it becomes a rejection.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.load())).unwrap_or_else(
            |_| {
                self.failure = Some(("internal", "internal error while loading".to_string()));
                Err(napi::Error::from_reason("internal error while loading"))
            },
        )
    }

    fn resolve(&mut self, _env: Env, _output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(())
    }

    fn reject(&mut self, env: Env, err: napi::Error) -> napi::Result<Self::JsValue> {
        match self.failure.take() {
            Some((code, message)) => Err(coded_error(&env, code, &message)),
            None => Err(err),
        }
    }
}
