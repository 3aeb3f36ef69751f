//! Looking entities up by reference. The platform model reads entities through
//! [`EntityLookup`], so it works on any store: the small [`EntityIndex`] here, or the catalog.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::yaml::{Limits, parse_documents};

use super::fields::entity_ref_of;
use crate::entity::EntityRef;

/// Entities by reference, in their JSON form.
pub trait EntityLookup: Send + Sync {
    /// The entity with this reference (compared case-insensitively), if present.
    fn entity(&self, entity_ref: &EntityRef) -> Option<&Value>;

    /// Every entity of a kind (case-insensitive), in a stable order.
    fn entities_of_kind(&self, kind: &str) -> Vec<&Value>;
}

/// A small in-memory index of entities by reference; the later entity of two with the same
/// reference wins, as a catalog refresh would.
#[derive(Debug, Clone, Default)]
pub struct EntityIndex {
    entities: Vec<Value>,
    by_ref: HashMap<EntityRef, usize>,
}

impl EntityIndex {
    /// An index of `entities`; values that are not entities (no kind or name) are skipped.
    pub fn new(entities: impl IntoIterator<Item = Value>) -> Self {
        let mut index = Self::default();
        for entity in entities {
            index.insert(entity);
        }
        index
    }

    /// Adds or replaces an entity; returns its reference, or `None` when it is not an entity.
    pub fn insert(&mut self, entity: Value) -> Option<EntityRef> {
        let r = entity_ref_of(&entity)?;
        match self.by_ref.get(&r) {
            Some(&i) => self.entities[i] = entity,
            None => {
                self.by_ref.insert(r.clone(), self.entities.len());
                self.entities.push(entity);
            }
        }
        Some(r)
    }

    /// An index of a [`Catalog`](crate::catalog::Catalog)'s entities (loaded with
    /// `keep_sources`, the default; entities whose document is not kept are left out), so the
    /// platform model and operations read a discovered catalog.
    pub fn from_catalog(catalog: &crate::catalog::Catalog) -> Self {
        Self::new(
            catalog
                .entities()
                .filter_map(|e| e.document())
                .map(|node| node.to_json()),
        )
    }

    /// Adds every entity of a YAML stream; returns the documents that could not be parsed.
    pub fn add_yaml(&mut self, text: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for doc in parse_documents(text, &Limits::default()) {
            if let Some(e) = doc.error {
                problems.push(e);
            }
            if let Some(root) = doc.root {
                self.insert(root.to_json());
            }
        }
        problems
    }

    /// Adds every `*.yaml` / `*.yml` file under `path` (a file, or a directory searched
    /// recursively in name order); returns the problems of documents that could not be parsed,
    /// with their file.
    pub fn add_path(&mut self, path: &Path) -> crate::Result<Vec<(PathBuf, Diagnostic)>> {
        let mut files = Vec::new();
        collect_yaml_files(path, &mut files)?;
        let mut problems = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).map_err(|e| crate::Error::io(&file, e))?;
            problems.extend(self.add_yaml(&text).into_iter().map(|d| (file.clone(), d)));
        }
        Ok(problems)
    }

    /// How many entities it holds.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// Every entity, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Value> {
        self.entities.iter()
    }
}

fn collect_yaml_files(path: &Path, out: &mut Vec<PathBuf>) -> crate::Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| crate::Error::io(path, e))?;
    if meta.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| crate::Error::io(path, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        let hidden = entry
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.') && n != ".backstage");
        if hidden {
            continue;
        }
        if entry.is_dir() {
            collect_yaml_files(&entry, out)?;
        } else if entry.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(entry);
        }
    }
    Ok(())
}

impl EntityLookup for EntityIndex {
    fn entity(&self, entity_ref: &EntityRef) -> Option<&Value> {
        self.by_ref.get(entity_ref).map(|&i| &self.entities[i])
    }

    fn entities_of_kind(&self, kind: &str) -> Vec<&Value> {
        self.entities
            .iter()
            .filter(|e| {
                e.get("kind")
                    .and_then(Value::as_str)
                    .is_some_and(|k| k.eq_ignore_ascii_case(kind))
            })
            .collect()
    }
}
