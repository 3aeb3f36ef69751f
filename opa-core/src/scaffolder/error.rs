//! Failures of scaffolder calls outside a running task.

use std::path::Path;

use crate::diagnostic::Diagnostic;

/// A failure to load a template or its inputs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScaffolderError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The template is not a valid v1beta3 Template.
    #[error("{file}: invalid template: {}", first_problem(diagnostics))]
    InvalidTemplate {
        /// The file.
        file: String,
        /// Every problem, with positions.
        diagnostics: Vec<Diagnostic>,
    },
}

impl ScaffolderError {
    /// Wraps an I/O error with its path.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            source,
        }
    }

    /// A stable kebab-case code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "io",
            Self::InvalidTemplate { .. } => "invalid-template",
        }
    }
}

fn first_problem(diagnostics: &[Diagnostic]) -> String {
    match diagnostics {
        [] => "no details".into(),
        [d] => d.to_string(),
        [d, rest @ ..] => format!("{d} (and {} more)", rest.len()),
    }
}
