//! Entity validation as Backstage's catalog does it, reporting every problem.
//!
//! The order is the catalog backend's: the policies (the `policies` module), then the
//! kind's validator (the `kinds` module: apiVersion, required spec fields, types), then the
//! relation targets as the kind's processor parses them. Where Backstage stops at the first
//! problem, this reports them all, each once.

use crate::diagnostic::{Diagnostic, Position, codes};
use crate::entity::kinds::{self, KindSchema, RelationField};
use crate::entity::policies::{self, default_namespace};
use crate::entity::predicates::{is_valid_api_version, is_valid_kind};
use crate::entity::schema::{self, PathSeg, Ty};
use crate::entity::{EntityRef, RefDefaults, strict};
use crate::yaml::{Mapping, Node, Value};

/// What to check beyond Backstage's defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidateOptions {
    /// Accept entities whose kind no validator knows (checked by the generic policies only).
    pub allow_unknown_kinds: bool,
    /// Also apply Roadie's stricter annotation rules.
    pub strict: bool,
}

/// The verdict on one entity document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntityReport {
    /// The entity's reference, when it has a usable kind and name.
    pub entity_ref: Option<EntityRef>,
    /// Every problem found, in source order; empty when the entity is valid.
    pub diagnostics: Vec<Diagnostic>,
}

impl EntityReport {
    /// Whether the entity is valid.
    pub fn is_valid(&self) -> bool {
        self.diagnostics.is_empty()
    }
}

/// Problems collected while validating one entity.
#[derive(Debug, Default)]
pub struct Problems {
    diagnostics: Vec<Diagnostic>,
}

impl Problems {
    /// Records a problem.
    pub fn push(
        &mut self,
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
        at: Position,
    ) {
        self.diagnostics
            .push(Diagnostic::new(code, path, message, at));
    }

    /// The problems, in source order (stable for problems at the same place).
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.diagnostics.sort_by_key(|d| (d.line, d.column));
        self.diagnostics
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }
}

/// Validates one entity document (its root node, placeholders already resolved).
pub fn validate_entity(root: &Node, options: &ValidateOptions) -> EntityReport {
    let mut out = Problems::default();
    policies::enforce_default(root, &mut out);
    if let Some(map) = root.as_map() {
        check_kind(root, map, options, &mut out);
        if options.strict {
            strict::check(root, &mut out);
        }
    }
    EntityReport {
        entity_ref: entity_ref(root),
        diagnostics: out.into_sorted(),
    }
}

/// The entity's reference when its kind and name are non-empty strings.
pub fn entity_ref(root: &Node) -> Option<EntityRef> {
    let kind = root.get("kind")?.as_str().filter(|k| !k.is_empty())?;
    let name = root
        .get("metadata")?
        .get("name")?
        .as_str()
        .filter(|n| !n.is_empty())?;
    Some(EntityRef::new(
        kind,
        default_namespace::namespace(root),
        name,
    ))
}

/// The kind validators: find the kind's schema, check its apiVersion, spec and relations.
fn check_kind(root: &Node, map: &Mapping, options: &ValidateOptions, out: &mut Problems) {
    let (Some(kind_node), Some(api_node)) = (map.get("kind"), map.get("apiVersion")) else {
        return;
    };
    let (Some(kind), Some(api_version)) = (kind_node.as_str(), api_node.as_str()) else {
        return;
    };
    let Some(schema) = kinds::find(kind) else {
        if !options.allow_unknown_kinds && is_valid_kind(kind) {
            out.push(
                codes::UNKNOWN_KIND,
                "kind",
                format!(
                    "No validator recognizes kind \"{kind}\" (apiVersion \"{api_version}\"); expected one of {} (kinds are case-sensitive), or allow unknown kinds",
                    kinds::all().iter().map(|k| k.kind).collect::<Vec<_>>().join(", ")
                ),
                kind_node.pos,
            );
        }
        return;
    };
    if !schema.api_versions.contains(&api_version) {
        if is_valid_api_version(api_version) {
            out.push(
                codes::INVALID_API_VERSION,
                "apiVersion",
                format!(
                    "\"apiVersion\" must be equal to one of the allowed values for kind {}: {}; found \"{api_version}\"",
                    schema.kind,
                    schema.api_versions.join(", ")
                ),
                api_node.pos,
            );
        }
        return;
    }
    check_spec(root, map, schema, out);
    if let Some(extra) = schema.extra {
        extra(root, out);
    }
}

