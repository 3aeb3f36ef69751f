//! The backend for each host, as `opa.yaml`'s `integrations` say.

use std::sync::Arc;

use opa_core::config::{Config, IntegrationKind};
use opa_core::vcs::{Vcs, VcsError, VcsResolver};

use crate::{GitHub, LocalGit};

/// Chooses a [`Vcs`] per host from a [`Config`]: without `integrations`, every host is served by
/// the local backend under `./.opa/git`.
#[derive(Debug, Clone)]
pub struct ConfigVcs {
    config: Arc<Config>,
}

impl ConfigVcs {
    /// A resolver over `config`.
    pub fn new(config: Arc<Config>) -> Self {
        Self { config }
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
            IntegrationKind::Gitlab => Err(VcsError::Unsupported {
                backend: "gitlab",
                operation: "run yet in this build (use kind: local for this host)",
            }),
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
