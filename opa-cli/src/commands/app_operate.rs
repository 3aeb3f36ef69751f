//! `opa app (start|stop|restart|release|set-env|unset-env) APP --env ENV [--as USER_REF]`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use opa_core::audit::AuditStatus;
use opa_core::entity::{EntityRef, RefDefaults};
use opa_core::operations::{OperationKind, OperationRequest, Operations};

use super::platform_backends as backends;
use crate::cli::{AppCommand, AppTargetArgs, Format};

pub fn run(config: Option<&Path>, command: AppCommand) -> anyhow::Result<ExitCode> {
    let (app, target, kind) = match command {
        AppCommand::Start { app, target } => (app, target, OperationKind::Start),
        AppCommand::Stop { app, target } => (app, target, OperationKind::Stop),
        AppCommand::Restart { app, target } => (app, target, OperationKind::Restart),
        AppCommand::Release {
            release_version,
            app,
            target,
        } => (app, target, OperationKind::Release(release_version)),
        AppCommand::SetEnv { mut args, target } => {
            let app = args.pop().unwrap_or_default();
            let vars = OperationKind::parse_assignments(&args).map_err(|e| anyhow!(e))?;
            (app, target, OperationKind::SetEnv(vars))
        }
        AppCommand::UnsetEnv { mut args, target } => {
            let app = args.pop().unwrap_or_default();
            let keys = OperationKind::parse_keys(&args).map_err(|e| anyhow!(e))?;
            (app, target, OperationKind::UnsetEnv(keys))
        }
    };
    if app.contains('=') {
        return Err(anyhow!(
            "the last argument must be the app, not a KEY=VALUE pair"
        ));
    }
    operate(config, &app, &target, kind)
}

fn operate(
    config: Option<&Path>,
    app: &str,
    args: &AppTargetArgs,
    kind: OperationKind,
) -> anyhow::Result<ExitCode> {
    let user = args
        .user
        .as_deref()
        .filter(|u| !u.is_empty())
        .context("who is acting? pass --as USER_REF or set OPA_USER")?;
    let mut request = OperationRequest::parse(user, app, &args.env, kind)?;
    request.provider = args.provider.clone();
    let config = backends::config(config)?;
    let index = backends::catalog(&config, &args.catalog)?;
    let cloud = backends::cloud(&config)?;
    let app_runtime = cloud.runtime()?;
    let runtime = backends::runtime()?;
    let audit = backends::audit_log(&config, &runtime)?;
    let admin_group = config
        .platform
        .admin_group
        .as_deref()
        .map(|g| EntityRef::parse_with(g, RefDefaults::kind("Group")))
        .transpose()
        .context("platform.adminGroup")?;
    let ops = Operations {
        lookup: &index,
        membership: &index,
        credentials: cloud.credentials.as_ref(),
        runtime: app_runtime,
        audit: audit.as_ref(),
        admin_group,
    };
    let report = match runtime.block_on(ops.run(&request)) {
        Ok(r) => r,
        Err(e) => {
            // The app or environment cannot be found: the operation cannot be attempted.
            eprintln!("error: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string(&report)?)?,
        Format::Text => {
            for o in &report.outcomes {
                let line = format!(
                    "{} {} {}/{}: {}",
                    o.status.as_str(),
                    report.action,
                    report.env,
                    o.provider,
                    o.message
                );
                if o.status == AuditStatus::Success {
                    writeln!(out, "{line}")?;
                } else {
                    eprintln!("{line}");
                }
                writeln!(out, "  audit {}", o.audit_id)?;
            }
        }
    }
    Ok(if report.status() == AuditStatus::Success {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
