//! The HTTP side of the GitHub client: the headers every request carries, rate limits, the
//! mapping of error statuses to [`VcsError`] variants, and `Link` pagination.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use opa_core::vcs::VcsError;
use reqwest::header::HeaderMap;
use reqwest::{Method, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use super::GitHub;

/// The media type GitHub recommends for its REST API.
pub(super) const JSON_MEDIA_TYPE: &str = "application/vnd.github+json";
/// The media type that makes the contents API answer with the file's bytes.
pub(super) const RAW_MEDIA_TYPE: &str = "application/vnd.github.raw+json";
/// The REST API version this client is written against.
pub(super) const API_VERSION: &str = "2022-11-28";
/// How many times a rate-limited request is retried.
const RATE_LIMIT_RETRIES: u32 = 3;
/// The most pages one listing follows.
const MAX_PAGES: usize = 10_000;
/// The longest error text kept from a response body.
const MAX_MESSAGE: usize = 300;

/// Percent-encodes one path segment (`/` included), as GitHub's URLs expect for owners, names,
/// workflow file names and secret names.
pub(super) fn segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-encodes a `/`-separated path (a file path, a branch name) segment by segment.
pub(super) fn path(text: &str) -> String {
    text.split('/').map(segment).collect::<Vec<_>>().join("/")
}

/// What a failed response said: GitHub's `message`, with the `errors[].message` details.
fn error_message(body: &str) -> String {
    let Ok(json) = serde_json::from_str::<Json>(body) else {
        return body.chars().take(MAX_MESSAGE).collect();
    };
    let mut text = json["message"].as_str().unwrap_or_default().to_string();
    if let Some(errors) = json["errors"].as_array() {
        for e in errors {
            let detail = e["message"]
                .as_str()
                .map(str::to_string)
                .or_else(|| {
                    let code = e["code"].as_str()?;
                    let field = e["field"].as_str().unwrap_or_default();
                    Some(format!("{field} {code}").trim().to_string())
                })
                .or_else(|| e.as_str().map(str::to_string));
            if let Some(detail) = detail {
                text.push_str("; ");
                text.push_str(&detail);
            }
        }
    }
    text.chars().take(MAX_MESSAGE).collect()
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// How long to wait before retrying, when a response is a rate limit: `Retry-After` (secondary
/// limits), else `x-ratelimit-reset` when `x-ratelimit-remaining` is 0 (primary limit), else a
/// minute for a 429 or a 403 that says "rate limit", as GitHub's docs advise. `None`: not a rate
/// limit.
pub(super) fn rate_limit_wait(
    status: StatusCode,
    headers: &HeaderMap,
    message: &str,
    now: SystemTime,
) -> Option<Duration> {
    if status != StatusCode::FORBIDDEN && status != StatusCode::TOO_MANY_REQUESTS {
        return None;
    }
    if let Some(seconds) = header_u64(headers, "retry-after") {
        return Some(Duration::from_secs(seconds));
    }
    if header_u64(headers, "x-ratelimit-remaining") == Some(0) {
        let now = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let reset = header_u64(headers, "x-ratelimit-reset").unwrap_or(now + 60);
        // One second more: the reset time is rounded down.
        return Some(Duration::from_secs(reset.saturating_sub(now) + 1));
    }
    if status == StatusCode::TOO_MANY_REQUESTS
        || message.to_ascii_lowercase().contains("rate limit")
    {
        return Some(Duration::from_secs(60));
    }
    None
}

/// The error for a failed response (rate limits excluded); `what` names the object.
pub(super) fn status_error(status: StatusCode, what: &str, message: &str) -> VcsError {
    let detail = if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    };
    match status {
        StatusCode::UNAUTHORIZED => VcsError::Unauthorized(format!(
            "GitHub refused the token (401) for {what}{detail}; set GITHUB_TOKEN or the integration's token in opa.yaml"
        )),
        StatusCode::FORBIDDEN => {
            VcsError::Forbidden(format!("the token may not access {what} (403){detail}"))
        }
        StatusCode::NOT_FOUND => VcsError::NotFound(what.to_string()),
        StatusCode::CONFLICT => VcsError::Conflict(format!("{what} (409){detail}")),
        StatusCode::UNPROCESSABLE_ENTITY => VcsError::Rejected(format!("{what} (422){detail}")),
        other => VcsError::Backend(format!("GitHub answered {other} for {what}{detail}")),
    }
}

/// The `rel="next"` URL of a `Link` header.
pub(super) fn next_link(headers: &HeaderMap) -> Option<String> {
    let link = headers.get("link").and_then(|v| v.to_str().ok())?;
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        let is_next = params
            .split(';')
            .any(|p| p.trim().replace(' ', "") == "rel=\"next\"");
        let url = url.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| url.to_string())
    })
}

