//! The GraphQL documents OPA-rs sends to Spacelift and how their answers are read: `data` on
//! success, an `errors` array (HTTP 200) when the call failed.

use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::Value as Json;

use crate::error::SpaceliftError;

/// Exchanges an API key for a JWT (Spacelift's "API key → token" flow).
pub(crate) const API_KEY_USER: &str = "mutation ApiKeyUser($id: ID!, $secret: String!) { apiKeyUser(id: $id, secret: $secret) { jwt } }";

/// Every stack the caller can see.
pub(crate) const STACKS: &str =
    "query Stacks { stacks { id name state branch repository space labels } }";

/// Triggers a run of a stack on its tracked commit.
pub(crate) const RUN_TRIGGER: &str =
    "mutation RunTrigger($stack: ID!) { runTrigger(stack: $stack) { id state } }";

/// A GraphQL answer.
#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    data: Option<Json>,
    #[serde(default)]
    errors: Vec<GraphQlError>,
}

#[derive(Deserialize)]
struct GraphQlError {
    #[serde(default)]
    message: String,
}

/// How one HTTP exchange ended.
pub(crate) enum Answer {
    /// The `data` of a successful call.
    Data(Json),
    /// The credentials were refused: HTTP 401 or a GraphQL `unauthorized` error. The caller
    /// decides whether a new JWT is worth a second try.
    Unauthorized,
    /// Any other failure.
    Failed(SpaceliftError),
}

/// Reads an answer. `scrub` removes secrets from any text of it that ends up in an error.
pub(crate) fn read_answer(
    status: StatusCode,
    retry_after: Option<&str>,
    body: &str,
    operation: &str,
    key_id: &str,
    scrub: &dyn Fn(String) -> String,
) -> Answer {
    let envelope: Option<Envelope> = serde_json::from_str(body).ok();
    let messages: Vec<String> = envelope
        .as_ref()
        .map(|e| e.errors.iter().map(|e| scrub(e.message.clone())).collect())
        .unwrap_or_default();
    match status {
        StatusCode::UNAUTHORIZED => return Answer::Unauthorized,
        StatusCode::FORBIDDEN => {
            return Answer::Failed(SpaceliftError::Forbidden {
                key_id: key_id.to_string(),
                operation: operation.to_string(),
            });
        }
        StatusCode::TOO_MANY_REQUESTS => {
            return Answer::Failed(SpaceliftError::RateLimited {
                operation: operation.to_string(),
                retry_after_secs: retry_after.and_then(|v| v.trim().parse().ok()),
            });
        }
        s if !s.is_success() => {
            return Answer::Failed(SpaceliftError::Http {
                operation: operation.to_string(),
                status: s.as_u16(),
                detail: (!messages.is_empty()).then(|| messages.join("; ")),
            });
        }
        _ => {}
    }
    let Some(envelope) = envelope else {
        return Answer::Failed(SpaceliftError::Decode {
            operation: operation.to_string(),
            message: "the answer is not a GraphQL JSON response".into(),
        });
    };
    if !envelope.errors.is_empty() {
        // Spacelift reports a missing or expired token as a GraphQL error `unauthorized`.
        if messages
            .iter()
            .any(|m| m.trim().eq_ignore_ascii_case("unauthorized"))
        {
            return Answer::Unauthorized;
        }
        return Answer::Failed(SpaceliftError::GraphQl {
            operation: operation.to_string(),
            messages,
        });
    }
    match envelope.data {
        Some(data) if !data.is_null() => Answer::Data(data),
        _ => Answer::Failed(SpaceliftError::Decode {
            operation: operation.to_string(),
            message: "the answer has neither data nor errors".into(),
        }),
    }
}
