//! Rendering a claim (or a composite resource) with a Composition, offline, as one reconcile of
//! Crossplane v1.20 would: the API server prunes, defaults and validates the claim; the claim
//! controller makes the composite resource (XR); the XR controller selects the Composition and
//! renders each composed resource from its `base` and patches; the `ToComposite` patches then
//! flow back to the XR from the rendered resources.

use serde_json::{Map, Value, json};

use super::claim::{
    ANNOTATION_RESOURCE_NAME, DEFAULT_NAMESPACE, LABEL_CLAIM_NAME, LABEL_CLAIM_NAMESPACE,
    LABEL_COMPOSITE, composite_from_claim,
};
use super::composition::Composition;
use super::gofmt;
use super::patch::{self, FROM_XR, TO_XR};
use super::schema::{self, Schema};
use super::source::{self, DocPath};
use super::xrd::{ResourceKind, Xrd};
use crate::diagnostic::{Diagnostic, Position, codes};
use crate::yaml::Node;

/// Diagnostic codes of rendering.
pub mod render_codes {
    /// A patch could not be applied (Crossplane would not create the resource).
    pub const PATCH_FAILED: &str = "patch-failed";
    /// The Composition does not fit the resource (type, mode, selection).
    pub const COMPOSITION_MISMATCH: &str = "composition-mismatch";
    /// A composed resource template is not a Kubernetes object.
    pub const INVALID_TEMPLATE: &str = "invalid-template";
}

/// Which input a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The claim or composite resource being rendered.
    Resource,
    /// The Composition.
    Composition,
    /// The CompositeResourceDefinition.
    Xrd,
}

/// A problem found while rendering, with the input it is in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The input the position refers to.
    pub source: Source,
    /// What and where.
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
}

/// A composed resource and its composition resource name.
#[derive(Debug, Clone, PartialEq)]
pub struct ComposedResource {
    /// The template's name (its index for an anonymous template).
    pub name: String,
    /// The rendered resource.
    pub resource: Value,
}

/// The outcome of rendering.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rendered {
    /// The composite resource; `None` when the input was rejected.
    pub composite: Option<Value>,
    /// The composed resources that rendered, in composition-resource-name order.
    pub composed: Vec<ComposedResource>,
    /// Problems: the input is invalid or a patch failed (Crossplane would not create what
    /// failed). Rendering succeeded when this is empty.
    pub problems: Vec<Problem>,
    /// Things the API server would quietly change, such as pruned unknown fields.
    pub warnings: Vec<Problem>,
}

impl Rendered {
    /// Whether everything rendered without a problem.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// The composite resource followed by the composed resources, as `crossplane render`
    /// prints them.
    pub fn resources(&self) -> Vec<&Value> {
        self.composite
            .iter()
            .chain(self.composed.iter().map(|c| &c.resource))
            .collect()
    }

    fn problem(
        &mut self,
        source: Source,
        code: &'static str,
        path: &DocPath,
        message: String,
        at: Position,
    ) {
        self.problems.push(Problem {
            source,
            diagnostic: Diagnostic::new(code, path.to_string(), message, at),
        });
    }
}

/// Renders `input` (a claim or composite resource document) with `composition`.
pub fn render(xrd: &Xrd, composition: &Composition, input: &Node) -> Rendered {
    let mut out = Rendered::default();
    let Some(mut xr) = admit(xrd, input, &mut out) else {
        return out;
    };
    if !select_composition(xrd, composition, &mut xr, &mut out) {
        out.composite = Some(xr);
        return out;
    }
    compose(composition, &mut xr, &mut out);
    out.composite = Some(xr);
    out
}

