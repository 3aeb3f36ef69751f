//! Rendering templates.

use napi::Env;
use napi_derive::napi;
use opa_core::scaffolder::templating::{FileRenderOptions, RenderLimits, TemplateEngine};

use crate::convert::throw_coded;

/// Renders one `fetch:template` skeleton file with `values` (as `${{ values.x }}`), exactly as
/// the action writes it. Throws an `Error` with `code` `template-syntax`, `template-render` or
/// `limit-exceeded`.
#[napi(catch_unwind)]
pub fn render_template_string(
    env: Env,
    text: String,
    #[napi(ts_arg_type = "Record<string, unknown>")] values: serde_json::Value,
) -> napi::Result<String> {
    let engine = TemplateEngine::new(RenderLimits::default());
    let ctx = serde_json::json!({ "values": values });
    engine
        .render_file(&text, &ctx, &FileRenderOptions::default())
        .map_err(|e| throw_coded(&env, e.code(), &e.to_string()))
}
