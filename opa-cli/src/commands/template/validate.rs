//! `opa template validate TEMPLATE [--values FILE]`: the template as the runner reads it, its
//! parameter schemas, its actions, and optionally values for it.

use std::process::ExitCode;

use opa_core::scaffolder::parameters::check_schemas;
use opa_core::scaffolder::{ActionRegistry, ScaffolderError, Template, validate_parameters};
use serde_json::json;

use super::inputs::read_data_file;
use crate::cli::{Format, TemplateValidateArgs};

pub fn run(args: &TemplateValidateArgs) -> anyhow::Result<ExitCode> {
    let file = args.template.display().to_string();
    let (template, mut errors) = match Template::from_file(&args.template) {
        Ok(t) => (Some(t), Vec::new()),
        Err(ScaffolderError::InvalidTemplate { diagnostics, .. }) => (None, diagnostics),
        Err(e) => return Err(e.into()),
    };
    let mut warnings: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    if let Some(t) = &template {
        errors.extend(check_schemas(t));
        let registry = ActionRegistry::with_builtins();
        for step in &t.steps {
            if registry.get(&step.action).is_none() {
                warnings.push(format!(
                    "{file}:{}:{}: step {:?} uses action {:?}, which is not built in (it must be registered before the template runs)",
                    step.pos.line, step.pos.column, step.id, step.action
                ));
            }
        }
        if let Some(path) = &args.values {
            let values = read_data_file(path)?;
            problems = validate_parameters(t, &values).problems;
        }
    }
    let valid = errors.is_empty() && problems.is_empty();
    match args.format {
        Format::Json => println!(
            "{}",
            json!({
                "file": file,
                "valid": valid,
                "template": template.as_ref().map(|t| t.name.clone()),
                "steps": template.as_ref().map(|t| t.steps.len()),
                "errors": errors,
                "valueProblems": problems,
                "warnings": warnings,
            })
        ),
        Format::Text => {
            for e in &errors {
                println!(
                    "{file}:{}:{}: error[{}]: {}",
                    e.line, e.column, e.code, e.message
                );
            }
            for p in &problems {
                println!("{file}: error[{}]: {}", p.code, p.message);
            }
            for w in &warnings {
                println!("{w} [warning]");
            }
            if let (true, Some(t)) = (valid, &template) {
                println!(
                    "{file}: template {:?} is valid ({} parameter page(s), {} step(s))",
                    t.name,
                    t.parameters.len(),
                    t.steps.len()
                );
            }
        }
    }
    Ok(if valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
