//! Reading catalog sources: finding the files, and turning each document into what the catalog
//! stores — work done on every core before the references are interned in order.

use std::path::{Path, PathBuf};

use hashbrown::DefaultHashBuilder;

use super::emit::read_entity;
use super::interner::Interner;
use crate::diagnostic::Diagnostic;
use crate::entity::validate::{ValidateOptions, validate_entity};
use crate::error::Error;
use crate::yaml::{Document, DocumentSource};

/// The catalog files under `paths`: each file as given, and every `*.yaml` / `*.yml` file under
/// each directory (recursively, in name order).
pub fn catalog_files(paths: &[impl AsRef<Path>]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for path in paths {
        collect(path.as_ref(), &mut files)?;
    }
    Ok(files)
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries = std::fs::read_dir(path)
        .map_err(|e| Error::io(path, e))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::io(path, e))?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out)?;
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(p);
        }
    }
    Ok(())
}

/// One document, read and ready to be interned.
#[derive(Debug)]
pub(crate) enum Ingested {
    /// An empty document.
    Empty,
    /// A document that is not an entity (or not a valid one).
    Problems {
        document: usize,
        diagnostics: Vec<Diagnostic>,
    },
    /// An entity.
    Entity(Box<IngestedEntity>),
}

/// An entity's reference and relation targets as canonical texts with their hashes.
#[derive(Debug)]
pub(crate) struct IngestedEntity {
    pub document: usize,
    pub line: u32,
    pub source: DocumentSource,
    pub kind: Box<str>,
    /// The entity's canonical reference, then each target's, one after the other.
    pub texts: String,
    pub self_len: usize,
    pub self_hash: u64,
    pub targets: Vec<IngestedTarget>,
    pub problems: Vec<Diagnostic>,
}

/// A relation target.
#[derive(Debug)]
pub(crate) struct IngestedTarget {
    pub rule: u8,
    pub index: Option<u32>,
    /// Byte range of the canonical text in [`IngestedEntity::texts`].
    pub start: usize,
    pub end: usize,
    pub hash: u64,
    pub line: u32,
    pub column: u32,
}

impl IngestedEntity {
    /// The entity's canonical reference.
    pub fn self_text(&self) -> &str {
        &self.texts[..self.self_len]
    }

    /// A target's canonical reference.
    pub fn target_text(&self, t: &IngestedTarget) -> &str {
        &self.texts[t.start..t.end]
    }
}

/// Reads one parsed document (on any thread).
pub(crate) fn ingest(
    doc: Document,
    source: DocumentSource,
    hasher: &DefaultHashBuilder,
    validate: Option<&ValidateOptions>,
) -> Ingested {
    if let Some(error) = doc.error {
        return Ingested::Problems {
            document: doc.index,
            diagnostics: vec![error],
        };
    }
    let Some(root) = doc.root.as_ref().filter(|r| !r.is_null()) else {
        return Ingested::Empty;
    };
    if let Some(options) = validate {
        let report = validate_entity(root, options);
        if !report.is_valid() {
            return Ingested::Problems {
                document: doc.index,
                diagnostics: report.diagnostics,
            };
        }
    }
    let fields = match read_entity(root) {
        Ok(f) => f,
        Err(d) => {
            return Ingested::Problems {
                document: doc.index,
                diagnostics: vec![d],
            };
        }
    };
    let mut texts = String::with_capacity(64 * (fields.targets.len() + 1));
    push_canonical(&mut texts, fields.kind, fields.namespace, fields.name);
    let self_len = texts.len();
    let self_hash = Interner::hash_with(hasher, &texts);
    let targets = fields
        .targets
        .iter()
        .map(|t| {
            let start = texts.len();
            push_canonical(&mut texts, t.kind, t.namespace, t.name);
            IngestedTarget {
                rule: t.rule as u8,
                index: t.index,
                start,
                end: texts.len(),
                hash: Interner::hash_with(hasher, &texts[start..]),
                line: t.pos.line,
                column: t.pos.column,
            }
        })
        .collect();
    Ingested::Entity(Box::new(IngestedEntity {
        document: doc.index,
        line: root.pos.line,
        source,
        kind: fields.kind.into(),
        texts,
        self_len,
        self_hash,
        targets,
        problems: fields.problems,
    }))
}

/// `stringifyEntityRef`: kind and namespace in lowercase, the name as written.
fn push_canonical(out: &mut String, kind: &str, namespace: &str, name: &str) {
    out.extend(kind.chars().map(|c| c.to_ascii_lowercase()));
    out.push(':');
    out.extend(namespace.chars().map(|c| c.to_ascii_lowercase()));
    out.push('/');
    out.push_str(name);
}
