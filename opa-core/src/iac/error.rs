//! Failures of an IaC runner call, the same for every backend so callers (the CLI, the action)
//! can tell a refusal from bad credentials from throttling.

/// A failure of an [`IacRunner`](super::IacRunner) call. Messages never hold a secret or a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IacError {
    /// The runner is read-only: the run was not triggered (nothing was sent).
    #[error(
        "refused: the {backend} runner is read-only (readOnly: true in opa.yaml), so no run of stack {stack} was triggered"
    )]
    ReadOnly {
        /// The backend's kind.
        backend: &'static str,
        /// The stack a run was asked for.
        stack: String,
    },
    /// The service refused the credentials (a wrong or revoked API key).
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// The credentials are good but may not do this (an API key without write access to the
    /// stack's space).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The service asked to slow down.
    #[error("rate limited: {message}")]
    RateLimited {
        /// What was asked, and what the service said.
        message: String,
        /// How long the service asked to wait (`Retry-After`), in seconds.
        retry_after_secs: Option<u64>,
    },
    /// The stack does not exist, or the credentials cannot see it.
    #[error("not found: {0}")]
    NotFound(String),
    /// The request is malformed (an empty stack id).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The service answered the call with errors of its own (GraphQL `errors`).
    #[error("{0}")]
    Api(String),
    /// Any other failure: the service unreachable, an answer that is not what its API documents.
    #[error("{0}")]
    Backend(String),
}

impl IacError {
    /// A stable kebab-case code for `--format json` and the bindings.
    pub fn code(&self) -> &'static str {
        match self {
            IacError::ReadOnly { .. } => "read-only",
            IacError::Unauthorized(_) => "unauthorized",
            IacError::Forbidden(_) => "forbidden",
            IacError::RateLimited { .. } => "rate-limited",
            IacError::NotFound(_) => "not-found",
            IacError::InvalidRequest(_) => "invalid-request",
            IacError::Api(_) => "api",
            IacError::Backend(_) => "backend",
        }
    }

    /// Whether the call was refused by policy rather than failed (the CLI's exit code is 1
    /// either way; the message says which).
    pub fn is_refusal(&self) -> bool {
        matches!(self, IacError::ReadOnly { .. } | IacError::Forbidden(_))
    }
}
