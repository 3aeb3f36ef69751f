//! The Spacelift GraphQL client: the API key → JWT exchange (cached), stacks, run triggers.

use std::fmt;
use std::time::Duration;

use opa_core::config::SecretString;
use opa_core::iac::{Stack, TriggeredRun};
use serde_json::{Value as Json, json};
use tokio::sync::Mutex;

use crate::credentials::{ApiKey, CachedJwt};
use crate::error::SpaceliftError;
use crate::graphql::{API_KEY_USER, Answer, RUN_TRIGGER, STACKS, read_answer};

/// How long a JWT is used before it is renewed. Spacelift's JWTs last longer (about an hour);
/// renewing every minute keeps a revoked key from working on for long.
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(60);

/// How long one call may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// A client of one Spacelift account's GraphQL API, authenticated with an API key.
pub struct SpaceliftClient {
    http: reqwest::Client,
    endpoint: String,
    key: ApiKey,
    token_ttl: Duration,
    jwt: Mutex<Option<CachedJwt>>,
}

impl fmt::Debug for SpaceliftClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpaceliftClient")
            .field("endpoint", &self.endpoint)
            .field("key", &self.key)
            .field("token_ttl", &self.token_ttl)
            .finish_non_exhaustive()
    }
}

impl SpaceliftClient {
    /// A client of the GraphQL API at `endpoint` (`https://<account>.app.spacelift.io/graphql`).
    pub fn new(endpoint: impl Into<String>, key: ApiKey) -> Self {
        let http = reqwest::Client::builder()
            .timeout(CALL_TIMEOUT)
            .user_agent(concat!("opa-rs/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        Self {
            http,
            endpoint: endpoint.into(),
            key,
            token_ttl: DEFAULT_TOKEN_TTL,
            jwt: Mutex::new(None),
        }
    }

    /// Renews the JWT after `ttl` instead of [`DEFAULT_TOKEN_TTL`].
    pub fn with_token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }

    /// The GraphQL endpoint.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The API key's id.
    pub fn key_id(&self) -> &str {
        self.key.id()
    }

    /// Every stack the API key can see, in Spacelift's order.
    pub async fn stacks(&self) -> Result<Vec<Stack>, SpaceliftError> {
        let operation = "list stacks";
        let data = self.call(STACKS, json!({}), operation).await?;
        let stacks = data.get("stacks").cloned().unwrap_or(Json::Null);
        serde_json::from_value(stacks).map_err(|e| SpaceliftError::Decode {
            operation: operation.to_string(),
            message: format!("stacks: {e}"),
        })
    }

    /// Triggers a run of stack `stack` (its id) on the stack's tracked commit.
    pub async fn trigger_run(&self, stack: &str) -> Result<TriggeredRun, SpaceliftError> {
        let stack = stack.trim();
        if stack.is_empty() {
            return Err(SpaceliftError::Invalid(
                "a stack id is needed to trigger a run".into(),
            ));
        }
        let operation = format!("trigger a run of stack {stack}");
        let data = self
            .call(RUN_TRIGGER, json!({ "stack": stack }), &operation)
            .await?;
        let field = |name: &str| {
            data.pointer(&format!("/runTrigger/{name}"))
                .and_then(Json::as_str)
                .map(str::to_string)
                .ok_or_else(|| SpaceliftError::Decode {
                    operation: operation.clone(),
                    message: format!("runTrigger.{name} is missing"),
                })
        };
        Ok(TriggeredRun {
            stack: stack.to_string(),
            run_id: field("id")?,
            state: field("state")?,
        })
    }

    /// Runs an authenticated call; when the credentials are refused, renews the JWT once and
    /// tries again.
    async fn call(
        &self,
        query: &str,
        variables: Json,
        operation: &str,
    ) -> Result<Json, SpaceliftError> {
        for attempt in 0..2 {
            let jwt = self.jwt().await?;
            match self.post(query, &variables, Some(&jwt), operation).await {
                Answer::Data(data) => return Ok(data),
                Answer::Unauthorized if attempt == 0 => {
                    tracing::debug!(operation, "spacelift refused the JWT; renewing it");
                    *self.jwt.lock().await = None;
                }
                Answer::Unauthorized => break,
                Answer::Failed(e) => return Err(e),
            }
        }
        Err(self.unauthorized(operation))
    }

    /// A JWT younger than the TTL, or a new one. The lock is held during the exchange, so
    /// concurrent calls share one exchange.
    async fn jwt(&self) -> Result<SecretString, SpaceliftError> {
        let mut cached = self.jwt.lock().await;
        if let Some(c) = cached.as_ref().filter(|c| c.is_fresh(self.token_ttl)) {
            return Ok(c.jwt.clone());
        }
        let fresh = self.exchange().await?;
        let jwt = fresh.jwt.clone();
        *cached = Some(fresh);
        Ok(jwt)
    }

    /// `apiKeyUser(id, secret) { jwt }`.
    async fn exchange(&self) -> Result<CachedJwt, SpaceliftError> {
        let operation = "exchange the API key for a token";
        tracing::debug!(endpoint = %self.endpoint, key_id = %self.key.id, "{operation}");
        let variables = json!({ "id": self.key.id, "secret": self.key.secret.expose() });
        match self.post(API_KEY_USER, &variables, None, operation).await {
            Answer::Data(data) => {
                match data.pointer("/apiKeyUser/jwt").and_then(Json::as_str) {
                    Some(jwt) if !jwt.is_empty() => Ok(CachedJwt::new(jwt.to_string())),
                    // `apiKeyUser: null`: no such key, or a wrong secret.
                    _ => Err(self.unauthorized(operation)),
                }
            }
            Answer::Unauthorized => Err(self.unauthorized(operation)),
            Answer::Failed(e) => Err(e),
        }
    }

    /// One POST of a GraphQL document.
    async fn post(
        &self,
        query: &str,
        variables: &Json,
        jwt: Option<&SecretString>,
        operation: &str,
    ) -> Answer {
        tracing::debug!(endpoint = %self.endpoint, operation, "spacelift call");
        let mut request = self
            .http
            .post(&self.endpoint)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(jwt) = jwt {
            request = request.bearer_auth(jwt.expose());
        }
        let transport = |source| {
            Answer::Failed(SpaceliftError::Transport {
                endpoint: self.endpoint.clone(),
                operation: operation.to_string(),
                source,
            })
        };
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => return transport(e.without_url()),
        };
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = match response.text().await {
            Ok(b) => b,
            Err(e) => return transport(e.without_url()),
        };
        let scrub = |text: String| self.scrub(text, jwt);
        read_answer(
            status,
            retry_after.as_deref(),
            &body,
            operation,
            &self.key.id,
            &scrub,
        )
    }

    /// `text` without the API key's secret or the JWT, should Spacelift ever echo them.
    fn scrub(&self, text: String, jwt: Option<&SecretString>) -> String {
        let mut text = text;
        for secret in [Some(&self.key.secret), jwt].into_iter().flatten() {
            if !secret.is_empty() && text.contains(secret.expose()) {
                text = text.replace(secret.expose(), "***");
            }
        }
        text
    }

    fn unauthorized(&self, operation: &str) -> SpaceliftError {
        SpaceliftError::Unauthorized {
            endpoint: self.endpoint.clone(),
            key_id: self.key.id.clone(),
            operation: operation.to_string(),
        }
    }
}
