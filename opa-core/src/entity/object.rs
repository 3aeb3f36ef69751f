//! Entities as typed and dynamic objects, in the style of kube-rs: [`Entity<Spec>`] for a known
//! kind, [`DynamicEntity`] (spec kept as JSON) for any kind, and [`DynamicEntity::try_parse`]
//! between them.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::entity::metadata::Metadata;
use crate::entity::reference::EntityRef;
use crate::error::Error;
use crate::yaml::Node;

/// A kind's spec type: which `kind` and `apiVersion`s it is.
pub trait EntitySpec: DeserializeOwned + Serialize {
    /// The entity kind, e.g. `Component`.
    const KIND: &'static str;
    /// The `apiVersion`s this spec is defined for.
    const API_VERSIONS: &'static [&'static str];
}

/// A catalog entity: `apiVersion`, `kind`, `metadata` and a `spec` of type `Spec`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entity<Spec = serde_json::Value> {
    /// The version of the format, e.g. `backstage.io/v1alpha1`.
    pub api_version: String,
    /// The kind, e.g. `Component`.
    pub kind: String,
    /// Name, namespace, labels, annotations…
    pub metadata: Metadata,
    /// The kind-specific part.
    pub spec: Spec,
}

/// An entity of any kind, its spec kept as JSON.
pub type DynamicEntity = Entity<serde_json::Value>;

impl<Spec> Entity<Spec> {
    /// The entity's reference (`kind:namespace/name`).
    pub fn entity_ref(&self) -> EntityRef {
        EntityRef::new(
            self.kind.clone(),
            self.metadata.namespace_or_default(),
            self.metadata.name.clone(),
        )
    }
}

impl<Spec: EntitySpec> Entity<Spec> {
    /// A typed entity with the spec's kind and its first apiVersion.
    pub fn new(metadata: Metadata, spec: Spec) -> Self {
        Self {
            api_version: Spec::API_VERSIONS[0].to_string(),
            kind: Spec::KIND.to_string(),
            metadata,
            spec,
        }
    }

    /// Converts back to the dynamic form.
    pub fn to_dynamic(&self) -> Result<DynamicEntity, Error> {
        Ok(Entity {
            api_version: self.api_version.clone(),
            kind: self.kind.clone(),
            metadata: self.metadata.clone(),
            spec: serde_json::to_value(&self.spec)
                .map_err(|e| Error::Invalid(format!("cannot convert the spec to JSON: {e}")))?,
        })
    }
}

impl DynamicEntity {
    /// Reads an entity from a YAML node. This only checks the shape serde needs (a `metadata`
    /// with a string `name`…); use [`validate_entity`](crate::entity::validate_entity) for
    /// Backstage's rules.
    pub fn from_node(node: &Node) -> Result<Self, Error> {
        let mut json = node.to_json();
        if let Some(obj) = json.as_object_mut() {
            obj.entry("spec").or_insert(serde_json::Value::Null);
        }
        serde_json::from_value(json)
            .map_err(|e| Error::Invalid(format!("line {}: not an entity: {e}", node.pos.line)))
    }

    /// Converts to the typed form of `Spec`'s kind; fails when the kind or apiVersion differs or
    /// the spec does not have the shape.
    pub fn try_parse<Spec: EntitySpec>(&self) -> Result<Entity<Spec>, Error> {
        if self.kind != Spec::KIND || !Spec::API_VERSIONS.contains(&self.api_version.as_str()) {
            return Err(Error::Invalid(format!(
                "{} is a {} ({}), not a {} ({})",
                self.entity_ref(),
                self.kind,
                self.api_version,
                Spec::KIND,
                Spec::API_VERSIONS.join(" or ")
            )));
        }
        let spec = serde_json::from_value(self.spec.clone()).map_err(|e| {
            Error::Invalid(format!("{}: spec does not match: {e}", self.entity_ref()))
        })?;
        Ok(Entity {
            api_version: self.api_version.clone(),
            kind: self.kind.clone(),
            metadata: self.metadata.clone(),
            spec,
        })
    }
}
