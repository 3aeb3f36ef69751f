//! `$text`, `$json` and `$yaml` placeholders, resolved as Backstage's PlaceholderProcessor does:
//! an object whose only key is one of them is replaced by the content of the file it names.
//!
//! Paths are relative to the file the entity was read from and must stay inside the catalog
//! root (no `..` or symlink out of it). URLs are not fetched: they are reported. A placeholder
//! that cannot be resolved is reported once and then read as the text of its parameter, so the
//! fields around it are still checked without a second, derived problem.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Position, codes};
use crate::entity::validate::Problems;
use crate::yaml::{Limits, Mapping, Node, Value, parse_documents};

/// Where placeholders are resolved from.
#[derive(Debug, Clone, Copy)]
pub struct PlaceholderContext<'a> {
    /// The file the entity was read from; `None` when it did not come from a file (then every
    /// placeholder is reported as unreadable).
    pub file: Option<&'a Path>,
    /// The catalog root no placeholder may leave; by default the file's folder.
    pub root: Option<&'a Path>,
    /// Limits for the files read (size) and `$yaml` parsing.
    pub limits: &'a Limits,
}

/// Replaces every placeholder in `node` by what it names, reporting those that fail.
pub fn resolve_placeholders(node: &mut Node, cx: &PlaceholderContext<'_>, out: &mut Problems) {
    // Almost no entity has a placeholder: find out without allocating before walking with paths.
    if !has_dollar_key(node) {
        return;
    }
    let mut path = Vec::new();
    walk(node, cx, &mut path, out);
}

fn has_dollar_key(node: &Node) -> bool {
    match &node.value {
        Value::Seq(items) => items.iter().any(has_dollar_key),
        Value::Map(map) => map
            .entries
            .iter()
            .any(|(k, v)| k.as_str().is_some_and(|s| s.starts_with('$')) || has_dollar_key(v)),
        _ => false,
    }
}

fn walk(node: &mut Node, cx: &PlaceholderContext<'_>, path: &mut Vec<String>, out: &mut Problems) {
    match &mut node.value {
        Value::Seq(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(i.to_string());
                walk(item, cx, path, out);
                path.pop();
            }
        }
        Value::Map(map) => {
            let has_dollar = map
                .entries
                .iter()
                .any(|(k, _)| k.as_str().is_some_and(|s| s.starts_with('$')));
            if !has_dollar {
                for (k, v) in map.entries.iter_mut() {
                    path.push(k.key_string());
                    walk(v, cx, path, out);
                    path.pop();
                }
                return;
            }
            // Only an object with exactly one, known, `$` key is a placeholder; anything else
            // (a JSON Schema's `$ref`…) is left alone, as Backstage leaves it.
            if let Some(replacement) = resolve(map, node.pos, cx, &path.join("."), out) {
                *node = replacement;
            }
        }
        _ => {}
    }
}

fn resolve(
    map: &Mapping,
    pos: Position,
    cx: &PlaceholderContext<'_>,
    path: &str,
    out: &mut Problems,
) -> Option<Node> {
    let [(key, value)] = map.entries.as_slice() else {
        return None;
    };
    let resolver = key.as_str()?.strip_prefix('$')?;
    if !matches!(resolver, "text" | "json" | "yaml") {
        return None;
    }
    let mut fail = |code: &'static str, message: String| {
        out.push(code, path, message, key.pos);
    };
    let Some(target) = value.as_str() else {
        fail(
            codes::PLACEHOLDER,
            format!(
                "Placeholder ${resolver} expected a string value parameter, in the form of an absolute URL or a relative path"
            ),
        );
        return Some(Node::new(Value::String(String::new()), pos));
    };
    let fallback = Node::new(Value::String(target.to_string()), pos);
    let content = match read_target(target, cx) {
        Ok(content) => content,
        Err((code, why)) => {
            fail(
                code,
                format!("Placeholder ${resolver} could not read location {target}, {why}"),
            );
            return Some(fallback);
        }
    };
    let parsed = match resolver {
        "text" => Ok(Node::new(Value::String(content), pos)),
        "json" => serde_json::from_str::<serde_json::Value>(&content)
            .map(|j| from_json(&j, pos))
            .map_err(|e| format!("Placeholder $json failed to parse JSON data at {target}, {e}")),
        _ => parse_yaml(&content, target, cx.limits, pos),
    };
    match parsed {
        Ok(node) => Some(node),
        Err(message) => {
            fail(codes::PLACEHOLDER, message);
            Some(fallback)
        }
    }
}

