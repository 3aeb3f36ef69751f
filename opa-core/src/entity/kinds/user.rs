//! `User`: a person.

use serde::{Deserialize, Serialize};

use super::group::{PROFILE, Profile};
use super::{BACKSTAGE_API_VERSIONS, KindSchema, RelationField};
use crate::entity::object::EntitySpec;
use crate::entity::schema::{Field, NON_EMPTY_LIST, Ty};

/// The spec of a User.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSpec {
    /// Display information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    /// The groups the user is in (required, may be empty).
    pub member_of: Vec<String>,
}

impl EntitySpec for UserSpec {
    const KIND: &'static str = "User";
    const API_VERSIONS: &'static [&'static str] = BACKSTAGE_API_VERSIONS;
}

/// Backstage's `User.v1alpha1.schema.json`.
pub(crate) static SCHEMA: KindSchema = KindSchema {
    kind: "User",
    api_versions: BACKSTAGE_API_VERSIONS,
    spec: Ty::Object {
        fields: &[
            Field::optional("profile", PROFILE),
            Field::required("memberOf", NON_EMPTY_LIST),
        ],
        additional: None,
    },
    relations: &[RelationField::new(
        "memberOf",
        Some("Group"),
        "memberOf",
        "hasMember",
    )],
    extra: None,
};
