//! `opa catalog discover --github-org ORG`: the repositories of a GitHub organisation (github.com
//! or GitHub Enterprise Server), with the token `opa.yaml` gives the API's host, else
//! `GITHUB_TOKEN`.

use std::path::Path;

use opa_core::config::{Config, IntegrationKind};
use opa_core::vcs::Repository;
use opa_vcs::GitHub;
use opa_vcs::github::GITHUB_API;

/// The `opa.yaml` host an API base URL belongs to: `api.github.com` is github.com's.
fn integration_host(api_base: &str) -> String {
    let host = api_base
        .split_once("://")
        .map_or(api_base, |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if host == "api.github.com" {
        "github.com".to_string()
    } else {
        host
    }
}

/// The client for `url` (default <https://api.github.com>) and the organisation's repositories,
/// archived ones only when `include_archived`.
pub async fn repositories(
    config: Option<&Path>,
    org: &str,
    url: Option<&str>,
    include_archived: bool,
) -> anyhow::Result<(GitHub, Vec<Repository>)> {
    let base = url.unwrap_or(GITHUB_API).trim_end_matches('/').to_string();
    let host = integration_host(&base);
    let config = Config::load(config).map_err(|e| anyhow::anyhow!("{e}"))?;
    let token = config
        .integrations
        .iter()
        .filter(|i| i.kind == IntegrationKind::Github)
        .find(|i| {
            i.host.eq_ignore_ascii_case(&host)
                || i.api_base_url.as_deref().map(|u| u.trim_end_matches('/')) == Some(&base)
        })
        .and_then(|i| i.effective_token());
    let vcs = GitHub::from_env(base, token)?;
    let repos = vcs.org_repositories(org, include_archived).await?;
    Ok((vcs, repos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_api_urls_to_integration_hosts() {
        assert_eq!(integration_host("https://api.github.com"), "github.com");
        assert_eq!(
            integration_host("https://GHE.example.com/api/v3"),
            "ghe.example.com"
        );
        assert_eq!(integration_host("http://127.0.0.1:8080"), "127.0.0.1");
    }
}
