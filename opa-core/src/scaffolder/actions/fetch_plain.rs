//! `fetch:plain`: copies a directory (or file) from a URL into the workspace, untouched.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::files::{read_source, read_tree, write_file};
use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `fetch:plain`.
#[derive(Debug, Default, Clone, Copy)]
pub struct FetchPlain;

#[async_trait]
impl Action for FetchPlain {
    fn id(&self) -> &str {
        "fetch:plain"
    }

    fn description(&self) -> &str {
        "Downloads content and places it in the workspace, or optionally in a subdirectory specified by the `targetPath` input option."
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["url"],
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
        let target = ctx.input_str("targetPath").unwrap_or("./").to_string();
        ctx.logger.info("Fetching plain content from remote URL");
        let source = ctx.resolve_url(&url)?;
        let out = ctx.workspace_path(&target)?;
        let written = copy_plain(ctx, &source, &out, &url)?;
        ctx.record_written(&written);
        Ok(())
    }
}

/// Copies `source` (a directory or a file) to `out` inside the workspace.
pub(super) fn copy_plain(
    ctx: &ActionContext,
    source: &std::path::Path,
    out: &std::path::Path,
    url: &str,
) -> Result<Vec<std::path::PathBuf>, ActionError> {
    let mut written = Vec::new();
    if source.is_file() {
        let bytes = read_source(source, url)?;
        write_file(ctx, out, &bytes, Some(source))?;
        written.push(out.to_path_buf());
        return Ok(written);
    }
    let entries = read_tree(source, url)?;
    let out_rel = ctx.display(out);
    for entry in entries {
        let rel = if out_rel.is_empty() {
            entry.relative.clone()
        } else {
            format!("{out_rel}/{}", entry.relative)
        };
        let dest = ctx.workspace_path(&rel)?;
        if entry.is_dir {
            std::fs::create_dir_all(&dest).map_err(|e| ActionError::io(&rel, e))?;
        } else {
            let bytes = read_source(&entry.path, &entry.relative)?;
            write_file(ctx, &dest, &bytes, Some(&entry.path))?;
            written.push(dest);
        }
    }
    Ok(written)
}
