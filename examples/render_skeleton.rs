//! Renders a `fetch:template` skeleton the way the benchmark in `bench/` measures it: walks the
//! folder, reads every file, renders it as `fetch:template` does (a `SkeletonRenderer` per thread,
//! files in parallel on every core), and writes the outputs. Prints the elapsed milliseconds (reads and writes
//! included).
//!
//! ```sh
//! cargo run --release -p opa-examples --example render_skeleton -- SKELETON_DIR CONTEXT_JSON OUT_DIR
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use opa_core::scaffolder::templating::{FileRenderOptions, TemplateEngine};
use rayon::prelude::*;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            walk(&entry.path(), out)?;
        } else {
            out.push(entry.path());
        }
    }
    Ok(())
}

fn run(skeleton: &Path, context: &Path, out: &Path) -> Result<f64, String> {
    let ctx: serde_json::Value = serde_json::from_slice(
        &std::fs::read(context).map_err(|e| format!("{}: {e}", context.display()))?,
    )
    .map_err(|e| format!("{}: {e}", context.display()))?;
    let engine = TemplateEngine::default();
    let options = FileRenderOptions::default();

    let start = Instant::now();
    let mut files = Vec::new();
    walk(skeleton, &mut files).map_err(|e| format!("{}: {e}", skeleton.display()))?;
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| f.strip_prefix(skeleton).ok()?.parent().map(|p| out.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
    }
    files.par_iter().try_for_each_init(
        || engine.skeleton_renderer(&ctx, &options),
        |renderer, file| -> Result<(), String> {
            let text =
                std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
            let rendered = renderer
                .render(&text)
                .map_err(|e| format!("{}: {e}", file.display()))?;
            let target = out.join(file.strip_prefix(skeleton).unwrap_or(file));
            std::fs::write(&target, rendered).map_err(|e| format!("{}: {e}", target.display()))
        },
    )?;
    Ok(start.elapsed().as_secs_f64() * 1000.0)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [skeleton, context, out] = args.as_slice() else {
        eprintln!("usage: render_skeleton SKELETON_DIR CONTEXT_JSON OUT_DIR");
        return ExitCode::from(2);
    };
    match run(Path::new(skeleton), Path::new(context), Path::new(out)) {
        Ok(ms) => {
            println!("{ms:.1}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("render_skeleton: {e}");
            ExitCode::from(1)
        }
    }
}
