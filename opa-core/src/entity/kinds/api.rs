//! `API`: an interface a component provides (OpenAPI, AsyncAPI, GraphQL, gRPC…).

use serde::{Deserialize, Serialize};

use super::{BACKSTAGE_API_VERSIONS, KindSchema, OWNER, SYSTEM};
use crate::entity::object::EntitySpec;
use crate::entity::schema::{Field, NON_EMPTY, Ty};

/// The spec of an API.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiSpec {
    /// `openapi`, `asyncapi`, `graphql`, `grpc`…
    #[serde(rename = "type")]
    pub api_type: String,
    /// `experimental`, `production`, `deprecated`…
    pub lifecycle: String,
    /// The owning group or user.
    pub owner: String,
    /// The system it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// The definition text (often from a `$text` placeholder).
    pub definition: String,
}

impl EntitySpec for ApiSpec {
    const KIND: &'static str = "API";
    const API_VERSIONS: &'static [&'static str] = BACKSTAGE_API_VERSIONS;
}

/// Backstage's `API.v1alpha1.schema.json`.
pub(crate) static SCHEMA: KindSchema = KindSchema {
    kind: "API",
    api_versions: BACKSTAGE_API_VERSIONS,
    spec: Ty::Object {
        fields: &[
            Field::required("type", NON_EMPTY),
            Field::required("lifecycle", NON_EMPTY),
            Field::required("owner", NON_EMPTY),
            Field::optional("system", NON_EMPTY),
            Field::required("definition", NON_EMPTY),
        ],
        additional: None,
    },
    relations: &[OWNER, SYSTEM],
    extra: None,
};
