//! Reading an entity's identity and relation targets from its document, as Backstage's
//! processors do before they emit relations.

use serde::Serialize;

use super::relation::RelationType;
use super::rules::{RULES, rules_for};
use crate::diagnostic::{Diagnostic, Position, codes};
use crate::entity::{DEFAULT_NAMESPACE, EntityRef, RefDefaults, parse_ref_parts};
use crate::yaml::{Node, Value};

/// A relation as a processor emits it: `source —type→ target`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmittedRelation {
    /// Where the relation starts.
    pub source: EntityRef,
    /// The relation type.
    #[serde(rename = "type")]
    pub relation_type: RelationType,
    /// Where it points.
    pub target: EntityRef,
}

/// What one entity document emits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Emitted {
    /// The entity's own reference.
    pub entity: EntityRef,
    /// Every relation, both directions, in Backstage's emission order.
    pub relations: Vec<EmittedRelation>,
    /// Relation targets that could not be read (`invalid-ref`), with Backstage's messages.
    pub problems: Vec<Diagnostic>,
}

/// The relations an entity document emits, as Backstage's `BuiltinKindsEntityProcessor` (and the
/// scaffolder's and OPA on AWS's processors) emit them: for each target of a relation field, the
/// relation from the entity and its inverse from the target. Fails when the document is not an
/// entity (no string `kind` or `metadata.name`).
pub fn emit_relations(root: &Node) -> Result<Emitted, Diagnostic> {
    let entity = read_entity(root)?;
    let source = EntityRef::new(entity.kind, entity.namespace, entity.name);
    let mut relations = Vec::with_capacity(entity.targets.len() * 2);
    for t in &entity.targets {
        let target = EntityRef::new(t.kind, t.namespace, t.name);
        let relation = RULES[t.rule].relation;
        relations.push(EmittedRelation {
            source: source.clone(),
            relation_type: relation,
            target: target.clone(),
        });
        relations.push(EmittedRelation {
            source: target,
            relation_type: relation.inverse(),
            target: source.clone(),
        });
    }
    Ok(Emitted {
        entity: source,
        relations,
        problems: entity.problems,
    })
}

/// An entity's identity and relation targets, borrowed from its document.
#[derive(Debug)]
pub(crate) struct EntityFields<'n> {
    pub kind: &'n str,
    pub namespace: &'n str,
    pub name: &'n str,
    pub targets: Vec<Target<'n>>,
    pub problems: Vec<Diagnostic>,
}

/// One relation target: the rule that found it, where, and the parsed reference.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'n> {
    /// Index in [`RULES`].
    pub rule: usize,
    /// Index in the field's list; `None` when the field is a single string.
    pub index: Option<u32>,
    pub kind: &'n str,
    pub namespace: &'n str,
    pub name: &'n str,
    pub pos: Position,
}

/// Reads kind, namespace, name and the relation targets of an entity document.
pub(crate) fn read_entity(root: &Node) -> Result<EntityFields<'_>, Diagnostic> {
    let Some(map) = root.as_map() else {
        return Err(Diagnostic::new(
            codes::INVALID_TYPE,
            "",
            format!("an entity must be an object, found {}", root.type_name()),
            root.pos,
        ));
    };
    let kind = required_string(map.get("kind"), "kind", root.pos)?;
    let metadata = map.get("metadata");
    let Some(meta) = metadata.and_then(Node::as_map) else {
        return Err(Diagnostic::new(
            codes::MISSING_FIELD,
            "metadata",
            "the entity has no metadata object",
            metadata.map_or(root.pos, |m| m.pos),
        ));
    };
    let meta_pos = metadata.map_or(root.pos, |m| m.pos);
    let name = required_string(meta.get("name"), "metadata.name", meta_pos)?;
    let namespace = match meta.get("namespace") {
        None => DEFAULT_NAMESPACE,
        Some(n) if n.is_null() => DEFAULT_NAMESPACE,
        Some(n) => match n.as_str() {
            Some("") => DEFAULT_NAMESPACE,
            Some(s) => s,
            None => {
                return Err(Diagnostic::new(
                    codes::INVALID_TYPE,
                    "metadata.namespace",
                    format!(
                        "metadata.namespace must be a string, found {}",
                        n.type_name()
                    ),
                    n.pos,
                ));
            }
        },
    };
    let api_version = map.get("apiVersion").and_then(Node::as_str);
    let mut fields = EntityFields {
        kind,
        namespace,
        name,
        targets: Vec::new(),
        problems: Vec::new(),
    };
    let Some(spec) = map.get("spec").and_then(Node::as_map) else {
        return Ok(fields);
    };
    for (rule_index, rule) in rules_for(kind, api_version) {
        let Some(value) = spec.get(rule.field) else {
            continue;
        };
        match &value.value {
            // `if (!targets) return;`: an absent, null or empty value emits nothing.
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    fields.read_target(rule_index, Some(i as u32), item);
                }
            }
            _ => fields.read_target(rule_index, None, value),
        }
    }
    Ok(fields)
}

