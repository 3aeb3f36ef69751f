//! `catalog:register`: reads a catalog file (usually from the repository just published) and
//! registers its entities in the catalog.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use crate::entity::{ValidateOptions, validate_entity};
use crate::scaffolder::action::{Action, ActionContext, ActionError};
use crate::scaffolder::effects::Effect;
use crate::vcs::BlobUrl;
use crate::yaml::{Limits, parse_documents};

/// `catalog:register`.
#[derive(Debug, Default, Clone, Copy)]
pub struct CatalogRegister;

#[async_trait]
impl Action for CatalogRegister {
    fn id(&self) -> &str {
        "catalog:register"
    }

    fn description(&self) -> &str {
        "Registers entities from a catalog descriptor file in the workspace into the software catalog."
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "oneOf": [
                {
                    "type": "object",
                    "required": ["catalogInfoUrl"],
                    "properties": {
                        "catalogInfoUrl": {"type": "string"},
                        "optional": {"type": "boolean"}
                    }
                },
                {
                    "type": "object",
                    "required": ["repoContentsUrl"],
                    "properties": {
                        "repoContentsUrl": {"type": "string"},
                        "catalogInfoPath": {"type": "string"},
                        "optional": {"type": "boolean"}
                    }
                }
            ]
        }))
    }

    fn output_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["catalogInfoUrl"],
            "properties": {
                "entityRef": {"type": "string"},
                "catalogInfoUrl": {"type": "string"}
            }
        }))
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let url = match ctx.input_str("catalogInfoUrl") {
            Some(url) => url.to_string(),
            None => {
                let base = ctx.required_str("repoContentsUrl")?;
                let path = ctx
                    .input_str("catalogInfoPath")
                    .unwrap_or("/catalog-info.yaml");
                format!("{}{}", base.trim_end_matches('/'), ensure_slash(path))
            }
        };
        ctx.logger.info(format!("Registering {url} in the catalog"));
        match register(ctx, &url).await {
            Ok(()) => {}
            Err(e) if ctx.input_bool("optional") => {
                ctx.logger
                    .warn(format!("Failed to register {url} (optional): {e}"));
            }
            Err(e) => return Err(e),
        }
        ctx.output("catalogInfoUrl", url);
        Ok(())
    }
}

fn ensure_slash(path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

async fn register(ctx: &mut ActionContext, url: &str) -> Result<(), ActionError> {
    let bytes = read_url(ctx, url).await?;
    let text = String::from_utf8(bytes)
        .map_err(|_| ActionError::Failed(format!("{url} is not UTF-8 text")))?;
    let mut entities = Vec::new();
    for doc in parse_documents(&text, &Limits::default()) {
        if let Some(error) = doc.error {
            return Err(ActionError::Failed(format!(
                "{url}: document {}: {error}",
                doc.index
            )));
        }
        let Some(root) = doc.root else { continue };
        let report = validate_entity(&root, &ValidateOptions::default());
        if let Some(d) = report.diagnostics.first() {
            return Err(ActionError::Failed(format!(
                "{url}: document {}: {d}",
                doc.index
            )));
        }
        entities.push(root.to_json());
    }
    if entities.is_empty() {
        return Err(ActionError::Failed(format!("{url} holds no entity")));
    }
    let refs = ctx
        .backends
        .catalog
        .register_location(url, entities.clone())
        .await?;
    // Backstage's choice: a Component first, then anything not generated, then the first.
    let named = |i: &usize| {
        !entities[*i]
            .pointer("/metadata/name")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .starts_with("generated-")
    };
    let index = (0..refs.len())
        .find(|i| named(i) && entities[*i].get("kind").and_then(Json::as_str) == Some("Component"))
        .or_else(|| (0..refs.len()).find(named))
        .unwrap_or(0);
    if let Some(r) = refs.get(index) {
        ctx.output("entityRef", r.to_canonical());
    }
    ctx.record(Effect::EntitiesRegistered {
        step_id: ctx.step_id.clone(),
        location: url.to_string(),
        entity_refs: refs.iter().map(|r| r.to_canonical()).collect(),
    });
    Ok(())
}

/// Reads a catalog file: from a repository on a configured host, else through `urlRewrites` or
/// relative to the template.
async fn read_url(ctx: &ActionContext, url: &str) -> Result<Vec<u8>, ActionError> {
    if let Some(blob) = BlobUrl::parse(url) {
        if let Ok(vcs) = ctx.backends.vcs.vcs_for_host(&blob.host) {
            return Ok(vcs
                .read_file(&blob.repo, Some(&blob.branch), &blob.path)
                .await?);
        }
    }
    let path = ctx.resolve_url(url)?;
    std::fs::read(&path).map_err(|e| ActionError::io(url, e))
}
