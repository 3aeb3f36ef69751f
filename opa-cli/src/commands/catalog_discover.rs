//! `opa catalog discover`: the catalog files of every repository of a GitLab group (subgroups
//! included), of a GitHub organisation, or of a local git host, loaded into one catalog and checked.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use opa_core::catalog::{Catalog, LoadOptions};
use opa_core::config::Config;
use opa_core::entity::{LoadOptions as EntityLoad, read_entities};
use opa_core::vcs::Vcs;
use opa_vcs::discover::{Discovered, catalog_files};
use opa_vcs::{GitLab, LocalGit};

use crate::cli::{CatalogDiscoverArgs, Format};

use super::platform_backends as backends;

/// A catalog file that does not validate.
#[derive(Debug, serde::Serialize)]
struct InvalidFile {
    repository: String,
    path: String,
    line: u32,
    column: u32,
    code: String,
    message: String,
}

pub fn run(config: Option<&Path>, args: &CatalogDiscoverArgs) -> anyhow::Result<ExitCode> {
    let runtime = backends::runtime()?;
    let discovered = runtime.block_on(discover(config, args))?;
    report(&discovered, args.format)
}

async fn discover(config: Option<&Path>, args: &CatalogDiscoverArgs) -> anyhow::Result<Discovered> {
    let progress = |repo: &opa_core::vcs::Repository| {
        if args.format == Format::Text {
            eprintln!("reading {}", repo.id);
        }
    };
    if let Some(dir) = &args.local {
        anyhow::ensure!(dir.is_dir(), "{} is not a directory", dir.display());
        let vcs = LocalGit::new(dir.clone(), "localhost");
        let repos = vcs.list_repositories(None).await?;
        let repos = repos
            .into_iter()
            .filter(|r| args.include_archived || !r.archived)
            .collect();
        return Ok(catalog_files(&vcs, repos, &args.glob, progress).await);
    }
    if let Some(org) = &args.github_org {
        let (vcs, repos) = super::catalog_discover_github::repositories(
            config,
            org,
            args.url.as_deref(),
            args.include_archived,
        )
        .await?;
        return Ok(catalog_files(&vcs, repos, &args.glob, progress).await);
    }
    let Some(group) = &args.gitlab_group else {
        anyhow::bail!("give --gitlab-group GROUP, --github-org ORG or --local DIR");
    };
    let base = args
        .url
        .clone()
        .unwrap_or_else(|| "https://gitlab.com".to_string());
    let host = base
        .split_once("://")
        .map_or(base.as_str(), |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or_default()
        .to_string();
    let token = match Config::load(config) {
        Ok(cfg) => cfg
            .integrations
            .iter()
            .find(|i| i.host == host)
            .and_then(|i| i.token.clone()),
        Err(e) => anyhow::bail!("{e}"),
    };
    let vcs = GitLab::from_env(base, token)?;
    let repos = vcs.group_projects(group, args.include_archived).await?;
    Ok(catalog_files(&vcs, repos, &args.glob, progress).await)
}

fn report(discovered: &Discovered, format: Format) -> anyhow::Result<ExitCode> {
    let mut builder = Catalog::builder(LoadOptions::default());
    let mut invalid = Vec::new();
    for f in &discovered.found {
        let name = format!("{}/{}", f.repo, f.path);
        for entity in read_entities(
            &f.text,
            Some(Path::new(&name)),
            None,
            &EntityLoad::default(),
        ) {
            if let Some(d) = entity.diagnostics.iter().find(|_| !entity.is_valid()) {
                invalid.push(InvalidFile {
                    repository: f.repo.clone(),
                    path: f.path.clone(),
                    line: d.line,
                    column: d.column,
                    code: d.code.to_string(),
                    message: d.message.clone(),
                });
            }
        }
        builder.add_text(&name, &f.text);
    }
    let catalog = builder.build();
    let mut entities: Vec<&str> = catalog.entities().map(|e| e.entity_ref()).collect();
    entities.sort_unstable();
    let dangling: Vec<_> = catalog.dangling().collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        Format::Json => {
            let failures: Vec<_> = discovered
                .failures
                .iter()
                .map(|f| serde_json::json!({"repository": f.repo, "code": f.error.code(), "error": f.error.to_string()}))
                .collect();
            let files: Vec<_> = discovered
                .found
                .iter()
                .map(|f| serde_json::json!({"repository": f.repo, "path": f.path}))
                .collect();
            let report = serde_json::json!({
                "ok": invalid.is_empty() && discovered.failures.is_empty(),
                "files": files,
                "entities": entities,
                "relations": catalog.relation_count(),
                "dangling": dangling,
                "invalid": invalid,
                "failedRepositories": failures,
            });
            writeln!(out, "{report}")?;
        }
        Format::Text => {
            for e in &entities {
                writeln!(out, "{e}")?;
            }
            for d in &dangling {
                writeln!(out, "dangling: {} {} -> {}", d.source, d.field, d.target)?;
            }
            for i in &invalid {
                writeln!(
                    out,
                    "invalid: {} {}:{}:{}: error[{}]: {}",
                    i.repository, i.path, i.line, i.column, i.code, i.message
                )?;
            }
            for f in &discovered.failures {
                writeln!(out, "failed: {}: {}", f.repo, f.error)?;
            }
            writeln!(
                out,
                "{} files, {} entities, {} relations, {} dangling references, {} invalid files, {} failed repositories",
                discovered.found.len(),
                entities.len(),
                catalog.relation_count(),
                dangling.len(),
                invalid.len(),
                discovered.failures.len()
            )?;
        }
    }
    out.flush()?;
    Ok(if invalid.is_empty() && discovered.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
