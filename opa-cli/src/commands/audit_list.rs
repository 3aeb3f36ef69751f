//! `opa audit list [--app A] [--env E] [--user U] [--since TIME] [--format text|json]`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::anyhow;
use opa_core::audit::{AuditQuery, Timestamp};
use opa_core::config::AuditKind;
use opa_core::entity::{EntityRef, RefDefaults};

use super::platform_backends as backends;
use crate::cli::{AuditListArgs, Format};

pub fn run(config: Option<&Path>, args: &AuditListArgs) -> anyhow::Result<ExitCode> {
    let now = Timestamp::now();
    let time = |t: &Option<String>| {
        t.as_deref()
            .map(|t| Timestamp::parse_relative(t, now).map_err(|e| anyhow!(e)))
            .transpose()
    };
    let query = AuditQuery {
        app: args.app.clone(),
        env: args.env.clone(),
        user: args
            .user
            .as_deref()
            .map(|u| EntityRef::parse_with(u, RefDefaults::kind("User")).map(|r| r.to_string()))
            .transpose()?,
        since: time(&args.since)?,
        until: time(&args.until)?,
        limit: args.limit,
    };
    let config = backends::config(config)?;
    // Listing an audit log that was never written does not create one.
    let records = if config.audit.kind == AuditKind::Sqlite && !config.audit_path().exists() {
        Vec::new()
    } else {
        let runtime = backends::runtime()?;
        let log = backends::audit_log(&config, &runtime)?;
        runtime.block_on(log.query(&query))?
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        Format::Json => {
            for r in &records {
                writeln!(out, "{}", serde_json::to_string(r)?)?;
            }
        }
        Format::Text => {
            if records.is_empty() {
                writeln!(out, "no audit records")?;
            }
            for r in &records {
                writeln!(
                    out,
                    "{} {:<7} {} {} {} {}/{} ({} {}): {}",
                    r.created_at,
                    r.status.as_str(),
                    r.initiated_by,
                    r.action_name,
                    r.app_name,
                    r.env_name,
                    r.provider_name,
                    r.target_account,
                    r.target_region,
                    r.message
                )?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
