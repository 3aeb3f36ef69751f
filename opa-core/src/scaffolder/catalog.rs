//! The catalog as the scaffolder's `catalog:*` actions see it: look up an entity, register the
//! entities of a location. The catalog of "Catalog core" (or a Backstage catalog behind the Node
//! binding) implements [`TemplateCatalog`]; [`MemoryCatalog`] is the embedded default.

use std::collections::BTreeMap;
use std::sync::RwLock;

use async_trait::async_trait;
use serde_json::Value as Json;

use crate::entity::EntityRef;

/// A failure of a catalog call.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CatalogError(pub String);

/// What the scaffolder needs from a catalog.
#[async_trait]
pub trait TemplateCatalog: Send + Sync {
    /// The entity with this ref, or `None`.
    async fn get_entity(&self, entity_ref: &EntityRef) -> Result<Option<Json>, CatalogError>;

    /// Registers the entities read from `location` (a URL); returns their refs.
    async fn register_location(
        &self,
        location: &str,
        entities: Vec<Json>,
    ) -> Result<Vec<EntityRef>, CatalogError>;
}

/// An in-memory catalog: entities by canonical ref, with the location each came from.
#[derive(Debug, Default)]
pub struct MemoryCatalog {
    entities: RwLock<BTreeMap<String, (Json, Option<String>)>>,
}

impl MemoryCatalog {
    /// An empty catalog.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an entity (replacing one with the same ref).
    pub fn insert(&self, entity: Json) -> Result<EntityRef, CatalogError> {
        let r = entity_ref_of(&entity)?;
        self.write().insert(key(&r), (entity, None));
        Ok(r)
    }

    /// Every entity, sorted by ref.
    pub fn entities(&self) -> Vec<Json> {
        self.read().values().map(|(e, _)| e.clone()).collect()
    }

    /// The location an entity was registered from.
    pub fn location_of(&self, entity_ref: &EntityRef) -> Option<String> {
        self.read()
            .get(&key(entity_ref))
            .and_then(|(_, l)| l.clone())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<String, (Json, Option<String>)>> {
        self.entities.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<String, (Json, Option<String>)>> {
        self.entities.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// The ref of an entity (`kind`, `metadata.namespace` default `default`, `metadata.name`).
pub fn entity_ref_of(entity: &Json) -> Result<EntityRef, CatalogError> {
    let kind = entity.get("kind").and_then(Json::as_str);
    let name = entity.pointer("/metadata/name").and_then(Json::as_str);
    let (Some(kind), Some(name)) = (kind, name) else {
        return Err(CatalogError(
            "an entity needs a kind and metadata.name".into(),
        ));
    };
    let namespace = entity
        .pointer("/metadata/namespace")
        .and_then(Json::as_str)
        .unwrap_or(crate::entity::DEFAULT_NAMESPACE);
    Ok(EntityRef::new(kind, namespace, name))
}

/// Refs compare case-insensitively.
fn key(entity_ref: &EntityRef) -> String {
    entity_ref.to_canonical().to_lowercase()
}

#[async_trait]
impl TemplateCatalog for MemoryCatalog {
    async fn get_entity(&self, entity_ref: &EntityRef) -> Result<Option<Json>, CatalogError> {
        Ok(self.read().get(&key(entity_ref)).map(|(e, _)| e.clone()))
    }

    async fn register_location(
        &self,
        location: &str,
        entities: Vec<Json>,
    ) -> Result<Vec<EntityRef>, CatalogError> {
        let mut refs = Vec::new();
        let mut parsed = Vec::new();
        for e in entities {
            let r = entity_ref_of(&e)?;
            refs.push(r.clone());
            parsed.push((r, e));
        }
        let mut map = self.write();
        for (r, e) in parsed {
            map.insert(key(&r), (e, Some(location.to_string())));
        }
        Ok(refs)
    }
}
