//! `spacelift:`: where the Spacelift account is and the API key that reads it.
//!
//! ```yaml
//! spacelift:
//!   account: acme                        # → https://acme.app.spacelift.io/graphql
//!   # endpoint: https://spacelift.example.com/graphql   # self-hosted (wins over account)
//!   apiKeyId: 01HCJMP2X7R0N8Q4M3V5Y6Z7AB
//!   apiKeySecret: ${SPACELIFT_API_KEY_SECRET}
//!   readOnly: true                       # list stacks, refuse to trigger runs
//! ```
//!
//! A field that is absent is read from the environment: `SPACELIFT_API_ENDPOINT` (or spacectl's
//! `SPACELIFT_API_KEY_ENDPOINT`), `SPACELIFT_API_KEY_ID`, `SPACELIFT_API_KEY_SECRET`.

use serde::{Deserialize, Serialize};

use super::SecretString;

/// The environment variable holding the API key id when opa.yaml has none.
pub const SPACELIFT_API_KEY_ID: &str = "SPACELIFT_API_KEY_ID";
/// The environment variable holding the API key secret when opa.yaml has none.
pub const SPACELIFT_API_KEY_SECRET: &str = "SPACELIFT_API_KEY_SECRET";
/// The environment variable holding the endpoint when opa.yaml has none.
pub const SPACELIFT_API_ENDPOINT: &str = "SPACELIFT_API_ENDPOINT";
/// spacectl's and the Terraform provider's name for the endpoint, read after
/// [`SPACELIFT_API_ENDPOINT`].
pub const SPACELIFT_API_KEY_ENDPOINT: &str = "SPACELIFT_API_KEY_ENDPOINT";

/// `spacelift:` as written in opa.yaml.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SpaceliftSettings {
    /// The account name: the API is `https://<account>.app.spacelift.io/graphql`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The GraphQL endpoint (self-hosted Spacelift, a test server); `/graphql` is added to a
    /// URL that does not end with it. Wins over `account`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// The API key's id (not a secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_id: Option<String>,
    /// The API key's secret. Never printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_secret: Option<SecretString>,
    /// List stacks but refuse to trigger runs.
    #[serde(default)]
    pub read_only: bool,
}

/// Everything a Spacelift client needs, resolved from opa.yaml and the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpaceliftAccess {
    /// The GraphQL endpoint, ending in `/graphql`.
    pub endpoint: String,
    /// The API key's id.
    pub api_key_id: String,
    /// The API key's secret.
    pub api_key_secret: SecretString,
    /// Whether triggering runs is refused.
    pub read_only: bool,
}

