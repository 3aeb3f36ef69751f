//! `opa validate`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use opa_core::yaml::{Limits, parse_documents};

use crate::cli::{Format, ValidateArgs};

pub fn run(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let mut files = Vec::new();
    for path in &args.paths {
        collect(path, &mut files)?;
    }
    let limits = Limits::default();
    let mut failed = false;
    for file in files {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        for doc in parse_documents(&text, &limits) {
            let errors: Vec<_> = doc.error.iter().collect();
            failed |= !errors.is_empty();
            match args.format {
                Format::Json => println!(
                    "{}",
                    serde_json::json!({
                        "file": file.display().to_string(),
                        "document": doc.index,
                        "valid": errors.is_empty(),
                        "errors": errors,
                    })
                ),
                Format::Text => {
                    for e in errors {
                        println!(
                            "{}:{}:{}: error[{}]: {}",
                            file.display(),
                            e.line,
                            e.column,
                            e.code,
                            e.message
                        );
                    }
                }
            }
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if meta.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .with_context(|| format!("cannot read {}", path.display()))?
            .collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.path());
        for entry in entries {
            let p = entry.path();
            if p.is_dir() || matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
            {
                collect(&p, out)?;
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}
