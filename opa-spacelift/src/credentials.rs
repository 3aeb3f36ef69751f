//! The API key and the JWT it is exchanged for. Neither secret is ever printed.

use std::fmt;
use std::time::{Duration, Instant};

use opa_core::config::SecretString;

/// A Spacelift API key (Settings → API keys): its id and its secret.
#[derive(Clone)]
pub struct ApiKey {
    pub(crate) id: String,
    pub(crate) secret: SecretString,
}

impl ApiKey {
    /// A key from its id and secret.
    pub fn new(id: impl Into<String>, secret: SecretString) -> Self {
        Self {
            id: id.into(),
            secret,
        }
    }

    /// The key's id (not a secret).
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("id", &self.id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// A JWT and when it was obtained.
pub(crate) struct CachedJwt {
    pub(crate) jwt: SecretString,
    fetched_at: Instant,
}

impl CachedJwt {
    pub(crate) fn new(jwt: String) -> Self {
        Self {
            jwt: SecretString::new(jwt),
            fetched_at: Instant::now(),
        }
    }

    /// Whether it is younger than `ttl`.
    pub(crate) fn is_fresh(&self, ttl: Duration) -> bool {
        self.fetched_at.elapsed() < ttl
    }
}

impl fmt::Debug for CachedJwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedJwt")
            .field("jwt", &"<redacted>")
            .field("fetched_at", &self.fetched_at)
            .finish()
    }
}
