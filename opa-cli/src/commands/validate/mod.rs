//! `opa validate`: checks catalog files as Backstage's catalog would.
//!
//! Files are read and validated in parallel; results are printed in the order of the
//! arguments (folders in sorted path order), so the output is stable.

mod github;
mod json;
mod sarif;
mod text;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use opa_core::entity::{DocumentReport, LoadOptions, ValidateOptions, read_file};
use rayon::prelude::*;

use crate::cli::{ValidateArgs, ValidateFormat};

/// One file and what was found in it.
pub(crate) struct FileResult {
    /// The path as given or found.
    pub path: PathBuf,
    /// The reports, or why the file could not be read.
    pub reports: Result<Vec<DocumentReport>, opa_core::Error>,
}

pub fn run(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let mut files: Vec<(PathBuf, PathBuf)> = Vec::new();
    for path in &args.paths {
        let meta =
            std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
        let root = match (&args.root, meta.is_dir()) {
            (Some(root), _) => root.clone(),
            (None, true) => path.clone(),
            (None, false) => path
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        };
        let mut found = Vec::new();
        if meta.is_dir() {
            collect(path, &mut found)?;
        } else {
            found.push(path.clone());
        }
        files.extend(found.into_iter().map(|f| (f, root.clone())));
    }
    let options = LoadOptions {
        validate: ValidateOptions {
            allow_unknown_kinds: args.allow_unknown_kinds,
            strict: args.strict,
        },
        ..LoadOptions::default()
    };
    let results: Vec<FileResult> = files
        .par_iter()
        .map(|(path, root)| FileResult {
            path: path.clone(),
            reports: read_file(path, Some(root), &options),
        })
        .collect();

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        ValidateFormat::Text => text::write(&mut out, &results)?,
        ValidateFormat::Json => json::write(&mut out, &results)?,
        ValidateFormat::Sarif => sarif::write(&mut out, &results)?,
        ValidateFormat::Github => github::write(&mut out, &results)?,
    }
    out.flush()?;

    let mut io_error = false;
    for r in &results {
        if let Err(e) = &r.reports {
            eprintln!("error: {e}");
            io_error = true;
        }
    }
    let invalid = results
        .iter()
        .filter_map(|r| r.reports.as_ref().ok())
        .flatten()
        .any(|d| !d.is_valid());
    Ok(if io_error {
        ExitCode::from(2)
    } else if invalid {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Finds `*.yaml` and `*.yml` files under a folder, sorted, skipping hidden folders'
/// neighbours only by name order (hidden folders such as `.backstage` are searched too).
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .with_context(|| format!("cannot read {}", dir.display()))?;
    entries.sort();
    for path in entries {
        let file_type = std::fs::symlink_metadata(&path)
            .with_context(|| format!("cannot read {}", path.display()))?
            .file_type();
        if file_type.is_dir() {
            if path
                .file_name()
                .is_some_and(|n| n == "node_modules" || n == ".git")
            {
                continue;
            }
            collect(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        }
    }
    Ok(())
}
