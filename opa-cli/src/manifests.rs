//! Reading and writing Kubernetes manifests: multi-document YAML files in, YAML or JSON out.

use std::path::Path;

use anyhow::Context;
use opa_core::Diagnostic;
use opa_core::yaml::{Limits, Node, parse_documents};
use serde_json::Value as Json;

/// One document of a manifest file.
pub struct ManifestDocument {
    /// The document's root node.
    pub root: Node,
}

/// Reads every non-empty document of a YAML file. Syntax problems are returned as diagnostics
/// (the other documents are still read); an unreadable file is an error.
pub fn read_documents(path: &Path) -> anyhow::Result<(Vec<ManifestDocument>, Vec<Diagnostic>)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut docs = Vec::new();
    let mut problems = Vec::new();
    for doc in parse_documents(&text, &Limits::default()) {
        if let Some(e) = doc.error {
            problems.push(e);
        } else if let Some(root) = doc.root.filter(|r| !r.is_null()) {
            docs.push(ManifestDocument { root });
        }
    }
    Ok((docs, problems))
}

/// Reads the resources of YAML files: every document, with `kind: List` expanded into its items.
pub fn read_resources(paths: &[impl AsRef<Path>]) -> anyhow::Result<Vec<Json>> {
    let mut out = Vec::new();
    for path in paths {
        let path = path.as_ref();
        let (docs, problems) = read_documents(path)?;
        if let Some(p) = problems.first() {
            anyhow::bail!("{}:{}:{}: {}", path.display(), p.line, p.column, p.message);
        }
        for doc in docs {
            let json = doc.root.to_json();
            let is_list = json.get("kind").and_then(Json::as_str) == Some("List")
                || json
                    .get("kind")
                    .and_then(Json::as_str)
                    .is_some_and(|k| k.ends_with("List") && json.get("items").is_some());
            match (is_list, json.get("items")) {
                (true, Some(Json::Array(items))) => out.extend(items.iter().cloned()),
                _ => out.push(json),
            }
        }
    }
    Ok(out)
}

/// Writes resources as a multi-document YAML stream (`---` before each document).
pub fn to_yaml_stream<'a>(resources: impl IntoIterator<Item = &'a Json>) -> anyhow::Result<String> {
    let mut out = String::new();
    for r in resources {
        out.push_str("---\n");
        out.push_str(&yaml_serde::to_string(r).context("cannot write YAML")?);
    }
    Ok(out)
}
