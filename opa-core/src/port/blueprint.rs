//! Blueprints: a kind of Port entity, with its properties (JSON-schema-like) and relations.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

/// A Port blueprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Blueprint {
    /// The blueprint's identifier (`service`, `microservice`…).
    pub identifier: String,
    /// Its display name.
    #[serde(default)]
    pub title: String,
    /// Its properties.
    #[serde(default)]
    pub schema: BlueprintSchema,
    /// Its relations to other blueprints, by name.
    #[serde(default)]
    pub relations: IndexMap<String, RelationSpec>,
}

/// `schema` of a blueprint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlueprintSchema {
    /// The properties, by name.
    #[serde(default)]
    pub properties: IndexMap<String, PropertySpec>,
    /// Names of the properties every entity must have.
    #[serde(default)]
    pub required: Vec<String>,
}

/// One property of a blueprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PropertySpec {
    /// `string`, `number`, `boolean`, `object` or `array`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A format of strings (`url`, `email`, `date-time`…), see [`FORMATS`](super::FORMATS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The values allowed.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<Json>>,
    /// For arrays: the items' type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<ItemSpec>>,
    /// For strings: a regular expression they must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// For strings: the shortest length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// For strings: the longest length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// For numbers: the smallest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    /// For numbers: the largest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
}

/// The `items` of an array property.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemSpec {
    /// The items' type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The items' format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The values allowed for items.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<Json>>,
}

/// A relation of a blueprint to another one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelationSpec {
    /// Its display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The target blueprint's identifier.
    pub target: String,
    /// Whether every entity must have it.
    #[serde(default)]
    pub required: bool,
    /// Whether it holds a list of targets (otherwise one).
    #[serde(default)]
    pub many: bool,
}

/// The blueprints entities are validated against, by identifier.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BlueprintSet {
    blueprints: IndexMap<String, Blueprint>,
}

impl BlueprintSet {
    /// A set of blueprints; a later blueprint with the same identifier replaces an earlier one.
    pub fn new(blueprints: impl IntoIterator<Item = Blueprint>) -> Self {
        Self {
            blueprints: blueprints
                .into_iter()
                .map(|b| (b.identifier.clone(), b))
                .collect(),
        }
    }

    /// The blueprint with this identifier.
    pub fn get(&self, identifier: &str) -> Option<&Blueprint> {
        self.blueprints.get(identifier)
    }

    /// Whether a relation may target this identifier: a blueprint of the set, or one of Port's
    /// built-in blueprints (`_user`, `_team`…).
    pub fn is_target(&self, identifier: &str) -> bool {
        identifier.starts_with('_') || self.blueprints.contains_key(identifier)
    }

    /// The blueprints, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Blueprint> {
        self.blueprints.values()
    }

    /// How many blueprints the set holds.
    pub fn len(&self) -> usize {
        self.blueprints.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.blueprints.is_empty()
    }
}
