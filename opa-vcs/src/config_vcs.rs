//! The backend for each host, as `opa.yaml`'s `integrations` say.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use opa_core::config::{Config, IntegrationKind};
use opa_core::vcs::{Vcs, VcsError, VcsResolver};

use crate::{GitHub, GitLab, LocalGit};

/// Chooses a [`Vcs`] per host from a [`Config`]: without `integrations`, every host is served by
/// the local backend under `./.opa/git`.
#[derive(Debug, Clone)]
pub struct ConfigVcs {
    config: Arc<Config>,
    // One GitLab client per host, so its connection pool and rate-limit pause are shared.
    gitlab: Arc<Mutex<HashMap<String, Arc<GitLab>>>>,
}

impl ConfigVcs {
    /// A resolver over `config`.
    pub fn new(config: Arc<Config>) -> Self {
        Self {
            config,
            gitlab: Arc::default(),
        }
    }

    /// The GitLab client for `host`: `apiBaseUrl` (else `https://<host>`), with the token from
    /// `opa.yaml` or `GITLAB_TOKEN`.
    fn gitlab_for(
        &self,
        integration: &opa_core::config::Integration,
    ) -> Result<Arc<GitLab>, VcsError> {
        let key = integration.host.to_ascii_lowercase();
        let mut cache = self
            .gitlab
            .lock()
            .map_err(|_| VcsError::Backend("the GitLab client cache is poisoned".into()))?;
        if let Some(client) = cache.get(&key) {
            return Ok(client.clone());
        }
        let base = integration
            .api_base_url
            .clone()
            .unwrap_or_else(|| format!("https://{}", integration.host));
        let client = Arc::new(GitLab::new(base, integration.effective_token())?);
        cache.insert(key, client.clone());
        Ok(client)
    }
}

impl VcsResolver for ConfigVcs {
    fn vcs_for_host(&self, host: &str) -> Result<Arc<dyn Vcs>, VcsError> {
        let integration = self
            .config
            .integration_for(host)
            .ok_or_else(|| VcsError::NoIntegration(host.to_string()))?;
        match integration.kind {
            IntegrationKind::Local => Ok(Arc::new(LocalGit::new(
                self.config.local_root(&integration),
                host,
            ))),
            IntegrationKind::Gitlab => Ok(self.gitlab_for(&integration)?),
            IntegrationKind::Github => {
                let api = integration
                    .api_base_url
                    .clone()
                    .unwrap_or_else(|| GitHub::api_base_for_host(host));
                Ok(Arc::new(GitHub::new(api, integration.effective_token())?))
            }
        }
    }
}