impl SpaceliftSettings {
    /// Resolves the section (`None`: absent) with the environment `env`. `Ok(None)` when neither
    /// opa.yaml nor the environment names any Spacelift credential: Spacelift is not used.
    /// Fails with a message naming what is missing or wrong and where to set it.
    pub fn resolve(
        section: Option<&SpaceliftSettings>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<SpaceliftAccess>, String> {
        let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let empty = SpaceliftSettings::default();
        let s = section.unwrap_or(&empty);
        let id = s
            .api_key_id
            .clone()
            .filter(|v| !v.trim().is_empty())
            .or_else(|| env(SPACELIFT_API_KEY_ID));
        let secret = s
            .api_key_secret
            .clone()
            .filter(|v| !v.is_empty())
            .or_else(|| env(SPACELIFT_API_KEY_SECRET).map(SecretString::new));
        if section.is_none() && id.is_none() && secret.is_none() {
            return Ok(None);
        }
        let endpoint = match (&s.endpoint, &s.account) {
            (Some(e), _) if !e.trim().is_empty() => normalize_endpoint(e)?,
            (_, Some(a)) if !a.trim().is_empty() => account_endpoint(a)?,
            _ => match env(SPACELIFT_API_ENDPOINT).or_else(|| env(SPACELIFT_API_KEY_ENDPOINT)) {
                Some(e) => normalize_endpoint(&e)?,
                None => {
                    return Err(format!(
                        "spacelift: no endpoint: set spacelift.account (or spacelift.endpoint) in opa.yaml, or {SPACELIFT_API_ENDPOINT}"
                    ));
                }
            },
        };
        let api_key_id = id.ok_or_else(|| {
            format!(
                "spacelift: no API key id: set spacelift.apiKeyId in opa.yaml, or {SPACELIFT_API_KEY_ID}"
            )
        })?;
        let api_key_secret = secret.ok_or_else(|| {
            format!(
                "spacelift: no API key secret: set spacelift.apiKeySecret in opa.yaml (e.g. ${{{SPACELIFT_API_KEY_SECRET}}}), or {SPACELIFT_API_KEY_SECRET}"
            )
        })?;
        Ok(Some(SpaceliftAccess {
            endpoint,
            api_key_id: api_key_id.trim().to_string(),
            api_key_secret,
            read_only: s.read_only,
        }))
    }

    /// Checks what can be checked without the environment (the account name, the endpoint's
    /// form): what `opa config check` reports.
    pub fn check(&self) -> Result<(), String> {
        // `${VAR}` not expanded, or expanded from an unset variable: checked when resolved.
        if let Some(e) = self
            .endpoint
            .as_deref()
            .filter(|e| !e.contains("${") && !e.is_empty())
        {
            normalize_endpoint(e)?;
        }
        if let Some(a) = self
            .account
            .as_deref()
            .filter(|a| !a.contains("${") && !a.is_empty())
        {
            account_endpoint(a)?;
        }
        Ok(())
    }
}

/// `https://<account>.app.spacelift.io/graphql`, for a valid account name.
fn account_endpoint(account: &str) -> Result<String, String> {
    let account = account.trim();
    let valid = !account.is_empty()
        && account
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !account.starts_with('-')
        && !account.ends_with('-');
    if !valid {
        return Err(format!(
            "spacelift.account: {account:?} is not a Spacelift account name (letters, digits and '-', as in https://<account>.app.spacelift.io)"
        ));
    }
    Ok(format!(
        "https://{}.app.spacelift.io/graphql",
        account.to_ascii_lowercase()
    ))
}

/// An http(s) URL, ending in `/graphql`.
fn normalize_endpoint(endpoint: &str) -> Result<String, String> {
    let endpoint = endpoint.trim().trim_end_matches('/');
    let url = url::Url::parse(endpoint).map_err(|e| {
        format!("spacelift.endpoint: {endpoint:?} is not a URL ({e}); e.g. https://acme.app.spacelift.io/graphql")
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "spacelift.endpoint: {endpoint:?} is not an http(s) URL; e.g. https://acme.app.spacelift.io/graphql"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "spacelift.endpoint: a URL with credentials in it is refused; use apiKeyId and apiKeySecret"
                .to_string(),
        );
    }
    Ok(if endpoint.ends_with("/graphql") {
        endpoint.to_string()
    } else {
        format!("{endpoint}/graphql")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn nothing_configured_means_no_spacelift() {
        assert_eq!(SpaceliftSettings::resolve(None, &env(&[])), Ok(None));
    }

    #[test]
    fn reads_the_section_before_the_environment() {
        let section = SpaceliftSettings {
            account: Some("Acme".into()),
            api_key_id: Some("01KEY".into()),
            api_key_secret: Some(SecretString::new("s3cret")),
            read_only: true,
            ..Default::default()
        };
        let vars = env(&[
            (SPACELIFT_API_KEY_ID, "01OTHER"),
            (SPACELIFT_API_ENDPOINT, "https://other.app.spacelift.io"),
        ]);
        let access = SpaceliftSettings::resolve(Some(&section), &vars)
            .unwrap()
            .unwrap();
        assert_eq!(access.endpoint, "https://acme.app.spacelift.io/graphql");
        assert_eq!(access.api_key_id, "01KEY");
        assert_eq!(access.api_key_secret.expose(), "s3cret");
        assert!(access.read_only);
        assert!(!format!("{access:?} {section:?}").contains("s3cret"));
    }

    #[test]
    fn falls_back_to_the_environment() {
        let vars = env(&[
            (SPACELIFT_API_KEY_ID, "01KEY"),
            (SPACELIFT_API_KEY_SECRET, "s3cret"),
            (SPACELIFT_API_KEY_ENDPOINT, "https://acme.app.spacelift.io/"),
        ]);
        let access = SpaceliftSettings::resolve(None, &vars).unwrap().unwrap();
        assert_eq!(access.endpoint, "https://acme.app.spacelift.io/graphql");
        assert_eq!(access.api_key_secret.expose(), "s3cret");
        assert!(!access.read_only);
    }

    #[test]
    fn says_what_is_missing_and_where_to_set_it() {
        let vars = env(&[(SPACELIFT_API_KEY_ID, "01KEY")]);
        let e = SpaceliftSettings::resolve(None, &vars).unwrap_err();
        assert!(
            e.contains("no endpoint") && e.contains("spacelift.account"),
            "{e}"
        );
        let vars = env(&[
            (SPACELIFT_API_KEY_ID, "01KEY"),
            (SPACELIFT_API_ENDPOINT, "http://127.0.0.1:9/graphql"),
        ]);
        let e = SpaceliftSettings::resolve(None, &vars).unwrap_err();
        assert!(
            e.contains("no API key secret") && e.contains(SPACELIFT_API_KEY_SECRET),
            "{e}"
        );
        let section = SpaceliftSettings {
            account: Some("acme".into()),
            ..Default::default()
        };
        let e = SpaceliftSettings::resolve(Some(&section), &env(&[])).unwrap_err();
        assert!(e.contains("no API key id"), "{e}");
    }

    #[test]
    fn checks_account_names_and_endpoints() {
        let bad = |s: SpaceliftSettings| s.check().unwrap_err();
        let e = bad(SpaceliftSettings {
            account: Some("acme.app.spacelift.io".into()),
            ..Default::default()
        });
        assert!(e.contains("not a Spacelift account name"), "{e}");
        let e = bad(SpaceliftSettings {
            endpoint: Some("ftp://acme".into()),
            ..Default::default()
        });
        assert!(e.contains("http(s)"), "{e}");
        let e = bad(SpaceliftSettings {
            endpoint: Some("https://u:p@acme.app.spacelift.io".into()),
            ..Default::default()
        });
        assert!(e.contains("credentials"), "{e}");
        assert!(
            SpaceliftSettings {
                endpoint: Some("http://127.0.0.1:8080".into()),
                ..Default::default()
            }
            .check()
            .is_ok()
        );
    }
}
