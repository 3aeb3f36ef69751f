//! `Resource`: infrastructure a component needs (a database, a bucket, a cluster).

use serde::{Deserialize, Serialize};

use super::{BACKSTAGE_API_VERSIONS, DEPENDENCY_OF, DEPENDS_ON, KindSchema, OWNER, SYSTEM};
use crate::entity::object::EntitySpec;
use crate::entity::schema::{Field, NON_EMPTY, NON_EMPTY_LIST, Ty};

/// The spec of a Resource.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceSpec {
    /// `database`, `s3-bucket`, `cluster`…
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The owning group or user.
    pub owner: String,
    /// Entities it depends on (references must name their kind).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// Entities that depend on it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependency_of: Vec<String>,
    /// The system it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
}

impl EntitySpec for ResourceSpec {
    const KIND: &'static str = "Resource";
    const API_VERSIONS: &'static [&'static str] = BACKSTAGE_API_VERSIONS;
}

/// Backstage's `Resource.v1alpha1.schema.json`.
pub(crate) static SCHEMA: KindSchema = KindSchema {
    kind: "Resource",
    api_versions: BACKSTAGE_API_VERSIONS,
    spec: Ty::Object {
        fields: &[
            Field::required("type", NON_EMPTY),
            Field::required("owner", NON_EMPTY),
            Field::optional("dependsOn", NON_EMPTY_LIST),
            Field::optional("system", NON_EMPTY),
        ],
        additional: None,
    },
    relations: &[OWNER, DEPENDS_ON, DEPENDENCY_OF, SYSTEM],
    extra: None,
};