/// A request to send: its method, URL, JSON body and `Accept` media type.
pub(super) struct Call<'a> {
    pub method: Method,
    pub url: String,
    pub body: Option<&'a Json>,
    pub accept: &'static str,
    /// Names the object in errors and logs (`repository acme/web`).
    pub what: &'a str,
}

impl<'a> Call<'a> {
    /// A JSON request.
    pub fn new(method: Method, url: String, what: &'a str) -> Self {
        Self {
            method,
            url,
            body: None,
            accept: JSON_MEDIA_TYPE,
            what,
        }
    }

    /// With a JSON body.
    pub fn body(mut self, body: &'a Json) -> Self {
        self.body = Some(body);
        self
    }
}

impl GitHub {
    /// `https://api…` + `path`.
    pub(super) fn api(&self, path: &str) -> String {
        format!("{}{}", self.api_base, path)
    }

    /// Removes the token from a text that came from the server, in case it echoed it.
    fn scrub(&self, text: String) -> String {
        match &self.token {
            Some(token) if !token.is_empty() && text.contains(token.expose()) => {
                text.replace(token.expose(), "***")
            }
            _ => text,
        }
    }

    /// Sends a call, waiting out rate limits (up to the configured bound), and maps error
    /// statuses to [`VcsError`] variants.
    pub(super) async fn send(&self, call: &Call<'_>) -> Result<Response, VcsError> {
        let what = call.what;
        let mut attempt = 0;
        loop {
            let mut request = self
                .http
                .request(call.method.clone(), &call.url)
                .header("Accept", call.accept)
                .header("X-GitHub-Api-Version", API_VERSION);
            if let Some(token) = &self.token {
                request = request.bearer_auth(token.expose());
            }
            if let Some(body) = call.body {
                request = request.json(body);
            }
            let response = request.send().await.map_err(|e| {
                VcsError::Backend(format!(
                    "GitHub request for {what} failed: {}",
                    e.without_url()
                ))
            })?;
            let status = response.status();
            if status.is_success() {
                return Ok(response);
            }
            let headers = response.headers().clone();
            let body = response.text().await.unwrap_or_default();
            let message = self.scrub(error_message(&body));
            let Some(wait) = rate_limit_wait(status, &headers, &message, SystemTime::now()) else {
                return Err(status_error(status, what, &message));
            };
            if wait > self.max_rate_limit_wait {
                return Err(VcsError::RateLimited(format!(
                    "GitHub asks to wait {}s before {what} may be read again ({status}), more than the {}s allowed",
                    wait.as_secs(),
                    self.max_rate_limit_wait.as_secs()
                )));
            }
            if attempt >= RATE_LIMIT_RETRIES {
                return Err(VcsError::RateLimited(format!(
                    "GitHub rate limit ({status}) still exceeded for {what} after {RATE_LIMIT_RETRIES} retries"
                )));
            }
            attempt += 1;
            tracing::info!(
                what,
                wait_seconds = wait.as_secs(),
                "GitHub rate limit: waiting before retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// Sends a call and reads its JSON answer.
    pub(super) async fn json<T: DeserializeOwned>(&self, call: &Call<'_>) -> Result<T, VcsError> {
        let response = self.send(call).await?;
        read_json(response, call.what).await
    }

    /// GETs every page of a list, following `Link: <…>; rel="next"` on the API's own origin.
    pub(super) async fn get_all<T: DeserializeOwned>(
        &self,
        first: String,
        what: &str,
    ) -> Result<Vec<T>, VcsError> {
        let mut out = Vec::new();
        let mut url = Some(first);
        let mut pages = 0;
        while let Some(current) = url.take() {
            pages += 1;
            if pages > MAX_PAGES {
                return Err(VcsError::Backend(format!(
                    "more than {MAX_PAGES} pages listing {what}"
                )));
            }
            let response = self.send(&Call::new(Method::GET, current, what)).await?;
            url = next_link(response.headers());
            if let Some(next) = &url
                && !self.same_origin(next)
            {
                return Err(VcsError::Backend(format!(
                    "GitHub's next page for {what} is on another host; not sending the token there"
                )));
            }
            let mut items: Vec<T> = read_json(response, what).await?;
            out.append(&mut items);
        }
        Ok(out)
    }

    fn same_origin(&self, url: &str) -> bool {
        let origin = |u: &str| -> Option<String> {
            let parsed = reqwest::Url::parse(u).ok()?;
            Some(format!(
                "{}://{}:{}",
                parsed.scheme(),
                parsed.host_str()?.to_ascii_lowercase(),
                parsed.port_or_known_default()?
            ))
        };
        origin(url).is_some() && origin(url) == origin(&self.api_base)
    }
}

/// Reads a JSON answer.
pub(super) async fn read_json<T: DeserializeOwned>(
    response: Response,
    what: &str,
) -> Result<T, VcsError> {
    let bytes = response.bytes().await.map_err(|e| {
        VcsError::Backend(format!(
            "reading GitHub's answer for {what}: {}",
            e.without_url()
        ))
    })?;
    serde_json::from_slice(&bytes)
        .map_err(|e| VcsError::Backend(format!("unreadable GitHub answer for {what}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn reads_the_next_link() {
        let h = headers(&[(
            "link",
            r#"<https://api.github.com/organizations/1/repos?page=2>; rel="next", <https://api.github.com/organizations/1/repos?page=5>; rel="last""#,
        )]);
        assert_eq!(
            next_link(&h).as_deref(),
            Some("https://api.github.com/organizations/1/repos?page=2")
        );
        let last = headers(&[(
            "link",
            r#"<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=1>; rel="first""#,
        )]);
        assert_eq!(next_link(&last), None);
    }

    #[test]
    fn tells_rate_limits_from_refusals() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        let primary = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1030"),
        ]);
        assert_eq!(
            rate_limit_wait(StatusCode::FORBIDDEN, &primary, "", now),
            Some(Duration::from_secs(31))
        );
        let secondary = headers(&[("retry-after", "7")]);
        assert_eq!(
            rate_limit_wait(StatusCode::TOO_MANY_REQUESTS, &secondary, "", now),
            Some(Duration::from_secs(7))
        );
        let plain = headers(&[("x-ratelimit-remaining", "4999")]);
        assert_eq!(
            rate_limit_wait(
                StatusCode::FORBIDDEN,
                &plain,
                "Resource not accessible",
                now
            ),
            None
        );
        assert_eq!(
            rate_limit_wait(StatusCode::NOT_FOUND, &secondary, "", now),
            None
        );
        // A secondary limit without headers: a minute, as GitHub's docs advise.
        assert_eq!(
            rate_limit_wait(
                StatusCode::FORBIDDEN,
                &HeaderMap::new(),
                "You have exceeded a secondary rate limit",
                now
            ),
            Some(Duration::from_secs(60))
        );
    }

    #[test]
    fn keeps_error_details() {
        let body = r#"{"message":"Repository creation failed.","errors":[{"resource":"Repository","code":"custom","field":"name","message":"name already exists on this account"}]}"#;
        assert_eq!(
            error_message(body),
            "Repository creation failed.; name already exists on this account"
        );
        let body = r#"{"message":"Validation Failed","errors":[{"resource":"PullRequest","field":"head","code":"invalid"}]}"#;
        assert_eq!(error_message(body), "Validation Failed; head invalid");
    }

    #[test]
    fn encodes_segments_and_paths() {
        assert_eq!(segment("a b/c"), "a%20b%2Fc");
        assert_eq!(
            path(".github/workflows/deploy.yml"),
            ".github/workflows/deploy.yml"
        );
        assert_eq!(path("dir/ä.txt"), "dir/%C3%A4.txt");
    }
}
