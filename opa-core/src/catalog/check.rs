//! What a catalog check finds: references to entities that are not there, entities defined
//! twice, and documents that could not become entities.

use serde::Serialize;

use crate::diagnostic::Diagnostic;

/// Where something is in the catalog's sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file (or the name given to a text source).
    pub file: String,
    /// 0-based index of the document in its file.
    pub document: usize,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// A relation field that names an entity the catalog does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DanglingRef {
    /// The entity whose field it is, `kind:namespace/name`.
    pub source: String,
    /// The field, e.g. `spec.owner` or `spec.providesApis.1`.
    pub field: String,
    /// The missing entity, `kind:namespace/name`.
    pub target: String,
    /// Where the reference is written.
    #[serde(flatten)]
    pub location: Location,
}

/// An entity reference defined by more than one document. The first definition is the one the
/// catalog keeps (as Backstage keeps the first and reports a conflict for the others).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicateEntity {
    /// The reference, `kind:namespace/name`.
    #[serde(rename = "ref")]
    pub entity_ref: String,
    /// Every definition, the kept one first.
    pub locations: Vec<Location>,
}

/// A document that did not become an entity (YAML error, not an entity, invalid when the catalog
/// validates), or a relation target that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadProblem {
    /// The file (or the name given to a text source).
    pub file: String,
    /// 0-based index of the document in its file.
    pub document: usize,
    /// The problem; its line and column are positions in the file.
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
}
