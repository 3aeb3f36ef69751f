//! `roadiehq:utils:fs:write` (Roadie's community action, used by OPA's templates): writes a file
//! into the workspace.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::files::write_file;
use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `roadiehq:utils:fs:write`.
#[derive(Debug, Default, Clone, Copy)]
pub struct RoadieFsWrite;

#[async_trait]
impl Action for RoadieFsWrite {
    fn id(&self) -> &str {
        "roadiehq:utils:fs:write"
    }

    fn description(&self) -> &str {
        "Creates a file with the content on the given path"
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["path", "content"],
            "properties": {
                "path": {"type": "string", "title": "Path",
                         "description": "Relative path"},
                "content": {"type": "string", "title": "Content",
                            "description": "This will be the content of the file"},
                "preserveFormatting": {"type": "boolean"}
            }
        }))
    }

    fn output_schema(&self) -> Option<Json> {
        Some(json!({"type": "object", "properties": {"path": {"type": "string"}}}))
    }

    fn supports_dry_run(&self) -> bool {
        true
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let rel = ctx.required_str("path")?.to_string();
        let content = match ctx.input.get("content") {
            Some(Json::String(s)) => s.clone(),
            Some(other) => serde_json::to_string_pretty(other).unwrap_or_default(),
            None => {
                return Err(ActionError::InvalidInput(
                    "input \"content\" is required".into(),
                ));
            }
        };
        let dest = ctx.workspace_path(&rel)?;
        write_file(ctx, &dest, content.as_bytes(), None)?;
        ctx.output("path", dest.display().to_string());
        ctx.record_written(&[dest]);
        Ok(())
    }
}
