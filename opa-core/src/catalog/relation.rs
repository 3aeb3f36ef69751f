//! Relation types between entities, named as Backstage names them (`RELATION_OWNED_BY`, …).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The type of a relation. Every relation is emitted in both directions: each type has an
/// [`inverse`](RelationType::inverse).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RelationType {
    /// `ownedBy`: the entity is owned by the target (a group or user).
    OwnedBy,
    /// `ownerOf`: the inverse of `ownedBy`.
    OwnerOf,
    /// `partOf`: the entity is part of the target (system, domain, parent component or domain).
    PartOf,
    /// `hasPart`: the inverse of `partOf`.
    HasPart,
    /// `dependsOn`: the entity depends on the target.
    DependsOn,
    /// `dependencyOf`: the inverse of `dependsOn`.
    DependencyOf,
    /// `providesApi`: the component provides the target API.
    ProvidesApi,
    /// `apiProvidedBy`: the inverse of `providesApi`.
    ApiProvidedBy,
    /// `consumesApi`: the component consumes the target API.
    ConsumesApi,
    /// `apiConsumedBy`: the inverse of `consumesApi`.
    ApiConsumedBy,
    /// `memberOf`: the user is a member of the target group.
    MemberOf,
    /// `hasMember`: the inverse of `memberOf`.
    HasMember,
    /// `childOf`: the group is a child of the target group.
    ChildOf,
    /// `parentOf`: the inverse of `childOf`.
    ParentOf,
}

impl RelationType {
    /// Every relation type.
    pub const ALL: [RelationType; 14] = [
        Self::OwnedBy,
        Self::OwnerOf,
        Self::PartOf,
        Self::HasPart,
        Self::DependsOn,
        Self::DependencyOf,
        Self::ProvidesApi,
        Self::ApiProvidedBy,
        Self::ConsumesApi,
        Self::ApiConsumedBy,
        Self::MemberOf,
        Self::HasMember,
        Self::ChildOf,
        Self::ParentOf,
    ];

    /// The name Backstage uses, e.g. `ownedBy`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::OwnedBy => "ownedBy",
            Self::OwnerOf => "ownerOf",
            Self::PartOf => "partOf",
            Self::HasPart => "hasPart",
            Self::DependsOn => "dependsOn",
            Self::DependencyOf => "dependencyOf",
            Self::ProvidesApi => "providesApi",
            Self::ApiProvidedBy => "apiProvidedBy",
            Self::ConsumesApi => "consumesApi",
            Self::ApiConsumedBy => "apiConsumedBy",
            Self::MemberOf => "memberOf",
            Self::HasMember => "hasMember",
            Self::ChildOf => "childOf",
            Self::ParentOf => "parentOf",
        }
    }

    /// The same relation seen from the target: `ownedBy` ↔ `ownerOf`, and so on.
    pub const fn inverse(self) -> Self {
        match self {
            Self::OwnedBy => Self::OwnerOf,
            Self::OwnerOf => Self::OwnedBy,
            Self::PartOf => Self::HasPart,
            Self::HasPart => Self::PartOf,
            Self::DependsOn => Self::DependencyOf,
            Self::DependencyOf => Self::DependsOn,
            Self::ProvidesApi => Self::ApiProvidedBy,
            Self::ApiProvidedBy => Self::ProvidesApi,
            Self::ConsumesApi => Self::ApiConsumedBy,
            Self::ApiConsumedBy => Self::ConsumesApi,
            Self::MemberOf => Self::HasMember,
            Self::HasMember => Self::MemberOf,
            Self::ChildOf => Self::ParentOf,
            Self::ParentOf => Self::ChildOf,
        }
    }

    /// Whether this is the direction a spec field states in the usual case (`ownedBy`, `partOf`,
    /// `dependsOn`, `providesApi`, `consumesApi`, `memberOf`, `childOf`); graph drawings show only
    /// these, since the inverse carries no more information.
    pub const fn is_forward(self) -> bool {
        matches!(
            self,
            Self::OwnedBy
                | Self::PartOf
                | Self::DependsOn
                | Self::ProvidesApi
                | Self::ConsumesApi
                | Self::MemberOf
                | Self::ChildOf
        )
    }
}

impl fmt::Display for RelationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RelationType {
    type Err = Error;

    /// Parses Backstage's name of a relation type (`ownedBy`, …), exactly.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| Error::Invalid(format!("unknown relation type \"{s}\"")))
    }
}

/// One relation of an entity, as in the `relations` array of an entity Backstage serves:
/// `{type, targetRef}`, the target as `stringifyEntityRef` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Relation {
    /// The relation type.
    #[serde(rename = "type")]
    pub relation_type: RelationType,
    /// The target, `kind:namespace/name` with kind and namespace in lowercase.
    #[serde(rename = "targetRef")]
    pub target_ref: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_round_trips_and_inverts_back() {
        for t in RelationType::ALL {
            assert_eq!(t.as_str().parse::<RelationType>().unwrap(), t);
            assert_eq!(t.inverse().inverse(), t);
            assert_ne!(t.inverse(), t);
            assert_ne!(t.is_forward(), t.inverse().is_forward(), "{t}");
        }
        assert!("OwnedBy".parse::<RelationType>().is_err());
    }

    #[test]
    fn serializes_like_backstage() {
        let r = Relation {
            relation_type: RelationType::ApiProvidedBy,
            target_ref: "component:default/a".into(),
        };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"type":"apiProvidedBy","targetRef":"component:default/a"}"#
        );
    }
}
