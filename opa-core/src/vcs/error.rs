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
    /// The host knows the credentials but refuses this operation (HTTP 403).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The request conflicts with the repository's state (HTTP 409: an empty repository, a
    /// branch that moved, a variable that exists).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The host refused the request's content (HTTP 422: validation failed).
    #[error("rejected: {0}")]
    Rejected(String),
    /// The host's rate limit is exhausted and the wait it asks for is longer than allowed.
    #[error("rate limited: {0}")]
    RateLimited(String),
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
            VcsError::Forbidden(_) => "forbidden",
            VcsError::Conflict(_) => "conflict",
            VcsError::Rejected(_) => "rejected",
            VcsError::RateLimited(_) => "rate-limited",
            VcsError::Backend(_) => "vcs",
        }
    }
}
