//! `opa:generate-pipeline` (new in OPA-rs): writes the app's GitLab CI pipeline and GitHub
//! Actions workflow into the workspace, from its `catalog-info.yaml` and the environments it
//! lists in `spec.dependsOn`.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::environment_entities;
use crate::pipeline::{PipelineOptions, generate};
use crate::platform::model::resolve_environment;
use crate::platform::{Application, EntityIndex};
use crate::scaffolder::action::{Action, ActionContext, ActionError};
use crate::yaml::{Limits, parse_single};

/// `opa:generate-pipeline`.
#[derive(Debug, Default, Clone, Copy)]
pub struct GeneratePipeline;

#[async_trait]
impl Action for GeneratePipeline {
    fn id(&self) -> &str {
        "opa:generate-pipeline"
    }

    fn description(&self) -> &str {
        "Generates the app's .gitlab-ci.yml and .github/workflows/deploy.yml: build once, deploy \
         through its environments in level order, with manual gates where approval is required."
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "properties": {
                "catalogInfoPath": {
                    "title": "The app's catalog-info.yaml in the workspace",
                    "type": "string",
                    "default": ".backstage/catalog-info.yaml"
                },
                "options": {"title": "Pipeline options", "type": "object"}
            }
        }))
    }

    fn output_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "properties": {"files": {"type": "array", "items": {"type": "string"}}}
        }))
    }

    fn supports_dry_run(&self) -> bool {
        true
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let info_path = ctx
            .input_str("catalogInfoPath")
            .unwrap_or(".backstage/catalog-info.yaml")
            .trim_start_matches("./")
            .to_string();
        let mut options: PipelineOptions = match ctx.input.get("options") {
            Some(o) => serde_json::from_value(o.clone())
                .map_err(|e| ActionError::InvalidInput(format!("options: {e}")))?,
            None => PipelineOptions::default(),
        };
        options.catalog_info_path = info_path.clone();
        let file = ctx.workspace_path(&info_path)?;
        let text = std::fs::read_to_string(&file).map_err(|e| ActionError::io(&info_path, e))?;
        let app_entity = parse_single(&text, &Limits::default())
            .map_err(|d| {
                ActionError::InvalidInput(format!(
                    "{info_path}:{}:{}: {}",
                    d.line, d.column, d.message
                ))
            })?
            .map(|n| n.to_json())
            .ok_or_else(|| ActionError::InvalidInput(format!("{info_path} is empty")))?;
        let app = Application::from_entity(&app_entity)
            .map_err(|e| ActionError::InvalidInput(e.to_string()))?;

        let catalog = ctx.backends.catalog.clone();
        let mut environments = Vec::with_capacity(app.environments.len());
        for env_ref in &app.environments {
            let entities = environment_entities(catalog.as_ref(), env_ref).await?;
            environments.push(
                resolve_environment(&EntityIndex::new(entities), env_ref)
                    .map_err(|e| ActionError::Failed(e.to_string()))?,
            );
        }
        let files = generate(&app, &environments, &options)
            .map_err(|e| ActionError::Failed(e.to_string()))?;
        let mut written = Vec::new();
        for f in &files {
            let path = ctx.workspace_path(&f.path)?;
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| ActionError::io(&f.path, e))?;
            }
            std::fs::write(&path, &f.content).map_err(|e| ActionError::io(&f.path, e))?;
            ctx.logger.info(format!("wrote {}", f.path));
            written.push(path);
        }
        ctx.record_written(&written);
        ctx.output(
            "files",
            files
                .iter()
                .map(|f| Json::String(f.path.clone()))
                .collect::<Vec<_>>(),
        );
        Ok(())
    }
}
