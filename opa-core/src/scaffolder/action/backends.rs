//! What actions act on: git hosts, the catalog, local folders for remote URLs.

use std::sync::Arc;

use crate::scaffolder::catalog::{MemoryCatalog, TemplateCatalog};
use crate::scaffolder::templating::{RenderLimits, TemplateEngine};
use crate::scaffolder::urls::UrlResolver;
use crate::vcs::{HostVcs, VcsResolver};

/// The backends a task's actions use. Cheap to clone.
#[derive(Clone)]
pub struct Backends {
    /// Git hosts by host name (`opa.yaml` `integrations`).
    pub vcs: Arc<dyn VcsResolver>,
    /// The catalog `catalog:*` actions read and register into.
    pub catalog: Arc<dyn TemplateCatalog>,
    /// Where `url` inputs are read from (`urlRewrites`).
    pub urls: UrlResolver,
    /// The templating engine (`fetch:template` renders skeletons with it).
    pub templates: Arc<TemplateEngine>,
}

impl Backends {
    /// No git host, an empty in-memory catalog, no URL rewrites.
    pub fn new() -> Self {
        Self {
            vcs: Arc::new(HostVcs::new()),
            catalog: Arc::new(MemoryCatalog::new()),
            urls: UrlResolver::default(),
            templates: Arc::new(TemplateEngine::new(RenderLimits::default())),
        }
    }

    /// With these git hosts.
    pub fn with_vcs(mut self, vcs: Arc<dyn VcsResolver>) -> Self {
        self.vcs = vcs;
        self
    }

    /// With this catalog.
    pub fn with_catalog(mut self, catalog: Arc<dyn TemplateCatalog>) -> Self {
        self.catalog = catalog;
        self
    }

    /// With these URL rewrites.
    pub fn with_urls(mut self, urls: UrlResolver) -> Self {
        self.urls = urls;
        self
    }
}

impl Default for Backends {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Backends {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Backends")
            .field("urls", &self.urls)
            .finish_non_exhaustive()
    }
}
