//! Failures of cloud calls, the same for every backend so callers (operations, actions, the
//! CLI) can tell a refusal from a missing resource from a transient failure.

/// A failure of a cloud call. Messages never hold a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CloudError {
    /// The caller may not do this (IAM AccessDenied, an untrusted role, expired credentials).
    #[error("access denied: {0}")]
    AccessDenied(String),
    /// The resource does not exist.
    #[error("{kind} {name} not found")]
    NotFound {
        /// What kind of resource (`role`, `secret`, `parameter`, `app`).
        kind: &'static str,
        /// Its name or ARN.
        name: String,
    },
    /// The resource exists already (a create that must not overwrite).
    #[error("{kind} {name} already exists")]
    AlreadyExists {
        /// What kind of resource.
        kind: &'static str,
        /// Its name or ARN.
        name: String,
    },
    /// The request is malformed (a bad name, an empty role ARN).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The backend does not offer this for this runtime (EKS operations on AWS, for now).
    #[error("not supported: {0}")]
    Unsupported(String),
    /// A resource exists with a different configuration than bootstrap would give it (a role's
    /// trust policy changed by hand); changed only when forced.
    #[error("drift: {0}")]
    Drift(String),
    /// The service asked to slow down and retries ran out.
    #[error("throttled: {0}")]
    Throttled(String),
    /// The local backend's state could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Any other failure of the backend or the service.
    #[error("{0}")]
    Backend(String),
}

impl CloudError {
    /// A stable kebab-case code for `--format json`, audit records and the bindings.
    pub fn code(&self) -> &'static str {
        match self {
            CloudError::AccessDenied(_) => "access-denied",
            CloudError::NotFound { .. } => "not-found",
            CloudError::AlreadyExists { .. } => "already-exists",
            CloudError::InvalidRequest(_) => "invalid-request",
            CloudError::Unsupported(_) => "unsupported",
            CloudError::Drift(_) => "drift",
            CloudError::Throttled(_) => "throttled",
            CloudError::Io { .. } => "io",
            CloudError::Backend(_) => "backend",
        }
    }

    /// A `NotFound` error.
    pub fn not_found(kind: &'static str, name: impl Into<String>) -> Self {
        CloudError::NotFound {
            kind,
            name: name.into(),
        }
    }
}
