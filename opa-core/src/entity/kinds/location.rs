//! `Location`: points the catalog at more catalog files.

use serde::{Deserialize, Serialize};

use super::{BACKSTAGE_API_VERSIONS, KindSchema};
use crate::entity::object::EntitySpec;
use crate::entity::schema::{Field, NON_EMPTY, NON_EMPTY_LIST, Ty};

/// The spec of a Location.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocationSpec {
    /// `url`, `file`…
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub location_type: Option<String>,
    /// One target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Several targets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    /// `required` (default) or `optional`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presence: Option<String>,
}

impl EntitySpec for LocationSpec {
    const KIND: &'static str = "Location";
    const API_VERSIONS: &'static [&'static str] = BACKSTAGE_API_VERSIONS;
}

/// Backstage's `Location.v1alpha1.schema.json`.
pub(crate) static SCHEMA: KindSchema = KindSchema {
    kind: "Location",
    api_versions: BACKSTAGE_API_VERSIONS,
    spec: Ty::Object {
        fields: &[
            Field::optional("type", NON_EMPTY),
            Field::optional("target", NON_EMPTY),
            Field::optional("targets", NON_EMPTY_LIST),
            Field::optional("presence", Ty::Enum(&["required", "optional"])),
        ],
        additional: None,
    },
    relations: &[],
    extra: None,
};
