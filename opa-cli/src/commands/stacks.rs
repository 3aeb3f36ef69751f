//! `opa stacks list` and `opa stacks trigger STACK`: infrastructure stacks on Spacelift.
//!
//! Exit codes: 0 success; 1 the call failed or was refused (read-only, forbidden, bad key);
//! 2 Spacelift is not configured (or the configuration is wrong).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::bail;
use opa_core::config::Config;
use opa_core::iac::{IacError, IacRunner, Stack, TriggeredRun};
use opa_spacelift::runner_from_access;

use super::platform_backends::runtime;
use crate::cli::{Format, StacksListArgs, StacksTriggerArgs};

/// The IaC runner opa.yaml's `spacelift:` section (or the environment) describes; `None` when
/// neither names Spacelift credentials.
pub(crate) fn spacelift_runner(config: &Config) -> anyhow::Result<Option<Arc<dyn IacRunner>>> {
    match config.spacelift_access() {
        Ok(access) => Ok(access.as_ref().map(runner_from_access)),
        Err(e) => match &config.source {
            Some(file) => bail!("{}: {e}", file.display()),
            None => bail!("{e}"),
        },
    }
}

/// The runner `opa:trigger-stack-run` uses in `opa template run`: Spacelift as configured, or,
/// when it is not (or wrongly) configured, a runner whose every call fails saying so — a step
/// using the action then names what to set rather than being an unknown action.
pub(crate) fn action_runner(config: &Config) -> Arc<dyn IacRunner> {
    match spacelift_runner(config) {
        Ok(Some(runner)) => runner,
        Ok(None) => Arc::new(NotConfigured(NOT_CONFIGURED.to_string())),
        Err(e) => Arc::new(NotConfigured(format!("{e:#}"))),
    }
}

const NOT_CONFIGURED: &str = "spacelift is not configured: add a spacelift: section to opa.yaml (account, apiKeyId, apiKeySecret) or set SPACELIFT_API_ENDPOINT, SPACELIFT_API_KEY_ID and SPACELIFT_API_KEY_SECRET";

/// A runner that cannot run: why is the error of every call.
struct NotConfigured(String);

#[async_trait::async_trait]
impl IacRunner for NotConfigured {
    fn kind(&self) -> &'static str {
        "spacelift"
    }

    async fn list_stacks(&self) -> Result<Vec<Stack>, IacError> {
        Err(IacError::Backend(self.0.clone()))
    }

    async fn trigger_run(&self, _stack: &str) -> Result<TriggeredRun, IacError> {
        Err(IacError::Backend(self.0.clone()))
    }
}

fn configured_runner(config: Option<&Path>) -> anyhow::Result<Arc<dyn IacRunner>> {
    let config = Config::load(config)?;
    for var in &config.unset_variables {
        tracing::warn!("opa.yaml names ${{{var}}}, which is not set");
    }
    match spacelift_runner(&config)? {
        Some(runner) => Ok(runner),
        None => bail!("{NOT_CONFIGURED}"),
    }
}

/// `opa stacks list`.
pub fn list(config: Option<&Path>, args: &StacksListArgs) -> anyhow::Result<ExitCode> {
    let runner = configured_runner(config)?;
    let stacks = match runtime()?.block_on(runner.list_stacks()) {
        Ok(stacks) => stacks,
        Err(e) => {
            eprintln!("error: cannot list {} stacks: {e}", runner.kind());
            return Ok(ExitCode::from(1));
        }
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            for stack in &stacks {
                writeln!(out, "{}", serde_json::to_string(stack)?)?;
            }
        }
        Format::Text => {
            if stacks.is_empty() {
                writeln!(
                    out,
                    "no stacks: the API key sees none (its spaces and access policies decide which it sees)"
                )?;
            } else {
                write_table(&mut out, &stacks)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_table(out: &mut impl Write, stacks: &[Stack]) -> std::io::Result<()> {
    let header = [
        "ID",
        "NAME",
        "STATE",
        "BRANCH",
        "REPOSITORY",
        "SPACE",
        "LABELS",
    ];
    let rows: Vec<[String; 7]> = stacks
        .iter()
        .map(|s| {
            [
                s.id.clone(),
                s.name.clone(),
                s.state.clone(),
                s.branch.clone(),
                s.repository.clone(),
                s.space.clone(),
                s.labels.join(","),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for row in &rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

/// `opa stacks trigger STACK`.
pub fn trigger(config: Option<&Path>, args: &StacksTriggerArgs) -> anyhow::Result<ExitCode> {
    let runner = configured_runner(config)?;
    let result = runtime()?.block_on(runner.trigger_run(&args.stack));
    let mut out = std::io::stdout().lock();
    match (result, args.format) {
        (Ok(run), Format::Json) => writeln!(out, "{}", serde_json::to_string(&run)?)?,
        (Ok(run), Format::Text) => writeln!(
            out,
            "triggered run {} of stack {} ({})",
            run.run_id, run.stack, run.state
        )?,
        (Err(e), Format::Json) => {
            writeln!(out, "{}", failure_json(&args.stack, &e))?;
            return Ok(ExitCode::from(1));
        }
        (Err(e), Format::Text) => {
            let verb = if e.is_refusal() { "REFUSED" } else { "error" };
            eprintln!("{verb}: trigger {}: {e}", args.stack);
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn failure_json(stack: &str, e: &IacError) -> serde_json::Value {
    let mut error = serde_json::json!({"code": e.code(), "message": e.to_string()});
    if let IacError::RateLimited {
        retry_after_secs: Some(secs),
        ..
    } = e
    {
        error["retryAfterSecs"] = (*secs).into();
    }
    serde_json::json!({"stack": stack, "error": error})
}
