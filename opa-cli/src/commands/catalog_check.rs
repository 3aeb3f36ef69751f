//! `opa catalog check`: dangling references, duplicate entities and unreadable documents.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use opa_core::catalog::{Catalog, LoadOptions};
use opa_core::diagnostic::codes;

use crate::cli::{CatalogCheckArgs, Format};

pub fn run(args: &CatalogCheckArgs) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::load(&args.paths, LoadOptions::default())?;
    let dangling: Vec<_> = catalog.dangling().collect();
    let duplicates = catalog.duplicates();
    let problems = catalog.problems();
    let ok = dangling.is_empty() && duplicates.is_empty() && problems.is_empty();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        Format::Json => {
            let report = serde_json::json!({
                "ok": ok,
                "entities": catalog.len(),
                "relations": catalog.relation_count(),
                "dangling": dangling,
                "duplicates": duplicates,
                "problems": problems,
            });
            writeln!(out, "{report}")?;
        }
        Format::Text => {
            for p in problems {
                let d = &p.diagnostic;
                writeln!(
                    out,
                    "{}:{}:{}: error[{}]: {}",
                    p.file, d.line, d.column, d.code, d.message
                )?;
            }
            for d in &dangling {
                let l = &d.location;
                writeln!(
                    out,
                    "{}:{}:{}: error[{}]: {} {} refers to {}, which is not in the catalog",
                    l.file,
                    l.line,
                    l.column,
                    codes::DANGLING_REF,
                    d.source,
                    d.field,
                    d.target
                )?;
            }
            for d in &duplicates {
                let places: Vec<String> = d
                    .locations
                    .iter()
                    .map(|l| format!("{}:{}", l.file, l.line))
                    .collect();
                let again = &d.locations[1..];
                for l in again {
                    writeln!(
                        out,
                        "{}:{}:{}: error[{}]: {} is defined {} times ({}); the first is kept",
                        l.file,
                        l.line,
                        l.column,
                        codes::DUPLICATE_ENTITY,
                        d.entity_ref,
                        d.locations.len(),
                        places.join(", ")
                    )?;
                }
            }
            writeln!(
                out,
                "{} {}, {} relations: {} dangling {}, {} duplicate {}, {} unreadable {}",
                catalog.len(),
                plural(catalog.len(), "entity", "entities"),
                catalog.relation_count(),
                dangling.len(),
                plural(dangling.len(), "reference", "references"),
                duplicates.len(),
                plural(duplicates.len(), "entity", "entities"),
                problems.len(),
                plural(problems.len(), "document or field", "documents or fields"),
            )?;
        }
    }
    out.flush().context("cannot write the report")?;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
