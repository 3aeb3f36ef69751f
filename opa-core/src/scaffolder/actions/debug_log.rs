//! `debug:log`: writes a message, and optionally the workspace's files, to the task log.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `debug:log`.
#[derive(Debug, Default, Clone, Copy)]
pub struct DebugLog;

#[async_trait]
impl Action for DebugLog {
    fn id(&self) -> &str {
        "debug:log"
    }

    fn description(&self) -> &str {
        "Writes a message into the log, or lists all files in the workspace."
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "properties": {
                "message": {"type": "string", "title": "Message to output."},
                "listWorkspace": {
                    "title": "List all files in the workspace, if true.",
                    "oneOf": [
                        {"type": "boolean"},
                        {"type": "string", "enum": ["with-filenames", "with-contents"]}
                    ]
                }
            }
        }))
    }

    fn supports_dry_run(&self) -> bool {
        true
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        if let Some(message) = ctx.input.get("message") {
            let text = match message {
                Json::String(s) => s.clone(),
                other => other.to_string(),
            };
            ctx.logger.info(text);
        }
        let mode = match ctx.input.get("listWorkspace") {
            Some(Json::Bool(true)) => Some("with-filenames"),
            Some(Json::String(s)) => Some(s.as_str()),
            _ => None,
        };
        if let Some(mode) = mode {
            let mut lines = Vec::new();
            for entry in walkdir::WalkDir::new(&ctx.workspace)
                .min_depth(1)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
            {
                let rel = ctx.display(entry.path());
                if mode == "with-contents" {
                    let content = std::fs::read_to_string(entry.path()).unwrap_or_default();
                    lines.push(format!("{rel}:\n\n{content}"));
                } else {
                    lines.push(rel);
                }
            }
            ctx.logger.info(format!("Workspace:\n{}", lines.join("\n")));
        }
        Ok(())
    }
}