impl<'n> EntityFields<'n> {
    fn read_target(&mut self, rule_index: usize, index: Option<u32>, node: &'n Node) {
        let rule = &RULES[rule_index];
        let path = || match index {
            Some(i) => format!("spec.{}.{i}", rule.field),
            None => format!("spec.{}", rule.field),
        };
        let Some(text) = node.as_str() else {
            self.problems.push(Diagnostic::new(
                codes::INVALID_REF,
                path(),
                format!(
                    "spec.{} must be an entity reference string, found {}",
                    rule.field,
                    node.type_name()
                ),
                node.pos,
            ));
            return;
        };
        let parsed = parse_ref_parts(text).ok().and_then(|parts| {
            let kind = parts.kind.or(rule.default_kind).filter(|k| !k.is_empty())?;
            let namespace = parts.namespace.unwrap_or(self.namespace);
            Some((kind, namespace, parts.name))
        });
        let Some((kind, namespace, name)) = parsed.filter(|_| !text.is_empty()) else {
            // Backstage's message, from the reference parser.
            let defaults = RefDefaults {
                kind: rule.default_kind,
                namespace: Some(self.namespace),
            };
            let message = EntityRef::parse_with(text, defaults)
                .err()
                .map_or_else(|| "invalid entity reference".to_owned(), |e| e.to_string());
            self.problems.push(Diagnostic::new(
                codes::INVALID_REF,
                path(),
                message,
                node.pos,
            ));
            return;
        };
        if rule
            .only_target_kind
            .is_some_and(|only| !only.eq_ignore_ascii_case(kind))
        {
            return;
        }
        self.targets.push(Target {
            rule: rule_index,
            index,
            kind,
            namespace,
            name,
            pos: node.pos,
        });
    }
}

fn required_string<'n>(
    node: Option<&'n Node>,
    path: &str,
    parent: Position,
) -> Result<&'n str, Diagnostic> {
    match node {
        None => Err(Diagnostic::new(
            codes::MISSING_FIELD,
            path,
            format!("the entity has no {path}"),
            parent,
        )),
        Some(n) => match n.as_str() {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(Diagnostic::new(
                codes::INVALID_TYPE,
                path,
                format!("{path} must be a non-empty string, found {}", describe(n)),
                n.pos,
            )),
        },
    }
}

