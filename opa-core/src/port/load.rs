//! Reading blueprints and entities from parsed YAML or JSON documents, keeping where each one
//! is so that its problems carry a line and column.

use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use super::blueprint::{Blueprint, BlueprintSet};
use super::entity::PortEntity;
use super::mapping::from_backstage;
use super::validate::validate_entity;
use crate::diagnostic::{Diagnostic, codes};
use crate::yaml::Node;

/// The blueprints of one document, with the node of each.
#[derive(Debug, Clone, Default)]
pub struct BlueprintFile {
    /// Each blueprint with the node it was read from.
    pub blueprints: Vec<(Blueprint, Node)>,
    /// Blueprints that could not be read.
    pub problems: Vec<Diagnostic>,
}

/// Reads the blueprints of a document: one blueprint, or a list of them.
pub fn blueprints_from_node(root: &Node) -> BlueprintFile {
    let mut file = BlueprintFile::default();
    for (node, path) in items(root) {
        match read::<Blueprint>(node) {
            Ok(bp) => file.blueprints.push((bp, node.clone())),
            Err(e) => file.problems.push(Diagnostic::new(
                codes::INVALID_VALUE,
                path,
                format!("not a blueprint: {e}"),
                node.pos,
            )),
        }
    }
    file
}

/// One entity read from a document: a Port entity, or a Backstage entity mapped to one.
#[derive(Debug, Clone)]
pub struct EntityDocument {
    /// The Port entity.
    pub entity: PortEntity,
    /// The node it was read from.
    pub node: Node,
    /// Whether it was a Backstage entity (`apiVersion`, `kind`, `metadata`), mapped.
    pub from_backstage: bool,
}

impl EntityDocument {
    /// Validates the entity against the blueprints, with the positions of the fields (for a
    /// mapped Backstage entity, the position of its `metadata.name`).
    pub fn validate(&self, set: &BlueprintSet) -> Vec<Diagnostic> {
        validate_entity(&self.entity, set)
            .into_iter()
            .map(|mut d| {
                let at = if self.from_backstage {
                    self.node.locate(&["metadata", "name"])
                } else {
                    let path: Vec<&str> = d.path.split('.').collect();
                    self.node.locate(&path)
                };
                d.line = at.line;
                d.column = at.column;
                d
            })
            .collect()
    }
}

/// Reads the entities of a document: one entity, a list, Port's bulk form
/// (`{"entities": [...]}`), or Backstage entities.
pub fn entities_from_node(root: &Node) -> (Vec<EntityDocument>, Vec<Diagnostic>) {
    let mut docs = Vec::new();
    let mut problems = Vec::new();
    let list;
    let root = match root.get("entities") {
        Some(entities) if root.get("blueprint").is_none() => {
            list = entities.clone();
            &list
        }
        _ => root,
    };
    for (node, path) in items(root) {
        let json = node.to_json();
        let backstage = json.get("apiVersion").is_some()
            && json.get("kind").is_some()
            && json.get("metadata").is_some();
        let entity = if backstage {
            from_backstage(&json)
        } else {
            read::<PortEntity>(node).map_err(|e| format!("not a Port entity: {e}"))
        };
        match entity {
            Ok(entity) => docs.push(EntityDocument {
                entity,
                node: node.clone(),
                from_backstage: backstage,
            }),
            Err(e) => problems.push(Diagnostic::new(codes::INVALID_VALUE, path, e, node.pos)),
        }
    }
    (docs, problems)
}

/// The items of a document that is one object or a list of them, with their paths.
fn items(root: &Node) -> Vec<(&Node, String)> {
    match root.as_seq() {
        Some(seq) => seq
            .iter()
            .enumerate()
            .map(|(i, n)| (n, i.to_string()))
            .collect(),
        None => vec![(root, String::new())],
    }
}

fn read<T: DeserializeOwned>(node: &Node) -> Result<T, String> {
    let json: Json = node.to_json();
    serde_json::from_value(json).map_err(|e| e.to_string())
}