/// The API server's part: prune, default and validate the input against its CRD; then, for a
/// claim, the claim controller's: make the XR.
fn admit(xrd: &Xrd, input: &Node, out: &mut Rendered) -> Option<Value> {
    let root = DocPath::root();
    let mut resource = input.to_json();
    let api_version = resource
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let kind = resource
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let Some((rk, version)) = xrd.resolve(&api_version, &kind) else {
        let claim = xrd
            .spec
            .claim_names
            .as_ref()
            .map(|c| format!(" or claim kind {}", c.kind))
            .unwrap_or_default();
        out.problem(
            Source::Resource,
            codes::INVALID_KIND,
            &root.key("kind"),
            format!(
                "{api_version}, Kind={kind} is not served by CompositeResourceDefinition {}: expected apiVersion {}/<served version> and kind {}{claim}",
                xrd.name, xrd.spec.group, xrd.spec.names.kind
            ),
            source::locate(input, &root.key("kind")),
        );
        return None;
    };
    if !version.served {
        out.problem(
            Source::Resource,
            codes::INVALID_API_VERSION,
            &root.key("apiVersion"),
            format!("version {} of {} is not served", version.name, xrd.name),
            source::locate(input, &root.key("apiVersion")),
        );
        return None;
    }
    if resource
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        out.problem(
            Source::Resource,
            codes::MISSING_FIELD,
            &root.key("metadata").key("name"),
            "metadata.name: Required value: name or generateName is required".into(),
            source::locate(input, &root.key("metadata").key("name")),
        );
        return None;
    }
    if rk == ResourceKind::Claim {
        if let Some(Value::Object(meta)) = resource.get_mut("metadata") {
            meta.entry("namespace")
                .or_insert_with(|| Value::from(DEFAULT_NAMESPACE));
        }
    }
    let schema = xrd.schema(rk, version);
    if !admit_against(&mut resource, &schema, input, Source::Resource, out) {
        return None;
    }
    match rk {
        ResourceKind::Composite => Some(resource),
        ResourceKind::Claim => {
            let mut xr = composite_from_claim(xrd, &resource);
            let version = xrd.referenceable_version()?;
            let schema = xrd.schema(ResourceKind::Composite, version);
            admit_against(&mut xr, &schema, input, Source::Resource, out).then_some(xr)
        }
    }
}

/// Prunes, defaults and validates `resource`; violations become problems located in `node`.
fn admit_against(
    resource: &mut Value,
    schema: &Schema,
    node: &Node,
    src: Source,
    out: &mut Rendered,
) -> bool {
    for path in schema::prune(resource, schema) {
        out.warnings.push(Problem {
            source: src,
            diagnostic: Diagnostic::new(
                codes::UNKNOWN_FIELD,
                path.to_string(),
                format!(
                    "unknown field \"{}\" (the API server prunes it)",
                    path.kube()
                ),
                source::locate(node, &path),
            ),
        });
    }
    schema::apply_defaults(resource, schema);
    let violations = schema::validate(resource, schema);
    let ok = violations.is_empty();
    for v in violations {
        let at = source::locate(node, &v.path);
        out.problem(src, v.code, &v.path, v.message, at);
    }
    ok
}

