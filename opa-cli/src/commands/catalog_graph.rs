//! `opa catalog graph`: the entities and their relations, as text, JSON Lines or Graphviz dot.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use opa_core::catalog::{Catalog, LoadOptions};

use crate::cli::{CatalogGraphArgs, GraphFormat};

pub fn run(args: &CatalogGraphArgs) -> anyhow::Result<ExitCode> {
    let options = LoadOptions {
        keep_sources: false,
        ..LoadOptions::default()
    };
    let catalog = Catalog::load(&args.paths, options)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        GraphFormat::Text => text(&catalog, &mut out)?,
        GraphFormat::Json => json(&catalog, &mut out)?,
        GraphFormat::Dot => dot(&catalog, &mut out)?,
    }
    out.flush().context("cannot write the graph")?;
    Ok(ExitCode::SUCCESS)
}

fn text(catalog: &Catalog, out: &mut impl Write) -> std::io::Result<()> {
    for e in catalog.entities() {
        writeln!(out, "{}", e.entity_ref())?;
        for r in e.relations() {
            writeln!(out, "  {} {}", r.relation_type, r.target_ref)?;
        }
    }
    Ok(())
}

fn json(catalog: &Catalog, out: &mut impl Write) -> anyhow::Result<()> {
    for e in catalog.entities() {
        let l = e.location();
        let line = serde_json::json!({
            "ref": e.entity_ref(),
            "kind": e.kind(),
            "file": l.file,
            "document": l.document,
            "line": l.line,
            "relations": e.relations(),
        });
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// One node per entity, one edge per relation in the direction its field states (`ownedBy`,
/// `partOf`, `dependsOn`, …); references to missing entities are dashed nodes.
fn dot(catalog: &Catalog, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "digraph catalog {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(out, "  node [shape=box, fontname=\"Helvetica\"];")?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=10];")?;
    for e in catalog.entities() {
        writeln!(
            out,
            "  {} [label={}];",
            quote(e.entity_ref()),
            quote(&format!("{}\\n{}", e.kind(), e.entity_ref()))
        )?;
    }
    let mut missing = BTreeSet::new();
    for e in catalog.entities() {
        for r in e.relations() {
            let target_exists = catalog.entity(&r.target_ref).is_some();
            if r.relation_type.is_forward() {
                writeln!(
                    out,
                    "  {} -> {} [label={}];",
                    quote(e.entity_ref()),
                    quote(&r.target_ref),
                    quote(r.relation_type.as_str())
                )?;
            } else if !target_exists {
                // Emitted from a missing entity's side: draw it from there.
                writeln!(
                    out,
                    "  {} -> {} [label={}];",
                    quote(&r.target_ref),
                    quote(e.entity_ref()),
                    quote(r.relation_type.inverse().as_str())
                )?;
            }
            if !target_exists {
                missing.insert(r.target_ref);
            }
        }
    }
    for m in missing {
        writeln!(out, "  {} [style=dashed, color=red];", quote(&m))?;
    }
    writeln!(out, "}}")
}

/// A DOT double-quoted string (`\n` sequences in `s` are kept as DOT line breaks).
fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        if c == '"' {
            q.push('\\');
        }
        q.push(c);
    }
    q.push('"');
    q
}