fn parse_yaml(content: &str, target: &str, limits: &Limits, pos: Position) -> Result<Node, String> {
    let docs: Vec<_> = parse_documents(content, limits)
        .into_iter()
        .filter(|d| d.root.is_some() || d.error.is_some())
        .collect();
    if docs.len() != 1 {
        return Err(format!(
            "Placeholder $yaml expected to find exactly one document of data at {target}, found {}",
            docs.len()
        ));
    }
    let doc = docs.into_iter().next().expect("one document");
    if let Some(e) = doc.error {
        return Err(format!(
            "Placeholder $yaml found an error in the data at {target}, {} at line {} column {}",
            e.message, e.line, e.column
        ));
    }
    let mut node = doc.root.unwrap_or_else(|| Node::new(Value::Null, pos));
    restamp(&mut node, pos);
    Ok(node)
}

/// Positions inside another file mean nothing here: everything a placeholder brings in is
/// reported at the placeholder.
fn restamp(node: &mut Node, pos: Position) {
    node.pos = pos;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| restamp(n, pos)),
        Value::Map(m) => m.entries.iter_mut().for_each(|(k, v)| {
            restamp(k, pos);
            restamp(v, pos);
        }),
        _ => {}
    }
}

/// Converts JSON to a node at one position.
pub fn from_json(value: &serde_json::Value, pos: Position) -> Node {
    use serde_json::Value as J;
    let v = match value {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => n
            .as_i64()
            .map(Value::Int)
            .unwrap_or_else(|| Value::Float(n.as_f64().unwrap_or(f64::NAN))),
        J::String(s) => Value::String(s.clone()),
        J::Array(items) => Value::Seq(items.iter().map(|i| from_json(i, pos)).collect()),
        J::Object(obj) => Value::Map(Mapping {
            entries: obj
                .iter()
                .map(|(k, v)| (Node::new(Value::String(k.clone()), pos), from_json(v, pos)))
                .collect(),
        }),
    };
    Node::new(v, pos)
}

/// Reads a placeholder's target; the error is a diagnostic code and the reason.
fn read_target(
    target: &str,
    cx: &PlaceholderContext<'_>,
) -> Result<String, (&'static str, String)> {
    if let Ok(url) = url::Url::parse(target) {
        if url.scheme().len() > 1 {
            return Err((
                codes::PLACEHOLDER,
                "it is a URL and opa does not fetch URLs (only paths relative to the file)".into(),
            ));
        }
    }
    let Some(file) = cx.file else {
        return Err((
            codes::PLACEHOLDER,
            "the entity was not read from a file, so there is nothing to resolve a relative path against".into(),
        ));
    };
    let base = file.parent().unwrap_or(Path::new("."));
    let root = cx.root.unwrap_or(base);
    let wanted = normalize(&base.join(target));
    let root_norm = normalize(root);
    if !wanted.starts_with(&root_norm) {
        return Err((
            codes::PLACEHOLDER,
            format!(
                "{} is outside the catalog root {}",
                wanted.display(),
                root_norm.display()
            ),
        ));
    }
    // Symlinks must not lead out of the root either.
    if let (Ok(real), Ok(real_root)) = (wanted.canonicalize(), root_norm.canonicalize()) {
        if !real.starts_with(&real_root) {
            return Err((
                codes::PLACEHOLDER,
                format!(
                    "{} leads outside the catalog root {}",
                    wanted.display(),
                    real_root.display()
                ),
            ));
        }
    }
    let meta = std::fs::metadata(&wanted)
        .map_err(|e| (codes::PLACEHOLDER, format!("{}: {e}", wanted.display())))?;
    if meta.len() > cx.limits.max_document_bytes as u64 {
        return Err((
            codes::LIMIT_EXCEEDED,
            format!(
                "{} is {} bytes, more than the limit of {} bytes",
                wanted.display(),
                meta.len(),
                cx.limits.max_document_bytes
            ),
        ));
    }
    let bytes = std::fs::read(&wanted)
        .map_err(|e| (codes::PLACEHOLDER, format!("{}: {e}", wanted.display())))?;
    String::from_utf8(bytes).map_err(|_| {
        (
            codes::PLACEHOLDER,
            format!("{} is not UTF-8 text", wanted.display()),
        )
    })
}

/// Resolves `.` and `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
