//! Patches: how a value travels between the composite resource (XR) and a composed resource,
//! with Crossplane v1.20's native patch-and-transform semantics.
//!
//! `FromCompositeFieldPath` (the default type) copies a field of the XR to the composed
//! resource, `ToCompositeFieldPath` copies the other way, and the `Combine*` types format
//! several fields into one string first. A missing source field skips the patch unless the
//! patch's policy says `fromFieldPath: Required`.

use serde::Deserialize;
use serde_json::Value;

use super::error::{PatchError, PatchResult};
use super::merge::MergeOptions;
use super::paved;
use super::transform::{self, Transform};

/// Patch types.
pub mod types {
    /// XR → composed resource (the default).
    pub const FROM_COMPOSITE_FIELD_PATH: &str = "FromCompositeFieldPath";
    /// Composed resource → XR.
    pub const TO_COMPOSITE_FIELD_PATH: &str = "ToCompositeFieldPath";
    /// Several XR fields, formatted into one, → composed resource.
    pub const COMBINE_FROM_COMPOSITE: &str = "CombineFromComposite";
    /// Several composed resource fields, formatted into one, → XR.
    pub const COMBINE_TO_COMPOSITE: &str = "CombineToComposite";
    /// The patches of a named patch set of the Composition.
    pub const PATCH_SET: &str = "PatchSet";
}

/// The patch types applied from the XR to a composed resource.
pub const FROM_XR: [&str; 2] = [
    types::FROM_COMPOSITE_FIELD_PATH,
    types::COMBINE_FROM_COMPOSITE,
];
/// The patch types applied from a composed resource to the XR.
pub const TO_XR: [&str; 2] = [types::TO_COMPOSITE_FIELD_PATH, types::COMBINE_TO_COMPOSITE];

/// One patch of a composed resource template or patch set.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Patch {
    /// The patch type; `FromCompositeFieldPath` when absent.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// The source field.
    #[serde(default)]
    pub from_field_path: Option<String>,
    /// The destination field; the source path when absent.
    #[serde(default)]
    pub to_field_path: Option<String>,
    /// The sources and format of a `Combine*` patch.
    #[serde(default)]
    pub combine: Option<Combine>,
    /// Transforms applied in order to the value.
    #[serde(default)]
    pub transforms: Vec<Transform>,
    /// Whether the source must exist, and how the value merges into the destination.
    #[serde(default)]
    pub policy: Option<PatchPolicy>,
    /// The patch set a `PatchSet` patch stands for.
    #[serde(default)]
    pub patch_set_name: Option<String>,
}

/// The configuration of a `Combine*` patch.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Combine {
    /// The source fields, in the order of the format's verbs.
    #[serde(default)]
    pub variables: Vec<CombineVariable>,
    /// How to combine: `string` is the only strategy.
    #[serde(default)]
    pub strategy: String,
    /// The format of the `string` strategy.
    #[serde(default)]
    pub string: Option<StringCombine>,
}

/// One source field of a `Combine*` patch.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CombineVariable {
    /// The source field.
    pub from_field_path: String,
}

/// The format of a `string` combine.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StringCombine {
    /// A Go format string, one verb per variable.
    pub fmt: String,
}

/// A patch's policy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PatchPolicy {
    /// `Optional` (the default): a missing source skips the patch; `Required`: it is an error.
    #[serde(default)]
    pub from_field_path: Option<String>,
    /// How the value merges into an existing destination (Crossplane v1 native).
    #[serde(default)]
    pub merge_options: Option<MergeOptions>,
    /// `Replace`, `MergeObjects`, … (function-patch-and-transform's spelling of merge options).
    #[serde(default)]
    pub to_field_path: Option<String>,
}

impl Patch {
    /// The patch type, defaulted as the API server defaults it.
    pub fn kind(&self) -> &str {
        self.kind
            .as_deref()
            .unwrap_or(types::FROM_COMPOSITE_FIELD_PATH)
    }

    /// The merge options the policy asks for; `None` replaces the destination.
    fn merge_options(&self) -> PatchResult<Option<MergeOptions>> {
        let Some(policy) = &self.policy else {
            return Ok(None);
        };
        let Some(to) = &policy.to_field_path else {
            return Ok(policy.merge_options.clone());
        };
        let options = |keep: Option<bool>, append: Option<bool>| MergeOptions {
            keep_map_values: keep,
            append_slice: append,
        };
        Ok(match to.as_str() {
            "Replace" => None,
            "MergeObjects" | "MergeObject" => Some(options(Some(true), None)),
            "MergeObjectsAppendArrays" => Some(options(Some(true), Some(true))),
            "ForceMergeObjects" => Some(options(Some(false), None)),
            "ForceMergeObjectsAppendArrays" | "AppendArray" => Some(options(None, Some(true))),
            other => return Err(PatchError::new(format!("invalid patch policy {other}"))),
        })
    }
}

