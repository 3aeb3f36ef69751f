//! `fs:delete`: deletes files and directories (globs allowed) from the workspace.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::files::{glob_set, string_list};
use crate::scaffolder::action::{Action, ActionContext, ActionError};
use crate::scaffolder::effects::Effect;

/// `fs:delete`.
#[derive(Debug, Default, Clone, Copy)]
pub struct FsDelete;

#[async_trait]
impl Action for FsDelete {
    fn id(&self) -> &str {
        "fs:delete"
    }

    fn description(&self) -> &str {
        "Deletes files and directories from the workspace"
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["files"],
            "properties": {
                "files": {"type": "array", "items": {"type": "string"},
                          "title": "Files", "description": "A list of files and directories that will be deleted"}
            }
        }))
    }

    fn supports_dry_run(&self) -> bool {
        true
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let patterns = string_list(ctx, "files")?;
        let mut deleted = Vec::new();
        for pattern in patterns {
            // Refuses absolute paths, `..` out of the workspace and symlinks leading out.
            let path = ctx.workspace_path(&pattern)?;
            let mut targets = Vec::new();
            if std::fs::symlink_metadata(&path).is_ok() {
                targets.push(path);
            } else if pattern.contains(['*', '?', '[', '{']) {
                let set = glob_set(std::slice::from_ref(&pattern))?;
                for entry in walkdir::WalkDir::new(&ctx.workspace)
                    .min_depth(1)
                    .into_iter()
                    .filter_map(Result::ok)
                {
                    if set.is_match(ctx.display(entry.path())) {
                        targets.push(entry.path().to_path_buf());
                    }
                }
            }
            for target in targets {
                let shown = ctx.display(&target);
                let result = match std::fs::symlink_metadata(&target) {
                    Ok(m) if m.is_dir() => std::fs::remove_dir_all(&target),
                    Ok(_) => std::fs::remove_file(&target),
                    Err(_) => continue, // already removed with its directory
                };
                result.map_err(|e| ActionError::io(&shown, e))?;
                ctx.logger
                    .info(format!("File {shown} deleted successfully"));
                deleted.push(shown);
            }
        }
        if !deleted.is_empty() {
            ctx.record(Effect::FilesDeleted {
                step_id: ctx.step_id.clone(),
                paths: deleted,
            });
        }
        Ok(())
    }
}
