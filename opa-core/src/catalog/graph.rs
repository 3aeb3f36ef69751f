//! The relation graph in compressed sparse rows: for each reference, its outgoing relations as
//! `(type, target id)`, in one flat array.

use super::interner::RefId;
use super::relation::RelationType;

/// Relations by source, each stored in 5 bytes.
#[derive(Debug, Default)]
pub(crate) struct Graph {
    /// `offsets[i]..offsets[i + 1]` are the edges of reference `i`.
    offsets: Vec<u32>,
    targets: Vec<RefId>,
    types: Vec<RelationType>,
}

impl Graph {
    /// Builds the graph of `nodes` references from `(source, type, target)` edges, produced twice
    /// by `edges` (once to count, once to fill).
    pub fn build<I>(nodes: usize, edges: impl Fn() -> I) -> Self
    where
        I: Iterator<Item = (RefId, RelationType, RefId)>,
    {
        let mut offsets = vec![0u32; nodes + 1];
        for (source, _, _) in edges() {
            offsets[source as usize + 1] += 1;
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let total = offsets[nodes] as usize;
        let mut next: Vec<u32> = offsets[..nodes].to_vec();
        let mut targets = vec![0 as RefId; total];
        let mut types = vec![RelationType::OwnedBy; total];
        for (source, relation, target) in edges() {
            let slot = &mut next[source as usize];
            targets[*slot as usize] = target;
            types[*slot as usize] = relation;
            *slot += 1;
        }
        Self {
            offsets,
            targets,
            types,
        }
    }

    /// The relations of a reference, in the order they were emitted.
    pub fn edges(&self, node: RefId) -> impl Iterator<Item = (RelationType, RefId)> + '_ {
        let range = match (
            self.offsets.get(node as usize),
            self.offsets.get(node as usize + 1),
        ) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        };
        self.types[range.clone()]
            .iter()
            .copied()
            .zip(self.targets[range].iter().copied())
    }

    /// Number of relations.
    pub fn len(&self) -> usize {
        self.targets.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_edges_by_source_in_order() {
        let edges = [
            (2, RelationType::OwnedBy, 0),
            (0, RelationType::OwnerOf, 2),
            (2, RelationType::PartOf, 1),
        ];
        let g = Graph::build(3, || edges.iter().copied());
        assert_eq!(
            g.edges(2).collect::<Vec<_>>(),
            [(RelationType::OwnedBy, 0), (RelationType::PartOf, 1)]
        );
        assert_eq!(g.edges(1).count(), 0);
        assert_eq!(g.edges(9).count(), 0);
        assert_eq!(g.len(), 3);
    }
}
