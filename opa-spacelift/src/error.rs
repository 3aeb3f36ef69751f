//! The error type of the Spacelift client. Messages never hold the API key's secret or a JWT.

/// A failure of a call to Spacelift.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpaceliftError {
    /// Spacelift refused the API key (HTTP 401, an `unauthorized` GraphQL error, or no JWT for
    /// the key), even after a fresh token exchange.
    #[error(
        "spacelift at {endpoint} refused API key {key_id} while trying to {operation}: check spacelift.apiKeyId and apiKeySecret in opa.yaml (or SPACELIFT_API_KEY_ID and SPACELIFT_API_KEY_SECRET)"
    )]
    Unauthorized {
        /// The endpoint.
        endpoint: String,
        /// The API key's id (not a secret).
        key_id: String,
        /// What was asked (`list stacks`).
        operation: String,
    },
    /// The API key may not do this (HTTP 403).
    #[error(
        "spacelift forbids API key {key_id} to {operation} (403): the key's spaces or access policies do not allow it"
    )]
    Forbidden {
        /// The API key's id.
        key_id: String,
        /// What was asked.
        operation: String,
    },
    /// Spacelift asked to slow down (HTTP 429).
    #[error("spacelift rate-limited the call to {operation} (429){}", retry_after_text(.retry_after_secs))]
    RateLimited {
        /// What was asked.
        operation: String,
        /// `Retry-After`, in seconds, when Spacelift sent it.
        retry_after_secs: Option<u64>,
    },
    /// Spacelift answered with GraphQL `errors`.
    #[error("spacelift could not {operation}: {}", .messages.join("; "))]
    GraphQl {
        /// What was asked.
        operation: String,
        /// The errors' messages.
        messages: Vec<String>,
    },
    /// Spacelift answered with another HTTP error status.
    #[error("spacelift answered {status} to {operation}{}", detail_text(.detail))]
    Http {
        /// What was asked.
        operation: String,
        /// The HTTP status.
        status: u16,
        /// The GraphQL error messages of the answer, if it had any.
        detail: Option<String>,
    },
    /// Spacelift could not be reached, or the connection failed.
    #[error("cannot reach spacelift at {endpoint} to {operation}: {}", error_chain(.source))]
    Transport {
        /// The endpoint.
        endpoint: String,
        /// What was asked.
        operation: String,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// Spacelift answered something that is not what its API documents.
    #[error("unexpected answer from spacelift to {operation}: {message}")]
    Decode {
        /// What was asked.
        operation: String,
        /// What was wrong with it.
        message: String,
    },
    /// The call cannot be made with these arguments (an empty stack id).
    #[error("{0}")]
    Invalid(String),
}

/// The error and its causes ("error sending request: client error (Connect): tcp connect error:
/// Connection refused"), since reqwest's own message alone says little.
fn error_chain(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

fn retry_after_text(secs: &Option<u64>) -> String {
    match secs {
        Some(s) => format!("; retry after {s} s"),
        None => String::new(),
    }
}

fn detail_text(detail: &Option<String>) -> String {
    match detail {
        Some(d) => format!(": {d}"),
        None => String::new(),
    }
}

impl SpaceliftError {
    /// A stable kebab-case code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            SpaceliftError::Unauthorized { .. } => "unauthorized",
            SpaceliftError::Forbidden { .. } => "forbidden",
            SpaceliftError::RateLimited { .. } => "rate-limited",
            SpaceliftError::GraphQl { .. } => "graphql",
            SpaceliftError::Http { .. } => "http",
            SpaceliftError::Transport { .. } => "unreachable",
            SpaceliftError::Decode { .. } => "decode",
            SpaceliftError::Invalid(_) => "invalid-request",
        }
    }
}
