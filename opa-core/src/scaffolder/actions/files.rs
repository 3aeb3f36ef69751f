//! File helpers shared by the `fetch:*`, `fs:*` and write actions: reading a source tree, and
//! writing into the workspace without leaving it.

use std::path::{Path, PathBuf};

use crate::scaffolder::action::{ActionContext, ActionError};

/// Bounds on what one fetch may copy (untrusted skeletons).
pub const MAX_FILES: usize = 20_000;
/// Largest single file a fetch copies or renders.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// One entry of a source tree.
#[derive(Debug, Clone)]
pub struct SourceEntry {
    /// Path relative to the tree's root, `/`-separated.
    pub relative: String,
    /// Absolute path (symlinks inside the tree resolved).
    pub path: PathBuf,
    /// Whether it is a directory.
    pub is_dir: bool,
}

/// Every entry under `root` (not `root` itself), sorted; symlinks are followed only when they
/// resolve inside `root`.
pub fn read_tree(root: &Path, url: &str) -> Result<Vec<SourceEntry>, ActionError> {
    let canonical_root = root
        .canonicalize()
        .map_err(|e| ActionError::NotFound(format!("cannot read {url}: {e}")))?;
    let mut entries = Vec::new();
    for entry in walkdir::WalkDir::new(&canonical_root)
        .min_depth(1)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| ActionError::Failed(format!("cannot read {url}: {e}")))?;
        let relative = entry
            .path()
            .strip_prefix(&canonical_root)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let mut path = entry.path().to_path_buf();
        let mut is_dir = entry.file_type().is_dir();
        if entry.path_is_symlink() {
            let target = entry.path().canonicalize().map_err(|e| {
                ActionError::Failed(format!("{url}: symlink {relative} cannot be followed: {e}"))
            })?;
            if !target.starts_with(&canonical_root) {
                return Err(ActionError::Failed(format!(
                    "{url}: symlink {relative} leads outside the source directory"
                )));
            }
            is_dir = target.is_dir();
            path = target;
        }
        if entries.len() >= MAX_FILES {
            return Err(ActionError::Failed(format!(
                "{url} has more than {MAX_FILES} files (limit-exceeded)"
            )));
        }
        entries.push(SourceEntry {
            relative,
            path,
            is_dir,
        });
    }
    Ok(entries)
}

/// Reads a source file, bounded by [`MAX_FILE_BYTES`].
pub fn read_source(path: &Path, shown: &str) -> Result<Vec<u8>, ActionError> {
    let meta = std::fs::metadata(path).map_err(|e| ActionError::io(shown, e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(ActionError::Failed(format!(
            "{shown} is larger than {MAX_FILE_BYTES} bytes (limit-exceeded)"
        )));
    }
    std::fs::read(path).map_err(|e| ActionError::io(shown, e))
}

/// Whether content is binary (copied untouched, never rendered): a NUL byte in its first 8 KB,
/// or not UTF-8.
pub fn is_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8000)];
    head.contains(&0) || std::str::from_utf8(bytes).is_err()
}

/// Writes `content` at `path` (already checked to be inside the workspace), creating parent
/// directories and keeping the executable bit of `mode_from` when given.
pub fn write_file(
    ctx: &ActionContext,
    path: &Path,
    content: &[u8],
    mode_from: Option<&Path>,
) -> Result<(), ActionError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| ActionError::io(ctx.display(parent), e))?;
    }
    // Never write through a symlink that was planted after the path was checked.
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        std::fs::remove_file(path).map_err(|e| ActionError::io(ctx.display(path), e))?;
    }
    std::fs::write(path, content).map_err(|e| ActionError::io(ctx.display(path), e))?;
    #[cfg(unix)]
    if let Some(src) = mode_from {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(src) {
            let mode = meta.permissions().mode() & 0o777;
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
        }
    }
    #[cfg(not(unix))]
    let _ = mode_from;
    Ok(())
}

/// The string-array input `key` (absent: empty); anything else is an input error.
pub fn string_list(ctx: &ActionContext, key: &str) -> Result<Vec<String>, ActionError> {
    match ctx.input.get(key) {
        None | Some(serde_json::Value::Null) => Ok(Vec::new()),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str().map(str::to_string).ok_or_else(|| {
                    ActionError::InvalidInput(format!("input {key:?} must be an array of strings"))
                })
            })
            .collect(),
        Some(_) => Err(ActionError::InvalidInput(format!(
            "Fetch action input {key} must be an Array"
        ))),
    }
}

/// A glob set, `*` not crossing `/`, dotfiles matched.
pub fn glob_set(patterns: &[String]) -> Result<globset::GlobSet, ActionError> {
    let mut builder = globset::GlobSetBuilder::new();
    for p in patterns {
        let p = p.trim_start_matches("./");
        let glob = globset::GlobBuilder::new(p)
            .literal_separator(true)
            .build()
            .map_err(|e| ActionError::InvalidInput(format!("invalid glob {p:?}: {e}")))?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| ActionError::InvalidInput(e.to_string()))
}
