//! `Domain`: a business area grouping systems.

use serde::{Deserialize, Serialize};

use super::{BACKSTAGE_API_VERSIONS, KindSchema, OWNER, RelationField};
use crate::entity::object::EntitySpec;
use crate::entity::schema::{Field, NON_EMPTY, Ty};

/// The spec of a Domain.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainSpec {
    /// The owning group or user.
    pub owner: String,
    /// The parent domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subdomain_of: Option<String>,
    /// A category.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub domain_type: Option<String>,
}

impl EntitySpec for DomainSpec {
    const KIND: &'static str = "Domain";
    const API_VERSIONS: &'static [&'static str] = BACKSTAGE_API_VERSIONS;
}

/// Backstage's `Domain.v1alpha1.schema.json`.
pub(crate) static SCHEMA: KindSchema = KindSchema {
    kind: "Domain",
    api_versions: BACKSTAGE_API_VERSIONS,
    spec: Ty::Object {
        fields: &[
            Field::required("owner", NON_EMPTY),
            Field::optional("subdomainOf", NON_EMPTY),
            Field::optional("type", NON_EMPTY),
        ],
        additional: None,
    },
    relations: &[
        OWNER,
        RelationField::new("subdomainOf", Some("Domain"), "partOf", "hasPart"),
    ],
    extra: None,
};
