//! Renders templating cases with OPA-rs, for the differential test against nunjucks
//! (`conformance/nunjucks`): reads a JSON array of cases on stdin, prints a JSON array of results.
//!
//! A case is `{"mode": "str"|"value"|"file", "template": …, "context": {…}, "options": {…}}`
//! (`template` is a JSON value in `value` mode; `options` holds `cookiecutterCompat`,
//! `trimBlocks`, `lstripBlocks` in `file` mode). A result is `{"ok": true, "output": …}` or
//! `{"ok": false, "code": "template-syntax"|…, "message": "…"}`.
//!
//! ```sh
//! echo '[{"mode":"str","template":"${{ 1 + 1 }}","context":{}}]' | cargo run -q -p opa-examples --example template_cases
//! ```

use std::io::Read;
use std::process::ExitCode;

use opa_core::scaffolder::templating::{FileRenderOptions, TemplateEngine, TemplateError};
use serde_json::{Value, json};

fn main() -> ExitCode {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("template_cases: cannot read stdin: {e}");
        return ExitCode::from(2);
    }
    let cases: Vec<Value> = match serde_json::from_str(&input) {
        Ok(cases) => cases,
        Err(e) => {
            eprintln!("template_cases: stdin is not a JSON array of cases: {e}");
            return ExitCode::from(2);
        }
    };
    // The conformance script configures the same integration in Backstage's ScmIntegrations.
    let engine = TemplateEngine::default().with_integrations([("gitlab.example.com", "gitlab")]);
    let results: Vec<Value> = cases.iter().map(|case| run(&engine, case)).collect();
    println!("{}", Value::Array(results));
    ExitCode::SUCCESS
}

fn run(engine: &TemplateEngine, case: &Value) -> Value {
    let empty = json!({});
    let ctx = case.get("context").unwrap_or(&empty);
    let template = case.get("template").cloned().unwrap_or(Value::Null);
    let text = template.as_str().unwrap_or_default();
    let flag = |name: &str| {
        case.pointer(&format!("/options/{name}"))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    };
    let result: Result<Value, TemplateError> = match case.get("mode").and_then(Value::as_str) {
        Some("value") => engine.render_value(&template, ctx),
        Some("file") => {
            let options = FileRenderOptions {
                cookiecutter_compat: flag("cookiecutterCompat"),
                trim_blocks: flag("trimBlocks"),
                lstrip_blocks: flag("lstripBlocks"),
            };
            engine.render_file(text, ctx, &options).map(Value::String)
        }
        _ => engine.render_str(text, ctx).map(Value::String),
    };
    match result {
        Ok(output) => json!({"ok": true, "output": output}),
        Err(e) => json!({"ok": false, "code": e.code(), "message": e.to_string()}),
    }
}
