//! Paths written by templates stay inside the workspace: absolute paths, `..` that climbs out and
//! symlinks that lead out are rejected (Backstage's `resolveSafeChildPath`).

use std::path::{Component, Path, PathBuf};

/// Why a path was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("relative path {path:?} is not allowed to refer to a directory outside {base}: {reason}")]
pub struct UnsafePath {
    /// The path as given.
    pub path: String,
    /// What it had to stay inside ("the workspace", "the template directory").
    pub base: &'static str,
    /// Why: absolute, climbs out with `..`, or a symlink leads out.
    pub reason: &'static str,
}

/// `base` joined with `relative`, refusing anything that would leave `base`.
///
/// `relative` may contain `..` as long as it stays inside (`a/../b`). Existing symlinks on the way
/// (the path itself included, dangling or not) must resolve inside `base`.
pub fn resolve_safe_child(
    base: &Path,
    relative: &str,
    base_name: &'static str,
) -> Result<PathBuf, UnsafePath> {
    let refuse = |reason| UnsafePath {
        path: relative.to_string(),
        base: base_name,
        reason,
    };
    let rel = Path::new(relative);
    if rel.is_absolute() || relative.starts_with('/') || relative.starts_with('\\') {
        return Err(refuse("absolute paths are not allowed"));
    }
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(p) => parts.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err(refuse("it climbs out with '..'"));
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(refuse("absolute paths are not allowed"));
            }
        }
    }
    let joined: PathBuf = parts.iter().fold(base.to_path_buf(), |p, c| p.join(c));
    let canonical_base = base.canonicalize().unwrap_or_else(|_| base.to_path_buf());
    // Walk down from the base: every existing step must resolve inside it.
    let mut current = base.to_path_buf();
    for part in &parts {
        current.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&current) else {
            break;
        };
        if meta.file_type().is_symlink() {
            let target = match current.canonicalize() {
                Ok(t) => t,
                Err(_) => {
                    // Dangling: where would a write through it land?
                    let link =
                        std::fs::read_link(&current).map_err(|_| refuse("unreadable symlink"))?;
                    if link.is_absolute() {
                        link
                    } else {
                        let parent = current
                            .parent()
                            .and_then(|p| p.canonicalize().ok())
                            .unwrap_or_default();
                        normalize(&parent.join(link))
                    }
                }
            };
            if !target.starts_with(&canonical_base) {
                return Err(refuse("a symlink on the way leads outside"));
            }
        }
    }
    Ok(joined)
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The path of `path` relative to `base`, `/`-separated (for logs and effects).
pub fn display_relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_children_and_inner_dotdot() {
        let dir = tempfile::tempdir().unwrap();
        let p = resolve_safe_child(dir.path(), "a/../b/c.txt", "the workspace").unwrap();
        assert_eq!(p, dir.path().join("b").join("c.txt"));
        assert_eq!(
            resolve_safe_child(dir.path(), "./", "w").unwrap(),
            dir.path()
        );
    }

    #[test]
    fn rejects_escapes() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x", "a/../../x", "/etc/passwd"] {
            let err = resolve_safe_child(dir.path(), bad, "the workspace").unwrap_err();
            assert!(err.to_string().contains("outside the workspace"), "{err}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn rejects_symlinks_leading_out() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).unwrap();
        std::os::unix::fs::symlink("../../nowhere", dir.path().join("dangling")).unwrap();
        std::fs::create_dir(dir.path().join("in")).unwrap();
        std::os::unix::fs::symlink("in", dir.path().join("inner")).unwrap();
        assert!(resolve_safe_child(dir.path(), "out/x", "w").is_err());
        assert!(resolve_safe_child(dir.path(), "dangling", "w").is_err());
        assert!(resolve_safe_child(dir.path(), "inner/x", "w").is_ok());
    }
}
