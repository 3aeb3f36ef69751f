//! `catalog:write`: writes an entity as YAML into the workspace (`catalog-info.yaml`).

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::files::write_file;
use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `catalog:write`.
#[derive(Debug, Default, Clone, Copy)]
pub struct CatalogWrite;

#[async_trait]
impl Action for CatalogWrite {
    fn id(&self) -> &str {
        "catalog:write"
    }

    fn description(&self) -> &str {
        "Writes the catalog-info.yaml for your template"
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["entity"],
            "properties": {
                "filePath": {"type": "string", "title": "Catalog file path",
                             "description": "Defaults to catalog-info.yaml"},
                "entity": {"type": "object", "title": "Entity info to write catalog-info.yaml"}
            }
        }))
    }

    fn supports_dry_run(&self) -> bool {
        true
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        ctx.logger.info("Writing catalog-info.yaml");
        let file = ctx
            .input_str("filePath")
            .unwrap_or("catalog-info.yaml")
            .to_string();
        let entity = ctx.input.get("entity").cloned().unwrap_or(json!({}));
        let yaml = yaml_serde::to_string(&entity)
            .map_err(|e| ActionError::Failed(format!("cannot write the entity as YAML: {e}")))?;
        let dest = ctx.workspace_path(&file)?;
        write_file(ctx, &dest, yaml.as_bytes(), None)?;
        ctx.record_written(&[dest]);
        Ok(())
    }
}
