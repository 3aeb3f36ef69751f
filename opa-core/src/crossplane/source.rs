//! Where things are in a YAML document: paths into a spanned [`Node`] tree, so that a problem
//! found on the JSON form of a resource is reported at its line and column.

use std::fmt;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, Position, codes};
use crate::yaml::{Node, Value};

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSeg {
    /// A key of a mapping.
    Key(String),
    /// An index of a sequence.
    Index(usize),
}

/// A path into a document, printed dotted with numeric indexes (`spec.resources.0.base`), as
/// DESIGN.md's diagnostics say paths.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct DocPath(pub Vec<PathSeg>);

impl DocPath {
    /// The empty path (the document root).
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// This path with a key appended.
    #[must_use]
    pub fn key(&self, k: &str) -> Self {
        let mut p = self.clone();
        p.0.push(PathSeg::Key(k.to_string()));
        p
    }

    /// This path with an index appended.
    #[must_use]
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(PathSeg::Index(i));
        p
    }

    /// Kubernetes' spelling of the path: `spec.items[0].name`.
    pub fn kube(&self) -> String {
        let mut out = String::new();
        for seg in &self.0 {
            match seg {
                PathSeg::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                PathSeg::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

impl fmt::Display for DocPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|s| match s {
                PathSeg::Key(k) => k.clone(),
                PathSeg::Index(i) => i.to_string(),
            })
            .collect();
        f.write_str(&parts.join("."))
    }
}

/// The position of the node at `path`. When the path leads out of the document (a missing
/// field), the position of the deepest key that exists: a missing field is reported at its
/// parent's key.
pub fn locate(root: &Node, path: &DocPath) -> Position {
    let mut node = root;
    let mut at = root.pos;
    for seg in &path.0 {
        let next = match (&node.value, seg) {
            (Value::Map(m), PathSeg::Key(k)) => m.entry(k).map(|(key, v)| {
                at = key.pos;
                v
            }),
            (Value::Seq(items), PathSeg::Index(i)) => items.get(*i).inspect(|v| at = v.pos),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => return at,
        }
    }
    if matches!(node.value, Value::Map(_) | Value::Seq(_)) {
        at
    } else {
        node.pos
    }
}

/// Deserializes a typed value from a node; a type error is a diagnostic at the offending node.
pub fn deserialize<T: DeserializeOwned>(node: &Node, base: &DocPath) -> Result<T, Diagnostic> {
    let json = node.to_json();
    serde_path_to_error::deserialize(json).map_err(|e| {
        let mut path = base.clone();
        for seg in e.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => path = path.index(*index),
                serde_path_to_error::Segment::Map { key } => path = path.key(key),
                serde_path_to_error::Segment::Enum { variant } => path = path.key(variant),
                serde_path_to_error::Segment::Unknown => {}
            }
        }
        let mut rel = DocPath::root();
        rel.0 = path.0[base.0.len()..].to_vec();
        let at = locate(node, &rel);
        let inner = e.into_inner().to_string();
        let code = if inner.starts_with("missing field") {
            codes::MISSING_FIELD
        } else {
            codes::INVALID_TYPE
        };
        let message = if path.0.is_empty() {
            inner
        } else {
            format!("{}: {inner}", path.kube())
        };
        Diagnostic::new(code, path.to_string(), message, at)
    })
}
