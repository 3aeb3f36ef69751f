//! Problems found in user input, reported as data.
//!
//! A [`Diagnostic`] is what DESIGN.md's contract calls a problem: a stable kebab-case `code`, a
//! dotted `path` from the entity root (`spec.owner`, `metadata.tags.1`), a message that states the
//! expectation, and a 1-based `line` and `column` (the column counts characters).

use serde::Serialize;
use std::fmt;

/// 1-based line and column of a node in its source file; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Position {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Position {
    /// A position from 1-based line and column.
    pub const fn new(line: u32, column: u32) -> Self {
        Self { line, column }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One problem in user input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable kebab-case identifier, e.g. `invalid-name`, `missing-field`, `yaml-syntax`.
    pub code: &'static str,
    /// Dotted path from the entity (or document) root with numeric indexes; empty for the root.
    pub path: String,
    /// What is wrong, stating the expectation.
    pub message: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Diagnostic {
    /// A diagnostic at a position.
    pub fn new(
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
        at: Position,
    ) -> Self {
        Self {
            code,
            path: path.into(),
            message: message.into(),
            line: at.line,
            column: at.column,
        }
    }

    /// The position of this diagnostic.
    pub fn position(&self) -> Position {
        Position::new(self.line, self.column)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {} [{}]",
            self.line, self.column, self.message, self.code
        )?;
        Ok(())
    }
}

/// Well-known diagnostic codes, so that producers and consumers spell them once.
pub mod codes {
    /// The YAML could not be parsed.
    pub const YAML_SYNTAX: &str = "yaml-syntax";
    /// A mapping has the same key twice.
    pub const DUPLICATE_KEY: &str = "duplicate-key";
    /// A resource limit (alias expansion, depth, size) was exceeded.
    pub const LIMIT_EXCEEDED: &str = "limit-exceeded";
    /// A required field is missing.
    pub const MISSING_FIELD: &str = "missing-field";
    /// A field has the wrong type.
    pub const INVALID_TYPE: &str = "invalid-type";
    /// A field's value is not of the required format.
    pub const INVALID_VALUE: &str = "invalid-value";
    /// `metadata.name` is malformed.
    pub const INVALID_NAME: &str = "invalid-name";
    /// `metadata.namespace` is malformed.
    pub const INVALID_NAMESPACE: &str = "invalid-namespace";
    /// `kind` is malformed.
    pub const INVALID_KIND: &str = "invalid-kind";
    /// `apiVersion` is malformed or not accepted by the kind.
    pub const INVALID_API_VERSION: &str = "invalid-api-version";
    /// A label key or value is malformed.
    pub const INVALID_LABEL: &str = "invalid-label";
    /// An annotation key or value is malformed.
    pub const INVALID_ANNOTATION: &str = "invalid-annotation";
    /// A tag is malformed.
    pub const INVALID_TAG: &str = "invalid-tag";
    /// A link is malformed.
    pub const INVALID_LINK: &str = "invalid-link";
    /// A field that is not allowed at that place.
    pub const UNKNOWN_FIELD: &str = "unknown-field";
    /// No validator knows the entity's kind.
    pub const UNKNOWN_KIND: &str = "unknown-kind";
    /// An entity reference does not parse.
    pub const INVALID_REF: &str = "invalid-ref";
    /// A reference points to no entity in the catalog.
    pub const DANGLING_REF: &str = "dangling-ref";
    /// Two entities have the same reference.
    pub const DUPLICATE_ENTITY: &str = "duplicate-entity";
    /// A `$text`/`$json`/`$yaml` placeholder could not be resolved.
    pub const PLACEHOLDER: &str = "placeholder";
    /// An opt-in strict rule (Roadie's validator) failed.
    pub const STRICT: &str = "strict-rule";
}
