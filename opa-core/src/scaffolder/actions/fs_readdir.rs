//! `fs:readdir`: lists files and folders of workspace directories as outputs.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::files::string_list;
use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `fs:readdir`.
#[derive(Debug, Default, Clone, Copy)]
pub struct FsReaddir;

#[async_trait]
impl Action for FsReaddir {
    fn id(&self) -> &str {
        "fs:readdir"
    }

    fn description(&self) -> &str {
        "Reads files and directories from the workspace"
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["paths"],
            "properties": {
                "paths": {"type": "array", "items": {"type": "string"}},
                "recursive": {"type": "boolean", "default": false}
            }
        }))
    }

    fn output_schema(&self) -> Option<Json> {
        let entry = json!({"type": "object", "required": ["name", "path", "fullPath"],
            "properties": {"name": {"type": "string"}, "path": {"type": "string"},
                           "fullPath": {"type": "string"}}});
        Some(json!({
            "type": "object",
            "required": ["files", "folders"],
            "properties": {
                "files": {"type": "array", "items": entry},
                "folders": {"type": "array", "items": entry}
            }
        }))
    }

    fn supports_dry_run(&self) -> bool {
        true
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let paths = string_list(ctx, "paths")?;
        let recursive = ctx.input_bool("recursive");
        let mut files = Vec::new();
        let mut folders = Vec::new();
        for p in paths {
            let dir = ctx.workspace_path(&p)?;
            let walker = walkdir::WalkDir::new(&dir)
                .min_depth(1)
                .max_depth(if recursive { usize::MAX } else { 1 })
                .sort_by_file_name();
            for entry in walker {
                let entry = entry.map_err(|e| ActionError::Failed(format!("{p}: {e}")))?;
                let item = json!({
                    "name": entry.file_name().to_string_lossy(),
                    "path": ctx.display(entry.path()),
                    "fullPath": entry.path().display().to_string(),
                });
                if entry.file_type().is_dir() {
                    folders.push(item);
                } else {
                    files.push(item);
                }
            }
        }
        ctx.output("files", Json::Array(files));
        ctx.output("folders", Json::Array(folders));
        Ok(())
    }
}