/// Whether `err` is a missing source field that the policy lets the patch skip.
pub fn is_optional_field_path_not_found(err: &PatchError, policy: Option<&PatchPolicy>) -> bool {
    match policy.and_then(|p| p.from_field_path.as_deref()) {
        None | Some("Optional") => err.is_not_found(),
        Some(_) => false,
    }
}

/// Applies `patch` between the XR and a composed resource, when its type is in `only` (every
/// type when `only` is empty).
pub fn apply(
    patch: &Patch,
    xr: &mut Value,
    composed: &mut Value,
    only: &[&str],
) -> PatchResult<()> {
    let kind = patch.kind();
    if !only.is_empty() && !only.contains(&kind) {
        return Ok(());
    }
    match kind {
        types::FROM_COMPOSITE_FIELD_PATH => apply_from_field_path(patch, xr, composed),
        types::TO_COMPOSITE_FIELD_PATH => apply_from_field_path(patch, composed, xr),
        types::COMBINE_FROM_COMPOSITE => apply_combine(patch, xr, composed),
        types::COMBINE_TO_COMPOSITE => apply_combine(patch, composed, xr),
        other => Err(PatchError::new(format!(
            "patch type {other} is unsupported"
        ))),
    }
}

fn required(field: &str, kind: &str) -> PatchError {
    PatchError::new(format!("{field} is required by type {kind}"))
}

/// Copies the source field of `from` through the transforms into `to`.
pub fn apply_from_field_path(patch: &Patch, from: &Value, to: &mut Value) -> PatchResult<()> {
    let from_path = patch
        .from_field_path
        .as_deref()
        .ok_or_else(|| required("FromFieldPath", patch.kind()))?;
    let to_path = patch.to_field_path.as_deref().unwrap_or(from_path);
    let input = match paved::get_value(from, from_path) {
        Ok(v) => v,
        Err(e) if is_optional_field_path_not_found(&e, patch.policy.as_ref()) => return Ok(()),
        Err(e) => return Err(e),
    };
    let options = patch.merge_options()?;
    let out = transform::resolve_all(&patch.transforms, input)?;
    if to_path.contains("[*]") {
        return patch_multiple(to_path, out, to, options.as_ref());
    }
    paved::merge_value(to, to_path, out, options.as_ref())
}

/// Writes `value` to every path the wildcards of `path` expand to.
fn patch_multiple(
    path: &str,
    value: Value,
    to: &mut Value,
    options: Option<&MergeOptions>,
) -> PatchResult<()> {
    let paths = paved::expand_wildcards(to, path)?;
    if paths.is_empty() {
        return Err(PatchError::new(format!("cannot expand ToFieldPath {path}")));
    }
    for p in paths {
        paved::merge_value(to, &p, value.clone(), options)?;
    }
    Ok(())
}

/// Formats the variables of `from` into one value and writes it into `to`. A missing variable
/// skips the whole patch (unless required), so a format never sees too few values.
pub fn apply_combine(patch: &Patch, from: &Value, to: &mut Value) -> PatchResult<()> {
    let combine = patch
        .combine
        .as_ref()
        .ok_or_else(|| required("Combine", patch.kind()))?;
    let to_path = patch
        .to_field_path
        .as_deref()
        .ok_or_else(|| required("ToFieldPath", patch.kind()))?;
    if combine.variables.is_empty() {
        return Err(PatchError::new(
            "combine patch types require at least one variable",
        ));
    }
    let mut values = Vec::with_capacity(combine.variables.len());
    for variable in &combine.variables {
        match paved::get_value(from, &variable.from_field_path) {
            Ok(v) => values.push(v),
            Err(e) if is_optional_field_path_not_found(&e, patch.policy.as_ref()) => return Ok(()),
            Err(e) => return Err(e),
        }
    }
    let combined = combine_values(combine, &values)?;
    let out = transform::resolve_all(&patch.transforms, combined)?;
    paved::merge_value(to, to_path, out, None)
}

/// Runs a combine strategy over the variables' values.
pub fn combine_values(combine: &Combine, values: &[Value]) -> PatchResult<Value> {
    match combine.strategy.as_str() {
        "string" => {
            let format = combine.string.as_ref().ok_or_else(|| {
                PatchError::new(format!(
                    "given combine strategy {} requires configuration",
                    combine.strategy
                ))
            })?;
            Ok(Value::String(super::gofmt::sprintf(&format.fmt, values)))
        }
        other => Err(PatchError::new(format!(
            "combine strategy {other} is not supported"
        ))),
    }
}
