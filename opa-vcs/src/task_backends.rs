//! The backends a template task runs on under an `opa.yaml`: what `opa template run` and the
//! bindings' `runTemplate` share, so both run a template the same way.

use std::sync::Arc;

use opa_core::config::Config;
use opa_core::scaffolder::Backends;
use opa_core::scaffolder::catalog::MemoryCatalog;
use opa_core::scaffolder::templating::{RenderLimits, TemplateEngine};
use opa_core::scaffolder::urls::UrlResolver;

use crate::ConfigVcs;

/// The git hosts of `config`'s `integrations` (the local backend when there are none), an empty
/// in-memory catalog, its `urlRewrites`, and a templating engine whose `parseRepoUrl` knows the
/// configured hosts (and rejects others, as Backstage does).
pub fn task_backends(config: Arc<Config>) -> Backends {
    let mut backends = Backends::new()
        .with_vcs(Arc::new(ConfigVcs::new(config.clone())))
        .with_catalog(Arc::new(MemoryCatalog::new()))
        .with_urls(UrlResolver::new(config.url_rewrites_resolved()));
    if !config.integrations.is_empty() {
        let engine = TemplateEngine::new(RenderLimits::default()).with_integrations(
            config
                .integrations
                .iter()
                .map(|i| (i.host.clone(), i.kind.as_str().to_string())),
        );
        backends.templates = Arc::new(engine);
    }
    backends
}
