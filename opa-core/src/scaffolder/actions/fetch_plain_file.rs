//! `fetch:plain:file`: copies one file from a URL into the workspace, untouched.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::files::{read_source, write_file};
use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `fetch:plain:file`.
#[derive(Debug, Default, Clone, Copy)]
pub struct FetchPlainFile;

#[async_trait]
impl Action for FetchPlainFile {
    fn id(&self) -> &str {
        "fetch:plain:file"
    }

    fn description(&self) -> &str {
        "Downloads single file and places it in the workspace."
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["url", "targetPath"],
            "properties": {
                "url": {"type": "string", "title": "Fetch URL"},
                "targetPath": {"type": "string", "title": "Target Path"},
                "token": {"type": "string", "title": "Token"}
            }
        }))
    }

    fn supports_dry_run(&self) -> bool {
        true
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let url = ctx.required_str("url")?.to_string();
        let target = ctx.required_str("targetPath")?.to_string();
        ctx.logger.info("Fetching plain content from remote URL");
        let source = ctx.resolve_url(&url)?;
        if !source.is_file() {
            return Err(ActionError::NotFound(format!("{url} is not a file")));
        }
        let out = ctx.workspace_path(&target)?;
        let bytes = read_source(&source, &url)?;
        write_file(ctx, &out, &bytes, Some(&source))?;
        ctx.record_written(&[out]);
        Ok(())
    }
}
