//! `opa port validate`: entities checked against Port blueprints.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use opa_core::Diagnostic;
use opa_core::port::{BlueprintSet, blueprints_from_node, entities_from_node, validate_blueprints};
use serde_json::json;

use crate::cli::{Format, PortValidateArgs};
use crate::manifests::read_documents;

pub fn run(args: &PortValidateArgs) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    let mut files = Vec::new();
    collect(&args.blueprints, &mut files)?;
    let mut blueprints = Vec::new();
    for file in &files {
        let (docs, problems) = read_documents(file)?;
        for p in problems {
            failed = true;
            report(args.format, file, None, None, &[p]);
        }
        for doc in docs {
            let read = blueprints_from_node(&doc.root);
            if !read.problems.is_empty() {
                failed = true;
                report(args.format, file, None, None, &read.problems);
            }
            blueprints.extend(
                read.blueprints
                    .into_iter()
                    .map(|(b, n)| (b, n, file.clone())),
            );
        }
    }
    let plain: Vec<_> = blueprints.iter().map(|(b, _, _)| b.clone()).collect();
    for (i, mut d) in validate_blueprints(&plain) {
        failed = true;
        let (bp, node, file) = &blueprints[i];
        let path: Vec<&str> = d.path.split('.').collect();
        let at = node.locate(&path);
        (d.line, d.column) = (at.line, at.column);
        report(
            args.format,
            file,
            Some(&bp.identifier),
            Some("blueprint"),
            &[d],
        );
    }
    let set = BlueprintSet::new(plain);
    for file in &args.entities {
        let (docs, problems) = read_documents(file)?;
        for p in problems {
            failed = true;
            report(args.format, file, None, None, &[p]);
        }
        for doc in docs {
            let (entities, problems) = entities_from_node(&doc.root);
            if !problems.is_empty() {
                failed = true;
                report(args.format, file, None, None, &problems);
            }
            for e in entities {
                let problems = e.validate(&set);
                failed |= !problems.is_empty();
                let id = e.entity.identifier.clone().unwrap_or_default();
                match args.format {
                    Format::Json => println!(
                        "{}",
                        json!({
                            "file": file.display().to_string(),
                            "identifier": id,
                            "blueprint": e.entity.blueprint,
                            "fromBackstage": e.from_backstage,
                            "valid": problems.is_empty(),
                            "errors": problems,
                        })
                    ),
                    Format::Text => report(
                        Format::Text,
                        file,
                        Some(&id),
                        Some(&e.entity.blueprint),
                        &problems,
                    ),
                }
            }
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints problems: `file:line:col: error[code]: identifier (blueprint): path: message` for
/// people, one JSON object for machines.
fn report(
    format: Format,
    file: &Path,
    id: Option<&str>,
    blueprint: Option<&str>,
    problems: &[Diagnostic],
) {
    match format {
        Format::Text => {
            for p in problems {
                let subject = match (id, blueprint) {
                    (Some(id), Some(bp)) => format!("{id} ({bp}): "),
                    (Some(id), None) => format!("{id}: "),
                    _ => String::new(),
                };
                let path = if p.path.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", p.path)
                };
                println!(
                    "{}:{}:{}: error[{}]: {subject}{path}{}",
                    file.display(),
                    p.line,
                    p.column,
                    p.code,
                    p.message
                );
            }
        }
        Format::Json => {
            if !problems.is_empty() {
                println!(
                    "{}",
                    json!({
                        "file": file.display().to_string(),
                        "identifier": id,
                        "blueprint": blueprint,
                        "valid": false,
                        "errors": problems,
                    })
                );
            }
        }
    }
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if meta.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .with_context(|| format!("cannot read {}", path.display()))?
            .collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.path());
        for entry in entries {
            let p = entry.path();
            let wanted = matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            );
            if p.is_dir() || wanted {
                collect(&p, out)?;
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}
