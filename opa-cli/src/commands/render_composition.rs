//! `opa render composition`: render a Crossplane claim offline.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use opa_core::crossplane::{Inputs, Source, render_report};
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
    let report = render_report(&Inputs {
        xrd: &xrd,
        composition: &composition,
        resource: &claim,
    });
    let mut stdout = std::io::stdout().lock();
    match args.format {
        ResourceFormat::Yaml => {
            for r in &report.resources {
                write!(stdout, "---\n{}", to_yaml_string(r))?;
            }
            let mut stderr = std::io::stderr().lock();
            for (level, list) in [("warning", &report.warnings), ("error", &report.problems)] {
                for p in list {
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
            let mut out = serde_json::to_value(&report)?;
            // Each problem names the file it is in.
            for list in ["problems", "warnings"] {
                if let Some(items) = out[list].as_array_mut() {
                    for item in items {
                        let source = match item["source"].as_str() {
                            Some("xrd") => Source::Xrd,
                            Some("composition") => Source::Composition,
                            _ => Source::Resource,
                        };
                        item["file"] =
                            serde_json::Value::from(file_of(source).display().to_string());
                    }
                }
            }
            writeln!(stdout, "{out}")?;
        }
    }
    Ok(if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
