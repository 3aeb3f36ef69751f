//! The Port API client: access tokens and entity upserts.

use std::fmt;

use opa_core::port::PortEntity;
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::Value as Json;
use tokio::sync::Mutex;

use crate::credentials::{Credentials, Token};
use crate::error::PortError;

/// Port's API (EU region); the US region is `https://api.us.getport.io`.
pub const DEFAULT_API_URL: &str = "https://api.getport.io";

/// How an upsert treats what Port already has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpsertOptions {
    /// Merge the given properties and relations into the existing entity instead of replacing
    /// it (`merge=true`).
    pub merge: bool,
    /// Create placeholder entities for relation targets that do not exist yet.
    pub create_missing_related_entities: bool,
}

impl UpsertOptions {
    pub(crate) fn query(self) -> [(&'static str, &'static str); 3] {
        let b = |v: bool| if v { "true" } else { "false" };
        [
            ("upsert", "true"),
            ("merge", b(self.merge)),
            (
                "create_missing_related_entities",
                b(self.create_missing_related_entities),
            ),
        ]
    }
}

/// A client of Port's API. Tokens are fetched on first use and renewed when they expire (or
/// when Port answers 401).
pub struct PortClient {
    pub(crate) http: reqwest::Client,
    pub(crate) api_url: String,
    credentials: Credentials,
    token: Mutex<Option<Token>>,
}

impl fmt::Debug for PortClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PortClient")
            .field("api_url", &self.api_url)
            .field("credentials", &self.credentials)
            .finish()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenAnswer {
    access_token: String,
    #[serde(default = "default_expiry")]
    expires_in: u64,
    #[serde(default)]
    token_type: String,
}

fn default_expiry() -> u64 {
    3600
}

#[derive(Deserialize, Default)]
struct ErrorAnswer {
    #[serde(default)]
    error: String,
    #[serde(default)]
    message: String,
}

impl PortClient {
    /// A client of Port's EU API.
    pub fn new(credentials: Credentials) -> Self {
        Self::with_api_url(credentials, DEFAULT_API_URL)
    }

    /// A client of the Port API at `api_url` (`https://api.us.getport.io`, a test server…).
    pub fn with_api_url(credentials: Credentials, api_url: impl Into<String>) -> Self {
        Self {
            http: reqwest::Client::new(),
            api_url: api_url.into().trim_end_matches('/').to_string(),
            credentials,
            token: Mutex::new(None),
        }
    }

    /// The `Authorization` header value: a cached token, or a new one from
    /// `POST /v1/auth/access_token`.
    pub(crate) async fn authorization(&self) -> Result<String, PortError> {
        let mut token = self.token.lock().await;
        if let Some(t) = token.as_ref().filter(|t| t.is_fresh()) {
            return Ok(t.header.clone());
        }
        let fresh = self.fetch_token().await?;
        let header = fresh.header.clone();
        *token = Some(fresh);
        Ok(header)
    }

    async fn forget_token(&self) {
        *self.token.lock().await = None;
    }

    async fn fetch_token(&self) -> Result<Token, PortError> {
        let operation = "get an access token".to_string();
        let response = self
            .http
            .post(format!("{}/v1/auth/access_token", self.api_url))
            .json(&serde_json::json!({
                "clientId": self.credentials.client_id,
                "clientSecret": self.credentials.client_secret,
            }))
            .send()
            .await
            .map_err(|source| PortError::Transport {
                operation: operation.clone(),
                source,
            })?;
        let status = response.status();
        if !status.is_success() {
            let answer: ErrorAnswer = response.json().await.unwrap_or_default();
            return Err(PortError::Auth {
                client_id: self.credentials.client_id.clone(),
                status: status.as_u16(),
                message: answer.message,
            });
        }
        let answer: TokenAnswer = response.json().await.map_err(|e| PortError::Decode {
            operation,
            message: e.to_string(),
        })?;
        Ok(Token::new(
            &answer.token_type,
            &answer.access_token,
            answer.expires_in,
        ))
    }

    /// Sends an authorized request with a JSON body; retries once with a new token on 401.
    /// Returns the status and the JSON answer.
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: &Json,
        operation: &str,
    ) -> Result<(StatusCode, Json), PortError> {
        for attempt in 0..2 {
            let auth = self.authorization().await?;
            let response = self
                .http
                .request(method.clone(), format!("{}{path}", self.api_url))
                .query(query)
                .header(reqwest::header::AUTHORIZATION, auth)
                .json(body)
                .send()
                .await
                .map_err(|source| PortError::Transport {
                    operation: operation.to_string(),
                    source,
                })?;
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED && attempt == 0 {
                self.forget_token().await;
                continue;
            }
            let text = response
                .text()
                .await
                .map_err(|source| PortError::Transport {
                    operation: operation.to_string(),
                    source,
                })?;
            let json: Json = if text.trim().is_empty() {
                Json::Null
            } else {
                serde_json::from_str(&text).map_err(|e| PortError::Decode {
                    operation: operation.to_string(),
                    message: e.to_string(),
                })?
            };
            if !status.is_success() {
                let answer: ErrorAnswer = serde_json::from_value(json).unwrap_or_default();
                return Err(PortError::Api {
                    operation: operation.to_string(),
                    status: status.as_u16(),
                    error: answer.error,
                    message: answer.message,
                });
            }
            return Ok((status, json));
        }
        Err(PortError::Auth {
            client_id: self.credentials.client_id.clone(),
            status: 401,
            message: "a new access token was refused too".to_string(),
        })
    }

    /// Creates or updates one entity (`POST /v1/blueprints/{blueprint}/entities?upsert=true`);
    /// returns the entity as Port stored it.
    pub async fn upsert_entity(
        &self,
        entity: &PortEntity,
        options: UpsertOptions,
    ) -> Result<PortEntity, PortError> {
        if entity.blueprint.is_empty() {
            return Err(PortError::Invalid(
                "an entity needs a blueprint to be upserted".into(),
            ));
        }
        let operation = format!(
            "upsert entity {} of blueprint {}",
            entity.identifier.as_deref().unwrap_or("(new)"),
            entity.blueprint
        );
        let body = serde_json::to_value(entity).map_err(|e| PortError::Invalid(e.to_string()))?;
        let path = format!("/v1/blueprints/{}/entities", segment(&entity.blueprint));
        let (_, answer) = self
            .send(Method::POST, &path, &options.query(), &body, &operation)
            .await?;
        match answer.get("entity") {
            Some(stored) => serde_json::from_value(stored.clone()).map_err(|e| PortError::Decode {
                operation,
                message: e.to_string(),
            }),
            None => Ok(entity.clone()),
        }
    }
}

/// A path segment with the characters that would break the URL escaped.
pub(crate) fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~@=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
