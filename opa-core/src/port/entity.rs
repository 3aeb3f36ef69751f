//! Port entities: an instance of a blueprint.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

/// A Port entity, as the Port API takes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortEntity {
    /// The entity's identifier (Port makes one up when it is missing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// Its display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The blueprint it is an instance of.
    #[serde(default)]
    pub blueprint: String,
    /// Its icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// The teams that own it (a string or a list in Port's API).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<Json>,
    /// Property values, by property name.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub properties: IndexMap<String, Json>,
    /// Relation targets (an identifier, or a list for `many` relations), by relation name.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub relations: IndexMap<String, Json>,
}
