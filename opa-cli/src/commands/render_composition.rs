//! `opa render composition`: render a Crossplane claim offline.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use opa_core::crossplane::{Inputs, Problem, Source, render_text};
use opa_core::yaml::to_yaml_string;

use crate::cli::{RenderCompositionArgs, ResourceFormat};

pub fn run(args: &RenderCompositionArgs) -> anyhow::Result<ExitCode> {
    let read = |p: &Path| {
        std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))
    };
    let xrd = read(&args.xrd)?;
    let composition = read(&args.composition)?;
    let claim = read(&args.claim)?;
    let file_of = |source: Source| -> &Path {
        match source {
            Source::Xrd => &args.xrd,
            Source::Composition => &args.composition,
            Source::Resource => &args.claim,
        }
    };
    let inputs = Inputs {
        xrd: &xrd,
        composition: &composition,
        resource: &claim,
    };
    let (rendered, problems, warnings) = match render_text(&inputs) {
        Ok(r) => {
            let problems = r.problems.clone();
            let warnings = r.warnings.clone();
            (Some(r), problems, warnings)
        }
        Err(e) => (
            None,
            vec![Problem {
                source: e.source,
                diagnostic: e.diagnostic,
            }],
            Vec::new(),
        ),
    };
    let resources: Vec<&serde_json::Value> =
        rendered.as_ref().map(|r| r.resources()).unwrap_or_default();
    let mut stdout = std::io::stdout().lock();
    match args.format {
        ResourceFormat::Yaml => {
            for r in &resources {
                write!(stdout, "---\n{}", to_yaml_string(r))?;
            }
            let mut stderr = std::io::stderr().lock();
            for (level, list) in [("warning", &warnings), ("error", &problems)] {
                for p in list.iter() {
                    let d = &p.diagnostic;
                    writeln!(
                        stderr,
                        "{}:{}:{}: {level}[{}]: {}",
                        file_of(p.source).display(),
                        d.line,
                        d.column,
                        d.code,
                        d.message
                    )?;
                }
            }
        }
        ResourceFormat::Json => {
            let with_file = |list: &[Problem]| -> Vec<serde_json::Value> {
                list.iter()
                    .map(|p| {
                        let mut v = serde_json::to_value(p).unwrap_or_default();
                        v["file"] =
                            serde_json::Value::from(file_of(p.source).display().to_string());
                        v
                    })
                    .collect()
            };
            let out = serde_json::json!({
                "valid": problems.is_empty(),
                "resources": resources,
                "problems": with_file(&problems),
                "warnings": with_file(&warnings),
            });
            writeln!(stdout, "{out}")?;
        }
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
