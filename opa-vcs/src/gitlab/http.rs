//! Talking to GitLab over HTTP: the `PRIVATE-TOKEN` header, rate limits honoured with bounded
//! retries, pagination, and error statuses mapped to [`VcsError`] variants whose messages never
//! hold the token.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use opa_core::config::SecretString;
use opa_core::vcs::VcsError;
use reqwest::{Method, Response, StatusCode};
use serde::de::DeserializeOwned;

/// How many times a rate-limited (429) or briefly unavailable (502/503/504) request is retried.
const RETRIES: u32 = 3;
/// The longest wait honoured for one retry or a `RateLimit-Reset`, in seconds.
const MAX_WAIT_SECS: u64 = 60;
/// Items asked per page.
pub(super) const PER_PAGE: usize = 100;
/// Pages followed at most for one listing.
const MAX_PAGES: usize = 10_000;

/// The HTTP side of a GitLab client. Cheap to clone: clones share the rate-limit gate.
#[derive(Clone)]
pub(super) struct Http {
    /// The instance URL without `/api/v4` (`https://gitlab.com`).
    pub(super) base_url: String,
    token: Option<SecretString>,
    client: reqwest::Client,
    /// Until when requests wait because GitLab said `RateLimit-Remaining: 0`.
    gate: Arc<Mutex<Option<Instant>>>,
}

/// One request: method, path under `/api/v4` (already encoded), query and JSON body.
pub(super) struct Call<'a> {
    pub method: Method,
    pub path: String,
    pub query: Vec<(&'a str, String)>,
    pub body: Option<serde_json::Value>,
    /// What the request is about, for error messages (`project acme/web`).
    pub what: String,
}

impl<'a> Call<'a> {
    /// A GET of `path`.
    pub fn get(path: String, what: impl Into<String>) -> Self {
        Self {
            method: Method::GET,
            path,
            query: Vec::new(),
            body: None,
            what: what.into(),
        }
    }

    /// A request with a JSON body.
    pub fn send(
        method: Method,
        path: String,
        body: serde_json::Value,
        what: impl Into<String>,
    ) -> Self {
        Self {
            method,
            path,
            query: Vec::new(),
            body: Some(body),
            what: what.into(),
        }
    }

    /// Adds a query parameter.
    pub fn query(mut self, key: &'a str, value: impl Into<String>) -> Self {
        self.query.push((key, value.into()));
        self
    }
}

