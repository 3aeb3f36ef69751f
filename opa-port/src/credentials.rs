//! Port credentials and the access tokens they are exchanged for. Neither is ever printed.

use std::fmt;
use std::time::{Duration, Instant};

/// A Port client id and secret (Port → Settings → Credentials).
#[derive(Clone)]
pub struct Credentials {
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
}

impl Credentials {
    /// Credentials from a client id and secret.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }

    /// Credentials from `PORT_CLIENT_ID` and `PORT_CLIENT_SECRET`, when both are set.
    pub fn from_env() -> Option<Self> {
        let id = std::env::var("PORT_CLIENT_ID").ok()?;
        let secret = std::env::var("PORT_CLIENT_SECRET").ok()?;
        Some(Self::new(id, secret))
    }

    /// The client id (not a secret).
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish()
    }
}

/// An access token and when it stops being good.
#[derive(Clone)]
pub(crate) struct Token {
    /// `Bearer <token>`, ready for the `Authorization` header.
    pub(crate) header: String,
    pub(crate) expires_at: Instant,
}

impl Token {
    /// A token that Port says lasts `expires_in` seconds; it is renewed a minute early.
    pub(crate) fn new(token_type: &str, token: &str, expires_in: u64) -> Self {
        let token_type = if token_type.is_empty() {
            "Bearer"
        } else {
            token_type
        };
        Self {
            header: format!("{token_type} {token}"),
            expires_at: Instant::now() + Duration::from_secs(expires_in.saturating_sub(60)),
        }
    }

    pub(crate) fn is_fresh(&self) -> bool {
        Instant::now() < self.expires_at
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("header", &"<redacted>")
            .finish()
    }
}
