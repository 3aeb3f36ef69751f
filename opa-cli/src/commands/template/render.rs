//! `opa template render --values VALUES FILE`: one skeleton file rendered as `fetch:template`
//! renders it (context `values`), printed exactly.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use opa_core::scaffolder::actions::files::is_binary;
use opa_core::scaffolder::templating::{FileRenderOptions, RenderLimits, TemplateEngine};
use serde_json::json;

use super::inputs::read_data_file;
use crate::cli::TemplateRenderArgs;

pub fn run(args: &TemplateRenderArgs) -> anyhow::Result<ExitCode> {
    let values = read_data_file(&args.values)?;
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let mut out = std::io::stdout().lock();
    if is_binary(&bytes) {
        // fetch:template copies binary files untouched.
        out.write_all(&bytes)?;
        return Ok(ExitCode::SUCCESS);
    }
    let text = String::from_utf8_lossy(&bytes);
    let options = FileRenderOptions {
        cookiecutter_compat: args.cookiecutter_compat,
        ..FileRenderOptions::default()
    };
    let context = if options.cookiecutter_compat {
        json!({ "values": values, "cookiecutter": values })
    } else {
        json!({ "values": values })
    };
    let engine = TemplateEngine::new(RenderLimits::default());
    match engine.render_file(&text, &context, &options) {
        Ok(rendered) => {
            out.write_all(rendered.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("{}: error[{}]: {e}", args.file.display(), e.code());
            Ok(ExitCode::from(1))
        }
    }
}