fn check_spec(root: &Node, map: &Mapping, schema: &KindSchema, out: &mut Problems) {
    let Some((spec_key, spec)) = map.entry("spec") else {
        out.push(
            codes::MISSING_FIELD,
            "",
            "<root> must have required property 'spec'",
            root.pos,
        );
        return;
    };
    let Some(spec_map) = spec.as_map() else {
        return; // SchemaValid reported the type
    };
    let path = PathSeg::Key(&PathSeg::Root, "spec");
    schema::check(spec, &schema.spec, &path, spec_key.pos, out);
    let namespace = default_namespace::namespace(root);
    for relation in schema.relations {
        if let Some(value) = spec_map.get(relation.field) {
            let declared = declared_in(&schema.spec, relation.field);
            check_targets(value, relation, declared, namespace, out);
        }
    }
}

fn declared_in(spec: &Ty, field: &str) -> bool {
    matches!(spec, Ty::Object { fields, .. } if fields.iter().any(|f| f.name == field))
}

/// Parses each target of a relation field as the processor does (`[targets].flat()`, then
/// `parseEntityRef` with the field's default kind and the entity's namespace). Values of a
/// declared field that have the wrong type were reported by the schema already.
fn check_targets(
    value: &Node,
    relation: &RelationField,
    declared: bool,
    namespace: &str,
    out: &mut Problems,
) {
    match &value.value {
        // `if (!targets) return;`
        Value::Null | Value::Bool(false) => {}
        Value::String(s) if s.is_empty() => {}
        Value::Int(0) => {}
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                check_target(item, relation, declared, namespace, Some(i), out);
            }
        }
        _ => check_target(value, relation, declared, namespace, None, out),
    }
}

fn check_target(
    target: &Node,
    relation: &RelationField,
    declared: bool,
    namespace: &str,
    index: Option<usize>,
    out: &mut Problems,
) {
    let defaults = RefDefaults {
        kind: relation.default_kind,
        namespace: Some(namespace),
    };
    let problem = match &target.value {
        Value::String(s) if s.is_empty() && declared => None,
        Value::String(s) => EntityRef::parse_with(s, defaults)
            .err()
            .map(|e| e.to_string()),
        _ if declared => None,
        Value::Map(m) => {
            let name = m
                .get("name")
                .and_then(Node::as_str)
                .filter(|s| !s.is_empty());
            let kind = m
                .get("kind")
                .and_then(Node::as_str)
                .or(relation.default_kind)
                .filter(|s| !s.is_empty());
            match (kind, name) {
                (Some(_), Some(_)) => None,
                (None, _) => Some(format!(
                    "Entity reference {} had missing or empty kind (e.g. did not start with \"component:\" or similar)",
                    target.to_json()
                )),
                (_, None) => Some(format!(
                    "Entity reference {} had missing or empty name",
                    target.to_json()
                )),
            }
        }
        _ => Some(format!(
            "Entity reference {} is not a string of the form [<kind>:][<namespace>/]<name>",
            target.to_json()
        )),
    };
    if let Some(message) = problem {
        let path = match index {
            Some(i) => format!("spec.{}.{i}", relation.field),
            None => format!("spec.{}", relation.field),
        };
        let hint = match relation.default_kind {
            None => format!(" (\"{path}\" has no default kind: name it, as in \"component:name\")"),
            Some(kind) => format!(" (\"{path}\" defaults to kind {kind})"),
        };
        out.push(
            codes::INVALID_REF,
            path,
            format!("{message}{hint}"),
            target.pos,
        );
    }
}
