//! Discovery on the quickstart's git host: every repository's catalog files, into the
//! scaffolder's catalog (for the `opa:*` actions) and into a [`Catalog`] (for its checks).

use std::path::Path;
use std::sync::Arc;

use opa_core::catalog::{Catalog, LoadOptions};
use opa_core::entity::{LoadOptions as EntityLoad, read_entities};
use opa_core::scaffolder::catalog::MemoryCatalog;
use opa_core::vcs::Vcs;

pub use opa_vcs::discover::Found;

/// Reads the catalog files of every repository on `vcs`.
pub async fn catalog_files(vcs: &dyn Vcs) -> anyhow::Result<Vec<Found>> {
    let repos = vcs.list_repositories(None).await?;
    let mut discovered = opa_vcs::discover::catalog_files(vcs, repos, &[], |_| {}).await;
    if let Some(failure) = discovered.failures.pop() {
        return Err(anyhow::anyhow!("{}: {}", failure.repo, failure.error));
    }
    Ok(discovered.found)
}

/// Loads the found files into `memory` (valid entities only) and builds the checked catalog.
pub fn load(found: &[Found], memory: &Arc<MemoryCatalog>) -> anyhow::Result<Catalog> {
    let mut builder = Catalog::builder(LoadOptions::default());
    for f in found {
        let name = format!("{}/{}", f.repo, f.path);
        for report in read_entities(
            &f.text,
            Some(Path::new(&name)),
            None,
            &EntityLoad::default(),
        ) {
            if !report.is_valid() {
                let d = &report.diagnostics[0];
                anyhow::bail!("{name}:{}:{}: {}", d.line, d.column, d.message);
            }
            if let Some(root) = &report.root {
                memory.insert(root.to_json())?;
            }
        }
        builder.add_text(&name, &f.text);
    }
    Ok(builder.build())
}

/// Writes the found files under `dir` (one file per repository file), so that `opa app`,
/// `opa catalog check` and `opa validate` can read the platform's catalog afterwards.
pub fn snapshot(found: &[Found], dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    for f in found {
        let name = format!(
            "{}--{}",
            f.repo.replace('/', "--"),
            f.path.replace(['/', '.'], "_")
        );
        std::fs::write(dir.join(format!("{name}.yaml")), &f.text)?;
    }
    Ok(())
}
