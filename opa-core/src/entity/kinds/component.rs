//! `Component`: a piece of software (a service, a website, a library). OPA on AWS apps are
//! Components with `spec.type: aws-app`.

use serde::{Deserialize, Serialize};

use super::{
    BACKSTAGE_API_VERSIONS, DEPENDENCY_OF, DEPENDS_ON, KindSchema, OWNER, RelationField, SYSTEM,
};
use crate::entity::object::EntitySpec;
use crate::entity::schema::{Field, NON_EMPTY, NON_EMPTY_LIST, Ty};

/// The spec of a Component.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentSpec {
    /// `service`, `website`, `library`, `aws-app`…
    #[serde(rename = "type")]
    pub component_type: String,
    /// `experimental`, `production`, `deprecated`…
    pub lifecycle: String,
    /// The owning group or user (default kind Group).
    pub owner: String,
    /// OPA on AWS: the app's runtime (`aws-ecs`, `aws-eks`, `aws-serverless`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_type: Option<String>,
    /// The system it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// The component it is part of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subcomponent_of: Option<String>,
    /// APIs it provides.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provides_apis: Vec<String>,
    /// APIs it consumes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consumes_apis: Vec<String>,
    /// Entities it depends on (references must name their kind).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// Entities that depend on it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependency_of: Vec<String>,
}

impl EntitySpec for ComponentSpec {
    const KIND: &'static str = "Component";
    const API_VERSIONS: &'static [&'static str] = BACKSTAGE_API_VERSIONS;
}

/// Backstage's `Component.v1alpha1.schema.json` and the BuiltinKindsEntityProcessor's relations.
pub(crate) static SCHEMA: KindSchema = KindSchema {
    kind: "Component",
    api_versions: BACKSTAGE_API_VERSIONS,
    spec: Ty::Object {
        fields: &[
            Field::required("type", NON_EMPTY),
            Field::required("lifecycle", NON_EMPTY),
            Field::required("owner", NON_EMPTY),
            Field::optional("system", NON_EMPTY),
            Field::optional("subcomponentOf", NON_EMPTY),
            Field::optional("providesApis", NON_EMPTY_LIST),
            Field::optional("consumesApis", NON_EMPTY_LIST),
            Field::optional("dependsOn", NON_EMPTY_LIST),
        ],
        additional: None,
    },
    relations: &[
        OWNER,
        RelationField::new("subcomponentOf", Some("Component"), "partOf", "hasPart"),
        RelationField::new("providesApis", Some("API"), "providesApi", "apiProvidedBy"),
        RelationField::new("consumesApis", Some("API"), "consumesApi", "apiConsumedBy"),
        DEPENDS_ON,
        DEPENDENCY_OF,
        SYSTEM,
    ],
    extra: None,
};