impl Http {
    pub(super) fn new(base_url: &str, token: Option<SecretString>) -> Result<Self, VcsError> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("opa-rs/", env!("CARGO_PKG_VERSION")))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| VcsError::Backend(format!("cannot build the HTTP client: {e}")))?;
        let base_url = base_url.trim_end_matches('/');
        let base_url = base_url.strip_suffix("/api/v4").unwrap_or(base_url);
        Ok(Self {
            base_url: base_url.to_string(),
            token: token.filter(|t| !t.is_empty()),
            client,
            gate: Arc::new(Mutex::new(None)),
        })
    }

    pub(super) fn has_token(&self) -> bool {
        self.token.is_some()
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v4{}", self.base_url, path)
    }

    /// Waits while an earlier answer said the rate limit is used up.
    async fn wait_for_gate(&self) {
        let until = self.gate.lock().ok().and_then(|g| *g);
        if let Some(until) = until {
            let now = Instant::now();
            if until > now {
                tokio::time::sleep(until - now).await;
            }
        }
    }

    /// Notes `RateLimit-Remaining: 0` so the next request waits for `RateLimit-Reset`.
    fn note_rate_limit(&self, response: &Response) {
        let remaining = header_u64(response, "ratelimit-remaining");
        if remaining == Some(0)
            && let Some(wait) = reset_wait(response)
            && let Ok(mut gate) = self.gate.lock()
        {
            tracing::info!(
                wait_secs = wait.as_secs(),
                "GitLab rate limit used up: pausing"
            );
            *gate = Some(Instant::now() + wait);
        }
    }

    /// Sends `call` to `url`, retrying 429s (after `Retry-After` or `RateLimit-Reset`) and
    /// 502/503/504s a bounded number of times; error statuses become [`VcsError`]s.
    async fn execute(&self, call: &Call<'_>, url: &str) -> Result<Response, VcsError> {
        let what = call.what.as_str();
        let mut attempt = 0;
        loop {
            self.wait_for_gate().await;
            let mut request = self.client.request(call.method.clone(), url);
            if !call.query.is_empty() {
                request = request.query(&call.query);
            }
            if let Some(body) = &call.body {
                request = request.json(body);
            }
            if let Some(token) = &self.token {
                request = request.header("PRIVATE-TOKEN", token.expose());
            }
            let response = request.send().await.map_err(|e| {
                VcsError::Backend(format!(
                    "GitLab request for {what} failed: {}",
                    e.without_url()
                ))
            })?;
            self.note_rate_limit(&response);
            let status = response.status();
            if status.is_success() {
                return Ok(response);
            }
            let retryable = status == StatusCode::TOO_MANY_REQUESTS
                || (call.method == Method::GET
                    && matches!(
                        status,
                        StatusCode::BAD_GATEWAY
                            | StatusCode::SERVICE_UNAVAILABLE
                            | StatusCode::GATEWAY_TIMEOUT
                    ));
            if retryable && attempt < RETRIES {
                attempt += 1;
                let wait = retry_wait(&response, attempt);
                tracing::info!(
                    what,
                    status = status.as_u16(),
                    wait_ms = wait.as_millis() as u64,
                    "GitLab asked to wait: retrying"
                );
                tokio::time::sleep(wait).await;
                continue;
            }
            let message = self.error_message(response).await;
            return Err(map_status(status, what, &message, self.has_token()));
        }
    }

    /// Sends `call` and returns the successful response.
    pub(super) async fn call(&self, call: Call<'_>) -> Result<Response, VcsError> {
        let url = self.url(&call.path);
        self.execute(&call, &url).await
    }

    /// Sends `call` and reads the JSON answer.
    pub(super) async fn json<T: DeserializeOwned>(&self, call: Call<'_>) -> Result<T, VcsError> {
        let what = call.what.clone();
        let response = self.call(call).await?;
        read_json(response, &what).await
    }

    /// GETs every page of a listing, following `X-Next-Page` or `Link: <…>; rel="next"`.
    pub(super) async fn all_pages<T: DeserializeOwned>(
        &self,
        call: Call<'_>,
    ) -> Result<Vec<T>, VcsError> {
        let what = call.what.clone();
        let base_query = call.query.clone();
        let mut call = call.query("per_page", PER_PAGE.to_string());
        let url = self.url(&call.path);
        let mut page = 1u64;
        call.query.push(("page", page.to_string()));
        let mut out = Vec::new();
        let mut previous_page: Option<u64> = None;
        for _ in 0..MAX_PAGES {
            let response = self.execute(&call, &url).await?;
            let next = next_page(&response);
            let bytes = response.bytes().await.map_err(|e| {
                VcsError::Backend(format!(
                    "reading GitLab's answer for {what}: {}",
                    e.without_url()
                ))
            })?;
            // A server that ignores `page` answers the same page again: stop there.
            let digest = {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                bytes.hash(&mut h);
                h.finish()
            };
            if previous_page == Some(digest) {
                break;
            }
            previous_page = Some(digest);
            let items: Vec<T> = serde_json::from_slice(&bytes).map_err(|e| {
                VcsError::Backend(format!("unreadable GitLab answer for {what}: {e}"))
            })?;
            let count = items.len();
            out.extend(items);
            match next {
                Next::Page(n) if n > page => {
                    page = n;
                    set_page(&mut call, page);
                }
                Next::Url(next_url) => match self.same_origin_query(&next_url) {
                    Some(query) => {
                        // Keyset pagination: the next URL carries the cursor.
                        call.query = base_query.clone();
                        call.query.extend(query);
                    }
                    None => break,
                },
                // No pagination headers at all: keep going while pages come back full.
                Next::Unknown if count >= PER_PAGE => {
                    page += 1;
                    set_page(&mut call, page);
                }
                _ => break,
            }
        }
        Ok(out)
    }

    /// The query of a `Link` URL when it points at this instance's API (the token is never sent
    /// elsewhere).
    fn same_origin_query(&self, next: &str) -> Option<Vec<(&'static str, String)>> {
        let next = url::Url::parse(next).ok()?;
        let base = url::Url::parse(&self.base_url).ok()?;
        if next.origin() != base.origin() {
            return None;
        }
        // Keys outlive the call only as 'static strs: keep the ones GitLab's pagination uses.
        const KEYS: &[&str] = &[
            "page",
            "per_page",
            "pagination",
            "id_after",
            "id_before",
            "cursor",
            "page_token",
            "order_by",
            "sort",
            "include_subgroups",
            "archived",
            "recursive",
            "ref",
            "path",
        ];
        let pairs: Vec<(&'static str, String)> = next
            .query_pairs()
            .filter_map(|(k, v)| {
                KEYS.iter()
                    .find(|key| **key == k)
                    .map(|key| (*key, v.into_owned()))
            })
            .collect();
        Some(pairs)
    }

    /// The error text of a failed response: GitLab's `message` (or `error`), flattened, with
    /// the token removed should the server echo it.
    async fn error_message(&self, response: Response) -> String {
        let text = response.text().await.unwrap_or_default();
        let message = match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(json) => flatten_message(json.get("message").or_else(|| json.get("error"))),
            Err(_) => text.chars().take(200).collect(),
        };
        match &self.token {
            Some(token) => message.replace(token.expose(), "***"),
            None => message,
        }
    }
}

