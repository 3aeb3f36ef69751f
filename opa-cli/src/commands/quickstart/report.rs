//! What the quickstart prints: for people a summary and the next commands, for machines one JSON
//! object with the same content.

use std::io::Write;
use std::path::{Path, PathBuf};

use opa_core::audit::AuditRecord;
use opa_core::catalog::Catalog;
use serde::Serialize;

use crate::cli::Format;

/// A repository on the quickstart's git host.
#[derive(Debug, Serialize)]
pub struct Repo {
    /// `owner/repo`.
    pub repo: String,
    /// The command that clones it.
    pub clone: String,
}

/// One operation the quickstart performed.
#[derive(Debug, Serialize)]
pub struct OperationOutcome {
    /// Who acted.
    pub user: String,
    /// The action (`set-env`).
    pub action: String,
    /// `success`, `refused` or `failed`.
    pub status: String,
    /// What happened.
    pub message: String,
}

/// The platform the quickstart leaves.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// The folder.
    pub dir: PathBuf,
    /// Repositories this run created (empty on a second run).
    pub created: Vec<String>,
    /// Every entity, `kind:namespace/name`.
    pub entities: Vec<String>,
    /// Number of relations (both directions).
    pub relations: usize,
    /// Dangling references found by the check (`source field -> target`).
    pub dangling: Vec<String>,
    /// Duplicate entity references found by the check.
    pub duplicates: Vec<String>,
    /// Repositories on the git host.
    pub repos: Vec<Repo>,
    /// The operations performed.
    pub operations: Vec<OperationOutcome>,
    /// The app's audit trail.
    pub audit: Vec<AuditRecord>,
    /// What to try next.
    pub next: Vec<String>,
}

impl Summary {
    /// An empty summary for `dir`.
    pub fn new(dir: &Path) -> Self {
        let d = dir.display();
        Self {
            dir: dir.to_path_buf(),
            created: Vec::new(),
            entities: Vec::new(),
            relations: 0,
            dangling: Vec::new(),
            duplicates: Vec::new(),
            repos: Vec::new(),
            operations: Vec::new(),
            audit: Vec::new(),
            next: vec![
                format!("opa validate {d}/catalog"),
                format!("opa catalog check {d}/catalog"),
                format!("opa catalog graph {d}/catalog --format dot"),
                format!(
                    "opa --config {d}/opa.yaml app restart payments-api --env dev --as user:default/alice"
                ),
                format!("opa --config {d}/opa.yaml audit list --app payments-api"),
                format!(
                    "opa template run {d}/templates/app/template.yaml --dry-run --set name=orders-api --set owner=group:default/team-payments --set 'environments=[\"awsenvironment:default/dev\"]' --set repoUrl=gitlab.quickstart.local?owner=apps&repo=orders-api --config {d}/opa.yaml"
                ),
            ],
        }
    }

    /// Records the checked catalog.
    pub fn record_catalog(&mut self, catalog: &Catalog) {
        self.entities = catalog
            .entities()
            .map(|e| e.entity_ref().to_string())
            .collect();
        self.entities.sort();
        self.relations = catalog.relation_count();
        self.dangling = catalog
            .dangling()
            .map(|d| format!("{} {} -> {}", d.source, d.field, d.target))
            .collect();
        self.duplicates = catalog
            .duplicates()
            .into_iter()
            .map(|d| d.entity_ref)
            .collect();
    }

    /// Whether the platform is whole: a clean catalog, and the permitted operation done and the
    /// other refused.
    pub fn ok(&self) -> bool {
        self.dangling.is_empty()
            && self.duplicates.is_empty()
            && self
                .operations
                .first()
                .is_some_and(|o| o.status.eq_ignore_ascii_case("success"))
            && self
                .operations
                .get(1)
                .is_some_and(|o| o.status.eq_ignore_ascii_case("refused"))
    }
}

/// Prints the summary.
pub fn print(summary: &Summary, format: Format) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if format == Format::Json {
        writeln!(out, "{}", serde_json::to_string(summary)?)?;
        return Ok(());
    }
    writeln!(out, "\nThe platform is in {}", summary.dir.display())?;
    if summary.created.is_empty() {
        writeln!(
            out,
            "Nothing new was created: everything was already there."
        )?;
    } else {
        writeln!(out, "Created: {}", summary.created.join(", "))?;
    }
    writeln!(
        out,
        "\nCatalog: {} entities, {} relations, {} dangling references, {} duplicates",
        summary.entities.len(),
        summary.relations,
        summary.dangling.len(),
        summary.duplicates.len()
    )?;
    for e in &summary.entities {
        writeln!(out, "  {e}")?;
    }
    writeln!(out, "\nRepositories:")?;
    for r in &summary.repos {
        writeln!(out, "  {:<24} {}", r.repo, r.clone)?;
    }
    writeln!(out, "\nOperations:")?;
    for o in &summary.operations {
        writeln!(
            out,
            "  {:<8} {} by {}: {}",
            o.status, o.action, o.user, o.message
        )?;
    }
    writeln!(
        out,
        "\nAudit trail of payments-api ({} records):",
        summary.audit.len()
    )?;
    for r in &summary.audit {
        writeln!(
            out,
            "  {} {:<8} {:<8} {} ({})",
            r.created_at,
            r.status.as_str(),
            r.action_name,
            r.initiated_by,
            r.env_name
        )?;
    }
    writeln!(out, "\nNext, try:")?;
    for n in &summary.next {
        writeln!(out, "  {n}")?;
    }
    Ok(())
}
