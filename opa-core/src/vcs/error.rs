//! Failures of a version-control call.

/// A failure of a [`Vcs`](super::Vcs) call. Messages name the repository and never a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VcsError {
    /// The repository (or file, or branch) does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The repository already exists.
    #[error("repository {0} already exists")]
    AlreadyExists(String),
    /// The request is malformed (an invalid owner or repository name, an unsafe path, …).
    #[error("{0}")]
    InvalidRequest(String),
    /// The backend cannot do this.
    #[error("the {backend} backend cannot {operation}")]
    Unsupported {
        /// The backend's kind.
        backend: &'static str,
        /// What was asked.
        operation: &'static str,
    },
    /// No backend is configured for a host.
    #[error("no integration in opa.yaml serves host {0}")]
    NoIntegration(String),
    /// The host refused the credentials.
    #[error("not authorized: {0}")]
    Unauthorized(String),
    /// Any other failure of the backend (git, I/O, HTTP).
    #[error("{0}")]
    Backend(String),
}

impl VcsError {
    /// A stable kebab-case code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            VcsError::NotFound(_) => "not-found",
            VcsError::AlreadyExists(_) => "already-exists",
            VcsError::InvalidRequest(_) => "invalid-request",
            VcsError::Unsupported { .. } => "unsupported",
            VcsError::NoIntegration(_) => "no-integration",
            VcsError::Unauthorized(_) => "unauthorized",
            VcsError::Backend(_) => "vcs",
        }
    }
}
