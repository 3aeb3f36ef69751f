//! `System`: a collection of components, APIs and resources that work together.

use serde::{Deserialize, Serialize};

use super::{BACKSTAGE_API_VERSIONS, KindSchema, OWNER, RelationField};
use crate::entity::object::EntitySpec;
use crate::entity::schema::{Field, NON_EMPTY, Ty};

/// The spec of a System.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemSpec {
    /// The owning group or user.
    pub owner: String,
    /// The domain it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// A category.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub system_type: Option<String>,
}

impl EntitySpec for SystemSpec {
    const KIND: &'static str = "System";
    const API_VERSIONS: &'static [&'static str] = BACKSTAGE_API_VERSIONS;
}

/// Backstage's `System.v1alpha1.schema.json`.
pub(crate) static SCHEMA: KindSchema = KindSchema {
    kind: "System",
    api_versions: BACKSTAGE_API_VERSIONS,
    spec: Ty::Object {
        fields: &[
            Field::required("owner", NON_EMPTY),
            Field::optional("domain", NON_EMPTY),
            Field::optional("type", NON_EMPTY),
        ],
        additional: None,
    },
    relations: &[
        OWNER,
        RelationField::new("domain", Some("Domain"), "partOf", "hasPart"),
    ],
    extra: None,
};