/// The XR controller's part before composing: label the XR, and check that the given
/// Composition is the one Crossplane would select for it.
fn select_composition(
    xrd: &Xrd,
    composition: &Composition,
    xr: &mut Value,
    out: &mut Rendered,
) -> bool {
    let root = DocPath::root();
    let name = xr
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if let Some(meta) = xr.get_mut("metadata").and_then(Value::as_object_mut) {
        let labels = meta.entry("labels").or_insert_with(|| json!({}));
        if let Some(labels) = labels.as_object_mut() {
            if labels
                .get(LABEL_COMPOSITE)
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                labels.insert(LABEL_COMPOSITE.into(), Value::from(name));
            }
        }
    }
    let api_version = xr
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let kind = xr
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let type_ref = &composition.spec.composite_type_ref;
    let type_path = root.key("spec").key("compositeTypeRef");
    if type_ref.api_version != api_version || type_ref.kind != kind {
        out.problem(
            Source::Composition,
            render_codes::COMPOSITION_MISMATCH,
            &type_path,
            format!(
                "Composition {:?} composes {}, Kind={}, not the composite resource {api_version}, Kind={kind}",
                composition.name, type_ref.api_version, type_ref.kind
            ),
            composition.position(&type_path),
        );
        return false;
    }
    if composition.mode() != "Resources" {
        let mode_path = root.key("spec").key("mode");
        out.problem(
            Source::Composition,
            render_codes::COMPOSITION_MISMATCH,
            &mode_path,
            format!(
                "Composition {:?} uses mode {}; only mode Resources (native patch-and-transform) is rendered",
                composition.name,
                composition.mode()
            ),
            composition.position(&mode_path),
        );
        return false;
    }
    let Some(spec) = xr.get_mut("spec").and_then(Value::as_object_mut) else {
        return false;
    };
    if let Some(enforced) = &xrd.spec.enforced_composition_ref {
        spec.insert("compositionRef".into(), json!({"name": enforced.name}));
    }
    if !spec.contains_key("compositionRef") {
        if let Some(selector) = spec
            .get("compositionSelector")
            .and_then(|s| s.get("matchLabels"))
        {
            let matches = selector.as_object().is_some_and(|want| {
                want.iter()
                    .all(|(k, v)| composition.labels.get(k) == Some(v))
            });
            if !matches {
                out.problem(
                    Source::Resource,
                    render_codes::COMPOSITION_MISMATCH,
                    &root.key("spec").key("compositionSelector"),
                    format!(
                        "the composition selector {} does not match the labels of Composition {:?}",
                        gofmt::sprint(selector),
                        composition.name
                    ),
                    Position::new(1, 1),
                );
                return false;
            }
        } else if let Some(default) = &xrd.spec.default_composition_ref {
            spec.insert("compositionRef".into(), json!({"name": default.name}));
        }
    }
    let referenced = spec
        .get("compositionRef")
        .and_then(|r| r.get("name"))
        .and_then(Value::as_str)
        .map(str::to_string);
    match referenced {
        Some(r) if r != composition.name => {
            out.problem(
                Source::Resource,
                render_codes::COMPOSITION_MISMATCH,
                &root.key("spec").key("compositionRef"),
                format!(
                    "the composite resource uses Composition {r:?}, but Composition {:?} was given",
                    composition.name
                ),
                Position::new(1, 1),
            );
            false
        }
        Some(_) => true,
        None => {
            spec.insert("compositionRef".into(), json!({"name": composition.name}));
            true
        }
    }
}

