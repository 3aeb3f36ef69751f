//! `opa:create-team-namespace`: writes the resources of a team namespace (Namespace, quota,
//! limits, default-deny NetworkPolicy, developer RBAC, ServiceAccount) into the workspace as a
//! multi-document YAML manifest, for the publish step to commit and GitOps to apply.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::files::write_file;
use crate::rbac::{NamespaceRequest, team_namespace};
use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `opa:create-team-namespace`.
#[derive(Debug, Default, Clone, Copy)]
pub struct CreateTeamNamespace;

#[async_trait]
impl Action for CreateTeamNamespace {
    fn id(&self) -> &str {
        "opa:create-team-namespace"
    }

    fn description(&self) -> &str {
        "Writes a team namespace (quota, limits, default-deny network policy, developer RBAC, service account) as a Kubernetes manifest"
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["teamName", "environment"],
            "properties": {
                "teamName": {"type": "string", "title": "Team",
                             "description": "The team; its group gets the developer role"},
                "environment": {"type": "string", "title": "Environment",
                                "enum": ["dev", "staging", "production"]},
                "resourceQuota": {
                    "type": "object",
                    "properties": {
                        "cpuLimit": {"type": "string", "default": "4"},
                        "memoryLimit": {"type": "string", "default": "8Gi"}
                    }
                },
                "targetPath": {"type": "string", "title": "Manifest path",
                               "description": "Defaults to kubernetes/<team>-<environment>.yaml"}
            }
        }))
    }

    fn output_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "properties": {
                "namespace": {"type": "string"},
                "manifestPath": {"type": "string"},
                "resources": {"type": "array", "items": {"type": "object"}}
            }
        }))
    }

    fn supports_dry_run(&self) -> bool {
        true
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let request: NamespaceRequest = serde_json::from_value(ctx.input.clone())
            .map_err(|e| ActionError::InvalidInput(format!("opa:create-team-namespace: {e}")))?;
        let resources = team_namespace(&request).map_err(|problems| {
            let text: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
            ActionError::InvalidInput(text.join("; "))
        })?;
        let namespace = request.namespace_name();
        let file = ctx
            .input_str("targetPath")
            .map(str::to_string)
            .unwrap_or_else(|| format!("kubernetes/{namespace}.yaml"));
        let mut yaml = String::new();
        for r in &resources {
            yaml.push_str("---\n");
            yaml.push_str(&yaml_serde::to_string(r).map_err(|e| {
                ActionError::Failed(format!("cannot write the manifest as YAML: {e}"))
            })?);
        }
        ctx.logger.info(format!(
            "Writing namespace {namespace} ({} resources) to {file}",
            resources.len()
        ));
        let dest = ctx.workspace_path(&file)?;
        write_file(ctx, &dest, yaml.as_bytes(), None)?;
        ctx.record_written(std::slice::from_ref(&dest));
        ctx.output("namespace", namespace);
        ctx.output("manifestPath", file);
        ctx.output("resources", Json::Array(resources));
        Ok(())
    }
}
