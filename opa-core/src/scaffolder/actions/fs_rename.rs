//! `fs:rename`: renames files and directories in the workspace.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `fs:rename`.
#[derive(Debug, Default, Clone, Copy)]
pub struct FsRename;

#[async_trait]
impl Action for FsRename {
    fn id(&self) -> &str {
        "fs:rename"
    }

    fn description(&self) -> &str {
        "Renames files and directories within the workspace"
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["files"],
            "properties": {
                "files": {
                    "type": "array",
                    "title": "Files",
                    "description": "A list of file and directory names that will be renamed",
                    "items": {
                        "type": "object",
                        "required": ["from", "to"],
                        "properties": {
                            "from": {"type": "string"},
                            "to": {"type": "string"},
                            "overwrite": {"type": "boolean"}
                        }
                    }
                }
            }
        }))
    }

    fn supports_dry_run(&self) -> bool {
        true
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let files = ctx
            .input
            .get("files")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
        let mut moved = Vec::new();
        for file in files {
            let (Some(from), Some(to)) = (
                file.get("from").and_then(Json::as_str),
                file.get("to").and_then(Json::as_str),
            ) else {
                return Err(ActionError::InvalidInput(
                    "each file must have a from and to property".into(),
                ));
            };
            let overwrite = file
                .get("overwrite")
                .and_then(Json::as_bool)
                .unwrap_or(false);
            let source = ctx.workspace_path(from)?;
            let dest = ctx.workspace_path(to)?;
            if std::fs::symlink_metadata(&source).is_err() {
                return Err(ActionError::NotFound(format!(
                    "the file or directory {from} does not exist"
                )));
            }
            if dest.exists() {
                if !overwrite {
                    return Err(ActionError::InvalidInput(format!(
                        "dest already exists: {to} (set overwrite: true to replace it)"
                    )));
                }
                let removed = if dest.is_dir() {
                    std::fs::remove_dir_all(&dest)
                } else {
                    std::fs::remove_file(&dest)
                };
                removed.map_err(|e| ActionError::io(to, e))?;
            }
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent).map_err(|e| ActionError::io(to, e))?;
            }
            std::fs::rename(&source, &dest).map_err(|e| ActionError::io(from, e))?;
            ctx.logger.info(format!("Renamed {from} to {to}"));
            moved.push(dest);
        }
        ctx.record_written(&moved);
        Ok(())
    }
}
