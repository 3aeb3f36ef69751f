//! Which [`Vcs`] serves a host.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Vcs, VcsError};

/// Chooses the [`Vcs`] backend that serves a URL's host (from `opa.yaml`'s `integrations`).
pub trait VcsResolver: Send + Sync {
    /// The backend for `host` (lowercase, with its port when it has one).
    fn vcs_for_host(&self, host: &str) -> Result<Arc<dyn Vcs>, VcsError>;
}

/// A fixed map from host to backend, with an optional backend for every other host.
#[derive(Default, Clone)]
pub struct HostVcs {
    hosts: HashMap<String, Arc<dyn Vcs>>,
    fallback: Option<Arc<dyn Vcs>>,
}

impl HostVcs {
    /// No backend for any host.
    pub fn new() -> Self {
        Self::default()
    }

    /// Serves `host` with `vcs`.
    pub fn with_host(mut self, host: impl Into<String>, vcs: Arc<dyn Vcs>) -> Self {
        self.hosts.insert(host.into().to_ascii_lowercase(), vcs);
        self
    }

    /// Serves every host not named otherwise with `vcs`.
    pub fn with_fallback(mut self, vcs: Arc<dyn Vcs>) -> Self {
        self.fallback = Some(vcs);
        self
    }
}

impl std::fmt::Debug for HostVcs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut hosts: Vec<_> = self.hosts.keys().collect();
        hosts.sort();
        f.debug_struct("HostVcs")
            .field("hosts", &hosts)
            .field("fallback", &self.fallback.as_ref().map(|v| v.kind()))
            .finish()
    }
}

impl VcsResolver for HostVcs {
    fn vcs_for_host(&self, host: &str) -> Result<Arc<dyn Vcs>, VcsError> {
        let host = host.to_ascii_lowercase();
        self.hosts
            .get(&host)
            .or(self.fallback.as_ref())
            .cloned()
            .ok_or(VcsError::NoIntegration(host))
    }
}
