//! Compositions (`apiextensions.crossplane.io/v1`, `kind: Composition`) in `Resources` mode:
//! composed resource templates (a `base` plus patches) and named patch sets.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::error::{PatchError, PatchResult};
use super::patch::{Patch, types};
use super::source::{self, DocPath};
use crate::diagnostic::{Diagnostic, Position, codes};
use crate::yaml::Node;

/// The API version of Compositions.
pub const API_VERSION: &str = "apiextensions.crossplane.io/v1";

/// A parsed Composition.
#[derive(Debug, Clone, PartialEq)]
pub struct Composition {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.labels` (a `compositionSelector` matches them).
    pub labels: Map<String, Value>,
    /// `spec`.
    pub spec: CompositionSpec,
    /// The document, for the positions of problems.
    pub node: Node,
}

/// The spec of a Composition.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompositionSpec {
    /// The kind of composite resource this Composition composes.
    pub composite_type_ref: TypeReference,
    /// `Resources` (the default) or `Pipeline`.
    #[serde(default)]
    pub mode: Option<String>,
    /// Named sets of patches that templates include with a `PatchSet` patch.
    #[serde(default)]
    pub patch_sets: Vec<PatchSet>,
    /// The composed resource templates.
    #[serde(default)]
    pub resources: Vec<ComposedTemplate>,
}

/// An API version and kind.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypeReference {
    /// `group/version`.
    pub api_version: String,
    /// The kind.
    pub kind: String,
}

/// A named set of patches.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PatchSet {
    /// The name `PatchSet` patches refer to.
    pub name: String,
    /// The patches.
    #[serde(default)]
    pub patches: Vec<Patch>,
}

/// A composed resource template.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComposedTemplate {
    /// The composition resource name (anonymous templates are named by their index).
    #[serde(default)]
    pub name: Option<String>,
    /// The resource the patches start from.
    pub base: Value,
    /// The patches.
    #[serde(default)]
    pub patches: Vec<Patch>,
}

/// A patch of a template once patch sets are inlined, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplatePatch<'a> {
    /// The patch.
    pub patch: &'a Patch,
    /// Its path in the Composition (`spec.patchSets.0.patches.1` for an inlined one).
    pub origin: DocPath,
}

impl Composition {
    /// Parses a Composition document.
    pub fn from_node(node: &Node) -> Result<Self, Diagnostic> {
        let root = DocPath::root();
        let kind = node.get("kind").and_then(Node::as_str);
        if kind != Some("Composition") {
            return Err(Diagnostic::new(
                codes::INVALID_KIND,
                "kind",
                format!(
                    "expected kind Composition, found {}",
                    kind.unwrap_or("none")
                ),
                source::locate(node, &root.key("kind")),
            ));
        }
        let api = node.get("apiVersion").and_then(Node::as_str);
        if api != Some(API_VERSION) {
            return Err(Diagnostic::new(
                codes::INVALID_API_VERSION,
                "apiVersion",
                format!(
                    "expected apiVersion {API_VERSION}, found {}",
                    api.unwrap_or("none")
                ),
                source::locate(node, &root.key("apiVersion")),
            ));
        }
        let name = node
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_string();
        let labels = node
            .get("metadata")
            .and_then(|m| m.get("labels"))
            .map(Node::to_json)
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default();
        let spec_node = node.get("spec").ok_or_else(|| {
            Diagnostic::new(
                codes::MISSING_FIELD,
                "spec",
                "spec: Required value",
                node.pos,
            )
        })?;
        let spec: CompositionSpec = source::deserialize(spec_node, &root.key("spec"))?;
        Ok(Self {
            name,
            labels,
            spec,
            node: node.clone(),
        })
    }

    /// The mode, defaulted as the API server defaults it.
    pub fn mode(&self) -> &str {
        self.spec.mode.as_deref().unwrap_or("Resources")
    }

    /// The position of a path of this Composition.
    pub fn position(&self, path: &DocPath) -> Position {
        source::locate(&self.node, path)
    }

    /// The templates with their `PatchSet` patches replaced by the patches of the named set
    /// (Crossplane's `ComposedTemplates`).
    pub fn templates(&self) -> PatchResult<Vec<(&ComposedTemplate, Vec<TemplatePatch<'_>>)>> {
        let sets = &self.spec.patch_sets;
        for set in sets {
            if set.patches.iter().any(|p| p.kind() == types::PATCH_SET) {
                return Err(PatchError::new(
                    "a patch in a PatchSet cannot be of type PatchSet",
                ));
            }
        }
        let mut out = Vec::with_capacity(self.spec.resources.len());
        let resources = DocPath::root().key("spec").key("resources");
        for (i, template) in self.spec.resources.iter().enumerate() {
            let mut patches = Vec::new();
            for (j, p) in template.patches.iter().enumerate() {
                if p.kind() != types::PATCH_SET {
                    patches.push(TemplatePatch {
                        patch: p,
                        origin: resources.index(i).key("patches").index(j),
                    });
                    continue;
                }
                let name = p
                    .patch_set_name
                    .as_deref()
                    .ok_or_else(|| PatchError::new("PatchSetName is required by type PatchSet"))?;
                let (k, set) = sets
                    .iter()
                    .enumerate()
                    .rev()
                    .find(|(_, s)| s.name == name)
                    .ok_or_else(|| {
                        PatchError::new(format!("cannot find PatchSet by name {name}"))
                    })?;
                for (l, sp) in set.patches.iter().enumerate() {
                    patches.push(TemplatePatch {
                        patch: sp,
                        origin: DocPath::root()
                            .key("spec")
                            .key("patchSets")
                            .index(k)
                            .key("patches")
                            .index(l),
                    });
                }
            }
            out.push((template, patches));
        }
        Ok(out)
    }
}
