//! `opa catalog discover`: the catalog files of every repository of a GitLab group (subgroups
//! included), of a GitHub organisation, or of a local git host, loaded into one catalog and checked.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use opa_core::catalog::{Catalog, LoadOptions};
use opa_core::config::{Config, IntegrationKind, SecretString};
use opa_core::entity::{LoadOptions as EntityLoad, read_entities};
use opa_core::vcs::{Repository, Vcs};
use opa_vcs::discover::{DiscoverOptions, Discovered, Progress, discover_files};
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

/// A progress bar on stderr for people (not for `--format json`, nor when stderr is not a
/// terminal).
fn progress_bar(args: &CatalogDiscoverArgs) -> Option<ProgressBar> {
    (args.format == Format::Text && std::io::stderr().is_terminal()).then(|| {
        let pb = ProgressBar::new(0);
        pb.set_style(
            ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        pb
    })
}

async fn read_all(
    vcs: &dyn Vcs,
    repos: Vec<Repository>,
    options: &DiscoverOptions,
    args: &CatalogDiscoverArgs,
) -> Discovered {
    let bar = progress_bar(args);
    let discovered = discover_files(vcs, repos, options, |p| {
        let Some(pb) = &bar else { return };
        match p {
            Progress::Started { total } => pb.set_length(total as u64),
            Progress::Read { repo, failed, .. } => {
                pb.set_message(if failed {
                    format!("{} failed", repo.id)
                } else {
                    repo.id.to_string()
                });
                pb.inc(1);
            }
        }
    })
    .await;
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    discovered
}

/// The GitLab instance to read: `--url`, else the only `gitlab` integration of `opa.yaml`
/// (its `apiBaseUrl`, else `https://<host>`), else gitlab.com; the token from the integration
/// serving that host, else `GITLAB_TOKEN`.
fn gitlab_target(
    config: Option<&Path>,
    url: Option<&str>,
) -> anyhow::Result<(String, String, Option<SecretString>)> {
    let cfg = Config::load(config).map_err(|e| anyhow::anyhow!("{e}"))?;
    let gitlabs: Vec<_> = cfg
        .integrations
        .iter()
        .filter(|i| i.kind == IntegrationKind::Gitlab)
        .collect();
    let base = match (url, gitlabs.as_slice()) {
        (Some(u), _) => u.to_string(),
        (None, [only]) => only
            .api_base_url
            .clone()
            .unwrap_or_else(|| format!("https://{}", only.host)),
        _ => opa_vcs::gitlab::GITLAB_COM.to_string(),
    };
    let host = url::Url::parse(&base)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .ok_or_else(|| {
            anyhow::anyhow!("--url {base} is not a URL (e.g. https://gitlab.example.com)")
        })?;
    let token = gitlabs
        .iter()
        .find(|i| {
            i.host.eq_ignore_ascii_case(&host)
                || i.api_base_url.as_deref().is_some_and(|b| {
                    url::Url::parse(b)
                        .ok()
                        .and_then(|u| u.host_str().map(|h| h.eq_ignore_ascii_case(&host)))
                        .unwrap_or(false)
                })
        })
        .and_then(|i| i.effective_token());
    Ok((base, host, token))
}

async fn discover(config: Option<&Path>, args: &CatalogDiscoverArgs) -> anyhow::Result<Discovered> {
    let mut options = DiscoverOptions {
        globs: args.glob.clone(),
        concurrency: args.concurrency,
        host: None,
    };
    if let Some(dir) = &args.local {
        anyhow::ensure!(dir.is_dir(), "{} is not a directory", dir.display());
        let vcs = LocalGit::new(dir.clone(), "localhost");
        let repos = vcs.list_repositories(None).await?;
        let repos = repos
            .into_iter()
            .filter(|r| args.include_archived || !r.archived)
            .collect();
        return Ok(read_all(&vcs, repos, &options, args).await);
    }
    if let Some(org) = &args.github_org {
        let (vcs, repos) = super::catalog_discover_github::repositories(
            config,
            org,
            args.url.as_deref(),
            args.include_archived,
        )
        .await?;
        return Ok(read_all(&vcs, repos, &options, args).await);
    }
    let Some(group) = &args.gitlab_group else {
        anyhow::bail!("give --gitlab-group GROUP, --github-org ORG or --local DIR");
    };
    let (base, host, token) = gitlab_target(config, args.url.as_deref())?;
    options.host = Some(host);
    let vcs = GitLab::from_env(base, token)?;
    let repos = vcs.group_projects(group, args.include_archived).await?;
    Ok(read_all(&vcs, repos, &options, args).await)
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
                "repositories": discovered.repositories,
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
                "{} repositories, {} files, {} entities, {} relations, {} dangling references, {} invalid files, {} failed repositories",
                discovered.repositories,
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
