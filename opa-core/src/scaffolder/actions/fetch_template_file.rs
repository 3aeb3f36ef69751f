//! `fetch:template:file`: renders one file from a URL into the workspace.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::fetch_template::render_context;
use super::files::{is_binary, read_source, write_file};
use crate::scaffolder::action::{Action, ActionContext, ActionError};
use crate::scaffolder::templating::FileRenderOptions;

/// `fetch:template:file`.
#[derive(Debug, Default, Clone, Copy)]
pub struct FetchTemplateFile;

#[async_trait]
impl Action for FetchTemplateFile {
    fn id(&self) -> &str {
        "fetch:template:file"
    }

    fn description(&self) -> &str {
        "Downloads a single file and templates variables into the file. Then places the result in the workspace."
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["url", "targetPath"],
            "properties": {
                "url": {"type": "string"},
                "targetPath": {"type": "string"},
                "values": {"type": "object"},
                "cookiecutterCompat": {"type": "boolean"},
                "replace": {"type": "boolean"},
                "trimBlocks": {"type": "boolean"},
                "lstripBlocks": {"type": "boolean"},
                "token": {"type": "string"}
            }
        }))
    }

    fn supports_dry_run(&self) -> bool {
        true
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let url = ctx.required_str("url")?.to_string();
        let target = ctx.required_str("targetPath")?.to_string();
        ctx.logger
            .info("Fetching template file content from remote URL");
        let source = ctx.resolve_url(&url)?;
        if !source.is_file() {
            return Err(ActionError::NotFound(format!("{url} is not a file")));
        }
        let out = ctx.workspace_path(&target)?;
        if out.exists() && !ctx.input_bool("replace") {
            ctx.logger.info(format!(
                "File {target} already exists in workspace, not replacing."
            ));
            return Ok(());
        }
        let options = FileRenderOptions {
            cookiecutter_compat: ctx.input_bool("cookiecutterCompat"),
            trim_blocks: ctx.input_bool("trimBlocks"),
            lstrip_blocks: ctx.input_bool("lstripBlocks"),
        };
        let values = ctx.input.get("values").cloned().unwrap_or(json!({}));
        let context = render_context(&values, &options);
        let bytes = read_source(&source, &url)?;
        let content = if is_binary(&bytes) {
            bytes
        } else {
            let text = String::from_utf8_lossy(&bytes);
            ctx.backends
                .templates
                .render_file(&text, &context, &options)?
                .into_bytes()
        };
        write_file(ctx, &out, &content, Some(&source))?;
        ctx.record_written(&[out]);
        Ok(())
    }
}
