//! `opa pipeline generate APP [--env ENV]... [--out DIR]`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use opa_core::entity::{EntityRef, RefDefaults};
use opa_core::pipeline::{self, DeployPlan, PipelineOptions};
use opa_core::platform::model::{ENVIRONMENT_KIND, resolve_environment};
use opa_core::platform::{Application, EntityLookup, PlatformError};

use super::platform_backends as backends;
use crate::cli::{Format, PipelineGenerateArgs};

pub fn run(config: Option<&Path>, args: &PipelineGenerateArgs) -> anyhow::Result<ExitCode> {
    let config = backends::config(config)?;
    let index = backends::catalog(&config, &args.catalog)?;
    let app_ref = EntityRef::parse_with(&args.app, RefDefaults::kind("Component"))?;
    let generated = (|| -> anyhow::Result<_> {
        let entity = index
            .entity(&app_ref)
            .ok_or_else(|| PlatformError::NotFound(app_ref.clone()))?;
        let app = Application::from_entity(entity)?;
        let env_refs = if args.envs.is_empty() {
            app.environments.clone()
        } else {
            args.envs
                .iter()
                .map(|e| EntityRef::parse_with(e, RefDefaults::kind(ENVIRONMENT_KIND)))
                .collect::<Result<_, _>>()?
        };
        let envs = env_refs
            .iter()
            .map(|r| resolve_environment(&index, r))
            .collect::<Result<Vec<_>, _>>()?;
        let options = PipelineOptions {
            branch: args.branch.clone(),
            ..PipelineOptions::default()
        };
        let plan = DeployPlan::new(&app, &envs)?;
        let files = vec![
            pipeline::generate_gitlab(&plan, &options)?,
            pipeline::generate_github(&plan, &options)?,
        ];
        Ok((plan, files))
    })();
    let (plan, files) = match generated {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let mut out = std::io::stdout().lock();
    if let Some(dir) = &args.out {
        for f in &files {
            let path = dir.join(&f.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            std::fs::write(&path, &f.content)
                .with_context(|| format!("cannot write {}", path.display()))?;
            if args.format == Format::Text {
                writeln!(out, "wrote {}", path.display())?;
            }
        }
    }
    match args.format {
        Format::Json => writeln!(out, "{}", serde_json::json!({"plan": plan, "files": files}))?,
        Format::Text if args.out.is_none() => {
            for f in &files {
                writeln!(out, "# ==> {} <==\n{}", f.path, f.content)?;
            }
        }
        Format::Text => {}
    }
    Ok(ExitCode::SUCCESS)
}
