//! `Group`: a team or organisational unit.

use serde::{Deserialize, Serialize};

use super::{BACKSTAGE_API_VERSIONS, KindSchema, RelationField};
use crate::entity::object::EntitySpec;
use crate::entity::schema::{Field, NON_EMPTY, NON_EMPTY_LIST, Ty};

/// The spec of a Group.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupSpec {
    /// `team`, `business-unit`…
    #[serde(rename = "type")]
    pub group_type: String,
    /// Display information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    /// The parent group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Child groups (required, may be empty).
    pub children: Vec<String>,
    /// Member users.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
}

/// Display information of a group or user.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// The name to show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// An email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A picture URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
}

impl EntitySpec for GroupSpec {
    const KIND: &'static str = "Group";
    const API_VERSIONS: &'static [&'static str] = BACKSTAGE_API_VERSIONS;
}

/// The shape of `profile` (Group and User).
pub(crate) const PROFILE: Ty = Ty::Object {
    fields: &[
        Field::optional("displayName", NON_EMPTY),
        Field::optional("email", NON_EMPTY),
        Field::optional("picture", NON_EMPTY),
    ],
    additional: None,
};

/// Backstage's `Group.v1alpha1.schema.json`.
pub(crate) static SCHEMA: KindSchema = KindSchema {
    kind: "Group",
    api_versions: BACKSTAGE_API_VERSIONS,
    spec: Ty::Object {
        fields: &[
            Field::required("type", NON_EMPTY),
            Field::optional("profile", PROFILE),
            Field::optional("parent", NON_EMPTY),
            Field::required("children", NON_EMPTY_LIST),
            Field::optional("members", NON_EMPTY_LIST),
        ],
        additional: None,
    },
    relations: &[
        RelationField::new("parent", Some("Group"), "childOf", "parentOf"),
        RelationField::new("children", Some("Group"), "parentOf", "childOf"),
        RelationField::new("members", Some("User"), "hasMember", "memberOf"),
    ],
    extra: None,
};
