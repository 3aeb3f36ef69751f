//! Finding where a dotted path (`spec.rules.0.match`) sits in a parsed document, so that a problem
//! found in the JSON form of a document can be reported at its line and column.

use super::node::Node;
use crate::diagnostic::Position;

impl Node {
    /// The position of the node a path leads to: for a mapping entry, its key; for a sequence
    /// item, the item. When the path leads nowhere, the position of the deepest node it reaches
    /// (so a missing field is reported at its parent).
    pub fn locate<S: AsRef<str>>(&self, path: &[S]) -> Position {
        let mut node = self;
        let mut at = self.pos;
        for segment in path {
            let segment = segment.as_ref();
            let next = match (node.as_map(), node.as_seq()) {
                (Some(m), _) => m.entry(segment).map(|(k, v)| (k.pos, v)),
                (_, Some(items)) => segment
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i))
                    .map(|v| (v.pos, v)),
                _ => None,
            };
            match next {
                Some((pos, child)) => {
                    at = pos;
                    node = child;
                }
                None => break,
            }
        }
        at
    }
}
