//! The error type of the Port client. Messages never hold a secret or a token.

/// A failure of a call to Port.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PortError {
    /// Port refused the credentials.
    #[error("port refused the credentials of client {client_id} ({status}): {message}")]
    Auth {
        /// The client id (not a secret).
        client_id: String,
        /// The HTTP status.
        status: u16,
        /// Port's message.
        message: String,
    },
    /// Port answered with an error.
    #[error("port answered {status} to {operation}: {error}: {message}")]
    Api {
        /// What was asked (`upsert entity checkout of blueprint service`).
        operation: String,
        /// The HTTP status.
        status: u16,
        /// Port's error id (`not_found`, `invalid_request`…).
        error: String,
        /// Port's message.
        message: String,
    },
    /// Port could not be reached, or the connection failed.
    #[error("cannot reach port for {operation}: {source}")]
    Transport {
        /// What was asked.
        operation: String,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// Port answered something that is not what its API documents.
    #[error("unexpected answer from port to {operation}: {message}")]
    Decode {
        /// What was asked.
        operation: String,
        /// What was wrong with it.
        message: String,
    },
    /// The call cannot be made with these arguments (an entity without a blueprint…).
    #[error("{0}")]
    Invalid(String),
}

impl PortError {
    /// A stable kebab-case code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            PortError::Auth { .. } => "port-auth",
            PortError::Api { .. } => "port-api",
            PortError::Transport { .. } => "port-unreachable",
            PortError::Decode { .. } => "port-decode",
            PortError::Invalid(_) => "invalid",
        }
    }
}
