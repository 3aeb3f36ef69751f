//! The data a rule's variables see: `request` (object, operation, userInfo, roles…),
//! `serviceAccountName`/`serviceAccountNamespace`, and the rule's `context` entries.
//!
//! Offline, a `configMap` entry is read from the given resources; `variable` entries are
//! evaluated; entries that need a live cluster or registry (`apiCall`, `imageRegistry`,
//! `globalReference`) are errors of the rule.

use serde_json::{Value as Json, json};

use super::request::RequestInfo;
use super::resource::{group_version, str_at};
use super::variables::{Missing, VariableContext};

/// The context of a rule applied to `resource` in the request `request`.
pub fn request_context(resource: &Json, request: &RequestInfo) -> VariableContext {
    let (group, version) = group_version(str_at(resource, "/apiVersion"));
    let (sa_namespace, sa_name) = request.user_info.service_account().unwrap_or(("", ""));
    let delete = request.operation == "DELETE";
    VariableContext::new(json!({
        "request": {
            "operation": request.operation,
            "object": if delete { Json::Null } else { resource.clone() },
            "oldObject": if delete { resource.clone() } else { Json::Null },
            "userInfo": request.user_info,
            "roles": request.roles,
            "clusterRoles": request.cluster_roles,
            "kind": {"group": group, "version": version, "kind": str_at(resource, "/kind")},
            "namespace": str_at(resource, "/metadata/namespace"),
            "name": str_at(resource, "/metadata/name"),
            "dryRun": false,
        },
        "serviceAccountName": sa_name,
        "serviceAccountNamespace": sa_namespace,
    }))
}

/// Loads `context` entries into the context, in order (an entry may use the ones before it).
pub fn load_entries(
    ctx: &mut VariableContext,
    entries: &[Json],
    cluster: &[Json],
    path: &str,
) -> Result<(), String> {
    for (i, entry) in entries.iter().enumerate() {
        let at = format!("{path}/{i}");
        let name = entry
            .get("name")
            .and_then(Json::as_str)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| format!("context entry at {at} has no name"))?
            .to_string();
        let value = if let Some(variable) = entry.get("variable") {
            variable_entry(ctx, variable, &format!("{at}/variable"))?
        } else if let Some(cm) = entry.get("configMap") {
            let cm = ctx.substitute(cm, &format!("{at}/configMap"), Missing::Fail)?;
            let (ns, cm_name) = (str_at(&cm, "/namespace"), str_at(&cm, "/name"));
            let ns = if ns.is_empty() { "default" } else { ns };
            cluster
                .iter()
                .find(|r| {
                    str_at(r, "/kind") == "ConfigMap"
                        && str_at(r, "/metadata/name") == cm_name
                        && str_at(r, "/metadata/namespace") == ns
                })
                .cloned()
                .ok_or_else(|| {
                    format!("context entry {name:?}: ConfigMap {ns}/{cm_name} is not among the given resources")
                })?
        } else {
            let kind = entry
                .as_object()
                .and_then(|m| m.keys().find(|k| *k != "name").cloned())
                .unwrap_or_default();
            return Err(format!(
                "context entry {name:?}: {kind:?} entries need a live cluster and are not evaluated offline"
            ));
        };
        ctx.set(&name, value);
    }
    Ok(())
}

fn variable_entry(ctx: &VariableContext, variable: &Json, at: &str) -> Result<Json, String> {
    let jmes_path = variable.get("jmesPath").and_then(Json::as_str);
    let result = match variable.get("value") {
        Some(value) => {
            let value = ctx.substitute(value, &format!("{at}/value"), Missing::Fail)?;
            match jmes_path {
                Some(p) => {
                    let p = ctx.substitute_str(p, &format!("{at}/jmesPath"), Missing::Fail)?;
                    super::jmespath::search(p.as_str().unwrap_or_default(), &value)
                }
                None => Ok(value),
            }
        }
        None => match jmes_path {
            Some(p) => {
                let p = ctx.substitute_str(p, &format!("{at}/jmesPath"), Missing::Fail)?;
                ctx.query(p.as_str().unwrap_or_default(), Missing::Null)
            }
            None => Ok(Json::Null),
        },
    };
    let default = || {
        variable
            .get("default")
            .map(|d| ctx.substitute(d, &format!("{at}/default"), Missing::Fail))
    };
    match result {
        Ok(v) if !v.is_null() => Ok(v),
        Ok(v) => default().unwrap_or(Ok(v)),
        Err(e) => default().unwrap_or(Err(e)),
    }
}