/// The XR controller's composing: render every template, then patch the XR from them.
fn compose(composition: &Composition, xr: &mut Value, out: &mut Rendered) {
    let templates = match composition.templates() {
        Ok(t) => t,
        Err(e) => {
            let path = DocPath::root().key("spec").key("patchSets");
            out.problem(
                Source::Composition,
                render_codes::PATCH_FAILED,
                &path,
                e.wrap("cannot inline Composition patch sets").to_string(),
                composition.position(&path),
            );
            return;
        }
    };
    let xr_name = xr
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let label = |key: &str| -> Value {
        xr.pointer("/metadata/labels")
            .and_then(|l| l.get(key))
            .cloned()
            .unwrap_or_else(|| Value::from(""))
    };
    let labels = [
        (LABEL_COMPOSITE, label(LABEL_COMPOSITE)),
        (LABEL_CLAIM_NAME, label(LABEL_CLAIM_NAME)),
        (LABEL_CLAIM_NAMESPACE, label(LABEL_CLAIM_NAMESPACE)),
    ];
    let owner = json!({
        "apiVersion": xr.get("apiVersion").cloned().unwrap_or(Value::Null),
        "kind": xr.get("kind").cloned().unwrap_or(Value::Null),
        "name": xr_name,
        "uid": "",
        "controller": true,
        "blockOwnerDeletion": true,
    });

    let mut rendered: Vec<(String, Value, usize)> = Vec::new();
    'templates: for (i, (template, patches)) in templates.iter().enumerate() {
        let name = template.name.clone().unwrap_or_else(|| i.to_string());
        let base_path = DocPath::root()
            .key("spec")
            .key("resources")
            .index(i)
            .key("base");
        let mut cd = template.base.clone();
        let Some(obj) = cd.as_object_mut() else {
            out.problem(
                Source::Composition,
                render_codes::INVALID_TEMPLATE,
                &base_path,
                format!(
                    "cannot parse base template of composed resource {}: cannot unmarshal JSON data: the base must be an object",
                    gofmt::quote(&name)
                ),
                composition.position(&base_path),
            );
            continue;
        };
        // Rendering restores the existing name and namespace (none, for a new resource) over
        // the base's.
        if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("name");
            meta.remove("namespace");
        }
        for (j, tp) in patches.iter().enumerate() {
            if let Err(e) = patch::apply(tp.patch, xr, &mut cd, &FROM_XR) {
                let message = e
                    .wrap(format!(
                        "cannot apply the {} patch at index {j}",
                        gofmt::quote(tp.patch.kind())
                    ))
                    .wrap(format!(
                        "cannot render FromComposite patches for composed resource {}",
                        gofmt::quote(&name)
                    ));
                out.problem(
                    Source::Composition,
                    render_codes::PATCH_FAILED,
                    &tp.origin,
                    message.to_string(),
                    composition.position(&tp.origin),
                );
                continue 'templates;
            }
        }
        set_metadata(&mut cd, &xr_name, &labels, template.name.as_deref(), &owner);
        rendered.push((name, cd, i));
    }

    // Patches to the XR run from each composed resource Crossplane applied.
    for (name, cd, i) in &mut rendered {
        for (j, tp) in templates[*i].1.iter().enumerate() {
            if let Err(e) = patch::apply(tp.patch, xr, cd, &TO_XR) {
                let message = e
                    .wrap(format!(
                        "cannot apply the {} patch at index {j}",
                        gofmt::quote(tp.patch.kind())
                    ))
                    .wrap(format!(
                        "cannot render ToComposite patches for composed resource {}",
                        gofmt::quote(name)
                    ));
                out.problem(
                    Source::Composition,
                    render_codes::PATCH_FAILED,
                    &tp.origin,
                    message.to_string(),
                    composition.position(&tp.origin),
                );
            }
        }
    }

    let refs: Vec<Value> = rendered
        .iter()
        .map(|(_, cd, _)| {
            let mut r = Map::new();
            for key in ["apiVersion", "kind"] {
                if let Some(v) = cd.get(key) {
                    r.insert(key.into(), v.clone());
                }
            }
            if let Some(n) = cd.pointer("/metadata/name") {
                r.insert("name".into(), n.clone());
            }
            Value::Object(r)
        })
        .collect();
    if let Some(spec) = xr.get_mut("spec").and_then(Value::as_object_mut) {
        if !refs.is_empty() {
            spec.insert("resourceRefs".into(), Value::Array(refs));
        }
    }

    let mut composed: Vec<ComposedResource> = rendered
        .into_iter()
        .map(|(name, resource, _)| ComposedResource { name, resource })
        .collect();
    composed.sort_by(|a, b| a.name.cmp(&b.name));
    out.composed = composed;
}

/// Composed resource metadata Crossplane sets after the patches, so a Composition cannot
/// override it: the XR's labels, the template name, and the XR as controller.
fn set_metadata(
    cd: &mut Value,
    xr_name: &str,
    labels: &[(&str, Value)],
    template: Option<&str>,
    owner: &Value,
) {
    let Some(obj) = cd.as_object_mut() else {
        return;
    };
    let meta = obj.entry("metadata").or_insert_with(|| json!({}));
    let Some(meta) = meta.as_object_mut() else {
        return;
    };
    // Crossplane asks the API server to generate a name from the XR's (a name set by a patch
    // wins over it).
    meta.insert("generateName".into(), Value::from(format!("{xr_name}-")));
    let l = meta.entry("labels").or_insert_with(|| json!({}));
    if !l.is_object() {
        *l = json!({});
    }
    if let Some(l) = l.as_object_mut() {
        for (k, v) in labels {
            l.insert((*k).to_string(), v.clone());
        }
    }
    if let Some(name) = template {
        let a = meta.entry("annotations").or_insert_with(|| json!({}));
        if !a.is_object() {
            *a = json!({});
        }
        if let Some(a) = a.as_object_mut() {
            a.insert(ANNOTATION_RESOURCE_NAME.into(), Value::from(name));
        }
    }
    let refs = meta.entry("ownerReferences").or_insert_with(|| json!([]));
    if !refs.is_array() {
        *refs = json!([]);
    }
    if let Some(refs) = refs.as_array_mut() {
        let uid = owner.get("uid");
        let mut replaced = false;
        for r in refs.iter_mut() {
            if r.get("uid") == uid || (r.get("uid").is_none() && uid == Some(&Value::from(""))) {
                *r = owner.clone();
                replaced = true;
            }
        }
        if !replaced {
            refs.push(owner.clone());
        }
    }
}
