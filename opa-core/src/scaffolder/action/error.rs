//! Failures of an action.

use crate::scaffolder::catalog::CatalogError;
use crate::scaffolder::templating::TemplateError;
use crate::scaffolder::urls::UrlError;
use crate::scaffolder::workspace::UnsafePath;
use crate::vcs::VcsError;

/// Why an action failed. Messages name the file, URL, repository or entity concerned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ActionError {
    /// The input is not what the action needs.
    #[error("{0}")]
    InvalidInput(String),
    /// A path would leave the workspace.
    #[error(transparent)]
    UnsafePath(#[from] UnsafePath),
    /// A `url` input cannot be served.
    #[error(transparent)]
    Url(#[from] UrlError),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file, relative to the workspace when inside it.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Something the action needs does not exist (an entity, a file).
    #[error("{0}")]
    NotFound(String),
    /// A file or value could not be rendered.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// The git host failed.
    #[error(transparent)]
    Vcs(#[from] VcsError),
    /// The catalog failed.
    #[error("catalog: {0}")]
    Catalog(#[from] CatalogError),
    /// The task was cancelled while the action ran.
    #[error("cancelled")]
    Cancelled,
    /// Any other failure (actions from bindings report theirs this way).
    #[error("{0}")]
    Failed(String),
}

impl ActionError {
    /// An I/O error with its path.
    pub fn io(path: impl std::fmt::Display, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_string(),
            source,
        }
    }

    /// A stable kebab-case code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidInput(_) => "invalid-input",
            Self::UnsafePath(_) => "unsafe-path",
            Self::Url(UrlError::Unsafe { .. }) => "unsafe-path",
            Self::Url(_) => "url-not-served",
            Self::Io { .. } => "io",
            Self::NotFound(_) => "not-found",
            Self::Template(e) => e.code(),
            Self::Vcs(e) => e.code(),
            Self::Catalog(_) => "catalog",
            Self::Cancelled => "cancelled",
            Self::Failed(_) => "action-failed",
        }
    }
}
