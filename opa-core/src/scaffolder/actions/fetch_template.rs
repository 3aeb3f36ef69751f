//! `fetch:template`: copies a skeleton from a URL into the workspace, rendering file contents and
//! file names with `values`, as Backstage's action does.
//!
//! - `copyWithoutTemplating` (and its older name `copyWithoutRender`): globs of files copied as
//!   they are; with `copyWithoutTemplating` their names are still rendered.
//! - `templateFileExtension` (`true` = `.njk`): only files with the extension are rendered (and
//!   lose it); every name is rendered.
//! - `cookiecutterCompat`: `{{ cookiecutter.x }}` syntax.
//! - Binary files are copied untouched; a name that renders empty (or absolute, or with `//`) is
//!   skipped; existing files are kept unless `replace`.

use std::path::PathBuf;

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::files::{glob_set, is_binary, read_source, read_tree, string_list, write_file};
use crate::scaffolder::action::{Action, ActionContext, ActionError};
use crate::scaffolder::templating::FileRenderOptions;

/// `fetch:template`.
#[derive(Debug, Default, Clone, Copy)]
pub struct FetchTemplate;

/// The rendering context of skeleton files: `values` (and `cookiecutter` in compat mode).
pub(super) fn render_context(values: &Json, options: &FileRenderOptions) -> Json {
    if options.cookiecutter_compat {
        json!({ "values": values, "cookiecutter": values })
    } else {
        json!({ "values": values })
    }
}

#[async_trait]
impl Action for FetchTemplate {
    fn id(&self) -> &str {
        "fetch:template"
    }

    fn description(&self) -> &str {
        "Downloads a skeleton, templates variables into file and directory names and content, and places the result in the workspace, or optionally in a subdirectory specified by the `targetPath` input option."
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["url"],
            "properties": {
                "url": {"type": "string", "title": "Fetch URL"},
                "targetPath": {"type": "string", "title": "Target Path"},
                "values": {"type": "object", "title": "Template Values"},
                "copyWithoutRender": {"type": "array", "items": {"type": "string"}},
                "copyWithoutTemplating": {"type": "array", "items": {"type": "string"}},
                "cookiecutterCompat": {"type": "boolean"},
                "templateFileExtension": {"type": ["string", "boolean"]},
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
        let target = ctx.input_str("targetPath").unwrap_or("./").to_string();
        let without_render = string_list(ctx, "copyWithoutRender")?;
        let without_templating = string_list(ctx, "copyWithoutTemplating")?;
        if ctx.input.get("copyWithoutRender").is_some()
            && ctx.input.get("copyWithoutTemplating").is_some()
        {
            return Err(ActionError::InvalidInput(
                "copyWithoutRender and copyWithoutTemplating can not be used at the same time"
                    .into(),
            ));
        }
        let extension = match ctx.input.get("templateFileExtension") {
            Some(Json::Bool(true)) => Some(".njk".to_string()),
            Some(Json::String(s)) if !s.is_empty() => Some(if s.starts_with('.') {
                s.clone()
            } else {
                format!(".{s}")
            }),
            _ => None,
        };
        let options = FileRenderOptions {
            cookiecutter_compat: ctx.input_bool("cookiecutterCompat"),
            trim_blocks: ctx.input_bool("trimBlocks"),
            lstrip_blocks: ctx.input_bool("lstripBlocks"),
        };
        if extension.is_some()
            && (!without_render.is_empty()
                || !without_templating.is_empty()
                || options.cookiecutter_compat)
        {
            return Err(ActionError::InvalidInput(
                "input extension incompatible with copyWithoutRender/copyWithoutTemplating and cookiecutterCompat".into(),
            ));
        }
        let render_names_always = !without_templating.is_empty();
        let verbatim = glob_set(if render_names_always {
            &without_templating
        } else {
            &without_render
        })?;
        let values = ctx.input.get("values").cloned().unwrap_or(json!({}));
        let context = render_context(&values, &options);

        ctx.logger.info("Fetching template content from remote URL");
        let source = ctx.resolve_url(&url)?;
        let out_dir = ctx.workspace_path(&target)?;
        let entries = read_tree(&source, &url)?;
        ctx.logger.info(format!(
            "Processing {} template files/directories with input values {}",
            entries.len(),
            values
        ));
        let engine = ctx.backends.templates.clone();
        let replace = ctx.input_bool("replace");
        let out_rel = ctx.display(&out_dir);
        let mut written: Vec<PathBuf> = Vec::new();
        for entry in entries {
            ctx.check_cancelled()?;
            let mut name = entry.relative.clone();
            let render_contents;
            if let Some(ext) = &extension {
                render_contents = !entry.is_dir && name.ends_with(ext.as_str());
                if render_contents {
                    name.truncate(name.len() - ext.len());
                }
                name = engine.render_file(&name, &context, &options)?;
            } else {
                let matched = verbatim.is_match(&entry.relative);
                render_contents = !matched;
                if render_names_always || render_contents {
                    name = engine.render_file(&name, &context, &options)?;
                }
            }
            if name.is_empty() || name.starts_with('/') || name.contains("//") {
                continue;
            }
            let rel = if out_rel.is_empty() {
                name.clone()
            } else {
                format!("{out_rel}/{name}")
            };
            let dest = ctx.workspace_path(&rel)?;
            if entry.is_dir {
                std::fs::create_dir_all(&dest).map_err(|e| ActionError::io(&rel, e))?;
                continue;
            }
            if dest.exists() && !replace {
                continue;
            }
            let bytes = read_source(&entry.path, &entry.relative)?;
            let content = if render_contents && !is_binary(&bytes) {
                let text = String::from_utf8_lossy(&bytes);
                engine
                    .render_file(&text, &context, &options)
                    .map_err(|e| ActionError::Failed(format!("{}: {e}", entry.relative)))?
                    .into_bytes()
            } else {
                bytes
            };
            write_file(ctx, &dest, &content, Some(&entry.path))?;
            written.push(dest);
        }
        ctx.logger.info(format!(
            "Template result written to {}",
            if out_rel.is_empty() { "./" } else { &out_rel }
        ));
        ctx.record_written(&written);
        Ok(())
    }
}