fn set_page(call: &mut Call<'_>, page: u64) {
    call.query.retain(|(k, _)| *k != "page");
    call.query.push(("page", page.to_string()));
}

async fn read_json<T: DeserializeOwned>(response: Response, what: &str) -> Result<T, VcsError> {
    let bytes = response.bytes().await.map_err(|e| {
        VcsError::Backend(format!(
            "reading GitLab's answer for {what}: {}",
            e.without_url()
        ))
    })?;
    serde_json::from_slice(&bytes)
        .map_err(|e| VcsError::Backend(format!("unreadable GitLab answer for {what}: {e}")))
}

/// GitLab's `message` as one line: a string, or `{field: [errors]}` as `field error, …`.
fn flatten_message(value: Option<&serde_json::Value>) -> String {
    use serde_json::Value;
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| flatten_message(Some(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Object(fields)) => fields
            .iter()
            .map(|(k, v)| format!("{k} {}", flatten_message(Some(v))))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

/// The [`VcsError`] for an error status.
fn map_status(status: StatusCode, what: &str, message: &str, has_token: bool) -> VcsError {
    let detail = if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    };
    match status {
        StatusCode::UNAUTHORIZED => {
            let hint = if has_token {
                "GitLab refused the token"
            } else {
                "no GitLab token was given"
            };
            VcsError::Unauthorized(format!(
                "{hint} (401) for {what}; set GITLAB_TOKEN or the integration's token in opa.yaml"
            ))
        }
        StatusCode::FORBIDDEN => VcsError::Forbidden(format!(
            "the token may not access {what} (403){detail}; check its scopes and role"
        )),
        StatusCode::NOT_FOUND => VcsError::NotFound(what.to_string()),
        StatusCode::CONFLICT => VcsError::Conflict(format!("{what}{detail}")),
        StatusCode::TOO_MANY_REQUESTS => VcsError::RateLimited(format!(
            "GitLab's rate limit (429) still exceeded for {what} after {RETRIES} retries"
        )),
        StatusCode::BAD_REQUEST => {
            VcsError::InvalidRequest(format!("GitLab rejected {what} ({status}){detail}"))
        }
        StatusCode::UNPROCESSABLE_ENTITY => {
            VcsError::Rejected(format!("GitLab rejected {what} ({status}){detail}"))
        }
        other => VcsError::Backend(format!("GitLab answered {other} for {what}{detail}")),
    }
}

/// Whether a rejection says a name is taken (GitLab answers 400 `has already been taken`).
pub(super) fn is_taken(error: &VcsError) -> bool {
    match error {
        VcsError::Conflict(_) => true,
        VcsError::InvalidRequest(m) | VcsError::Rejected(m) => {
            m.contains("has already been taken") || m.contains("already exists")
        }
        _ => false,
    }
}

fn header_u64(response: &Response, name: &str) -> Option<u64> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
}

