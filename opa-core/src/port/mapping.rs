//! Backstage entities as Port entities, with the blueprints of Port's Backstage integration:
//! `component`, `API`, `resource`, `system`, `domain`, `group`, `user` and `template`.
//!
//! The identifier is `metadata.name` and the title `metadata.title` (else the name), as that
//! integration maps them; the common properties are `description`, `labels`, `annotations`,
//! `links` (their URLs) and `tags`, plus `type`, `lifecycle` and `email` where the kind has them.
//! References become relations to the target's name: `spec.owner` is `owningGroup` (or
//! `owningUser` for a user), and `system`, `domain`, `subcomponentOf`, `providesApis`,
//! `consumesApis`, `dependsOn` (split into `dependsOnComponent`/`dependsOnResource`), `parent`
//! and `members` follow their fields.

use indexmap::IndexMap;
use serde_json::{Value as Json, json};

use super::entity::PortEntity;
use crate::entity::{EntityRef, RefDefaults};

/// The blueprint of a Backstage kind (compared ignoring case).
pub fn blueprint_for_kind(kind: &str) -> Option<&'static str> {
    Some(match kind.to_ascii_lowercase().as_str() {
        "component" => "component",
        "api" => "API",
        "resource" => "resource",
        "system" => "system",
        "domain" => "domain",
        "group" => "group",
        "user" => "user",
        "template" => "template",
        _ => return None,
    })
}

/// Maps a Backstage entity (`apiVersion`, `kind`, `metadata`, `spec`) to a Port entity.
pub fn from_backstage(entity: &Json) -> Result<PortEntity, String> {
    let kind = entity
        .get("kind")
        .and_then(Json::as_str)
        .unwrap_or_default();
    let blueprint = blueprint_for_kind(kind)
        .ok_or_else(|| format!("Backstage kind {kind:?} has no Port blueprint"))?;
    let meta = entity.get("metadata").cloned().unwrap_or(Json::Null);
    let spec = entity.get("spec").cloned().unwrap_or(Json::Null);
    let name = meta
        .get("name")
        .and_then(Json::as_str)
        .filter(|n| !n.is_empty())
        .ok_or("a Backstage entity needs metadata.name")?;
    let namespace = meta
        .get("namespace")
        .and_then(Json::as_str)
        .unwrap_or("default");
    let title = meta.get("title").and_then(Json::as_str).unwrap_or(name);

    let mut properties = IndexMap::new();
    let mut put = |key: &str, value: Option<Json>| {
        if let Some(v) = value.filter(|v| !v.is_null()) {
            properties.insert(key.to_string(), v);
        }
    };
    put("description", meta.get("description").cloned());
    put("labels", meta.get("labels").cloned());
    put("annotations", meta.get("annotations").cloned());
    let links: Vec<Json> = meta
        .get("links")
        .and_then(Json::as_array)
        .map(|l| l.iter().filter_map(|l| l.get("url").cloned()).collect())
        .unwrap_or_default();
    put("links", (!links.is_empty()).then(|| Json::Array(links)));
    put("tags", meta.get("tags").cloned());
    match blueprint {
        "component" | "API" | "resource" | "group" | "template" => {
            put("type", spec.get("type").cloned())
        }
        _ => {}
    }
    if matches!(blueprint, "component" | "API") {
        put("lifecycle", spec.get("lifecycle").cloned());
    }
    if matches!(blueprint, "user" | "group") {
        put("email", spec.pointer("/profile/email").cloned());
    }

    let mut relations = IndexMap::new();
    let target = |reference: &str, default_kind: &str| -> Option<(String, String)> {
        EntityRef::parse_with(
            reference,
            RefDefaults::kind(default_kind).with_namespace(namespace),
        )
        .ok()
        .map(|r| (r.kind.to_ascii_lowercase(), r.name))
    };
    if let Some(owner) = spec.get("owner").and_then(Json::as_str) {
        if let Some((k, n)) = target(owner, "Group") {
            let rel = if k == "user" {
                "owningUser"
            } else {
                "owningGroup"
            };
            relations.insert(rel.to_string(), json!(n));
        }
    }
    for (field, relation, default_kind) in [
        ("system", "system", "System"),
        ("domain", "domain", "Domain"),
        ("subcomponentOf", "subcomponentOf", "Component"),
        ("parent", "parent", "Group"),
    ] {
        if let Some(r) = spec.get(field).and_then(Json::as_str) {
            if let Some((_, n)) = target(r, default_kind) {
                relations.insert(relation.to_string(), json!(n));
            }
        }
    }
    let names = |field: &str, default_kind: &str| -> Vec<(String, String)> {
        spec.get(field)
            .and_then(Json::as_array)
            .map(|refs| {
                refs.iter()
                    .filter_map(Json::as_str)
                    .filter_map(|r| target(r, default_kind))
                    .collect()
            })
            .unwrap_or_default()
    };
    for (field, relation, default_kind) in [
        ("providesApis", "providesApis", "API"),
        ("consumesApis", "consumesApis", "API"),
        ("members", "members", "User"),
    ] {
        let targets: Vec<Json> = names(field, default_kind)
            .into_iter()
            .map(|(_, n)| json!(n))
            .collect();
        if !targets.is_empty() {
            relations.insert(relation.to_string(), Json::Array(targets));
        }
    }
    let depends = names("dependsOn", "Component");
    for (kind, relation) in [
        ("component", "dependsOnComponent"),
        ("resource", "dependsOnResource"),
    ] {
        let targets: Vec<Json> = depends
            .iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, n)| json!(n))
            .collect();
        if !targets.is_empty() {
            relations.insert(relation.to_string(), Json::Array(targets));
        }
    }
    Ok(PortEntity {
        identifier: Some(name.to_string()),
        title: Some(title.to_string()),
        blueprint: blueprint.to_string(),
        properties,
        relations,
        ..Default::default()
    })
}
