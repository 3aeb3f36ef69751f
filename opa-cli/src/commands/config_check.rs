//! `opa config check [FILE]`: validates opa.yaml against its documented schema.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use opa_core::config::Config;

use crate::cli::{ConfigCheckArgs, Format};

pub fn run(config: Option<&Path>, args: &ConfigCheckArgs) -> anyhow::Result<ExitCode> {
    let file = args
        .file
        .clone()
        .or_else(|| config.map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("opa.yaml"));
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let problems = Config::check(&text);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::json!({"file": file, "valid": problems.is_empty(), "problems": problems})
        )?,
        Format::Text => {
            for d in &problems {
                writeln!(
                    out,
                    "{}:{}:{}: error[{}]: {}",
                    file.display(),
                    d.line,
                    d.column,
                    d.code,
                    d.message
                )?;
            }
            if problems.is_empty() {
                writeln!(out, "ok: {} is valid", file.display())?;
            }
        }
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