/// How long until `RateLimit-Reset` (a Unix time in seconds), capped.
fn reset_wait(response: &Response) -> Option<Duration> {
    let reset = header_u64(response, "ratelimit-reset")?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(
        reset.saturating_sub(now).clamp(1, MAX_WAIT_SECS),
    ))
}

/// How long to wait before retry `attempt`: `Retry-After` seconds, else until
/// `RateLimit-Reset`, else a short exponential backoff.
fn retry_wait(response: &Response, attempt: u32) -> Duration {
    if let Some(secs) = header_u64(response, "retry-after") {
        return Duration::from_secs(secs.min(MAX_WAIT_SECS));
    }
    if let Some(wait) = reset_wait(response) {
        return wait;
    }
    Duration::from_millis(500 * 2u64.pow(attempt.saturating_sub(1)))
}

/// Where the next page is.
enum Next {
    /// `X-Next-Page: N` (or a `Link` whose next URL has `page=N`).
    Page(u64),
    /// A `Link: <url>; rel="next"` without a page number (keyset pagination).
    Url(String),
    /// The headers say this was the last page.
    Last,
    /// No pagination headers at all.
    Unknown,
}

fn next_page(response: &Response) -> Next {
    let headers = response.headers();
    let link_next = headers
        .get("link")
        .and_then(|v| v.to_str().ok())
        .and_then(link_next);
    if let Some(next) = headers.get("x-next-page").and_then(|v| v.to_str().ok()) {
        if let Ok(n) = next.trim().parse::<u64>() {
            return Next::Page(n);
        }
        if link_next.is_none() {
            return Next::Last;
        }
    }
    if let Some(url) = link_next {
        let page = url.split_once('?').and_then(|(_, q)| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix("page="))
                .and_then(|p| p.parse::<u64>().ok())
        });
        return match page {
            Some(n) => Next::Page(n),
            None => Next::Url(url),
        };
    }
    if headers.contains_key("link")
        || headers.contains_key("x-total-pages")
        || headers.contains_key("x-page")
    {
        Next::Last
    } else {
        Next::Unknown
    }
}

/// The `rel="next"` URL of a `Link` header.
fn link_next(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        let is_next = params
            .split(';')
            .any(|p| matches!(p.trim(), "rel=\"next\"" | "rel=next"));
        is_next.then(|| {
            url.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_next_link() {
        let link = r#"<https://gl/api/v4/projects?page=1&per_page=3>; rel="prev", <https://gl/api/v4/projects?page=3&per_page=3>; rel="next", <https://gl/api/v4/projects?page=9>; rel="last""#;
        assert_eq!(
            link_next(link).as_deref(),
            Some("https://gl/api/v4/projects?page=3&per_page=3")
        );
        assert_eq!(link_next(r#"<https://gl/x?page=1>; rel="first""#), None);
    }

    #[test]
    fn flattens_gitlab_messages() {
        let json = serde_json::json!({"name": ["has already been taken"], "path": ["has already been taken"]});
        assert_eq!(
            flatten_message(Some(&json)),
            "name has already been taken, path has already been taken"
        );
        assert_eq!(
            flatten_message(Some(&serde_json::json!("403 Forbidden"))),
            "403 Forbidden"
        );
    }

    #[test]
    fn maps_statuses_to_distinct_errors() {
        let codes: Vec<&str> = [401, 403, 404, 409, 429, 400, 422, 500]
            .into_iter()
            .map(|s| map_status(StatusCode::from_u16(s).unwrap(), "project a/b", "m", true).code())
            .collect();
        assert_eq!(
            codes,
            [
                "unauthorized",
                "forbidden",
                "not-found",
                "conflict",
                "rate-limited",
                "invalid-request",
                "rejected",
                "vcs"
            ]
        );
    }
}