fn describe(n: &Node) -> &'static str {
    match n.as_str() {
        Some("") => "an empty string",
        _ => n.type_name(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, parse_single};

    fn emit(text: &str) -> Emitted {
        let root = parse_single(text, &Limits::default()).unwrap().unwrap();
        emit_relations(&root).unwrap()
    }

    fn pairs(e: &Emitted) -> Vec<String> {
        e.relations
            .iter()
            .map(|r| format!("{} {} {}", r.source, r.relation_type, r.target))
            .collect()
    }

    #[test]
    fn component_emits_both_directions_with_defaults() {
        let e = emit(
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: web, namespace: shop}\n\
             spec:\n  owner: team-a\n  system: default/store\n  providesApis: [cart, 'api:other/pay']\n  \
             dependsOn: ['resource:db']\n  subcomponentOf: front\n",
        );
        assert_eq!(
            pairs(&e),
            [
                "component:shop/web ownedBy group:shop/team-a",
                "group:shop/team-a ownerOf component:shop/web",
                "component:shop/web partOf component:shop/front",
                "component:shop/front hasPart component:shop/web",
                "component:shop/web providesApi api:shop/cart",
                "api:shop/cart apiProvidedBy component:shop/web",
                "component:shop/web providesApi api:other/pay",
                "api:other/pay apiProvidedBy component:shop/web",
                "component:shop/web dependsOn resource:shop/db",
                "resource:shop/db dependencyOf component:shop/web",
                "component:shop/web partOf system:default/store",
                "system:default/store hasPart component:shop/web",
            ]
        );
        assert!(e.problems.is_empty());
    }

    #[test]
    fn depends_on_needs_a_kind() {
        let e = emit("kind: Resource\nmetadata: {name: db}\nspec:\n  dependsOn: [other]\n");
        assert!(e.relations.is_empty());
        assert_eq!(e.problems.len(), 1);
        let p = &e.problems[0];
        assert_eq!(
            (p.code, p.path.as_str()),
            ("invalid-ref", "spec.dependsOn.0")
        );
        assert!(p.message.contains("had missing or empty kind"), "{p:?}");
        assert_eq!((p.line, p.column), (4, 15));
    }

    #[test]
    fn group_and_user_relations() {
        let e = emit(
            "kind: Group\nmetadata: {name: g}\nspec:\n  parent: top\n  children: [c1]\n  members: [u1]\n",
        );
        assert_eq!(
            pairs(&e),
            [
                "group:default/g childOf group:default/top",
                "group:default/top parentOf group:default/g",
                "group:default/g parentOf group:default/c1",
                "group:default/c1 childOf group:default/g",
                "group:default/g hasMember user:default/u1",
                "user:default/u1 memberOf group:default/g",
            ]
        );
        let e = emit("kind: User\nmetadata: {name: u}\nspec:\n  memberOf: [g]\n");
        assert_eq!(
            pairs(&e),
            [
                "user:default/u memberOf group:default/g",
                "group:default/g hasMember user:default/u"
            ]
        );
    }

    #[test]
    fn aws_environment_depends_on_its_providers_only() {
        let e = emit(
            "apiVersion: aws.backstage.io/v1alpha\nkind: AWSEnvironment\nmetadata: {name: dev}\n\
             spec:\n  owner: platform\n  dependsOn: [ecs-dev, 'component:x']\n",
        );
        assert_eq!(
            pairs(&e),
            [
                "awsenvironment:default/dev ownedBy group:default/platform",
                "group:default/platform ownerOf awsenvironment:default/dev",
                "awsenvironment:default/dev dependsOn awsenvironmentprovider:default/ecs-dev",
                "awsenvironmentprovider:default/ecs-dev dependencyOf awsenvironment:default/dev",
            ]
        );
        // Without the platform's apiVersion, the processor does not apply.
        let e = emit("kind: AWSEnvironment\nmetadata: {name: dev}\nspec:\n  owner: platform\n");
        assert!(e.relations.is_empty());
    }

    #[test]
    fn kinds_are_case_sensitive_and_empty_values_emit_nothing() {
        let e = emit("kind: component\nmetadata: {name: a}\nspec: {owner: x}\n");
        assert!(e.relations.is_empty());
        let e = emit("kind: Component\nmetadata: {name: a}\nspec: {owner: '', system: ~}\n");
        assert!(e.relations.is_empty() && e.problems.is_empty());
        let e = emit("kind: Component\nmetadata: {name: a}\nspec: {owner: 3}\n");
        assert_eq!(e.problems[0].path, "spec.owner");
    }

    #[test]
    fn not_an_entity() {
        let root = parse_single("kind: Component\nmetadata: {}\n", &Limits::default())
            .unwrap()
            .unwrap();
        let d = emit_relations(&root).unwrap_err();
        assert_eq!(
            (d.code, d.path.as_str()),
            ("missing-field", "metadata.name")
        );
    }
}
