//! Reading catalog files: every document of a YAML stream becomes a [`DocumentReport`] — the
//! entity (placeholders resolved) and every problem in it, YAML errors and exceeded limits
//! included. This is the one entry point the CLI, the catalog and the bindings share.

use std::path::Path;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Position, codes};
use crate::entity::EntityRef;
use crate::entity::object::DynamicEntity;
use crate::entity::placeholder::{PlaceholderContext, resolve_placeholders};
use crate::entity::validate::{Problems, ValidateOptions, validate_entity};
use crate::error::Error;
use crate::yaml::{Document, Limits, Node, parse_documents};

/// How to read and check entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// Bounds on the YAML (document size, depth, alias expansion, document count).
    pub limits: Limits,
    /// What to validate.
    pub validate: ValidateOptions,
    /// Resolve `$text`/`$json`/`$yaml` placeholders (default `true`).
    pub resolve_placeholders: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            validate: ValidateOptions::default(),
            resolve_placeholders: true,
        }
    }
}

/// One document of a catalog file and the verdict on it.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentReport {
    /// 0-based index of the document in its file, counting every document.
    pub index: usize,
    /// 1-based line where the document starts.
    pub line: u32,
    /// The entity's reference, when it has a usable kind and name.
    pub entity_ref: Option<EntityRef>,
    /// Every problem, in source order; empty when the entity is valid.
    pub diagnostics: Vec<Diagnostic>,
    /// The document's root node with placeholders resolved; `None` when it could not be parsed.
    pub root: Option<Node>,
}

impl DocumentReport {
    /// Whether the document is a valid entity.
    pub fn is_valid(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// The entity in its dynamic form, when the document has the shape of one.
    pub fn entity(&self) -> Option<DynamicEntity> {
        self.root
            .as_ref()
            .and_then(|r| DynamicEntity::from_node(r).ok())
    }
}

/// Documents per file above which they are validated on every core.
const PARALLEL_DOCUMENTS: usize = 64;

/// Reads every entity of a YAML stream. `file` is where the text came from (placeholders are
/// resolved relative to it) and `root` the folder placeholders may not leave (default: the
/// file's folder). Empty documents (and documents that are just `null`) are skipped, as
/// Backstage skips them; their index still counts. Never fails: problems
/// are in the reports.
pub fn read_entities(
    text: &str,
    file: Option<&Path>,
    root: Option<&Path>,
    options: &LoadOptions,
) -> Vec<DocumentReport> {
    let docs = parse_documents(text, &options.limits);
    let cx = PlaceholderContext {
        file,
        root,
        limits: &options.limits,
    };
    let report = |doc: Document| check_document(doc, &cx, options);
    let non_empty =
        |d: &Document| d.error.is_some() || d.root.as_ref().is_some_and(|r| !r.is_null());
    if docs.len() > PARALLEL_DOCUMENTS {
        docs.into_par_iter()
            .with_min_len(64)
            .filter(non_empty)
            .map(report)
            .collect()
    } else {
        docs.into_iter().filter(non_empty).map(report).collect()
    }
}

/// Reads a catalog file. Fails only when the file cannot be read; text that is not UTF-8 is a
/// `yaml-syntax` problem of the file's only document.
pub fn read_file(
    path: &Path,
    root: Option<&Path>,
    options: &LoadOptions,
) -> Result<Vec<DocumentReport>, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(read_entities(&text, Some(path), root, options)),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let text = String::from_utf8_lossy(valid);
            let line = text.matches('\n').count() as u32 + 1;
            let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            Ok(vec![DocumentReport {
                index: 0,
                line: 1,
                entity_ref: None,
                diagnostics: vec![Diagnostic::new(
                    codes::YAML_SYNTAX,
                    "",
                    "the file is not UTF-8 text",
                    Position::new(line, column),
                )],
                root: None,
            }])
        }
    }
}

fn check_document(
    doc: Document,
    cx: &PlaceholderContext<'_>,
    options: &LoadOptions,
) -> DocumentReport {
    let Some(mut root) = doc.root else {
        return DocumentReport {
            index: doc.index,
            line: doc.line,
            entity_ref: None,
            diagnostics: doc.error.into_iter().collect(),
            root: None,
        };
    };
    let mut placeholder_problems = Problems::default();
    if options.resolve_placeholders {
        resolve_placeholders(&mut root, cx, &mut placeholder_problems);
    }
    let report = validate_entity(&root, &options.validate);
    let mut diagnostics = placeholder_problems.into_sorted();
    if diagnostics.is_empty() {
        diagnostics = report.diagnostics;
    } else {
        diagnostics.extend(report.diagnostics);
        diagnostics.sort_by_key(|d| (d.line, d.column));
    }
    DocumentReport {
        index: doc.index,
        line: doc.line,
        entity_ref: report.entity_ref,
        diagnostics,
        root: Some(root),
    }
}
