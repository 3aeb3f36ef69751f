//! The error type of opa-core: failures of a call, as opposed to problems in user input (those are
//! [`Diagnostic`](crate::Diagnostic)s).

use std::path::PathBuf;

/// A failure of an opa-core call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// An entity reference could not be parsed; the message is Backstage's.
    #[error("{0}")]
    InvalidRef(String),
    /// Input was rejected; the message names the file, line and column or the entity ref.
    #[error("{0}")]
    Invalid(String),
}

impl Error {
    /// A stable kebab-case code for this error, used by the bindings and `--format json`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::InvalidRef(_) => "invalid-ref",
            Error::Invalid(_) => "invalid",
        }
    }

    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// `Result` with opa-core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
