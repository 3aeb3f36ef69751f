//! `opa quickstart [DIR]`: the whole OPA flow on the embedded backends, leaving a working
//! platform in DIR — a provider provisioned on the local cloud, three environments, an app with
//! its repository, catalog entry and pipelines, the catalog discovered and checked, and an
//! audited operation by a permitted and a refused user. Running it again changes nothing but the
//! two operations, which run (and are audited) again.

mod bundled;
mod discover;
mod flow;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::Format;

/// Runs the quickstart in `dir` (default `./opa-quickstart`).
pub fn run(dir: Option<PathBuf>, format: Format) -> anyhow::Result<ExitCode> {
    let dir = dir.unwrap_or_else(|| PathBuf::from("opa-quickstart"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let summary = runtime.block_on(flow::Quickstart::prepare(&dir)?.run(format))?;
    report::print(&summary, format)?;
    Ok(if summary.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
