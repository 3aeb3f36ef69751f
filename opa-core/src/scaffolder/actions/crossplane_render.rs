//! `crossplane:render`: renders a Crossplane claim with its XRD and Composition, offline, so a
//! template can preview (and write out) what the claim will create.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::files::write_file;
use crate::crossplane::{Inputs, render_report};
use crate::scaffolder::action::{Action, ActionContext, ActionError};
use crate::yaml::to_yaml_string;

/// `crossplane:render`.
#[derive(Debug, Default, Clone, Copy)]
pub struct CrossplaneRender;

/// One of the three inputs: given inline (YAML text or an object) or as a workspace file.
fn source_text(ctx: &ActionContext, key: &str) -> Result<String, ActionError> {
    let path_key = format!("{key}Path");
    match (ctx.input.get(key), ctx.input_str(&path_key)) {
        (Some(Json::String(text)), _) => Ok(text.clone()),
        (Some(v @ Json::Object(_)), _) => Ok(to_yaml_string(v)),
        (Some(_), _) => Err(ActionError::InvalidInput(format!(
            "input {key:?} must be YAML text or an object"
        ))),
        (None, Some(path)) => {
            let file = ctx.workspace_path(path)?;
            std::fs::read_to_string(&file).map_err(|e| ActionError::io(path, e))
        }
        (None, None) => Err(ActionError::InvalidInput(format!(
            "input {key:?} or {path_key:?} is required"
        ))),
    }
}

#[async_trait]
impl Action for CrossplaneRender {
    fn id(&self) -> &str {
        "crossplane:render"
    }

    fn description(&self) -> &str {
        "Renders a Crossplane claim with its CompositeResourceDefinition and Composition, as \
         Crossplane v1.20's patch-and-transform would, to preview what the claim will create"
    }

    fn input_schema(&self) -> Option<Json> {
        let source = |what: &str| {
            json!({
                "title": what,
                "description": format!("The {what}: YAML text or an object"),
                "type": ["string", "object"]
            })
        };
        let path = |what: &str| {
            json!({
                "title": format!("{what} file"),
                "description": format!("The {what} as a file in the workspace"),
                "type": "string"
            })
        };
        Some(json!({
            "type": "object",
            "properties": {
                "xrd": source("CompositeResourceDefinition"),
                "xrdPath": path("CompositeResourceDefinition"),
                "composition": source("Composition"),
                "compositionPath": path("Composition"),
                "claim": source("claim (or composite resource)"),
                "claimPath": path("claim (or composite resource)"),
                "outputPath": {
                    "title": "Output file",
                    "description": "Writes the rendered resources there as a YAML stream",
                    "type": "string"
                },
                "failOnProblems": {
                    "title": "Fail on problems",
                    "description": "Fail the step when the claim is invalid or a patch fails (default true)",
                    "type": "boolean"
                }
            }
        }))
    }

    fn output_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "properties": {
                "valid": {"type": "boolean"},
                "resources": {"type": "array", "items": {"type": "object"}},
                "problems": {"type": "array", "items": {"type": "object"}},
                "yaml": {"type": "string"}
            }
        }))
    }

    fn supports_dry_run(&self) -> bool {
        true
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let xrd = source_text(ctx, "xrd")?;
        let composition = source_text(ctx, "composition")?;
        let claim = source_text(ctx, "claim")?;
        let report = render_report(&Inputs {
            xrd: &xrd,
            composition: &composition,
            resource: &claim,
        });
        let yaml: String = report
            .resources
            .iter()
            .map(|r| format!("---\n{}", to_yaml_string(r)))
            .collect();
        for p in &report.warnings {
            ctx.logger.warn(&p.diagnostic.message);
        }
        let fail = ctx
            .input
            .get("failOnProblems")
            .and_then(Json::as_bool)
            .unwrap_or(true);
        if !report.valid && fail {
            let problems: Vec<String> = report
                .problems
                .iter()
                .map(|p| format!("{}: {}", p.diagnostic.code, p.diagnostic.message))
                .collect();
            return Err(ActionError::InvalidInput(format!(
                "the claim does not render: {}",
                problems.join("; ")
            )));
        }
        ctx.logger.info(format!(
            "rendered {} resources ({} composed)",
            report.resources.len(),
            report.resources.len().saturating_sub(1)
        ));
        if let Some(out) = ctx.input_str("outputPath").map(str::to_string) {
            let dest = ctx.workspace_path(&out)?;
            write_file(ctx, &dest, yaml.as_bytes(), None)?;
            ctx.record_written(&[dest]);
        }
        let problems = serde_json::to_value(&report.problems).unwrap_or_else(|_| json!([]));
        ctx.output("valid", report.valid);
        ctx.output("resources", Json::Array(report.resources));
        ctx.output("problems", problems);
        ctx.output("yaml", yaml);
        Ok(())
    }
}
