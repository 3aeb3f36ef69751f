//! NoForeignRootFieldsEntityPolicy: only `apiVersion`, `kind`, `metadata` and `spec` at the root.

use crate::diagnostic::codes;
use crate::entity::validate::Problems;
use crate::yaml::Node;

/// The fields an entity may have at its root.
pub const KNOWN_ROOT_FIELDS: &[&str] = &["apiVersion", "kind", "metadata", "spec"];

/// Reports every root field other than the known ones, at its key.
pub fn check(root: &Node, out: &mut Problems) {
    let Some(map) = root.as_map() else {
        return;
    };
    for (key, _) in map.iter() {
        if key.as_str().is_some_and(|k| KNOWN_ROOT_FIELDS.contains(&k)) {
            continue;
        }
        let name = key.key_string();
        {
            out.push(
                codes::UNKNOWN_FIELD,
                name.clone(),
                format!(
                    "Unknown field {name}; an entity has only apiVersion, kind, metadata and spec at its root"
                ),
                key.pos,
            );
        }
    }
}
